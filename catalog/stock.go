package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/lib/pq"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage"
)

// Sellable is a product as checkout takes it: its price and makers frozen
// at that moment, and the shop that sells it.
type Sellable struct {
	ProductID     string
	Title         string
	PriceIDR      domain.IDR
	ShopID        string
	UnitID        string // the shop's unit, whose receiving account a transfer goes to
	CourierFlat   domain.IDR
	MadeToOrder   bool
	Quantity      int
	Makers        json.RawMessage // [{case_id, share_bp}]
	StockReserved bool
	// Version is the product's updated_at when quoted: Take refuses a
	// product edited since.
	Version time.Time
}

// ErrOutOfStock is returned (wrapping domain.ErrConflict) when a product
// has fewer items left than asked for.
type ErrOutOfStock struct {
	ProductID string
	Title     string
}

func (e *ErrOutOfStock) Error() string { return e.Text(locale.For(locale.EN)) }

// Text says which product is short, in p's language.
func (e *ErrOutOfStock) Text(p *locale.Printer) string { return p.Text("catalog.stock.short", e.Title) }

// Unwrap makes it a conflict.
func (e *ErrOutOfStock) Unwrap() error { return domain.ErrConflict }

// Quote reads what quantities of products cost now, without taking any
// stock: a product nobody knows is invalid, one not on sale or short of
// stock is out of stock. Checkout builds its orders from the quote and
// calls Take last, so the product rows stay locked only until the commit.
func (s *Service) Quote(ctx context.Context, tx *storage.Tx, quantities map[string]int) ([]Sellable, error) {
	ids := make([]string, 0, len(quantities))
	for id := range quantities {
		if !domain.ValidID(id) {
			return nil, domain.Invalid("items", "catalog.product.unknown")
		}
		ids = append(ids, id)
	}
	var rows []struct {
		ID, Title, ShopID, UnitID string
		PriceIDR                  domain.IDR `gorm:"column:price_idr"`
		CourierFlatIDR            domain.IDR `gorm:"column:courier_flat_idr"`
		MadeToOrder               bool
		Stock                     int
		OnSale                    bool
		UpdatedAt                 time.Time
		Makers                    []byte
	}
	err := tx.DB.WithContext(ctx).Raw(`
		SELECT p.id, p.title, p.price_idr, p.made_to_order, p.stock, p.updated_at, s.id AS shop_id, s.unit_id, s.courier_flat_idr,
		       p.status = 'published' AND s.status = 'active' AS on_sale,
		       (SELECT coalesce(json_agg(json_build_object('case_id', m.case_id, 'share_bp', m.share_bp) ORDER BY m.case_id), '[]')
		        FROM product_makers m WHERE m.product_id = p.id) AS makers
		FROM products p JOIN shops s ON s.id = p.shop_id
		WHERE p.id IN ? ORDER BY p.id`, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("quote: %w", err)
	}
	if len(rows) < len(ids) {
		return nil, domain.Invalid("items", "catalog.product.unknown")
	}
	out := make([]Sellable, len(rows))
	for i, r := range rows {
		q := quantities[r.ID]
		if !r.OnSale || (!r.MadeToOrder && r.Stock < q) {
			return nil, &ErrOutOfStock{ProductID: r.ID, Title: r.Title}
		}
		out[i] = Sellable{ProductID: r.ID, Title: r.Title, PriceIDR: r.PriceIDR, ShopID: r.ShopID, UnitID: r.UnitID, CourierFlat: r.CourierFlatIDR,
			MadeToOrder: r.MadeToOrder, Quantity: q, Makers: r.Makers, StockReserved: !r.MadeToOrder, Version: r.UpdatedAt}
	}
	return out, nil
}

