package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// The search and product pages run a fixed, small number of statements,
// whatever the page size: the word check (once a while per word), the
// items with their shops and photos, the facets; a product page one. The answers say what a
// correction searched, and a word like nothing gets a friendly page.
func TestSearchAndProductPagesRunFewStatements(t *testing.T) {
	clock := newTestClock()
	db := storagetest.DB(t)
	objects, _ := storagetest.Objects(t)
	w := newWorldOn(t, mustNew(t, testConfig(t), db, objects, WithClock(clock.Now)), clock)
	ctx := context.Background()
	seller := access.Actor{UserID: w.ids["seller"], Role: access.Seller, UnitID: w.ids["unitA"]}
	staff := access.Actor{UserID: w.ids["staffA"], Role: access.Staff, UnitID: w.ids["unitA"]}
	addProducts := func(n int) {
		for i := range n {
			title, price, stock, cat := fmt.Sprintf("Keripik Bayam %d", i), domain.IDR(20000), 5, "keripik"
			p, err := w.a.catalog.CreateProduct(ctx, seller, w.ids["shopPM"], catalog.ProductInput{Title: &title, Category: &cat, PriceIDR: &price, Stock: &stock})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Gorm.Exec(`INSERT INTO product_images (id, product_id, position, alt, upload_key, status, width, height, variants, created_at)
				VALUES (gen_random_uuid(), ?, 0, 'Foto', '', 'ready', 640, 480, '[{"key":"img/a.jpg","width":640,"type":"image/jpeg"}]', now())`, p.ID).Error; err != nil {
				t.Fatal(err)
			}
			if _, err := w.a.catalog.Publish(ctx, seller, p.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := w.a.catalog.Approve(ctx, staff, p.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	statements := storagetest.CountStatements(t, db.Gorm)
	page := func(path string) (string, int64) {
		t.Helper()
		statements.Store(0)
		resp := call(t, w.a, get(path), nil)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return string(body), statements.Load()
	}
	check := func(round, newest string) {
		t.Helper()
		for _, tt := range []struct {
			path       string
			statements int64
			contains   string
		}{
			{"/cari?q=keripik&sort=relevance&r=" + round, 3, newest},
			{"/cari?q=keripik&sort=newest&r=" + round, 2, newest}, // the word's check is reused
			{"/cari?q=kripik&r=" + round, 3, "Menampilkan hasil untuk “keripik”"},
			{"/cari?category=makanan&r=" + round, 2, newest},
			{"/cari?q=durian&r=" + round, 1, "Tidak ada produk untuk “durian”"},
			{"/produk/" + w.ids["productLive"], 1, "Keripik Talas Laris"},
			{"/api/v1/products?q=laris&r=" + round, 2, `"title":"Keripik Talas Laris"`},
			{"/api/v1/products/" + w.ids["productLive"], 1, `"title":"Keripik Talas Laris"`},
		} {
			body, n := page(tt.path)
			if n != tt.statements {
				t.Errorf("%s: GET %s ran %d statements, want %d", round, tt.path, n, tt.statements)
			}
			if !strings.Contains(body, tt.contains) {
				t.Errorf("%s: GET %s does not show %q", round, tt.path, tt.contains)
			}
		}
	}
	check("one", "Keripik Talas Laris")
	addProducts(30) // more than a page
	check("many", "Keripik Bayam 29")
}
