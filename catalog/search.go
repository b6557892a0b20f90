package catalog

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/domain"
)

// Query is a public browse or search of published products.
type Query struct {
	Text         string
	Category     string
	ShopID       string
	ProvinceCode string
	MinPrice     domain.IDR
	MaxPrice     domain.IDR
	InStock      bool
	Sort         string // relevance | newest | price_asc | price_desc
	Facets       bool
	Page         domain.Page
}

// Sorts lists the accepted sort orders.
var Sorts = []string{"relevance", "newest", "price_asc", "price_desc"}

// ListItem is a product in a public list.
type ListItem struct {
	ID             string     `json:"id"`
	Title          string     `json:"title"`
	Category       string     `json:"category"`
	PriceIDR       domain.IDR `json:"price_idr"`
	StockAvailable int        `json:"stock_available"`
	MadeToOrder    bool       `json:"made_to_order"`
	ProvinceCode   string     `json:"province_code"`
	Image          *Image     `json:"image"`
	Shop           ShopRef    `json:"shop"`
}

// ShopRef names a product's shop in public answers.
type ShopRef struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
}

// Facet is a value of a filter with the number of products it would show.
type Facet struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// Results is a page of a search.
type Results struct {
	Items      []ListItem         `json:"items"`
	NextCursor string             `json:"next_cursor"`
	Facets     map[string][]Facet `json:"facets,omitempty"`
}

// validate checks a query and fills its defaults.
func (q *Query) validate(categories map[string]bool) error {
	v := &domain.ValidationError{}
	q.Text = strings.Join(strings.Fields(q.Text), " ")
	if len(q.Text) > 100 {
		v.Add("q", "kata kunci maksimal 100 karakter")
	}
	if q.Category != "" && !categories[q.Category] {
		v.Add("category", "kategori tidak dikenal")
	}
	if q.ShopID != "" && !domain.ValidID(q.ShopID) {
		v.Add("shop_id", "toko tidak dikenal")
	}
	if q.ProvinceCode != "" && (len(q.ProvinceCode) != 2 || strings.Trim(q.ProvinceCode, "0123456789") != "") {
		v.Add("province_code", "kode provinsi 2 angka")
	}
	if q.MinPrice < 0 || q.MaxPrice < 0 || (q.MaxPrice > 0 && q.MinPrice > q.MaxPrice) {
		v.Add("max_price_idr", "rentang harga tidak valid")
	}
	if q.Sort == "" {
		q.Sort = "newest"
		if q.Text != "" {
			q.Sort = "relevance"
		}
	}
	if !slices.Contains(Sorts, q.Sort) {
		v.Add("sort", "urutan: relevance, newest, price_asc atau price_desc")
	}
	if q.Sort == "relevance" && q.Text == "" {
		q.Sort = "newest" // nothing to be relevant to
	}
	return v.Err()
}

