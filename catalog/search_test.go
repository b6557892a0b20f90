package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

func (f *shopFixture) setStock(t *testing.T, id string, stock int) {
	t.Helper()
	if _, err := f.svc.UpdateProduct(context.Background(), f.seller, id, catalog.ProductInput{Stock: &stock}); err != nil {
		t.Fatal(err)
	}
}

// Relevance ranks every match: all words in the title first, in stock
// before sold out, then a match in the description only, whatever the
// publication order (the newest product here is the description match).
func TestSearchRanksTitleThenStockThenDescription(t *testing.T) {
	f := newShopFixture(t)
	f.product(t, "Keripik Pisang Manis", "Renyah dan manis", "keripik", 15000, true)
	soldOut := f.product(t, "Keripik Pisang Pedas", "Renyah dan pedas", "keripik", 15000, true)
	f.setStock(t, soldOut.ID, 0)
	f.product(t, "Selai Nanas", "Tanpa pisang", "makanan", 20000, true)
	f.product(t, "Tas Anyam Pandan", "Motif daun pisang di tutupnya", "tas", 85000, true)
	f.product(t, "Kopi Robusta", "Kopi dari Lampung", "kopi", 30000, true)
	for _, paths := range []struct {
		name   string
		exact  int64
		window int
	}{{"read in full", 2000, 2000}, {"walked, window 2", 0, 2}, {"walked, window 100", 0, 100}} {
		t.Run(paths.name, func(t *testing.T) {
			defer catalog.SetSearchPaths(paths.exact, paths.window)()
			f.svc.ClearSearchCache()
			checkRanking(t, f)
		})
	}
}

func checkRanking(t *testing.T, f *shopFixture) {
	ctx := context.Background()
	want := []string{"Keripik Pisang Manis", "Keripik Pisang Pedas", "Tas Anyam Pandan", "Selai Nanas"}

	r, err := f.svc.Search(ctx, catalog.Query{Text: "pisang", Page: domain.Page{Limit: 24}})
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(r); !slices.Equal(got, want) {
		t.Fatalf("pisang: %v, want %v", got, want)
	}
	// One by one through the cursor: the same order, none twice, across tiers.
	var paged []string
	cursor := ""
	for range 10 {
		r, err := f.svc.Search(ctx, catalog.Query{Text: "pisang", Page: domain.Page{Limit: 1, Cursor: cursor}})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, titles(r)...)
		if cursor = r.NextCursor; cursor == "" {
			break
		}
	}
	if !slices.Equal(paged, want) {
		t.Errorf("pisang page by page: %v, want %v", paged, want)
	}
	r, _ = f.svc.Search(ctx, catalog.Query{Text: "pisang", InStock: true, Page: domain.Page{Limit: 24}})
	if got := titles(r); !slices.Equal(got, []string{"Keripik Pisang Manis", "Tas Anyam Pandan", "Selai Nanas"}) {
		t.Errorf("pisang in stock: %v", got)
	}
	r, _ = f.svc.Search(ctx, catalog.Query{Text: "pisang", Sort: "price_desc", Page: domain.Page{Limit: 24}})
	if got := titles(r); len(got) != 4 || got[0] != "Tas Anyam Pandan" {
		t.Errorf("pisang by price: %v", got)
	}
	paged = nil
	cursor = ""
	for range 10 {
		r, err := f.svc.Search(ctx, catalog.Query{Text: "pisang", Sort: "price_asc", Page: domain.Page{Limit: 3, Cursor: cursor}})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, titles(r)...)
		if cursor = r.NextCursor; cursor == "" {
			break
		}
	}
	if len(paged) != 4 || paged[3] != "Tas Anyam Pandan" {
		t.Errorf("pisang by price, 3 a page: %v", paged)
	}
	r, _ = f.svc.Search(ctx, catalog.Query{Text: "pisang", MinPrice: 16000, Page: domain.Page{Limit: 24}})
	if got := titles(r); !slices.Equal(got, []string{"Tas Anyam Pandan", "Selai Nanas"}) {
		t.Errorf("pisang from Rp16.000: %v", got)
	}
	r, _ = f.svc.Search(ctx, catalog.Query{Text: "pisang", MaxPrice: 50000, Sort: "price_asc", Page: domain.Page{Limit: 24}})
	if got := titles(r); !slices.Equal(got, []string{"Keripik Pisang Manis", "Keripik Pisang Pedas", "Selai Nanas"}) {
		t.Errorf("pisang to Rp50.000 by price: %v", got)
	}
	r, _ = f.svc.Search(ctx, catalog.Query{Text: "renyah manis", Page: domain.Page{Limit: 24}})
	if got := titles(r); !slices.Equal(got, []string{"Keripik Pisang Manis"}) {
		t.Errorf("renyah manis: %v", got)
	}
}

