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
	// Facets names the facets to count: FacetCategory, FacetProvince.
	Facets []string
	Page   domain.Page
	// root is the top of Category's tree (validate sets it).
	root string
}

// The facets a search can count.
const (
	FacetCategory = "category"      // by root category
	FacetProvince = "province_code" // by province
)

// AllFacets is every facet, as the API's facets=true asks.
var AllFacets = []string{FacetCategory, FacetProvince}

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
// AtLeast marks a count read from the first facetCap matches only: the
// value has at least that many.
type Facet struct {
	Value   string `json:"value"`
	Count   int64  `json:"count"`
	AtLeast bool   `json:"at_least,omitempty"`
}

// Results is a page of a search.
type Results struct {
	Items      []ListItem `json:"items"`
	NextCursor string     `json:"next_cursor"`
	// Corrected is the text searched when a word of the query was not in
	// the catalog and was replaced by the nearest one ("keripik" for
	// "kripik"); empty when the query was searched as typed.
	Corrected string             `json:"corrected,omitempty"`
	Facets    map[string][]Facet `json:"facets,omitempty"`
}

// validate checks a query and fills its defaults.
func (q *Query) validate(roots map[string]string) error {
	v := &domain.ValidationError{}
	q.Text = strings.Join(strings.Fields(q.Text), " ")
	if len(q.Text) > 100 {
		v.Add("q", "catalog.search.q")
	}
	if len(queryWords(q.Text)) == 0 {
		q.Text = "" // punctuation only: a browse
	}
	if _, ok := roots[q.Category]; q.Category != "" && !ok {
		v.Add("category", "catalog.category.unknown")
	}
	q.root = roots[q.Category]
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
	for _, f := range q.Facets {
		if f != FacetCategory && f != FacetProvince {
			v.Add("facets", "catalog.search.facets")
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

// facetCap bounds how many products a facet count reads. Below it the
// counts are exact; above it they are the counts among the first facetCap
// read, marked AtLeast, so a page over "makanan" (tens of thousands of
// products) costs the same as one over a rare word.
var facetCap = 300

// Search answers a page of published products of active shops. A word of
// the text that no product holds is corrected against the catalog's word
// dictionary ("kripik" searches "keripik", and Corrected says so); a word
// like nothing answers an empty page without reading products.
//
// Relevance ranks every match in tiers: all words in the title before a
// match in the description, and within each, in stock (or made to order)
// before sold out, then newest first. Each tier is walked in an index
// order and the walk stops at the page's end, so a common word costs about
// what a rare one does; the cursor is the position in that order.
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
		return s.search(ctx, q, cur)
	})
}

// where is a conjunction of SQL conditions with their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w where) sql() string { return strings.Join(w.conds, " AND ") }

// with is a copy of w with one more condition.
func (w where) with(cond string, args ...any) where {
	out := where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
	out.add(cond, args...)
	return out
}

// filters is the query's WHERE clause on products p, without its text;
// skip leaves one filter out, so a facet counts what choosing another of
// its values would show. A paused or closed shop's products are left out
// through the few such shops (a hashed list), not a join per product.
func (q Query) filters(skip string) where {
	w := q.indexed(skip, false)
	rest := q.unindexed(false)
	w.conds, w.args = append(w.conds, rest.conds...), append(w.args, rest.args...)
	return w
}

// indexed is the part of the filters the page's order can be read with
// from one index: status, category and province, and the price range
// when the page is by price.
func (q Query) indexed(skip string, byPrice bool) where {
	var w where
	w.add("p.status = 'published'")
	if q.Category != "" && skip != "category" {
		if q.root == q.Category {
			w.add("p.category_root = ?", q.Category)
		} else {
			w.add("p.category = ?", q.Category)
		}
	}
	if q.ProvinceCode != "" && skip != "province" {
		w.add("p.province_code = ?", q.ProvinceCode)
	}
	if byPrice {
		q.addPrice(&w)
	}
	return w
}

