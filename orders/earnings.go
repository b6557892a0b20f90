package orders

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
)

// MakerEarnings sums, per maker case, what a shop's orders have put into
// its available balance over its life: every order that reached completion
// contributes what was not refunded (before or after completion), split
// between its makers by the shares frozen on its lines at checkout, never
// by today's product settings. Shipping follows the same proportions. The
// parts of each order add up to it exactly (largest remainder), so the sum
// over cases equals everything the shop ever earned into seller_available.
// db may be a transaction.
func (s *Service) MakerEarnings(ctx context.Context, db *gorm.DB, shopID string) (map[string]domain.IDR, error) {
	var done []Order
	if err := db.WithContext(ctx).Where(`shop_id = ? AND EXISTS (SELECT 1 FROM order_history h WHERE h.order_id = orders.id AND h.to_status = ?)`,
		shopID, Completed).Order("id").Find(&done).Error; err != nil {
		return nil, fmt.Errorf("maker earnings: %w", err)
	}
	out := map[string]domain.IDR{}
	if len(done) == 0 {
		return out, nil
	}
	ids := make([]string, len(done))
	for i, o := range done {
		ids[i] = o.ID
	}
	var lines []Line
	if err := db.WithContext(ctx).Where("order_id IN ?", ids).Order("order_id, id").Find(&lines).Error; err != nil {
		return nil, fmt.Errorf("maker earnings lines: %w", err)
	}
	byOrder := map[string][]Line{}
	for _, l := range lines {
		byOrder[l.OrderID] = append(byOrder[l.OrderID], l)
	}
	for _, o := range done {
		parts, err := attribute(byOrder[o.ID])
		if err != nil {
			return nil, err
		}
		caseIDs := make([]string, 0, len(parts))
		for id := range parts {
			caseIDs = append(caseIDs, id)
		}
		sort.Strings(caseIDs)
		weights := make([]int64, len(caseIDs))
		for i, id := range caseIDs {
			weights[i] = int64(parts[id])
		}
		for i, amount := range ledger.Split(o.TotalIDR-o.RefundedIDR, weights) {
			out[caseIDs[i]] += amount
		}
	}
	return out, nil
}
