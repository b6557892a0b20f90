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
	"gorm.io/gorm/clause"

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
func (q *Query) validate(roots map[string]string) error {
	v := &domain.ValidationError{}
	q.Text = strings.Join(strings.Fields(q.Text), " ")
	if len(q.Text) > 100 {
		v.Add("q", "catalog.search.q")
	}
	if _, ok := roots[q.Category]; q.Category != "" && !ok {
		v.Add("category", "catalog.category.unknown")
	}
	if q.ShopID != "" && !domain.ValidID(q.ShopID) {
		v.Add("shop_id", "catalog.search.shop")
	}
	if q.ProvinceCode != "" && (len(q.ProvinceCode) != 2 || strings.Trim(q.ProvinceCode, "0123456789") != "") {
		v.Add("province_code", "field.province")
	}
	if q.MinPrice < 0 || q.MaxPrice < 0 || (q.MaxPrice > 0 && q.MinPrice > q.MaxPrice) {
		v.Add("max_price_idr", "catalog.search.price")
	}
	if q.Sort == "" {
		q.Sort = "newest"
		if q.Text != "" {
			q.Sort = "relevance"
		}
	}
	if !slices.Contains(Sorts, q.Sort) {
		v.Add("sort", "catalog.search.sort")
	}
	if q.Sort == "relevance" && q.Text == "" {
		q.Sort = "newest" // nothing to be relevant to
	}
	return v.Err()
}

// rankWindow bounds how many of the newest matches of a search are ranked
// for relevance. A common word ("pisang") matches thousands of products;
// ranking them all costs tens of milliseconds, ranking the newest few
// hundred costs well under one, and for rarer words every match is ranked.
const rankWindow = 120

// Search answers a page of published products of active shops. A text that
// matches nothing by words (stemmed, Indonesian) is tried again by trigram
// similarity, which finds typos: "kripik" finds "keripik".
func (s *Service) Search(ctx context.Context, q Query) (Results, error) {
	roots, err := s.categoryRoots(ctx)
	if err != nil {
		return Results{}, err
	}
	if err := q.validate(roots); err != nil {
		return Results{}, err
	}
	cur, err := decodeCursor(q.Sort, q.Page.Cursor)
	if err != nil {
		return Results{}, err
	}
	return s.cache.get(ctx, q, func(ctx context.Context) (Results, error) {
		out, err := s.search(ctx, q, cur, roots)
		if err == nil && q.Text != "" && !cur.fuzzy && q.Page.Cursor == "" && len(out.Items) == 0 {
			cur.fuzzy = true
			out, err = s.search(ctx, q, cur, roots)
		}
		return out, err
	})
}

// searchRow is one product of a result page.
type searchRow struct {
	ID, Title, Category, ProvinceCode, ShopID, ShopName string
	PriceIDR                                            domain.IDR `gorm:"column:price_idr"`
	Stock                                               int
	MadeToOrder                                         bool
	PublishedAt                                         time.Time
}

