package catalog_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// SeedScale loads its products in chunks, one statement each, reporting
// after each; makers and photos follow every product, and the word
// dictionary counts them all.
func TestSeedScaleLoadsInChunks(t *testing.T) {
	defer catalog.SetSeedChunk(1000)()
	f := newShopFixture(t)
	ctx := context.Background()
	shops := f.scaleShops(t, 3)
	photo := catalog.Image{Srcset: []catalog.Variant{{URL: "https://cdn.example/media/img/a.jpg", Width: 640, Type: "image/jpeg"}}}
	var loaded []int
	if _, err := f.svc.SeedScale(ctx, shops, 2500, []catalog.Image{photo}, func(n int) { loaded = append(loaded, n) }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(loaded, []int{1000, 2000, 2500}) {
		t.Errorf("progress %v, want after each chunk of 1000", loaded)
	}
	var got struct{ Products, Makers, Photos, Pisang, Bekasi int }
	if err := f.db.Gorm.Raw(`SELECT (SELECT count(*) FROM products WHERE status = 'published') AS products,
		(SELECT count(*) FROM product_makers) AS makers, (SELECT count(*) FROM product_images) AS photos,
		(SELECT count(*) FROM products WHERE title_search @@ to_tsquery('indonesian', 'pisang')) AS pisang,
		(SELECT products FROM search_words WHERE word = 'bekasi') AS bekasi`).Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got.Products != 2500 || got.Makers != 2500 || got.Photos != 2500 || got.Pisang == 0 || got.Bekasi == 0 {
		t.Errorf("loaded %+v", got)
	}
	// A town is only in descriptions: found, below every title match.
	r, err := f.svc.Search(ctx, catalog.Query{Text: "keripik bekasi", Page: domain.Page{Limit: 5}})
	if err != nil || len(r.Items) == 0 {
		t.Fatalf("keripik bekasi: %v %v", titles(r), err)
	}
}

// scaleShops opens n PM cases with consent to sell, for SeedScale's shops.
func (f *shopFixture) scaleShops(t testing.TB, n int) []catalog.ScaleShop {
	t.Helper()
	var shops []catalog.ScaleShop
	for range n {
		c, err := f.cases.Create(context.Background(), f.staff, cases.NewCase{
			Beneficiary: cases.NewBeneficiary{LegalName: "PM Skala", BirthDate: "1980-01-01", Sex: "female", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 2},
			Cluster:     cases.ClusterDisabilitas, Pillar: "komunitas", UnitID: f.unit,
			Consents: []cases.ConsentInput{{Purpose: cases.PurposeSelling, GivenBy: "self"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		shops = append(shops, catalog.ScaleShop{UnitID: f.unit, CaseID: c.ID, OwnerID: f.seller.UserID})
	}
	return shops
}

// BenchmarkSearch times one search of each kind, answer cache off, over
// BENCH_PRODUCTS products loaded by SeedScale (default 20,000), and
// reports the statements each ran: the cost per kind make bench's long
// tail mixes.
func BenchmarkSearch(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("BENCH_PRODUCTS")); err == nil && v > 0 {
		n = v
	}
	f := newShopFixture(b)
	ctx := context.Background()
	if _, err := f.svc.SeedScale(ctx, f.scaleShops(b, max(1, n/2000)), n, nil, nil); err != nil {
		b.Fatal(err)
	}
	f.svc.DisableAnswerCache()
	statements := storagetest.CountStatements(b, f.db.Gorm)
	for _, bc := range []struct {
		name string
		q    catalog.Query
	}{
		{"common word", catalog.Query{Text: "pisang"}},
		{"common word by price", catalog.Query{Text: "pisang", Sort: "price_asc"}},
		{"word in descriptions", catalog.Query{Text: "bekasi"}},
		{"typo", catalog.Query{Text: "kripik"}},
		{"nothing like it", catalog.Query{Text: "durian"}},
		{"two words rarely together", catalog.Query{Text: "balado pedas"}},
		{"word not sold in the category", catalog.Query{Text: "kaos", Category: "makanan"}},
		{"word with a price range", catalog.Query{Text: "tas", MinPrice: 90000, MaxPrice: 110000}},
		{"search page (category facet)", catalog.Query{Text: "keripik", Facets: []string{catalog.FacetCategory}}},
		{"browse a category", catalog.Query{Category: "makanan"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bc.q.Page = domain.Page{Limit: domain.DefaultLimit}
			statements.Store(0)
			for b.Loop() {
				if _, err := f.svc.Search(ctx, bc.q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(statements.Load())/float64(b.N), "statements/op")
		})
	}
}
