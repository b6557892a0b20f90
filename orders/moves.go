package orders

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
	"github.com/sentrakreasi/atensi/storage"
)

// change is one requested move of an order.
type change struct {
	event   Event
	party   Party
	actor   access.Actor
	note    memo
	carrier string
	track   string
	amount  domain.IDR // for refunds
	// onBehalfOf is the PM's case when a pendamping acts for them.
	onBehalfOf string
}

// memo is a note in an order's history: what a person typed, or a
// catalogue key the system writes (with text as its argument, if any),
// worded in the reader's language when read.
type memo struct{ text, key string }

// apply moves an order inside tx with its stock and money effects: the
// transition table decides whether it may, the locked row and the
// conditional update make sure it happens once.
func (s *Service) apply(ctx context.Context, tx *storage.Tx, orderID string, c change) (Order, error) {
	db := tx.DB.WithContext(ctx)
	var o Order
	if err := db.Clauses(clause.Locking{Strength: "UPDATE"}).First(&o, "id = ?", orderID).Error; err != nil {
		return o, storage.NotFound(err, "order")
	}
	var g groupRow
	if err := db.First(&g, "id = ?", o.GroupID).Error; err != nil {
		return o, fmt.Errorf("order group: %w", err)
	}
	event, left := c.event, o.TotalIDR-o.RefundedIDR
	if event == Refund && c.amount > left {
		return o, domain.Invalid("amount_idr", "orders.refund.max", left)
	}
	if event == Refund && c.amount > 0 && c.amount < left {
		event = Partial
	}
	to, err := next(o.Status, event, c.party)
	if err != nil {
		return o, err
	}
	now := s.now().UTC()
	from := o.Status
	updates := map[string]any{"status": to, "updated_at": now}
	money := moneyAccount(g)

	switch event {
	case Pay:
		if err := ledger.Post(ctx, tx, "payment", o.ID, now,
			ledger.Posting{Account: money, Amount: o.TotalIDR}, ledger.Posting{Account: ledger.Pending(o.ShopID), Amount: -o.TotalIDR}); err != nil {
			return o, err
		}
	case Ship:
		if c.carrier == "" && g.ShippingMethod == "courier" {
			return o, domain.Invalid("carrier", "orders.carrier.required")
		}
		if c.track == "" && g.ShippingMethod == "courier" {
			return o, domain.Invalid("tracking_no", "orders.tracking.required")
		}
		updates["carrier"], updates["tracking_no"] = c.carrier, c.track
	case Deliver:
		updates["delivered_at"] = now
	case Complete:
		if err := ledger.Post(ctx, tx, "complete", o.ID, now,
			ledger.Posting{Account: ledger.Pending(o.ShopID), Amount: o.TotalIDR - o.RefundedIDR}, ledger.Posting{Account: ledger.Available(o.ShopID), Amount: -(o.TotalIDR - o.RefundedIDR)}); err != nil {
			return o, err
		}
		if err := s.writeSaleEvents(ctx, tx, o, c.actor, now); err != nil {
			return o, err
		}
	case Cancel, Expire:
		if from.reservesStock() {
			if err := s.releaseStock(ctx, tx, o.ID); err != nil {
				return o, err
			}
		}
		if from == Paid { // the buyer gets everything back
			if err := ledger.Post(ctx, tx, "cancel", o.ID, now,
				ledger.Posting{Account: ledger.Pending(o.ShopID), Amount: o.TotalIDR - o.RefundedIDR}, ledger.Posting{Account: money, Amount: -(o.TotalIDR - o.RefundedIDR)}); err != nil {
				return o, err
			}
		}
	case Refund, Partial:
		amount := c.amount
		if event == Refund {
			amount = left
		}
		// Before completion the money is still pending; after it, it is
		// taken from what the shop can withdraw, which may go below zero
		// and is then netted from its next payout.
		seller := ledger.Pending(o.ShopID)
		if from == Completed || from == PartiallyRefunded {
			seller = ledger.Available(o.ShopID)
		}
		n, err := ledger.Count(ctx, db, "refund", o.ID+":")
		if err != nil {
			return o, err
		}
		if err := ledger.Post(ctx, tx, "refund", fmt.Sprintf("%s:%d", o.ID, n+1), now, ledger.Posting{Account: seller, Amount: amount}, ledger.Posting{Account: money, Amount: -amount}); err != nil {
			return o, err
		}
		updates["refunded_idr"] = o.RefundedIDR + amount
		if from == Completed || from == PartiallyRefunded {
			// A sale already in the case record: the refund goes there too.
			if err := s.writeRefundEvents(ctx, tx, o, o.RefundedIDR, amount, c.actor, now); err != nil {
				return o, err
			}
		}
	}
	res := db.Model(&Order{}).Where("id = ? AND status = ?", o.ID, from).Updates(updates)
	if res.Error != nil {
		return o, fmt.Errorf("move order: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return o, domain.Errorf(domain.ErrConflict, "orders.changed")
	}
	if err := record(tx, o.ID, from, to, string(event), c.actor, c.onBehalfOf, c.note, now); err != nil {
		return o, err
	}
	carrier, track := "", ""
	if event == Ship {
		carrier, track = c.carrier, c.track
	}
	if rf, ok := updates["refunded_idr"].(domain.IDR); ok {
		o.RefundedIDR = rf
	}
	if err := s.tellStatus(ctx, tx, g, o, to, carrier, track, now); err != nil {
		return o, err
	}
	o.Status = to
	return o, nil
}

// moneyAccount is where a group's money sits: the clearing account of its
// payment method, or the cash a Sentra holds for an in-store sale.
func moneyAccount(g groupRow) ledger.Account {
	if (g.PaymentMethod == "cash" || g.PaymentMethod == "qris") && g.StoreUnitID != nil {
		return ledger.CashHeld(*g.StoreUnitID)
	}
	return ledger.Clearing(g.PaymentMethod)
}

// releaseStock gives back what an order's lines took at checkout.
func (s *Service) releaseStock(ctx context.Context, tx *storage.Tx, orderID string) error {
	var lines []Line
	if err := tx.DB.WithContext(ctx).Where("order_id = ? AND stock_reserved", orderID).Find(&lines).Error; err != nil {
		return fmt.Errorf("order lines: %w", err)
	}
	q := map[string]int{}
	for _, l := range lines {
		q[l.ProductID] += l.Quantity
	}
	if len(q) == 0 {
		return nil
	}
	return s.catalog.Release(ctx, tx, q)
}

// payGroup marks every order of a group paid, once.
func (s *Service) payGroup(ctx context.Context, tx *storage.Tx, g groupRow, party Party, actor access.Actor, note memo) error {
	now := s.now().UTC()
	res := tx.DB.WithContext(ctx).Model(&groupRow{}).Where("id = ? AND payment_status = 'pending'", g.ID).
		Updates(map[string]any{"payment_status": "paid", "paid_at": now})
	if res.Error != nil {
		return fmt.Errorf("pay group: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return errAlreadySettled
	}
	var ids []string
	if err := tx.DB.WithContext(ctx).Model(&Order{}).Where("group_id = ?", g.ID).Order("id").Pluck("id", &ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.apply(ctx, tx, id, change{event: Pay, party: party, actor: actor, note: note}); err != nil {
			return err
		}
	}
	return nil
}

// errAlreadySettled: the group was paid, expired or cancelled before.
var errAlreadySettled = errors.New("order group already settled")