// Take takes quoted quantities out of stock inside tx, in one statement
// for all of them. The conditional UPDATE is what makes overselling
// impossible, whatever the concurrency; the rows are locked in id order
// first (the MATERIALIZED ... FOR NO KEY UPDATE, which the order lines'
// foreign-key share locks do not block) so two checkouts of the same
// products cannot deadlock; and a product edited since its quote (price,
// makers) is refused, so an order never freezes what the seller has just
// changed. Made-to-order products have no stock to take.
func (s *Service) Take(ctx context.Context, tx *storage.Tx, items []Sellable) error {
	ids, qs, versions := make([]string, len(items)), make([]int64, len(items)), make([]string, len(items))
	for i, it := range items {
		ids[i], qs[i], versions[i] = it.ProductID, int64(it.Quantity), it.Version.UTC().Format(time.RFC3339Nano)
	}
	var taken []string
	err := tx.DB.WithContext(ctx).Raw(`
		WITH want AS (SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::timestamptz[]) AS w(id, q, v)),
		locked AS MATERIALIZED (SELECT p.id FROM products p JOIN want w ON w.id = p.id ORDER BY p.id FOR NO KEY UPDATE OF p)
		UPDATE products p SET stock = p.stock - CASE WHEN p.made_to_order THEN 0 ELSE w.q END
		FROM want w, locked l, shops s
		WHERE p.id = w.id AND l.id = p.id AND s.id = p.shop_id AND p.status = 'published' AND s.status = 'active'
		  AND p.updated_at = w.v AND (p.made_to_order OR p.stock >= w.q)
		RETURNING p.id`, pq.Array(ids), pq.Array(qs), pq.Array(versions)).Scan(&taken).Error
	if err != nil {
		return fmt.Errorf("take stock: %w", err)
	}
	for _, it := range items {
		if !slices.Contains(taken, it.ProductID) {
			return s.notTaken(ctx, tx, it)
		}
	}
	// The search cache is left alone: a stock count in a list may lag by
	// its TTL, and wiping it on every sale would undo it under load.
	return nil
}

// notTaken says why a quoted product got no stock taken: edited since the
// quote, or short of stock (or no longer on sale).
func (s *Service) notTaken(ctx context.Context, tx *storage.Tx, it Sellable) error {
	var now struct{ UpdatedAt time.Time }
	if err := tx.DB.WithContext(ctx).Raw("SELECT updated_at FROM products WHERE id = ?", it.ProductID).Scan(&now).Error; err != nil {
		return fmt.Errorf("take stock: %w", err)
	}
	if !now.UpdatedAt.Equal(it.Version) {
		return domain.Errorf(domain.ErrConflict, "catalog.stock.changed", it.Title)
	}
	return &ErrOutOfStock{ProductID: it.ProductID, Title: it.Title}
}

// Release puts reserved quantities back into stock inside tx (an order
// cancelled or expired before it was paid).
func (s *Service) Release(ctx context.Context, tx *storage.Tx, quantities map[string]int) error {
	ids := make([]string, 0, len(quantities))
	for id := range quantities {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := tx.DB.WithContext(ctx).Exec("UPDATE products SET stock = stock + ? WHERE id = ?", quantities[id], id).Error; err != nil {
			return fmt.Errorf("release stock: %w", err)
		}
	}
	return nil
}

// CartProduct is what a cart shows of a product: its current price, stock
// and shop, and whether it can be bought at all.
type CartProduct struct {
	ProductID   string     `json:"product_id"`
	Title       string     `json:"title"`
	PriceIDR    domain.IDR `json:"price_idr"`
	Stock       int        `json:"stock_available"`
	MadeToOrder bool       `json:"made_to_order"`
	OnSale      bool       `json:"on_sale"` // published, in an active shop
	ShopID      string     `json:"shop_id"`
	ShopName    string     `json:"shop_name"`
	Image       *Image     `json:"image"`
}

// CartProducts reads the products of a cart in one query (plus photos).
func (s *Service) CartProducts(ctx context.Context, ids []string) (map[string]CartProduct, error) {
	var rows []struct {
		ID, Title, ShopID, ShopName, Status, ShopStatus string
		PriceIDR                                        domain.IDR
		Stock                                           int
		MadeToOrder                                     bool
	}
	err := s.db.Gorm.WithContext(ctx).Raw(`SELECT p.id, p.title, p.price_idr, p.stock, p.made_to_order, p.status, s.id AS shop_id,
		s.display_name AS shop_name, s.status AS shop_status FROM products p JOIN shops s ON s.id = p.shop_id WHERE p.id IN ?`, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("cart products: %w", err)
	}
	images, err := s.images(ctx, s.db.Gorm.WithContext(ctx), ids, true)
	if err != nil {
		return nil, err
	}
	out := make(map[string]CartProduct, len(rows))
	for _, r := range rows {
		cp := CartProduct{ProductID: r.ID, Title: r.Title, PriceIDR: r.PriceIDR, Stock: r.Stock, MadeToOrder: r.MadeToOrder,
			OnSale: r.Status == string(Published) && r.ShopStatus == string(ShopActive), ShopID: r.ShopID, ShopName: r.ShopName}
		for _, img := range images[r.ID] {
			if img.Status == ImageReady {
				cp.Image = &img
				break
			}
		}
		out[r.ID] = cp
	}
	return out, nil
}
