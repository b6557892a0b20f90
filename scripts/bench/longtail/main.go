// Command longtail writes the long-tail URL mix of make bench: what real
// buyers send rather than the same few hundred URLs. From the benchmark
// database it takes the catalog's words and some product ids; from the
// running server the cursors of second pages. It writes api.txt (the JSON
// API) and pages.txt (the server-rendered pages), each at least -n
// distinct paths in a fixed shuffled order: single words and pairs with
// every filter and sort, typos, words nobody sells, browsing, second pages
// and product pages.
//
//	go run ./scripts/bench/longtail -db postgres://... -server http://127.0.0.1:8090 -out .data/bench
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

func main() {
	db := flag.String("db", "", "the benchmark database URL")
	server := flag.String("server", "http://127.0.0.1:8090", "the running server, for second-page cursors")
	out := flag.String("out", ".", "directory for api.txt and pages.txt")
	n := flag.Int("n", 6000, "distinct paths per file (at least)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, *db)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close(ctx)
	words := column(ctx, conn, "SELECT word FROM search_words WHERE products > 0 ORDER BY word")
	ids := column(ctx, conn, "SELECT id::text FROM products WHERE status = 'published' ORDER BY md5(id::text) LIMIT 3000")
	cats := column(ctx, conn, "SELECT slug FROM categories ORDER BY slug")
	provinces := column(ctx, conn, "SELECT DISTINCT province_code FROM products WHERE status = 'published' ORDER BY 1")
	if len(words) == 0 || len(ids) == 0 {
		log.Fatal("the benchmark database has no published products: run seed --scale first")
	}
	g := &gen{r: rand.New(rand.NewPCG(19, 2026)), words: words, cats: cats, provinces: provinces}
	api := g.mix(*n, ids, true)
	pages := g.mix(*n, ids, false)
	// Second pages: follow the first page of a sample of searches.
	client := &http.Client{Timeout: 10 * time.Second}
	for i := 0; i < *n/20; i++ {
		first := api[g.r.IntN(len(api))]
		if !strings.HasPrefix(first, "/api/v1/products?") {
			continue
		}
		cursor := nextCursor(client, *server+first)
		if cursor == "" {
			continue
		}
		api = append(api, first+"&cursor="+url.QueryEscape(cursor))
		if q := pageQuery(first); q != "" {
			pages = append(pages, "/cari?"+q+"&cursor="+url.QueryEscape(cursor))
		}
	}
	for name, list := range map[string][]string{"api.txt": api, "pages.txt": pages} {
		list = distinct(list)
		g.r.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
		if err := os.WriteFile(filepath.Join(*out, name), []byte(strings.Join(list, "\n")+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d distinct paths\n", name, len(list))
	}
}

func column(ctx context.Context, conn *pgx.Conn, sql string) []string {
	rows, err := conn.Query(ctx, sql)
	if err != nil {
		log.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		log.Fatal(err)
	}
	return out
}

type gen struct {
	r                      *rand.Rand
	words, cats, provinces []string
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// unsold are words buyers type that the benchmark catalog does not sell.
var unsold = strings.Fields(`durian madu hutan rendang bakso tenun songket ulos gamis mukena sepatu sandal dompet
	kerudung jilbab sarung peci lampu piring gelas mangkuk sendok garpu panci wajan tikar kasur bantal selimut
	tanaman bibit pupuk beras gula minyak telur ayam ikan udang cumi kerupuk emping rengginang dodol wajik lapis
	brownies bolu donat roti pizza teh susu cokelat vanila stroberi mangga jeruk apel anggur salak rambutan
	kelengkeng manggis nangka cempedak sirsak jambu pepaya semangka melon alpukat kelapa aren lontar pinang`)

// word is a catalog word, a typo of one, a word nobody sells or a made-up one.
func (g *gen) word() string {
	switch g.r.IntN(10) {
	case 0, 1, 2, 3:
		return g.pick(g.words)
	case 4, 5:
		return typo(g.r, g.pick(g.words))
	case 6, 7:
		return g.pick(unsold)
	default: // the long tail of distinct words: made up, mostly matching nothing
		syl := []string{"ka", "ru", "mi", "to", "la", "pe", "si", "nu", "da", "go", "ban", "tur", "sen", "ngi", "wa", "ri"}
		w := ""
		for range 2 + g.r.IntN(2) {
			w += g.pick(syl)
		}
		return w
	}
}

// typo drops, doubles or swaps a letter of w.
func typo(r *rand.Rand, w string) string {
	if len(w) < 4 {
		return w + w[len(w)-1:]
	}
	i := 1 + r.IntN(len(w)-2)
	switch r.IntN(3) {
	case 0:
		return w[:i] + w[i+1:]
	case 1:
		return w[:i] + w[i:i+1] + w[i:]
	default:
		return w[:i] + w[i+1:i+2] + w[i:i+1] + w[i+2:]
	}
}

// mix is n paths of the API (api) or of the pages: 70% searches, 10%
// browsing, 20% product pages.
func (g *gen) mix(n int, ids []string, api bool) []string {
	var out []string
	seen := map[string]bool{}
	add := func(path string) {
		if !seen[path] {
			seen[path] = true
			out = append(out, path)
		}
	}
	for len(out) < n {
		v := url.Values{}
		switch k := g.r.IntN(10); {
		case k < 7:
			q := g.word()
			if g.r.IntN(4) == 0 {
				q += " " + g.word()
			}
			v.Set("q", q)
			g.filters(v, api)
		case k < 8:
			v.Set("category", g.pick(g.cats))
			g.filters(v, api)
		default:
			id := g.pick(ids)
			if api {
				add("/api/v1/products/" + id)
			} else {
				add("/produk/" + id)
			}
			continue
		}
		if api {
			add("/api/v1/products?" + v.Encode())
		} else {
			add("/cari?" + v.Encode())
		}
	}
	return out
}

// filters adds a random set of filters and a sort; the pages have no
// province filter.
func (g *gen) filters(v url.Values, api bool) {
	if g.r.IntN(4) == 0 && v.Get("category") == "" {
		v.Set("category", g.pick(g.cats))
	}
	if api && g.r.IntN(5) == 0 {
		v.Set("province_code", g.pick(g.provinces))
	}
	if g.r.IntN(5) == 0 {
		v.Set("in_stock", "true")
	}
	if g.r.IntN(5) == 0 {
		lo := 5000 * (1 + g.r.IntN(20))
		v.Set("min_price_idr", fmt.Sprint(lo))
		v.Set("max_price_idr", fmt.Sprint(lo+5000*(1+g.r.IntN(20))))
	}
	if g.r.IntN(2) == 0 {
		v.Set("sort", g.pick([]string{"relevance", "newest", "price_asc", "price_desc"}))
	}
	if api && g.r.IntN(4) == 0 {
		v.Set("facets", "true")
	}
}

func nextCursor(c *http.Client, u string) string {
	resp, err := c.Get(u)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var body struct {
		NextCursor string `json:"next_cursor"`
	}
	if json.NewDecoder(resp.Body).Decode(&body) != nil {
		return ""
	}
	return body.NextCursor
}

// pageQuery is an API search's query as the search page takes it, or ""
// when the page has no such filter.
func pageQuery(apiPath string) string {
	u, err := url.Parse(apiPath)
	if err != nil {
		return ""
	}
	v := u.Query()
	if v.Has("province_code") {
		return ""
	}
	v.Del("facets")
	return v.Encode()
}

func distinct(list []string) []string {
	seen := map[string]bool{}
	out := list[:0:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
