package orders

import (
	"context"
	"errors"
	"fmt"
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
	// FormToken is the page form's one-time token: the same form sent
	// again is answered with the order as the first move left it.
	FormToken string
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
	// The buyer's cancel of an unpaid order is the whole group's
	// (CancelGroup): one checkout is one payment. A paid order is the shop's
	// and staff's to cancel, which the transition table says.
	if party == Buyer && m.Event == Cancel && (o.Status == PendingPayment || o.Status == Cancelled && g.PaymentStatus == "cancelled") {
		if _, err := s.CancelGroup(ctx, actor, m.Token, g.ID, m.FormToken); err != nil {
			return Order{}, err
		}
		return s.ReadOrder(ctx, actor, m.Token, orderID)
	}
	if m.Event == Refund {
		if party != Staff {
			return o, domain.ErrForbidden
		}
		if strings.TrimSpace(m.Reason) == "" {
			return o, domain.Invalid("reason", "orders.refund.reason")
		}
		if m.AmountIDR < 0 {
			return o, domain.Invalid("amount_idr", "orders.amount.negative")
		}
	}
	c := change{event: m.Event, party: party, actor: actor, note: memo{text: strings.TrimSpace(m.Reason)},
		carrier: strings.TrimSpace(m.Carrier), track: strings.TrimSpace(m.TrackingNo), amount: m.AmountIDR}
	if party == Seller && actor.Role == access.Pendamping && sh.CaseID != nil {
		c.onBehalfOf = *sh.CaseID
	}
	key := ""
	if m.FormToken != "" {
		key = "move:" + orderID + ":" + string(m.Event) + ":" + m.FormToken
	}
	// A repeat must not reach the card provider again: its refund key
	// changes with what the first refund booked.
	err = s.db.Done(ctx, key)
	if err == nil {
		err = s.refundCard(ctx, g, o, m)
	}
	if err == nil {
		err = s.db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.Once(ctx, key, ""); err != nil {
				return err
			}
			_, err := s.apply(ctx, tx, orderID, c)
			return err
		})
	}
	if errors.As(err, new(*storage.Repeated)) {
		err = nil
	}
	if err != nil {
		return Order{}, err
	}
	return s.ReadOrder(ctx, actor, m.Token, orderID)
}

// refundCard gives card money back through the provider before the refund
// is booked. The provider's idempotency key is made of the order and what
// was refunded before, so a retry after a failed booking never refunds
// twice, and the next refund gets a key of its own.
func (s *Service) refundCard(ctx context.Context, g groupRow, o Order, m Move) error {
	if g.PaymentMethod != "card" || g.ProviderPaymentID == nil || s.cards == nil {
		return nil
	}
	left := o.TotalIDR - o.RefundedIDR
	amount := m.AmountIDR
	switch {
	case m.Event == Cancel && o.Status == Paid:
		amount = left
	case m.Event == Refund && (amount == 0 || amount > left):
		amount = left // more than left is refused by the booking; do not ask the provider for it
		if m.AmountIDR > left {
			return nil
		}
	case m.Event != Refund:
		return nil
	}
	if amount <= 0 {
		return nil
	}
	key := fmt.Sprintf("refund-%s-%d-%d", o.ID, o.RefundedIDR, amount)
	if err := s.cards.Refund(ctx, *g.ProviderPaymentID, amount, key); err != nil {
		return fmt.Errorf("%w: %v", errProvider, err)
	}
	return nil
}