// unindexed is the rest of the filters, checked on each product read.
func (q Query) unindexed(byPrice bool) where {
	var w where
	w.add("p.shop_id NOT IN (SELECT id FROM shops WHERE status <> 'active')")
	if q.ShopID != "" {
		w.add("p.shop_id = ?", q.ShopID)
	}
	if !byPrice {
		q.addPrice(&w)
	}
	if q.InStock {
		w.add(inStock)
	}
	return w
}

func (q Query) addPrice(w *where) {
	if q.MinPrice > 0 {
		w.add("p.price_idr >= ?", q.MinPrice)
	}
	if q.MaxPrice > 0 {
		w.add("p.price_idr <= ?", q.MaxPrice)
	}
}

const (
	inStock = "(p.stock > 0 OR p.made_to_order)"
	soldOut = "p.stock = 0 AND NOT p.made_to_order"
	// matches is every product holding all words; inTitle those holding
	// them all in the title.
	matches = "p.search @@ to_tsquery('indonesian', ?)"
	inTitle = "p.title_search @@ to_tsquery('indonesian', ?)"
)

// The tiers of relevance, best first.
const (
	tierTitle        = iota // every word in the title, in stock
	tierTitleSoldOut        // every word in the title, sold out
	tierBody                // a word only in the description, in stock
	tierBodySoldOut         // a word only in the description, sold out
	tiers
)

// searchRow is one product of a result page, with its first ready photo.
type searchRow struct {
	ID, Title, Category, ProvinceCode, ShopID, ShopName string
	PriceIDR                                            domain.IDR `gorm:"column:price_idr"`
	Stock                                               int
	MadeToOrder                                         bool
	PublishedAt                                         time.Time
	Tier                                                int
	ImageID, ImageAlt                                   *string
	ImageWidth, ImageHeight                             *int
	ImageVariants                                       []byte
}

const rowCols = "p.id, p.title, p.category, p.province_code, p.price_idr, p.stock, p.made_to_order, p.published_at, p.shop_id"

func (s *Service) search(ctx context.Context, q Query, cur cursor) (Results, error) {
	db := s.reads.Gorm.WithContext(ctx)
	out := Results{Items: []ListItem{}}
	var t terms
	if q.Text != "" {
		var err error
		if t, err = s.lookUp(ctx, db, q.root, queryWords(q.Text)); err != nil {
			return Results{}, err
		}
		if t.corrected {
			out.Corrected = strings.Join(t.words, " ")
		}
		if t.none {
			if len(q.Facets) > 0 {
				out.Facets = map[string][]Facet{}
				for _, f := range q.Facets {
					out.Facets[f] = []Facet{}
				}
			}
			return out, nil
		}
		if t.rootless {
			var err error
			if len(q.Facets) > 0 {
				out.Facets, err = s.facets(ctx, db, q, t)
			}
			return out, err
		}
	}
	limit := q.Page.Limit + 1
	base := q.filters("")
	var page string
	var args []any
	order := sortOrders[q.Sort]
	if q.Text == "" {
		w := base
		if cur.id != "" {
			w.add(keyset(q.Sort), cur.key()...)
		}
		page = fmt.Sprintf("SELECT %s, 0 AS tier FROM products p WHERE %s ORDER BY %s LIMIT %d", rowCols, w.sql(), prefixed("p.", order), limit)
		args = w.args
	} else {
		page, args = textPage(q, t, cur, base, limit)
	}
	// The page's rows, their shops' names and first ready photos in one
	// round trip.
	var rows []searchRow
	err := db.Raw(`SELECT r.*, (SELECT s.display_name FROM shops s WHERE s.id = r.shop_id) AS shop_name,
			img.id AS image_id, img.alt AS image_alt, img.width AS image_width, img.height AS image_height, img.variants AS image_variants
		FROM (`+page+`) r
		LEFT JOIN LATERAL (SELECT i.id, i.alt, i.width, i.height, i.variants FROM product_images i
			WHERE i.product_id = r.id AND i.status = 'ready' AND i.pending <> 'add' ORDER BY i.position, i.id LIMIT 1) img ON true
		ORDER BY `+prefixed("r.", order), args...).Scan(&rows).Error
	if err != nil {
		return Results{}, fmt.Errorf("search: %w", err)
	}
	if len(rows) > q.Page.Limit {
		rows = rows[:q.Page.Limit]
		last := rows[len(rows)-1]
		switch q.Sort {
		case "relevance":
			out.NextCursor = encodeCursor("relevance", last.PublishedAt.UnixNano(), last.ID, last.Tier)
		case "newest":
			out.NextCursor = encodeCursor("newest", last.PublishedAt.UnixNano(), last.ID, 0)
		default:
			out.NextCursor = encodeCursor(q.Sort, int64(last.PriceIDR), last.ID, 0)
		}
	}
	for _, r := range rows {
		item := ListItem{ID: r.ID, Title: r.Title, Category: r.Category, PriceIDR: r.PriceIDR, StockAvailable: r.Stock,
			MadeToOrder: r.MadeToOrder, ProvinceCode: r.ProvinceCode, Shop: ShopRef{ID: r.ShopID, DisplayName: r.ShopName}}
		if r.ImageID != nil {
			img, err := s.imageOf(imageRow{ID: *r.ImageID, ProductID: r.ID, Alt: *r.ImageAlt, Status: ImageReady,
				Width: r.ImageWidth, Height: r.ImageHeight, Variants: r.ImageVariants})
			if err != nil {
				return Results{}, err
			}
			item.Image = &img
		}
		out.Items = append(out.Items, item)
	}
	if len(q.Facets) > 0 {
		if out.Facets, err = s.facets(ctx, db, q, t); err != nil {
			return Results{}, err
		}
	}
	return out, nil
}

