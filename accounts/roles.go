package accounts

import (
	"context"

	"github.com/sentrakreasi/atensi/access"
)

// unitRoles are the roles an account of a unit may have, the people a unit
// serves first: the order a form offers them in.
var unitRoles = []access.Role{access.Seller, access.Pendamping, access.LKSManager, access.Staff, access.Supervisor}

// fitsUnit tells whether an account of role may belong to unit: an LKS
// manager only to an LKS.
func fitsUnit(role access.Role, unit Unit) bool {
	return role != access.LKSManager || unit.Kind == LKS
}

// CreatableRoles are the roles actor may open an account with in a unit
// (access.CreateUser, and what fits the unit), for a form that offers only
// what CreateUser would accept.
func (s *Service) CreatableRoles(ctx context.Context, actor access.Actor, unitID string) ([]access.Role, error) {
	unit, err := s.Unit(ctx, unitID)
	if err != nil {
		return nil, err
	}
	var out []access.Role
	for _, r := range unitRoles {
		if fitsUnit(r, unit) && access.Can(actor, access.CreateUser, access.Resource{UnitID: unitID, Role: r}, s.now()) == nil {
			out = append(out, r)
		}
	}
	return out, nil
}
