package payouts

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
)

// MyEarnings is GET /me/earnings: a seller's own money by month, and what
// their shops hold now. Nothing from the case record.
type MyEarnings struct {
	Shops   []EarningShop  `json:"shops"`
	Balance ledger.Balance `json:"balance"`
	Months  []ledger.Month `json:"months"`
}

// EarningShop names a shop whose money is in MyEarnings.
type EarningShop struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Status      string `json:"status"`
}

// Earnings answers a seller's earnings: the shops they own, and for a
// pendamping the shops of the PM who delegated their earnings to them.
// Closed shops count: what was earned there is still theirs.
func (s *Service) Earnings(ctx context.Context, actor access.Actor) (MyEarnings, error) {
	out := MyEarnings{Shops: []EarningShop{}, Months: []ledger.Month{}}
	if actor.Anonymous() {
		return out, domain.ErrUnauthorized
	}
	if access.Can(actor, access.ReadEarnings, access.Resource{}, s.now()) != nil {
		return out, domain.Errorf(domain.ErrForbidden, "payouts.earnings.forbidden")
	}
	cases := pq.StringArray{}
	for _, d := range actor.Delegations {
		if actor.DelegatedFor(d.CaseID, access.ScopeEarnings, s.now()) {
			cases = append(cases, d.CaseID)
		}
	}
	owner := actor.UserID
	if actor.Role == access.Pendamping {
		owner = "" // a pendamping owns no shop: only delegations count
	}
	db := s.db.Gorm.WithContext(ctx)
	if err := db.Raw(`SELECT id, display_name, status FROM shops WHERE owner_user_id = NULLIF(?, '')::uuid OR case_id = ANY(?::uuid[]) ORDER BY display_name, id`,
		owner, cases).Scan(&out.Shops).Error; err != nil {
		return out, fmt.Errorf("earning shops: %w", err)
	}
	ids := make([]string, len(out.Shops))
	for i, sh := range out.Shops {
		ids[i] = sh.ID
	}
	var err error
	if out.Balance, err = ledger.ShopsBalance(ctx, db, ids); err != nil {
		return out, err
	}
	months, err := ledger.ShopMonths(ctx, db, ids)
	if err != nil {
		return out, err
	}
	out.Months = months
	return out, nil
}
