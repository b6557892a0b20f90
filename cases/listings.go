package cases

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Listings counts what PM have on sale; the catalog provides it. The
// count is a state, not a sum of events: a closed month keeps the count
// seen when it was first closed.
type Listings interface {
	// ActiveListings counts, per maker case, the products on sale now
	// (published, in an active shop), read through db; nil caseIDs counts
	// for every case. A case with none is absent from the map.
	ActiveListings(ctx context.Context, db *gorm.DB, caseIDs []string) (map[string]int, error)
}

// CountListingsWith sets where active listings are counted (before
// serving). Without it every PM has none.
func (s *Service) CountListingsWith(l Listings) { s.listings = l }

// activeListings counts the listings of caseIDs (nil: every case).
func (s *Service) activeListings(ctx context.Context, db *gorm.DB, caseIDs []string) (map[string]int, error) {
	if s.listings == nil {
		return map[string]int{}, nil
	}
	n, err := s.listings.ActiveListings(ctx, db, caseIDs)
	if err != nil {
		return nil, fmt.Errorf("active listings: %w", err)
	}
	return n, nil
}
