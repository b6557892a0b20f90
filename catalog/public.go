package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
)

// PublicProduct is a published product as anyone sees it (CONTRACT.md).
type PublicProduct struct {
	ID             string     `json:"id"`
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	Category       string     `json:"category"`
	PriceIDR       domain.IDR `json:"price_idr"`
	StockAvailable int        `json:"stock_available"`
	WeightGrams    int        `json:"weight_grams"`
	MadeToOrder    bool       `json:"made_to_order"`
	ProcessingDays int        `json:"processing_days"`
	PirtNo         string     `json:"pirt_no,omitempty"`
	HalalNo        string     `json:"halal_no,omitempty"`
	BestBeforeDays *int       `json:"best_before_days,omitempty"`
	Images         []Image    `json:"images"`
	Shop           ShopRef    `json:"shop"`
}

// ReadProduct answers a published product to anyone. A product not yet
// published exists only for its seller side and the unit's reviewers; to
// everyone else it is not found.
func (s *Service) ReadProduct(ctx context.Context, actor access.Actor, id string) (any, error) {
	if pub, ok, err := s.publicProduct(ctx, id); err != nil || ok {
		return pub, err
	}
	p, err := s.product(ctx, id)
	if err != nil {
		return nil, err
	}
	sh, err := s.shop(ctx, p.ShopID)
	if err != nil {
		return nil, err
	}
	if p.Status == Published && sh.Status == ShopActive {
		pub := PublicProduct{ID: p.ID, Title: p.Title, Description: p.Description, Category: p.Category, PriceIDR: p.PriceIDR,
			StockAvailable: p.Stock, WeightGrams: p.WeightGrams, MadeToOrder: p.MadeToOrder, ProcessingDays: p.ProcessingDays,
			PirtNo: p.PirtNo, HalalNo: p.HalalNo, BestBeforeDays: p.BestBeforeDays, Images: []Image{},
			Shop: ShopRef{ID: sh.ID, DisplayName: sh.DisplayName}}
		live, err := s.images(ctx, s.db.Gorm, []string{p.ID}, true)
		if err != nil {
			return nil, err
		}
		for _, img := range live[p.ID] {
			if img.Status == ImageReady {
				pub.Images = append(pub.Images, img)
			}
		}
		return pub, nil
	}
	now := s.now()
	if access.Can(actor, access.ActForPM, sh.resource(access.ScopeListings), now) == nil ||
		access.Can(actor, access.ReviewProduct, access.Resource{UnitID: sh.UnitID}, now) == nil {
		return p, nil
	}
	return nil, fmt.Errorf("product %s not public: %w", id, domain.ErrNotFound)
}

// publicProduct reads a published product of an active shop with its shop
// and ready photos in one statement, the whole of a product page's reads;
// ok is false for any other product (or none), which ReadProduct then
// answers the long way.
func (s *Service) publicProduct(ctx context.Context, id string) (PublicProduct, bool, error) {
	if !domain.ValidID(id) {
		return PublicProduct{}, false, nil
	}
	var rows []struct {
		ID, Title, Description, Category, PirtNo, HalalNo, ShopID, ShopName string
		PriceIDR                                                            domain.IDR `gorm:"column:price_idr"`
		Stock, WeightGrams, ProcessingDays                                  int
		MadeToOrder                                                         bool
		BestBeforeDays                                                      *int
		Photos                                                              []byte
	}
	err := s.reads.Gorm.WithContext(ctx).Raw(`
		SELECT p.id, p.title, p.description, p.category, p.price_idr, p.stock, p.weight_grams, p.made_to_order,
			p.processing_days, p.pirt_no, p.halal_no, p.best_before_days, s.id AS shop_id, s.display_name AS shop_name,
			(SELECT coalesce(json_agg(json_build_object('id', i.id, 'alt', i.alt, 'width', i.width, 'height', i.height, 'variants', i.variants)
				ORDER BY i.position, i.id), '[]') FROM product_images i WHERE i.product_id = p.id AND i.status = 'ready' AND i.pending <> 'add') AS photos
		FROM products p JOIN shops s ON s.id = p.shop_id
		WHERE p.id = ? AND p.status = 'published' AND s.status = 'active'`, id).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return PublicProduct{}, false, err
	}
	r := rows[0]
	pub := PublicProduct{ID: r.ID, Title: r.Title, Description: r.Description, Category: r.Category, PriceIDR: r.PriceIDR,
		StockAvailable: r.Stock, WeightGrams: r.WeightGrams, MadeToOrder: r.MadeToOrder, ProcessingDays: r.ProcessingDays,
		PirtNo: r.PirtNo, HalalNo: r.HalalNo, BestBeforeDays: r.BestBeforeDays, Shop: ShopRef{ID: r.ShopID, DisplayName: r.ShopName}}
	var photos []struct {
		ID, Alt       string
		Width, Height *int
		Variants      json.RawMessage
	}
	if err := json.Unmarshal(r.Photos, &photos); err != nil {
		return PublicProduct{}, false, fmt.Errorf("product %s photos: %w", id, err)
	}
	pub.Images = make([]Image, 0, len(photos))
	for _, ph := range photos {
		img, err := s.imageOf(imageRow{ID: ph.ID, ProductID: id, Alt: ph.Alt, Status: ImageReady, Width: ph.Width, Height: ph.Height, Variants: ph.Variants})
		if err != nil {
			return PublicProduct{}, false, err
		}
		pub.Images = append(pub.Images, img)
	}
	return pub, true, nil
}

