package catalog

import (
	"context"
	"fmt"

	"github.com/sentrakreasi/atensi/access"
)

// DelegatedShops lists the open shops of the PM whose delegations actor
// holds in force (any scope), by name: whose shop a pendamping works on.
// Anyone without a delegation gets none.
func (s *Service) DelegatedShops(ctx context.Context, actor access.Actor) ([]Shop, error) {
	now := s.now()
	var cases []string
	for _, d := range actor.Delegations {
		for _, scope := range d.Scopes {
			if access.Can(actor, access.ActForPM, access.Resource{CaseID: d.CaseID, Scope: scope}, now) == nil {
				cases = append(cases, d.CaseID)
				break
			}
		}
	}
	out := []Shop{}
	if len(cases) == 0 {
		return out, nil
	}
	if err := s.db.Gorm.WithContext(ctx).Where("case_id IN ? AND status <> ?", cases, ShopClosed).
		Order("display_name, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("delegated shops: %w", err)
	}
	return out, nil
}
