package cases

import (
	"context"

	"github.com/sentrakreasi/atensi/access"
)

// MayAssign tells whether actor may give a case to a caseworker and name
// who may open it once closed (Assign, NameStaff: a supervisor of its
// unit), for a page that offers those forms only to whom they would be
// accepted from. Asking records nothing in the audit log.
func (s *Service) MayAssign(ctx context.Context, actor access.Actor, id string) (bool, error) {
	row, err := s.load(ctx, id)
	if err != nil {
		return false, err
	}
	res, err := s.resourceFor(ctx, actor, row)
	if err != nil {
		return false, err
	}
	now := s.now()
	return access.Can(actor, access.AssignCase, res, now) == nil && access.Can(actor, access.NameCaseStaff, res, now) == nil, nil
}
