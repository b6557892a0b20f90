package catalog_test

import (
	"context"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/catalog/catalogtest"
	"github.com/sentrakreasi/atensi/domain"
)

// Active listings reach the case record: each maker of a product on sale
// counts it, drafts, archived products and paused shops do not, and a
// closed month keeps the count of its close, even through a recomputation.
func TestActiveListingsInTheCaseRecord(t *testing.T) {
	w := catalogtest.New(t)
	ctx := context.Background()
	a, b := w.PMShop(t, "Pembuat A"), w.PMShop(t, "Pembuat B")
	w.Product(t, a, "Keripik Singkong", 15000, 10)
	shared := w.Product(t, a, "Tas Rajut Bersama", 120000, 3)
	makers := []catalog.Maker{{CaseID: *a.CaseID, SharePct: 60}, {CaseID: *b.CaseID, SharePct: 40}}
	if _, err := w.Catalog.UpdateProduct(ctx, a.Seller, shared.ID, catalog.ProductInput{Makers: &makers}); err != nil {
		t.Fatal(err)
	}
	gone := w.Product(t, b, "Gantungan Kunci", 10000, 5)
	if _, err := w.Catalog.Archive(ctx, b.Seller, gone.ID); err != nil {
		t.Fatal(err)
	}
	title, cat, price, stock := "Sambal Bawang", "makanan", domain.IDR(20000), 4
	if _, err := w.Catalog.CreateProduct(ctx, b.Seller, b.ID, catalog.ProductInput{Title: &title, Category: &cat, PriceIDR: &price, Stock: &stock}); err != nil {
		t.Fatal(err) // a draft: not on sale
	}

	current := func(caseID string) *int {
		t.Helper()
		months, err := w.Cases.Outcomes(ctx, w.Staff, caseID, "", "")
		if err != nil || len(months) == 0 {
			t.Fatalf("outcomes: %v %v", months, err)
		}
		return months[len(months)-1].ActiveListings
	}
	want := func(what string, got *int, n int) {
		t.Helper()
		if got == nil || *got != n {
			t.Fatalf("%s: active listings %v, want %d", what, got, n)
		}
	}
	want("maker of two", current(*a.CaseID), 2)
	want("maker of a shared one", current(*b.CaseID), 1)
	load, err := w.Cases.Caseload(ctx, w.Staff, w.Unit.ID)
	if err != nil || len(load) != 2 {
		t.Fatalf("caseload: %v %v", load, err)
	}
	for _, it := range load {
		n := map[string]int{*a.CaseID: 2, *b.CaseID: 1}[it.ID]
		want("caseload", it.Current().ActiveListings, n)
	}

	// November closes on the 1st with the count of then.
	w.Clock.Advance(9 * 24 * time.Hour)
	if _, err := w.Cases.CloseDue(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Catalog.SetShopStatus(ctx, w.Staff, a.ID, catalog.ShopPaused); err != nil {
		t.Fatal(err)
	}
	want("paused shop, this month", current(*a.CaseID), 0)
	want("a shared product of a paused shop", current(*b.CaseID), 0)
	if _, err := w.Cases.Recompute(ctx, w.Admin, "2026-11", "pendapatan lain yang terlambat dicatat"); err != nil {
		t.Fatal(err)
	}
	months, err := w.Cases.Outcomes(ctx, w.Staff, *a.CaseID, "2026-11", "2026-11")
	if err != nil || len(months) != 1 || !months[0].Locked || months[0].Version != 2 {
		t.Fatalf("November after the recomputation: %+v %v", months, err)
	}
	want("closed month, recomputed", months[0].ActiveListings, 2)
}