// A word no product holds is corrected to the nearest catalog word, and
// the answer says what was searched; a word like nothing answers empty
// after one statement, without reading products.
func TestSearchCorrectsTyposFromTheWordDictionary(t *testing.T) {
	f := newShopFixture(t)
	f.product(t, "Keripik Pisang Manis", "Pisang kepok digoreng renyah", "keripik", 15000, true)
	f.product(t, "Keripik Singkong Balado", "Singkong pedas", "keripik", 12000, true)
	f.product(t, "Kue Kering Nastar", "Selai nanas buatan sendiri, 200 gram", "kue_kering", 45000, true)
	ctx := context.Background()
	statements := storagetest.CountStatements(t, f.db.Gorm)
	tests := []struct {
		q, corrected string
		first        string // "" for no results
		statements   int64
	}{
		{"pisang", "", "Keripik Pisang Manis", 2},
		{"kripik", "keripik", "Keripik Singkong Balado", 2},
		{"keripk pisang", "keripik pisang", "Keripik Pisang Manis", 2},
		{"pisang kue", "", "", 2}, // known words, no product with both
		{"durian", "", "", 1},
		{"madu hutan", "", "", 1},
		{"kue 200", "", "Kue Kering Nastar", 2}, // numbers are searched as typed
	}
	for _, tt := range tests {
		f.svc.ClearSearchCache()
		statements.Store(0)
		r, err := f.svc.Search(ctx, catalog.Query{Text: tt.q, Page: domain.Page{Limit: 24}})
		if err != nil {
			t.Fatalf("q=%q: %v", tt.q, err)
		}
		first := ""
		if len(r.Items) > 0 {
			first = r.Items[0].Title
		}
		if r.Corrected != tt.corrected || first != tt.first {
			t.Errorf("q=%q: corrected %q, first %q (%v); want %q, %q", tt.q, r.Corrected, first, titles(r), tt.corrected, tt.first)
		}
		if got := statements.Load(); got != tt.statements {
			t.Errorf("q=%q ran %d statements, want %d", tt.q, got, tt.statements)
		}
	}
	// The dictionary's answers are reused (the fixture caches answers for a
	// minute, so this asks for another page size).
	statements.Store(0)
	if r, err := f.svc.Search(ctx, catalog.Query{Text: "kue 200", Page: domain.Page{Limit: 5}}); err != nil || len(r.Items) != 1 {
		t.Fatalf("kue 200 again: %v %v", titles(r), err)
	}
	if got := statements.Load(); got != 1 {
		t.Errorf("a query of known words ran %d statements, want 1 (the page)", got)
	}
}

