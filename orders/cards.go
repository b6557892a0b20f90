package orders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage"
)

// errProvider is a payment provider that did not answer as it should.
var errProvider = errors.New("payment provider unavailable")

// startCard opens the provider's payment page for a group just created.
// The call happens after the group's transaction commits, so no database
// lock waits on the network; if it fails the group is cancelled at once
// and its stock given back.
func (s *Service) startCard(ctx context.Context, g groupRow, courier bool, token string) (string, error) {
	var lines []Line
	if err := s.db.Gorm.WithContext(ctx).Where("order_id IN (SELECT id FROM orders WHERE group_id = ?)", g.ID).Order("id").Find(&lines).Error; err != nil {
		return "", err
	}
	req := CheckoutRequest{GroupID: g.ID, Email: g.BuyerEmail, ExpiresAt: g.ExpiresAt,
		SuccessURL: s.baseURL + "/pesanan/" + g.ID + "?token=" + token, CancelURL: s.baseURL + "/keranjang"}
	for _, l := range lines {
		req.Lines = append(req.Lines, GatewayLine{Name: l.Title, UnitIDR: l.UnitPriceIDR, Quantity: l.Quantity})
	}
	var orders []Order
	if err := s.db.Gorm.WithContext(ctx).Where("group_id = ? AND shipping_idr > 0", g.ID).Find(&orders).Error; err != nil {
		return "", err
	}
	for _, o := range orders {
		req.Lines = append(req.Lines, GatewayLine{Name: locale.For(g.Lang).Text("orders.shipping.line"), UnitIDR: o.ShippingIDR, Quantity: 1})
	}
	sess, err := s.cards.StartCheckout(ctx, req)
	if err == nil {
		err = s.db.Gorm.WithContext(ctx).Model(&groupRow{}).Where("id = ?", g.ID).Update("provider_ref", sess.ID).Error
	}
	if err != nil {
		if cerr := s.cancelGroup(context.WithoutCancel(ctx), g.ID, "orders.note.cardfailed"); cerr != nil {
			return "", errors.Join(err, cerr)
		}
		return "", fmt.Errorf("%w: %v", errProvider, err)
	}
	return sess.URL, nil
}

// cancelGroup ends an unpaid group now, whatever its expiry says.
func (s *Service) cancelGroup(ctx context.Context, groupID, why string) error { // why: a catalogue key
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		res := tx.DB.WithContext(ctx).Model(&groupRow{}).Where("id = ? AND payment_status = 'pending'", groupID).Update("payment_status", "cancelled")
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		var ids []string
		if err := tx.DB.WithContext(ctx).Model(&Order{}).Where("group_id = ? AND status = ?", groupID, PendingPayment).Order("id").Pluck("id", &ids).Error; err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := s.apply(ctx, tx, id, change{event: Expire, party: System, note: memo{key: why}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// CardEvent is a provider's notification, already authenticated.
type CardEvent struct {
	ID        string
	Type      string
	SessionID string // for checkout.session.* events
	PaymentID string // for charge.* events
}

// The outcomes of an event that names nothing of ours. They are answered
// as received, since the provider would otherwise retry them for days, and
// kept in the inbox with the event.
const (
	unknownSession = "unknown session"
	unknownPayment = "unknown payment"
)

// unknownEvent tells whether an outcome is an event that named no order of ours.
func unknownEvent(outcome string) bool { return outcome == unknownSession || outcome == unknownPayment }

// HandleCardEvent applies a provider's event exactly once: the inbox row
// and the changes it causes commit together, so a duplicate delivery finds
// the row and does nothing, and a failed one leaves no row and is retried
// by the provider. The event body is only a pointer: the session is read
// back from the provider before anything changes.
func (s *Service) HandleCardEvent(ctx context.Context, e CardEvent) (string, error) {
	if s.cards == nil {
		return "", domain.Errorf(domain.ErrConflict, "orders.card.off")
	}
	var outcome string
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		row := map[string]any{"event_id": e.ID, "provider": "stripe", "type": e.Type, "received_at": s.now().UTC()}
		res := tx.DB.WithContext(ctx).Table("webhook_inbox").Clauses(clause.OnConflict{DoNothing: true}).Create(row)
		if res.Error != nil {
			return fmt.Errorf("webhook inbox: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			outcome = "duplicate"
			return nil
		}
		var err error
		outcome, err = s.applyCardEvent(ctx, tx, e)
		if err != nil {
			return err
		}
		return tx.DB.WithContext(ctx).Table("webhook_inbox").Where("event_id = ?", e.ID).Update("outcome", outcome).Error
	})
	return outcome, err
}

func (s *Service) applyCardEvent(ctx context.Context, tx *storage.Tx, e CardEvent) (string, error) {
	switch e.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded",
		"checkout.session.async_payment_failed", "checkout.session.expired":
		if e.SessionID == "" {
			return unknownSession, nil
		}
		sess, err := s.cards.Session(ctx, e.SessionID)
		if errors.Is(err, ErrUnknownSession) {
			return unknownSession, nil // asking again will not make it known
		}
		if err != nil {
			return "", err // the provider retries; nothing was changed
		}
		return s.settleSession(ctx, tx, sess)
	case "charge.refunded", "charge.dispute.created":
		var g groupRow
		err := tx.DB.WithContext(ctx).Where("provider_payment_id = ?", e.PaymentID).Take(&g).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return unknownPayment, nil
		}
		if err != nil {
			return "", fmt.Errorf("group of payment: %w", err)
		}
		// Refunds start here, so the provider's notice only confirms them;
		// a dispute is for staff to answer, noted on every order.
		if e.Type == "charge.dispute.created" {
			var ids []string
			if err := tx.DB.WithContext(ctx).Model(&Order{}).Where("group_id = ?", g.ID).Pluck("id", &ids).Error; err != nil {
				return "", err
			}
			for _, id := range ids {
				var o Order
				if err := tx.DB.WithContext(ctx).First(&o, "id = ?", id).Error; err != nil {
					return "", err
				}
				if err := record(tx, id, o.Status, o.Status, "dispute", access.Actor{}, "", memo{key: "orders.note.dispute"}, s.now().UTC()); err != nil {
					return "", err
				}
			}
			return "dispute noted", nil
		}
		return "refund confirmed", nil
	}
	return "ignored", nil
}