// sortOrders is each sort's ORDER BY, on the columns of a page's rows.
var sortOrders = map[string]string{
	"relevance":  "tier, published_at DESC, id DESC",
	"newest":     "published_at DESC, id DESC",
	"price_asc":  "price_idr, id",
	"price_desc": "price_idr DESC, id DESC",
}

// prefixed qualifies every column of an ORDER BY list with a table alias.
func prefixed(alias, order string) string {
	return alias + strings.ReplaceAll(order, ", ", ", "+alias)
}

// keyset is the condition of the rows after a cursor in a sort (without
// tiers), on products p.
func keyset(sort string) string {
	switch sort {
	case "price_asc":
		return "(p.price_idr, p.id) > (?, ?)"
	case "price_desc":
		return "(p.price_idr, p.id) < (?, ?)"
	default:
		return "(p.published_at, p.id) < (?, ?)"
	}
}

// key is the cursor's sort value and id as keyset's arguments.
func (c cursor) key() []any {
	if c.published() {
		return []any{time.Unix(0, c.value).UTC(), c.id}
	}
	return []any{c.value, c.id}
}

// exactMax is how many matches (at most, by the dictionary's count) a
// search reads in full and sorts: a rare word's page costs that much.
// Reading 2,000 cost 3.5 ms where walking to a page of a word in one
// product of twelve cost 0.6 ms (BenchmarkSearch, 20,000 products).
var exactMax int64 = 500

// walkWindow is how many products, in the order of the page, a search
// looks through for matches before it takes the matches to be sparse and
// reads them all instead. A dense match set ("keripik", one product in
// ten) fills a page after a few hundred; a sparse one (two common words
// rarely together, "balado pedas", or a word in a category that does not
// sell it) would be looked for through the whole catalog, and is read in
// full from the text index instead: sparse means at most about
// limit/walkWindow of the catalog. At a million products that is up to
// 25,000 matches to read; the window should then grow with the catalog
// (about the square root of limit times its size balances the two).
var walkWindow = 1000