// The dictionary follows the catalog: words of a published product count,
// a draft's do not, an edit waiting for review counts once approved, an
// archive takes them out, a stock change leaves them alone.
func TestWordDictionaryFollowsTheCatalog(t *testing.T) {
	f := newShopFixture(t)
	ctx := context.Background()
	count := func(word string) string {
		t.Helper()
		var r struct{ Products, Titles int }
		if err := f.db.Gorm.Raw("SELECT coalesce(max(products), -1) AS products, coalesce(max(titles), -1) AS titles FROM search_words WHERE word = ?", word).Scan(&r).Error; err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%d/%d", r.Products, r.Titles)
	}
	a := f.product(t, "Emping Melinjo", "Emping renyah", "keripik", 15000, true)
	f.product(t, "Emping Jagung", "Gurih", "keripik", 15000, true)
	f.product(t, "Rengginang Terasi", "Draf", "keripik", 15000, false)
	if got := count("emping") + " " + count("melinjo") + " " + count("renyah") + " " + count("rengginang"); got != "2/2 1/1 1/0 -1/-1" {
		t.Fatalf("after publishing: emping melinjo renyah rengginang = %s", got)
	}
	var inRoot int
	if err := f.db.Gorm.Raw("SELECT products FROM search_word_roots WHERE word = 'emping' AND category_root = 'makanan'").Scan(&inRoot).Error; err != nil || inRoot != 2 {
		t.Errorf("emping in makanan: %d %v, want 2", inRoot, err)
	}
	f.setStock(t, a.ID, 0)
	if got := count("emping"); got != "2/2" {
		t.Errorf("a stock change moved the counts: %s", got)
	}
	title := "Keripik Melinjo"
	if _, err := f.svc.UpdateProduct(ctx, f.seller, a.ID, catalog.ProductInput{Title: &title}); err != nil {
		t.Fatal(err)
	}
	if got := count("emping") + " " + count("keripik"); got != "2/2 -1/-1" {
		t.Errorf("after a title edit (waiting for review, the old title on sale): emping keripik = %s", got)
	}
	if _, err := f.svc.Publish(ctx, f.seller, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Approve(ctx, f.staff, a.ID); err != nil {
		t.Fatal(err)
	}
	if got := count("emping") + " " + count("keripik"); got != "2/1 1/1" {
		t.Errorf("after the edit is approved: emping keripik = %s", got)
	}
	if r, err := f.svc.Search(ctx, catalog.Query{Text: "melinjo", Page: domain.Page{Limit: 5}}); err != nil || len(r.Items) != 1 {
		t.Fatalf("melinjo before archiving: %v %v", titles(r), err)
	}
	if _, err := f.svc.Archive(ctx, f.seller, a.ID); err != nil {
		t.Fatal(err)
	}
	if got := count("melinjo") + " " + count("emping"); got != "0/0 1/1" {
		t.Errorf("after archiving: melinjo emping = %s", got)
	}
	if err := f.db.Gorm.Raw("SELECT products FROM search_word_roots WHERE word = 'emping' AND category_root = 'makanan'").Scan(&inRoot).Error; err != nil || inRoot != 1 {
		t.Errorf("emping in makanan after archiving: %d %v, want 1", inRoot, err)
	}
	r, err := f.svc.Search(ctx, catalog.Query{Text: "melinjo", Page: domain.Page{Limit: 5}})
	if err != nil || len(r.Items) != 0 || r.Corrected != "" {
		t.Errorf("an archived product's word (its answers cached before): %v %q %v", titles(r), r.Corrected, err)
	}
}

// Facet counts are exact over a small match set and marked as lower
// bounds past the cap.
func TestFacetsAreExactWhenSmall(t *testing.T) {
	f := newShopFixture(t)
	f.product(t, "Sambal Bawang", "", "sambal", 10000, true)
	f.product(t, "Sambal Roa", "", "sambal", 10000, true)
	f.product(t, "Batik Sambal", "", "batik", 10000, true)
	r, err := f.svc.Search(context.Background(), catalog.Query{Text: "sambal", Category: "makanan", Facets: catalog.AllFacets, Page: domain.Page{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(r.Facets); got != "map[category:[{makanan 2 false} {kerajinan 1 false}] province_code:[{32 2 false}]]" {
		t.Errorf("facets: %s", got)
	}
	// Without a category or province filter both facets count one read.
	r, err = f.svc.Search(context.Background(), catalog.Query{Text: "sambal", Facets: catalog.AllFacets, Page: domain.Page{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(r.Facets); got != "map[category:[{makanan 2 false} {kerajinan 1 false}] province_code:[{32 3 false}]]" {
		t.Errorf("facets without filters: %s", got)
	}
	r, err = f.svc.Search(context.Background(), catalog.Query{Text: "sambal", Facets: []string{catalog.FacetCategory}, Page: domain.Page{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(r.Facets); got != "map[category:[{makanan 2 false} {kerajinan 1 false}]]" {
		t.Errorf("the category facet alone: %s", got)
	}
	// A word no product of the category holds: nothing is read but the
	// category facet, which shows where the word is sold.
	statements := storagetest.CountStatements(t, f.db.Gorm)
	r, err = f.svc.Search(context.Background(), catalog.Query{Text: "bawang", Category: "kerajinan", Facets: catalog.AllFacets, Page: domain.Page{Limit: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(titles(r), r.Facets); got != "[] map[category:[{makanan 1 false}] province_code:[]]" {
		t.Errorf("bawang in kerajinan: %s", got)
	}
	if n := statements.Load(); n != 2 {
		t.Errorf("bawang in kerajinan ran %d statements, want 2 (the words, the category facet)", n)
	}
	// Past the cap the counts are lower bounds, and say so.
	defer catalog.SetFacetCap(2)()
	f.svc.ClearSearchCache()
	r, err = f.svc.Search(context.Background(), catalog.Query{Text: "sambal", Facets: []string{catalog.FacetProvince}, Page: domain.Page{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(r.Facets); got != "map[province_code:[{32 3 true}]]" {
		t.Errorf("facets past the cap: %s", got)
	}
	if _, err := f.svc.Search(context.Background(), catalog.Query{Facets: []string{"shop"}, Page: domain.Page{Limit: 1}}); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("an unknown facet: %v", err)
	}
}
