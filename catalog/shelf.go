package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
	return s.FindOnShelf(ctx, actor, ShelfQuery{Limit: 500})
}

// ShelfQuery narrows the shelf for the till: words of a product's title or
// shop, or the products already in the sale (IDs), at most Limit of them.
type ShelfQuery struct {
	Query string
	IDs   []string
	Limit int
}

// FindOnShelf is the till's search of the shelf (see StoreShelf): with
// IDs, those products (when still on the shelf); else the products whose
// title or shop holds Query, by shop and title.
func (s *Service) FindOnShelf(ctx context.Context, actor access.Actor, f ShelfQuery) ([]ShelfItem, error) {
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
	q := s.db.Gorm.WithContext(ctx).Table("products p").Joins("JOIN shops s ON s.id = p.shop_id").
		Select("p.id, p.title, p.price_idr, p.stock, s.display_name AS shop_name").
		Where("p.status = ? AND p.stock > 0 AND s.status = ? AND s.unit_id IN ?", Published, ShopActive, units)
	switch {
	case f.IDs != nil:
		ids := slices.DeleteFunc(slices.Clone(f.IDs), func(id string) bool { return !domain.ValidID(id) })
		if len(ids) == 0 {
			return []ShelfItem{}, nil
		}
		q = q.Where("p.id IN ?", ids)
	case strings.TrimSpace(f.Query) != "":
		for _, w := range strings.Fields(f.Query) {
			like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(w) + "%"
			q = q.Where(`(p.title ILIKE ? OR s.display_name ILIKE ?)`, like, like)
		}
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	out := []ShelfItem{}
	if err := q.Order("s.display_name, p.title").Limit(f.Limit).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("store shelf: %w", err)
	}
	return out, nil
}