// textPage is the SQL of a page of a text search. Where the dictionary
// shows the matches are few it reads them all (from the text index) and
// sorts them; else it first walks the page's order (an index) through at
// most walkWindow products, and only when that does not fill the page
// reads and sorts every match. Both run in one statement: PostgreSQL
// evaluates the walk once and skips the branch its count rules out.
//
// For relevance the walk covers the first tier the dictionary does not
// show to be empty (from the cursor's); the full read ranks every
// remaining tier.
func textPage(q Query, t terms, cur cursor, base where, limit int) (string, []any) {
	tq := t.tsquery()
	relevance := q.Sort == "relevance"
	// all: every match after the cursor, with its tier, read in full.
	all := base.with(matches, tq)
	tierExpr := "0"
	if relevance {
		tierExpr = fmt.Sprintf("(CASE WHEN %s THEN %d ELSE %d END + CASE WHEN %s THEN 0 ELSE 1 END)", inTitle, tierTitle, tierBody, inStock)
	}
	tierArgs := func() []any {
		if relevance {
			return []any{tq}
		}
		return nil
	}
	if cur.id != "" {
		if relevance {
			all.add(fmt.Sprintf("(%[1]s > ? OR (%[1]s = ? AND (p.published_at, p.id) < (?, ?)))", tierExpr),
				append(append(append(tierArgs(), cur.tier), append(tierArgs(), cur.tier)...), cur.key()...)...)
		} else {
			all.add(keyset(q.Sort), cur.key()...)
		}
	}
	full := fmt.Sprintf("WITH m AS MATERIALIZED (SELECT %s, %s AS tier FROM products p WHERE %s) SELECT * FROM m ORDER BY %s LIMIT %d",
		rowCols, tierExpr, all.sql(), sortOrders[q.Sort], limit)
	fullArgs := append(tierArgs(), all.args...)
	if t.bound >= 0 && t.bound <= exactMax {
		return full, fullArgs
	}
	// walk: the first tier's (or the sort's) order, walkWindow products
	// deep in its index; every other condition is checked on the rows
	// read, so the window bounds the rows read whatever the filters.
	byPrice := q.Sort == "price_asc" || q.Sort == "price_desc"
	walk := q.indexed("", byPrice)
	rest := q.unindexed(byPrice)
	walkTier := 0
	hit, hitArgs := matches, []any{tq}
	if relevance {
		walkTier = -1
		for tier := cur.tier; tier < tiers; tier++ {
			title := tier == tierTitle || tier == tierTitleSoldOut
			sold := tier == tierTitleSoldOut || tier == tierBodySoldOut
			if (title && t.titleless) || (!title && t.bodyless) || (sold && q.InStock) {
				continue
			}
			walkTier = tier
			if title {
				hit = inTitle
			} else {
				hit, hitArgs = matches+" AND NOT "+inTitle, []any{tq, tq}
			}
			if sold {
				rest = rest.with(soldOut)
			} else if !q.InStock {
				rest = rest.with(inStock)
			}
			break
		}
		if walkTier < 0 {
			return fmt.Sprintf("SELECT %s, 0 AS tier FROM products p WHERE false", rowCols), nil
		}
	}
	if cur.id != "" && (!relevance || walkTier == cur.tier) {
		walk = walk.with(keyset(q.Sort), cur.key()...)
	}
	walkOrder := sortOrders[q.Sort]
	if relevance {
		walkOrder = sortOrders["newest"]
	}
	sql := fmt.Sprintf(`WITH walk AS MATERIALIZED (
			SELECT %[1]s, %[2]d AS tier FROM (SELECT %[1]s, %[3]s AND %[4]s AS hit FROM products p WHERE %[5]s ORDER BY %[6]s LIMIT %[7]d) p
			WHERE hit LIMIT %[8]d)
		SELECT * FROM walk WHERE (SELECT count(*) FROM walk) = %[8]d
		UNION ALL
		SELECT * FROM (%[9]s) e WHERE (SELECT count(*) FROM walk) < %[8]d`,
		rowCols, walkTier, hit, rest.sql(), walk.sql(), prefixed("p.", walkOrder), walkWindow, limit, full)
	return sql, append(append(append(hitArgs, rest.args...), walk.args...), fullArgs...)
}

