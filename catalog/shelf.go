package catalog

import (
	"context"
	"fmt"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
)

// ShelfItem is a product on the counter of a Sentra's shop.
type ShelfItem struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	PriceIDR domain.IDR `json:"price_idr" gorm:"column:price_idr"`
	Stock    int        `json:"stock"`
	ShopName string     `json:"shop_name"`
}

// StoreShelf lists what store staff can sell over the counter: the
// published products in stock of the open shops of every unit they may
// record a sale for, by shop and title.
func (s *Service) StoreShelf(ctx context.Context, actor access.Actor) ([]ShelfItem, error) {
	if actor.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	now := s.now()
	var units []string
	for _, u := range append([]string{actor.UnitID}, actor.Network...) {
		if access.Can(actor, access.RecordSale, access.Resource{UnitID: u}, now) == nil {
			units = append(units, u)
		}
	}
	if len(units) == 0 {
		return nil, domain.ErrForbidden
	}
	var out []ShelfItem
	err := s.db.Gorm.WithContext(ctx).Table("products p").Joins("JOIN shops s ON s.id = p.shop_id").
		Select("p.id, p.title, p.price_idr, p.stock, s.display_name AS shop_name").
		Where("p.status = ? AND p.stock > 0 AND s.status = ? AND s.unit_id IN ?", Published, ShopActive, units).
		Order("s.display_name, p.title").Limit(500).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store shelf: %w", err)
	}
	return out, nil
}
