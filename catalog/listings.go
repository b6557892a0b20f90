package catalog

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ActiveListings counts, per maker case, the products on sale now: those
// published in an active shop. A workshop product counts once for each of
// its makers. nil caseIDs counts for every case, in one statement; the
// case record reads it through db, the transaction of its monthly close.
func (s *Service) ActiveListings(ctx context.Context, db *gorm.DB, caseIDs []string) (map[string]int, error) {
	q := db.WithContext(ctx).Table("product_makers m").Select("m.case_id, count(*) AS n").
		Joins("JOIN products p ON p.id = m.product_id AND p.status = ?", Published).
		Joins("JOIN shops s ON s.id = p.shop_id AND s.status = ?", ShopActive).
		Group("m.case_id")
	if caseIDs != nil {
		if len(caseIDs) == 0 {
			return map[string]int{}, nil
		}
		q = q.Where("m.case_id IN ?", caseIDs)
	}
	var rows []struct {
		CaseID string
		N      int
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count active listings: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.CaseID] = r.N
	}
	return out, nil
}
