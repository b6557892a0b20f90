package payouts

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
)

// ShopBalance is a shop of a unit's network with what it holds, as staff
// see it before making a batch.
type ShopBalance struct {
	ShopID   string         `json:"shop_id"`
	ShopName string         `json:"shop_name"`
	Status   string         `json:"status"`
	Balance  ledger.Balance `json:"balance"`
	// RouteMethod is how the shop is paid (cash at the Balai when no route
	// is confirmed); RoutePending says a changed route awaits a supervisor.
	RouteMethod  Method `json:"route_method"`
	RoutePending bool   `json:"route_pending"`
}

// UnitBalances lists the shops of a unit and of its LKS network with their
// balances, by name, for staff who manage the unit's payouts.
func (s *Service) UnitBalances(ctx context.Context, actor access.Actor, unitID string) ([]ShopBalance, error) {
	if !domain.ValidID(unitID) {
		return nil, domain.ErrNotFound
	}
	if err := access.Can(actor, access.ManagePayouts, access.Resource{UnitID: unitID}, s.now()); err != nil {
		return nil, err
	}
	network, err := s.units.Network(ctx, unitID)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		ShopID, ShopName, Status                             string
		Pending, Available, InPayout, PaidOut, CashCollected domain.IDR
		RouteMethod                                          *string
		RoutePending                                         bool
	}
	err = s.db.Gorm.WithContext(ctx).Raw(`
		SELECT s.id AS shop_id, s.display_name AS shop_name, s.status,
		       -coalesce(sum(a.balance_idr) FILTER (WHERE a.kind = ?), 0) AS pending,
		       -coalesce(sum(a.balance_idr) FILTER (WHERE a.kind = ?), 0) AS available,
		       -coalesce(sum(a.balance_idr) FILTER (WHERE a.kind = ?), 0) AS in_payout,
		       -coalesce(sum(a.balance_idr) FILTER (WHERE a.kind = ?), 0) AS paid_out,
		       -coalesce(sum(a.balance_idr) FILTER (WHERE a.kind = ?), 0) AS cash_collected,
		       (SELECT r.method FROM payout_routes r WHERE r.shop_id = s.id AND r.status = 'confirmed') AS route_method,
		       EXISTS (SELECT 1 FROM payout_routes r WHERE r.shop_id = s.id AND r.status = 'pending') AS route_pending
		FROM shops s LEFT JOIN ledger_accounts a ON a.shop_id = s.id
		WHERE s.unit_id = ANY(?::uuid[])
		GROUP BY s.id ORDER BY s.display_name, s.id LIMIT 2000`,
		ledger.KindSellerPending, ledger.KindSellerAvailable, ledger.KindSellerPayout, ledger.KindSellerPaidOut, ledger.KindSellerCash,
		append(pq.StringArray{unitID}, network...)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("unit balances: %w", err)
	}
	out := make([]ShopBalance, len(rows))
	for i, r := range rows {
		out[i] = ShopBalance{ShopID: r.ShopID, ShopName: r.ShopName, Status: r.Status, RouteMethod: Cash, RoutePending: r.RoutePending,
			Balance: ledger.Balance{PendingIDR: r.Pending, AvailableIDR: r.Available, InPayoutIDR: r.InPayout, PaidOutIDR: r.PaidOut, CashCollectedIDR: r.CashCollected}}
		if r.RouteMethod != nil {
			out[i].RouteMethod = Method(*r.RouteMethod)
		}
	}
	return out, nil
}