// facets counts the matches by the facets the query names in one
// statement. Each facet reads at most facetCap+1 products found by the
// text index or the filters' indexes, and checks the other filters (price,
// stock, the shop) on those, so a narrow price range over a common word
// costs what the word alone does; past facetCap the counts are lower
// bounds. A facet leaves its own filter out; when neither is set, both
// facets count the same read.
func (s *Service) facets(ctx context.Context, db *gorm.DB, q Query, t terms) (map[string][]Facet, error) {
	cols := map[string]string{FacetCategory: "p.category_root", FacetProvince: "p.province_code"}
	skips := map[string]string{FacetCategory: "category", FacetProvince: "province"}
	rest := q.unindexed(false)
	read := func(skip string) where {
		w := q.indexed(skip, false)
		if q.Text != "" {
			w.add(matches, t.tsquery())
		}
		return w
	}
	var parts []string
	var args []any
	out := map[string][]Facet{}
	for _, f := range q.Facets {
		out[f] = []Facet{}
	}
	facets := q.Facets
	if t.rootless { // within the category nothing matches: only the category facet, which leaves it out, counts
		facets = slices.DeleteFunc(slices.Clone(facets), func(f string) bool { return f != FacetCategory })
		if len(facets) == 0 {
			return out, nil
		}
	}
	if len(facets) == 2 && q.Category == "" && q.ProvinceCode == "" {
		w := read("")
		parts = append(parts, fmt.Sprintf(`SELECT CASE WHEN grouping(c) = 0 THEN '%s' ELSE '%s' END AS facet, coalesce(c, r) AS value,
				count(*) FILTER (WHERE ok) AS count, count(*) AS seen
			FROM (SELECT p.category_root AS c, p.province_code AS r, %s AS ok FROM products p WHERE %s LIMIT %d) m GROUP BY GROUPING SETS ((c), (r))`,
			FacetCategory, FacetProvince, rest.sql(), w.sql(), facetCap+1))
		args = append(append(args, rest.args...), w.args...)
	} else {
		for _, f := range facets {
			w := read(skips[f])
			parts = append(parts, fmt.Sprintf(`SELECT '%s' AS facet, v AS value, count(*) FILTER (WHERE ok) AS count, count(*) AS seen
				FROM (SELECT %s AS v, %s AS ok FROM products p WHERE %s LIMIT %d) m GROUP BY v`,
				f, cols[f], rest.sql(), w.sql(), facetCap+1))
			args = append(append(args, rest.args...), w.args...)
		}
	}
	var rows []struct {
		Facet, Value string
		Count, Seen  int64
	}
	if err := db.WithContext(ctx).Raw(strings.Join(parts, " UNION ALL "), args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("facets: %w", err)
	}
	seen := map[string]int64{}
	for _, r := range rows {
		if r.Count > 0 {
			out[r.Facet] = append(out[r.Facet], Facet{Value: r.Value, Count: r.Count})
		}
		seen[r.Facet] += r.Seen
	}
	for name, fs := range out {
		for i := range fs {
			fs[i].AtLeast = seen[name] > int64(facetCap)
		}
		slices.SortFunc(fs, func(a, b Facet) int {
			if a.Count != b.Count {
				return int(b.Count - a.Count)
			}
			return strings.Compare(a.Value, b.Value)
		})
	}
	return out, nil
}

// cursor is a decoded position in a sorted list: the last row's sort value
// and id, and for relevance its tier.
type cursor struct {
	sort  string
	tier  int
	value int64
	id    string
}

// published says the cursor's value is a publication time (in nanoseconds).
func (c cursor) published() bool { return c.sort != "price_asc" && c.sort != "price_desc" }

func encodeCursor(sort string, value int64, id string, tier int) string {
	raw := sort + "|" + strconv.FormatInt(value, 10) + "|" + id
	if sort == "relevance" {
		raw += "|" + strconv.Itoa(tier)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
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
	want := 3
	if sort == "relevance" {
		want = 4
	}
	if len(parts) != want || parts[0] != sort || !domain.ValidID(parts[2]) {
		return cursor{}, bad
	}
	n, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || n < 0 {
		return cursor{}, bad
	}
	c := cursor{sort: sort, value: n, id: parts[2]}
	if sort == "relevance" {
		if c.tier, err = strconv.Atoi(parts[3]); err != nil || c.tier < 0 || c.tier >= tiers {
			return cursor{}, bad
		}
	}
	return c, nil
}