// settleSession brings a group in line with its session: paid once when
// the provider says paid, cancelled when the session expired unpaid, and
// refunded at once if the money arrived after the group had expired.
func (s *Service) settleSession(ctx context.Context, tx *storage.Tx, sess Session) (string, error) {
	var g groupRow
	err := tx.DB.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("provider_ref = ?", sess.ID).Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return unknownSession, nil // a session of another system on the same account
	}
	if err != nil {
		return "", fmt.Errorf("group of session: %w", err)
	}
	switch {
	case sess.Paid && g.PaymentStatus == "pending":
		if err := tx.DB.WithContext(ctx).Model(&groupRow{}).Where("id = ?", g.ID).Update("provider_payment_id", sess.PaymentID).Error; err != nil {
			return "", err
		}
		if err := s.payGroup(ctx, tx, g, System, access.Actor{}, memo{key: "orders.note.card", text: sess.PaymentID}); err != nil {
			return "", err
		}
		return "paid", nil
	case sess.Paid && g.PaymentStatus != "paid":
		// Paid after we gave the stock away: give the money back.
		if err := s.cards.Refund(ctx, sess.PaymentID, g.TotalIDR, "late-"+g.ID); err != nil {
			return "", err
		}
		return "late payment refunded", nil
	case !sess.Paid && sess.Status == "expired" && g.PaymentStatus == "pending":
		if err := tx.DB.WithContext(ctx).Model(&groupRow{}).Where("id = ?", g.ID).Update("payment_status", "expired").Error; err != nil {
			return "", err
		}
		var ids []string
		if err := tx.DB.WithContext(ctx).Model(&Order{}).Where("group_id = ? AND status = ?", g.ID, PendingPayment).Order("id").Pluck("id", &ids).Error; err != nil {
			return "", err
		}
		for _, id := range ids {
			if _, err := s.apply(ctx, tx, id, change{event: Expire, party: System, note: memo{key: "orders.note.cardexpired"}}); err != nil {
				return "", err
			}
		}
		return "expired", nil
	}
	return "no change", nil
}

// Reconcile reads back, from the provider, every card group of the last
// day still waiting for payment, and settles it: what a lost webhook
// missed is fixed here. Safe to run any time, as often as wanted.
func (s *Service) Reconcile(ctx context.Context) (int, error) {
	if s.cards == nil {
		return 0, nil
	}
	var groups []groupRow
	err := s.db.Gorm.WithContext(ctx).Where("payment_method = 'card' AND payment_status = 'pending' AND provider_ref IS NOT NULL AND created_at > ?",
		s.now().UTC().Add(-24*time.Hour)).Find(&groups).Error
	if err != nil {
		return 0, err
	}
	fixed := 0
	for _, g := range groups {
		sess, err := s.cards.Session(ctx, *g.ProviderRef)
		if errors.Is(err, ErrUnknownSession) {
			continue // nothing to learn; the expiry sweep ends the group
		}
		if err != nil {
			return fixed, err
		}
		var outcome string
		err = s.db.InTx(ctx, func(tx *storage.Tx) error {
			var err error
			outcome, err = s.settleSession(ctx, tx, sess)
			return err
		})
		if err != nil {
			return fixed, err
		}
		if outcome != "no change" {
			fixed++
		}
	}
	return fixed, nil
}

// ReconcileArgs is the periodic job that runs Reconcile.
type ReconcileArgs struct{}

// Kind names the job in the queue.
func (ReconcileArgs) Kind() string { return "reconcile_card_payments" }