// Search answers a page of published products of active shops.
func (s *Service) Search(ctx context.Context, q Query) (Results, error) {
	cats, err := s.categorySet(ctx)
	if err != nil {
		return Results{}, err
	}
	if err := q.validate(cats); err != nil {
		return Results{}, err
	}
	cursor, err := decodeCursor(q.Sort, q.Page.Cursor)
	if err != nil {
		return Results{}, err
	}
	db := s.db.Gorm.WithContext(ctx)
	base := func(skip string) *gorm.DB {
		t := db.Table("products p").Joins("JOIN shops s ON s.id = p.shop_id").
			Where("p.status = 'published' AND s.status = 'active'")
		if q.Text != "" {
			t = t.Where("(p.search @@ websearch_to_tsquery('indonesian', ?) OR ? <% lower(p.title))", q.Text, strings.ToLower(q.Text))
		}
		if q.Category != "" && skip != "category" {
			t = t.Where("p.category IN (SELECT slug FROM categories WHERE slug = ? OR parent_slug = ?)", q.Category, q.Category)
		}
		if q.ProvinceCode != "" && skip != "province" {
			t = t.Where("p.province_code = ?", q.ProvinceCode)
		}
		if q.ShopID != "" {
			t = t.Where("p.shop_id = ?", q.ShopID)
		}
		if q.MinPrice > 0 {
			t = t.Where("p.price_idr >= ?", q.MinPrice)
		}
		if q.MaxPrice > 0 {
			t = t.Where("p.price_idr <= ?", q.MaxPrice)
		}
		if q.InStock {
			t = t.Where("(p.stock > 0 OR p.made_to_order)")
		}
		return t
	}

	type row struct {
		ID, Title, Category, ProvinceCode, ShopID, ShopName string
		PriceIDR                                            domain.IDR `gorm:"column:price_idr"`
		Stock                                               int
		MadeToOrder                                         bool
		PublishedAt                                         time.Time
	}
	sel := "p.id, p.title, p.category, p.province_code, p.price_idr, p.stock, p.made_to_order, p.published_at, s.id AS shop_id, s.display_name AS shop_name"
	t := base("")
	switch q.Sort {
	case "relevance":
		t = t.Select(sel+", ts_rank_cd(p.search, websearch_to_tsquery('indonesian', ?)) + word_similarity(?, lower(p.title)) AS rank", q.Text, strings.ToLower(q.Text)).
			Order("rank DESC, p.id").Offset(cursor.offset)
	case "newest":
		t = t.Select(sel).Order("p.published_at DESC, p.id DESC")
		if cursor.id != "" {
			t = t.Where("(p.published_at, p.id) < (?, ?)", time.Unix(0, cursor.value).UTC(), cursor.id)
		}
	case "price_asc":
		t = t.Select(sel).Order("p.price_idr, p.id")
		if cursor.id != "" {
			t = t.Where("(p.price_idr, p.id) > (?, ?)", cursor.value, cursor.id)
		}
	case "price_desc":
		t = t.Select(sel).Order("p.price_idr DESC, p.id DESC")
		if cursor.id != "" {
			t = t.Where("(p.price_idr, p.id) < (?, ?)", cursor.value, cursor.id)
		}
	}
	var rows []row
	if err := t.Limit(q.Page.Limit + 1).Scan(&rows).Error; err != nil {
		return Results{}, fmt.Errorf("search: %w", err)
	}
	out := Results{Items: make([]ListItem, 0, len(rows))}
	if len(rows) > q.Page.Limit {
		rows = rows[:q.Page.Limit]
		last := rows[len(rows)-1]
		switch q.Sort {
		case "relevance":
			out.NextCursor = encodeCursor("relevance", int64(cursor.offset+q.Page.Limit), "")
		case "newest":
			out.NextCursor = encodeCursor("newest", last.PublishedAt.UnixNano(), last.ID)
		default:
			out.NextCursor = encodeCursor(q.Sort, int64(last.PriceIDR), last.ID)
		}
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	images, err := s.images(ctx, db, ids)
	if err != nil {
		return Results{}, err
	}
	for _, r := range rows {
		item := ListItem{ID: r.ID, Title: r.Title, Category: r.Category, PriceIDR: r.PriceIDR, StockAvailable: r.Stock,
			MadeToOrder: r.MadeToOrder, ProvinceCode: r.ProvinceCode, Shop: ShopRef{ID: r.ShopID, DisplayName: r.ShopName}}
		for _, img := range images[r.ID] {
			if img.Status == ImageReady {
				item.Image = &img
				break
			}
		}
		out.Items = append(out.Items, item)
	}
	if q.Facets {
		out.Facets = map[string][]Facet{}
		top := "COALESCE((SELECT c.parent_slug FROM categories c WHERE c.slug = p.category), p.category)"
		for name, expr := range map[string]string{"category": top, "province_code": "p.province_code"} {
			var facets []Facet
			skip := strings.TrimSuffix(name, "_code")
			if err := base(skip).Select(expr + " AS value, count(*) AS count").Group("value").Order("count DESC, value").Scan(&facets).Error; err != nil {
				return Results{}, fmt.Errorf("facets: %w", err)
			}
			out.Facets[name] = facets
		}
	}
	return out, nil
}

// cursor is a decoded position in a sorted list: an offset for relevance
// (ranks are not stable keys), else the last row's sort value and id.
type cursor struct {
	offset int
	value  int64
	id     string
}

func encodeCursor(sort string, value int64, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(sort + "|" + strconv.FormatInt(value, 10) + "|" + id))
}

func decodeCursor(sort, s string) (cursor, error) {
	if s == "" {
		return cursor{}, nil
	}
	bad := domain.Invalid("cursor", "kursor tidak valid untuk urutan ini")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, bad
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 || parts[0] != sort {
		return cursor{}, bad
	}
	n, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || n < 0 {
		return cursor{}, bad
	}
	if sort == "relevance" {
		if n > 10_000 {
			return cursor{}, bad
		}
		return cursor{offset: int(n)}, nil
	}
	if !domain.ValidID(parts[2]) {
		return cursor{}, bad
	}
	return cursor{value: n, id: parts[2]}, nil
}