func (s *Service) search(ctx context.Context, q Query, cur cursor, roots map[string]string) (Results, error) {
	db := s.db.Gorm.WithContext(ctx)
	text := strings.ToLower(q.Text)
	// filtered is the query's WHERE clause; skip leaves one filter out, so a
	// facet counts what choosing another of its values would show.
	filtered := func(skip string) *gorm.DB {
		t := db.Table("products p").Joins("JOIN shops s ON s.id = p.shop_id").
			Where("p.status = 'published' AND s.status = 'active'")
		switch {
		case q.Text == "":
		case cur.fuzzy:
			t = t.Where("? <% lower(p.title)", text)
		default:
			t = t.Where("p.search @@ websearch_to_tsquery('indonesian', ?)", q.Text)
		}
		if q.Category != "" && skip != "category" {
			if roots[q.Category] == q.Category {
				t = t.Where("p.category_root = ?", q.Category)
			} else {
				t = t.Where("p.category = ?", q.Category)
			}
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

	const cols = "p.id, p.title, p.category, p.province_code, p.price_idr, p.stock, p.made_to_order, p.published_at, s.id AS shop_id, s.display_name AS shop_name"
	var t *gorm.DB
	switch q.Sort {
	case "relevance":
		if cur.fuzzy {
			t = filtered("").Select(cols).Order(clause.Expr{SQL: "word_similarity(?, lower(p.title)) DESC, p.id", Vars: []any{text}})
		} else {
			window := max(rankWindow, 4*(cur.offset+q.Page.Limit))
			newest := filtered("").Select(cols + ", p.search").Order("p.published_at DESC, p.id DESC").Limit(window)
			t = db.Table("(?) AS p", newest).Select("p.*").
				Order(clause.Expr{SQL: "ts_rank_cd(p.search, websearch_to_tsquery('indonesian', ?)) DESC, p.published_at DESC, p.id", Vars: []any{q.Text}})
		}
		t = t.Offset(cur.offset)
	case "newest":
		t = filtered("").Select(cols).Order("p.published_at DESC, p.id DESC")
		if cur.id != "" {
			t = t.Where("(p.published_at, p.id) < (?, ?)", time.Unix(0, cur.value).UTC(), cur.id)
		}
	case "price_asc":
		t = filtered("").Select(cols).Order("p.price_idr, p.id")
		if cur.id != "" {
			t = t.Where("(p.price_idr, p.id) > (?, ?)", cur.value, cur.id)
		}
	case "price_desc":
		t = filtered("").Select(cols).Order("p.price_idr DESC, p.id DESC")
		if cur.id != "" {
			t = t.Where("(p.price_idr, p.id) < (?, ?)", cur.value, cur.id)
		}
	}
	var rows []searchRow
	if err := t.Limit(q.Page.Limit + 1).Scan(&rows).Error; err != nil {
		return Results{}, fmt.Errorf("search: %w", err)
	}
	out := Results{Items: make([]ListItem, 0, len(rows))}
	if len(rows) > q.Page.Limit {
		rows = rows[:q.Page.Limit]
		last := rows[len(rows)-1]
		switch q.Sort {
		case "relevance":
			mode := ""
			if cur.fuzzy {
				mode = fuzzyMark
			}
			out.NextCursor = encodeCursor("relevance", int64(cur.offset+q.Page.Limit), mode)
		case "newest":
			out.NextCursor = encodeCursor("newest", last.PublishedAt.UnixNano(), last.ID)
		default:
			out.NextCursor = encodeCursor(q.Sort, int64(last.PriceIDR), last.ID)
		}
	}
	if err := s.fillItems(ctx, db, rows, &out); err != nil {
		return Results{}, err
	}
	if q.Facets {
		out.Facets = map[string][]Facet{}
		for name, expr := range map[string]string{"category": "p.category_root", "province_code": "p.province_code"} {
			var facets []Facet
			skip := strings.TrimSuffix(name, "_code")
			if err := filtered(skip).Select(expr + " AS value, count(*) AS count").Group("value").Order("count DESC, value").Scan(&facets).Error; err != nil {
				return Results{}, fmt.Errorf("facets: %w", err)
			}
			out.Facets[name] = facets
		}
	}
	return out, nil
}

// fillItems turns rows into list items with their first ready photo.
func (s *Service) fillItems(ctx context.Context, db *gorm.DB, rows []searchRow, out *Results) error {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	images, err := s.images(ctx, db, ids)
	if err != nil {
		return err
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
	return nil
}

// fuzzyMark in a relevance cursor says the search had fallen back to trigrams.
const fuzzyMark = "fuzzy"

// cursor is a decoded position in a sorted list: an offset for relevance
// (ranks are not stable keys), else the last row's sort value and id.
type cursor struct {
	offset int
	fuzzy  bool
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
	bad := domain.Invalid("cursor", "catalog.search.cursor")
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
		if n > 10_000 || (parts[2] != "" && parts[2] != fuzzyMark) {
			return cursor{}, bad
		}
		return cursor{offset: int(n), fuzzy: parts[2] == fuzzyMark}, nil
	}
	if !domain.ValidID(parts[2]) {
		return cursor{}, bad
	}
	return cursor{value: n, id: parts[2]}, nil
}
