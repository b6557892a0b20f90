package orders

import (
	"context"
	"fmt"

	"github.com/sentrakreasi/atensi/storage"
)

// ClaimGuestOrders moves the guest order groups placed with email into the
// account userID, so they show in its history and open without their
// private link. accounts runs it (an accounts.EmailHook) only for an
// address its owner has verified by opening a link mailed to it: claiming
// on the address as typed at registration would let anyone register a
// stranger's email and read that stranger's orders, address and phone.
func (s *Service) ClaimGuestOrders(ctx context.Context, tx *storage.Tx, userID, email string) error {
	err := tx.DB.WithContext(ctx).Table("order_groups").
		Where("buyer_user_id IS NULL AND buyer_email = ? AND buyer_email <> ''", email).
		Update("buyer_user_id", userID).Error
	if err != nil {
		return fmt.Errorf("claim guest orders: %w", err)
	}
	return nil
}
