package orders

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage"
)

// ConfirmTransfer records that a bank transfer for a group arrived: staff
// of a unit whose shop is in the group check the reference on the bank
// statement. Confirming twice answers the group as it is.
func (s *Service) ConfirmTransfer(ctx context.Context, actor access.Actor, groupID, reference string) (GroupView, error) {
	g, err := s.group(ctx, groupID)
	if err != nil {
		return GroupView{}, err
	}
	if err := s.staffOfGroup(ctx, actor, g); err != nil {
		return GroupView{}, err
	}
	if g.PaymentMethod != "bank_transfer" {
		return GroupView{}, domain.Errorf(domain.ErrConflict, "orders.group.notbank")
	}
	if !strings.EqualFold(strings.TrimSpace(reference), g.PaymentRef) {
		return GroupView{}, domain.Invalid("reference", "orders.reference.mismatch")
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		return s.payGroup(ctx, tx, g, Staff, actor, memo{key: "orders.note.transfer", text: g.PaymentRef})
	})
	if errors.Is(err, errAlreadySettled) {
		g, err = s.group(ctx, groupID)
		if err != nil {
			return GroupView{}, err
		}
		if g.PaymentStatus != "paid" {
			return GroupView{}, domain.Errorf(domain.ErrConflict, "orders.group.already", locale.Key("payment."+g.PaymentStatus))
		}
		err = nil
	}
	if err != nil {
		return GroupView{}, err
	}
	return s.groupView(ctx, groupID)
}

// staffOfGroup: staff of the unit whose account a transfer is paid into, or
// of the unit of at least one of the group's shops. Checkout sends a
// group's transfer to one account, the one every shop of the group pays
// into (payInto), so whoever this lets confirm works under that account.
func (s *Service) staffOfGroup(ctx context.Context, actor access.Actor, g groupRow) error {
	if g.PayUnitID != nil && access.Can(actor, access.ManageOrders, access.Resource{UnitID: *g.PayUnitID}, s.now()) == nil {
		return nil
	}
	var shopIDs []string
	if err := s.db.Gorm.WithContext(ctx).Model(&Order{}).Where("group_id = ?", g.ID).Pluck("shop_id", &shopIDs).Error; err != nil {
		return err
	}
	denied := error(domain.ErrNotFound)
	for _, id := range shopIDs {
		sh, err := s.catalog.ShopOf(ctx, id)
		if err != nil {
			return err
		}
		if err := access.Can(actor, access.ManageOrders, access.Resource{UnitID: sh.UnitID}, s.now()); err == nil {
			return nil
		} else {
			denied = err
		}
	}
	return denied
}

// ExpireDueArgs is the periodic job (every minute) that cancels the groups
// not paid in time. One sweep instead of a job per checkout keeps the
// queue out of checkout's transaction, which is the hottest write path.
type ExpireDueArgs struct{}

// Kind names the job in the queue.
func (ExpireDueArgs) Kind() string { return "expire_unpaid_orders" }

// ExpireDue expires every unpaid group past its time, oldest first, and
// says how many it expired.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	var ids []string
	err := s.db.Gorm.WithContext(ctx).Model(&groupRow{}).Where("payment_status = 'pending' AND expires_at <= ?", s.now().UTC()).
		Order("expires_at").Limit(1000).Pluck("id", &ids).Error
	if err != nil {
		return 0, fmt.Errorf("groups to expire: %w", err)
	}
	for i, id := range ids {
		if err := s.Expire(ctx, id); err != nil {
			return i, err
		}
	}
	return len(ids), nil
}

// Expire cancels an unpaid group whose time is up and gives its stock
// back. A group paid meanwhile is left alone.
func (s *Service) Expire(ctx context.Context, groupID string) error {
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		now := s.now().UTC()
		res := tx.DB.WithContext(ctx).Model(&groupRow{}).Where("id = ? AND payment_status = 'pending' AND expires_at <= ?", groupID, now).
			Update("payment_status", "expired")
		if res.Error != nil {
			return fmt.Errorf("expire group: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		var ids []string
		if err := tx.DB.WithContext(ctx).Model(&Order{}).Where("group_id = ? AND status = ?", groupID, PendingPayment).Order("id").Pluck("id", &ids).Error; err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := s.apply(ctx, tx, id, change{event: Expire, party: System, note: memo{key: "orders.note.expired"}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// returnWindow is how long a buyer has after delivery to report a problem
// before the order completes by itself (CONTRACT.md "Order states").
const returnWindow = 3 * 24 * time.Hour

// AutoCompleteArgs is the periodic job that completes delivered orders
// whose return window has passed.
type AutoCompleteArgs struct{}

// Kind names the job in the queue.
func (AutoCompleteArgs) Kind() string { return "auto_complete_orders" }

// AutoComplete completes every delivered order past its return window,
// each in its own transaction, and says how many it completed.
func (s *Service) AutoComplete(ctx context.Context) (int, error) {
	var ids []string
	err := s.db.Gorm.WithContext(ctx).Model(&Order{}).Where("status = ? AND delivered_at <= ?", Delivered, s.now().UTC().Add(-returnWindow)).
		Order("delivered_at").Limit(1000).Pluck("id", &ids).Error
	if err != nil {
		return 0, fmt.Errorf("orders to complete: %w", err)
	}
	done := 0
	for _, id := range ids {
		err := s.db.InTx(ctx, func(tx *storage.Tx) error {
			_, err := s.apply(ctx, tx, id, change{event: Complete, party: System, note: memo{key: "orders.note.autocomplete"}})
			return err
		})
		switch {
		case err == nil:
			done++
		case errors.Is(err, domain.ErrConflict):
			// moved meanwhile (the buyer confirmed, staff refunded): nothing to do
		default:
			return done, err
		}
	}
	return done, nil
}
