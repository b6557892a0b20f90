package orders

import (
	"context"
	"strings"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// Move asks to move an order by event, as actor (or as the guest holding
// the order's private token). Ship needs carrier and tracking number for a
// courier order; Refund takes an amount (all that is left when 0).
type Move struct {
	Event      Event
	Token      string
	Carrier    string
	TrackingNo string
	AmountIDR  domain.IDR
	Reason     string
}

// MoveOrder checks who asks, then applies the move in one transaction.
func (s *Service) MoveOrder(ctx context.Context, actor access.Actor, orderID string, m Move) (Order, error) {
	var o Order
	if err := storage.Find(ctx, s.db.Gorm, &o, orderID, "order"); err != nil {
		return o, err
	}
	g, err := s.group(ctx, o.GroupID)
	if err != nil {
		return o, err
	}
	scope := access.ScopeOrders
	if m.Event == Ship || m.Event == Deliver {
		scope = access.ScopeShipping
	}
	party, sh, err := s.partyOf(ctx, actor, m.Token, o, g, scope)
	if err != nil {
		return o, err
	}
	if m.Event == Refund {
		if party != Staff {
			return o, domain.ErrForbidden
		}
		if strings.TrimSpace(m.Reason) == "" {
			return o, domain.Invalid("reason", "alasan pengembalian dana wajib diisi")
		}
		if m.AmountIDR < 0 {
			return o, domain.Invalid("amount_idr", "jumlah tidak boleh negatif")
		}
	}
	c := change{event: m.Event, party: party, actor: actor, note: strings.TrimSpace(m.Reason),
		carrier: strings.TrimSpace(m.Carrier), track: strings.TrimSpace(m.TrackingNo), amount: m.AmountIDR}
	if party == Seller && actor.Role == access.Pendamping && sh.CaseID != nil {
		c.onBehalfOf = *sh.CaseID
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		_, err := s.apply(ctx, tx, orderID, c)
		return err
	})
	if err != nil {
		return Order{}, err
	}
	return s.ReadOrder(ctx, actor, m.Token, orderID)
}