// ShopProducts lists every product of a shop for its seller side, newest first.
func (s *Service) ShopProducts(ctx context.Context, actor access.Actor, shopID string) ([]Product, error) {
	sh, err := s.shop(ctx, shopID)
	if err != nil {
		return nil, err
	}
	if err := access.Can(actor, access.ActForPM, sh.resource(access.ScopeListings), s.now()); err != nil {
		return nil, err
	}
	return s.productList(ctx, "shop_id = ?", sh.ID)
}

// ReviewQueue lists the products of a unit's shops waiting for review,
// new ones and published ones whose change waits (Product.Change), most
// recently changed first.
func (s *Service) ReviewQueue(ctx context.Context, actor access.Actor, unitID string) ([]Product, error) {
	if err := access.Can(actor, access.ReviewProduct, access.Resource{UnitID: unitID}, s.now()); err != nil {
		return nil, err
	}
	return s.productList(ctx, `(status = 'pending_review' OR (status = 'published' AND id IN (SELECT product_id FROM product_changes WHERE status = 'pending')))
		AND shop_id IN (SELECT id FROM shops WHERE unit_id = ?)`, unitID)
}

func (s *Service) productList(ctx context.Context, where string, args ...any) ([]Product, error) {
	db := s.db.Gorm.WithContext(ctx)
	var ps []Product
	if err := db.Where(where, args...).Order("updated_at DESC, id").Limit(500).Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	images, err := s.images(ctx, db, ids, false)
	if err != nil {
		return nil, err
	}
	chs, err := changes(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	var makers []makerRow
	if err := db.Where("product_id IN ?", ids).Order("share_bp DESC, case_id").Find(&makers).Error; err != nil {
		return nil, fmt.Errorf("product makers: %w", err)
	}
	for i := range ps {
		ps[i].Images = images[ps[i].ID]
		if ps[i].Images == nil {
			ps[i].Images = []Image{}
		}
		ps[i].Change = chs[ps[i].ID]
		ps[i].Makers = []Maker{}
		for _, m := range makers {
			if m.ProductID == ps[i].ID {
				ps[i].Makers = append(ps[i].Makers, Maker{CaseID: m.CaseID, SharePct: float64(m.ShareBP) / 100})
			}
		}
	}
	return ps, nil
}

// Category is a node of the category tree.
type Category struct {
	Slug     string     `json:"slug"`
	NameID   string     `json:"name_id"`
	NameEN   string     `json:"name_en"`
	Children []Category `json:"children,omitempty"`
}

// Name is the category's name in lang (a locale language); Indonesian
// unless English is asked for.
func (c Category) Name(lang string) string {
	if lang == locale.EN {
		return c.NameEN
	}
	return c.NameID
}

// categoryCache holds the category tree, which migrations fix, so each
// process reads it once.
type categoryCache struct {
	mu   sync.Mutex
	tree []Category
	// root maps every slug to the top of its tree.
	root map[string]string
}

// Categories is the category tree.
func (s *Service) Categories(ctx context.Context) ([]Category, error) {
	tree, _, err := s.loadCategories(ctx)
	return tree, err
}

// categoryRoots maps every category slug to the top of its tree.
func (s *Service) categoryRoots(ctx context.Context) (map[string]string, error) {
	_, roots, err := s.loadCategories(ctx)
	return roots, err
}

func (s *Service) loadCategories(ctx context.Context) ([]Category, map[string]string, error) {
	c := &s.categories
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.root != nil {
		return c.tree, c.root, nil
	}
	var rows []struct {
		Slug, NameID, NameEN string
		ParentSlug           *string
	}
	if err := s.reads.Gorm.WithContext(ctx).Table("categories").Order("position, slug").Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("categories: %w", err)
	}
	roots := map[string]string{}
	var tree []Category
	for _, r := range rows {
		roots[r.Slug] = r.Slug
		if r.ParentSlug != nil {
			roots[r.Slug] = *r.ParentSlug // the tree has two levels
		}
		if r.ParentSlug == nil {
			tree = append(tree, Category{Slug: r.Slug, NameID: r.NameID, NameEN: r.NameEN})
		}
	}
	for _, r := range rows {
		for i := range tree {
			if r.ParentSlug != nil && *r.ParentSlug == tree[i].Slug {
				tree[i].Children = append(tree[i].Children, Category{Slug: r.Slug, NameID: r.NameID, NameEN: r.NameEN})
			}
		}
	}
	c.tree, c.root = tree, roots
	return tree, roots, nil
}
