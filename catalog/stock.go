package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/lib/pq"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// Sellable is a product as checkout takes it: its price and makers frozen
// at that moment, and the shop that sells it.
type Sellable struct {
	ProductID     string
	Title         string
	PriceIDR      domain.IDR
	ShopID        string
	CourierFlat   domain.IDR
	MadeToOrder   bool
	Quantity      int
	Makers        json.RawMessage // [{case_id, share_bp}]
	StockReserved bool
}

// ErrOutOfStock is returned (wrapping domain.ErrConflict) when a product
// has fewer items left than asked for.
type ErrOutOfStock struct {
	ProductID string
	Title     string
}

func (e *ErrOutOfStock) Error() string { return "stok " + e.Title + " tidak cukup" }

// Unwrap makes it a conflict.
func (e *ErrOutOfStock) Unwrap() error { return domain.ErrConflict }

// Reserve takes quantities of published products of active shops out of
// stock inside tx, in one statement whatever the number of products: the
// conditional UPDATE is what makes overselling impossible, whatever the
// concurrency, and the rows are locked in id order first (the MATERIALIZED
// ... FOR UPDATE) so two checkouts of the same products cannot deadlock.
// Made-to-order products have no stock to take. Short stock anywhere fails
// the whole reservation.
func (s *Service) Reserve(ctx context.Context, tx *storage.Tx, quantities map[string]int) ([]Sellable, error) {
	ids := make([]string, 0, len(quantities))
	for id := range quantities {
		if !domain.ValidID(id) {
			return nil, domain.Invalid("items", "produk tidak dikenal")
		}
		ids = append(ids, id)
	}
	sort.Strings(ids)
	qs := make([]int64, len(ids))
	for i, id := range ids {
		qs[i] = int64(quantities[id])
	}
	var rows []struct {
		ID, Title, ShopID string
		PriceIDR          domain.IDR `gorm:"column:price_idr"`
		CourierFlatIDR    domain.IDR `gorm:"column:courier_flat_idr"`
		MadeToOrder       bool
		Quantity          int
		Makers            []byte
	}
	// RETURNING gives each price as it is at this instant.
	err := tx.DB.WithContext(ctx).Raw(`
		WITH want AS (SELECT * FROM unnest(?::uuid[], ?::bigint[]) AS w(id, q)),
		locked AS MATERIALIZED (SELECT p.id FROM products p JOIN want w ON w.id = p.id ORDER BY p.id FOR UPDATE OF p)
		UPDATE products p SET stock = p.stock - CASE WHEN p.made_to_order THEN 0 ELSE w.q END
		FROM want w, locked l, shops s
		WHERE p.id = w.id AND l.id = p.id AND s.id = p.shop_id AND p.status = 'published' AND s.status = 'active'
		  AND (p.made_to_order OR p.stock >= w.q)
		RETURNING p.id, p.title, p.price_idr, p.made_to_order, w.q AS quantity, s.id AS shop_id, s.courier_flat_idr,
		          (SELECT coalesce(json_agg(json_build_object('case_id', m.case_id, 'share_bp', m.share_bp) ORDER BY m.case_id), '[]')
		           FROM product_makers m WHERE m.product_id = p.id) AS makers`, pq.Array(ids), pq.Array(qs)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("reserve stock: %w", err)
	}
	if len(rows) < len(ids) {
		got := map[string]bool{}
		for _, r := range rows {
			got[r.ID] = true
		}
		for _, id := range ids {
			if !got[id] {
				return nil, s.notReserved(ctx, tx, id)
			}
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
	out := make([]Sellable, len(rows))
	for i, row := range rows {
		out[i] = Sellable{ProductID: row.ID, Title: row.Title, PriceIDR: row.PriceIDR, ShopID: row.ShopID,
			CourierFlat: row.CourierFlatIDR, MadeToOrder: row.MadeToOrder, Quantity: row.Quantity, Makers: row.Makers, StockReserved: !row.MadeToOrder}
	}
	// The search cache is left alone: a stock count in a list may lag by
	// its TTL, and wiping it on every sale would undo it under load.
	return out, nil
}

// notReserved says why a product got no stock taken: nobody knows it, or it
// is short (or no longer on sale).
func (s *Service) notReserved(ctx context.Context, tx *storage.Tx, id string) error {
	var title string
	if err := tx.DB.WithContext(ctx).Raw("SELECT title FROM products WHERE id = ?", id).Scan(&title).Error; err != nil {
		return fmt.Errorf("reserve stock: %w", err)
	}
	if title == "" {
		return domain.Invalid("items", "produk tidak dikenal")
	}
	return &ErrOutOfStock{ProductID: id, Title: title}
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
	images, err := s.images(ctx, s.db.Gorm.WithContext(ctx), ids)
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
