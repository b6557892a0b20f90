package orders

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage"
)

// CancelGroup is the buyer (the account that placed it, or whoever holds
// its private link token) calling off an order group not paid yet: every
// order is cancelled and its stock given back. One checkout is one payment,
// so the buyer cancels the group as a whole, never one shop's part of an
// amount already told. It races the staff's transfer confirmation and the
// card provider's notice on the group's payment status: whichever changes
// it first wins, the other is refused. Cancelling again (a double tap, the
// form sent twice) answers the group as it is.
func (s *Service) CancelGroup(ctx context.Context, actor access.Actor, token, groupID, form string) (GroupView, error) {
	g, err := s.group(ctx, groupID)
	if err != nil {
		return GroupView{}, err
	}
	if !buyerOf(actor, token, g) {
		if actor.Anonymous() && token == "" {
			return GroupView{}, domain.ErrUnauthorized
		}
		return GroupView{}, fmt.Errorf("order group %s: %w", groupID, domain.ErrNotFound)
	}
	key := ""
	if form != "" {
		key = "cancel:" + groupID + ":" + form
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.Once(ctx, key, ""); err != nil {
			return err
		}
		return s.buyerCancel(ctx, tx, actor, g)
	})
	if errors.As(err, new(*storage.Repeated)) {
		err = nil
	}
	if err != nil {
		return GroupView{}, err
	}
	return s.groupView(ctx, groupID)
}

// buyerOf tells whether actor, or the holder of token, bought the group.
func buyerOf(actor access.Actor, token string, g groupRow) bool {
	if g.BuyerUserID != nil && !actor.Anonymous() && *g.BuyerUserID == actor.UserID {
		return true
	}
	return token != "" && subtle.ConstantTimeCompare(hashToken(token), g.AccessHash) == 1
}

// buyerCancel cancels an unpaid group inside tx, or says why not.
func (s *Service) buyerCancel(ctx context.Context, tx *storage.Tx, actor access.Actor, g groupRow) error {
	db := tx.DB.WithContext(ctx)
	res := db.Model(&groupRow{}).Where("id = ? AND payment_status = 'pending'", g.ID).Update("payment_status", "cancelled")
	if res.Error != nil {
		return fmt.Errorf("cancel group: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		var now groupRow
		if err := db.Select("payment_status").First(&now, "id = ?", g.ID).Error; err != nil {
			return err
		}
		if now.PaymentStatus == "cancelled" {
			return nil // cancelled already: what the buyer asked for
		}
		return domain.Errorf(domain.ErrConflict, "orders.cancel.notpending", locale.Key("payment."+now.PaymentStatus))
	}
	var ids []string
	if err := db.Model(&Order{}).Where("group_id = ? AND status = ?", g.ID, PendingPayment).Order("id").Pluck("id", &ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.apply(ctx, tx, id, change{event: Cancel, party: Buyer, actor: actor, note: memo{key: "orders.note.buyercancel"}}); err != nil {
			return err
		}
	}
	return nil
}
