package orders

import (
	"context"
	"fmt"
)

// StockHeld sums, per product, the stock that orders still hold: what was
// taken at checkout by orders not cancelled. The property test checks that
// stock left plus this equals what was stocked, after every step.
func (s *Service) StockHeld(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		ProductID string
		N         int
	}
	err := s.db.Gorm.WithContext(ctx).Raw(`SELECT l.product_id, sum(l.quantity) AS n FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE l.stock_reserved AND o.status <> ? GROUP BY l.product_id`, Cancelled).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("stock held: %w", err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.ProductID] = r.N
	}
	return out, nil
}

// OrdersInUnknownStates counts orders whose status the transition table
// neither starts from nor leads to; it must always be zero.
func (s *Service) OrdersInUnknownStates(ctx context.Context) (int64, error) {
	known := map[Status]bool{}
	for from, events := range transitions {
		known[from] = true
		for _, m := range events {
			known[m.to] = true
		}
	}
	list := make([]Status, 0, len(known))
	for st := range known {
		list = append(list, st)
	}
	var n int64
	err := s.db.Gorm.WithContext(ctx).Model(&Order{}).Where("status NOT IN ?", list).Count(&n).Error
	return n, err
}
