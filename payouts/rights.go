package payouts

import (
	"context"
	"errors"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
)

// MayApprove tells whether actor is a checker of the unit's payouts: one
// who may approve its batches (never one they made: Approve's rule). Pages
// ask it to offer only the forms that would be accepted.
func (s *Service) MayApprove(actor access.Actor, unitID string) bool {
	return access.Can(actor, access.ApprovePayouts, access.Resource{UnitID: unitID}, s.now()) == nil
}

// RouteRights is what an actor may do with a shop's payout route.
type RouteRights struct {
	Change  bool // staff who look after the shop's payouts: set a new route
	Confirm bool // a checker among them: confirm a change another person made
}

// RouteRightsOf tells what actor may do with a shop's payout route, by the
// rules SetRoute and ConfirmRoute apply.
func (s *Service) RouteRightsOf(ctx context.Context, actor access.Actor, shopID string) (RouteRights, error) {
	sh, err := s.shops.ShopOf(ctx, shopID)
	if err != nil {
		return RouteRights{}, err
	}
	may := func(action access.Action) (bool, error) {
		err := s.staffForShop(ctx, actor, action, sh)
		if errors.Is(err, domain.ErrNotFound) || errors.Is(err, domain.ErrForbidden) || errors.Is(err, domain.ErrUnauthorized) {
			return false, nil
		}
		return err == nil, err
	}
	var r RouteRights
	if r.Change, err = may(access.ManagePayouts); err != nil {
		return r, err
	}
	r.Confirm, err = may(access.ApprovePayouts)
	return r, err
}
