package orders_test

import (
	"context"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
)

func TestInStoreSaleCompletesAtOnceAndFeedsTheCase(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	shop := w.PMShop(t, "Toko Sentra")
	p := w.Product(t, shop, "Gantungan Kunci Kayu", 12500, 20)
	g, err := svc.RecordSale(ctx, w.Staff, orders.SaleInput{Items: []orders.Item{{ProductID: p.ID, Quantity: 2}}, PaymentMethod: "cash"})
	if err != nil {
		t.Fatal(err)
	}
	if g.PaymentStatus != "paid" || len(g.Orders) != 1 || g.Orders[0].Status != orders.Completed || g.TotalIDR != 25000 {
		t.Fatalf("in-store sale: %+v", g)
	}
	b, err := svc.ShopBalance(ctx, shop.Seller, shop.ID)
	if err != nil || b.AvailableIDR != 25000 || b.PendingIDR != 0 {
		t.Fatalf("balance after a cash sale: %+v %v", b, err)
	}
	if _, err := svc.RecordSale(ctx, shop.Seller, orders.SaleInput{Items: []orders.Item{{ProductID: p.ID, Quantity: 1}}, PaymentMethod: "cash"}); err == nil {
		t.Fatal("only store staff record in-store sales")
	}
	events, err := w.Cases.Events(ctx, w.Staff, *shop.CaseID, domain.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range events.Items {
		count[e.Type]++
		if e.Type == "sale_completed" && e.Data["attributed_idr"] != float64(25000) {
			t.Errorf("attributed %v, want 25000 (shipping and buyer never in the case)", e.Data)
		}
	}
	if count["sale_completed"] != 1 || count["first_sale"] != 1 {
		t.Fatalf("case events %v", count)
	}
	// The second sale is not a first sale.
	if _, err := svc.RecordSale(ctx, w.Staff, orders.SaleInput{Items: []orders.Item{{ProductID: p.ID, Quantity: 1}}, PaymentMethod: "qris"}); err != nil {
		t.Fatal(err)
	}
	events, _ = w.Cases.Events(ctx, w.Staff, *shop.CaseID, domain.Page{Limit: 50})
	count = map[string]int{}
	for _, e := range events.Items {
		count[e.Type]++
	}
	if count["sale_completed"] != 2 || count["first_sale"] != 1 {
		t.Fatalf("case events after a second sale %v", count)
	}
	checkLedger(t, svc)
}

func TestWorkshopSaleIsAttributedByMakerShares(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	a, b := w.PMShop(t, "Pembuat A"), w.PMShop(t, "Pembuat B")
	p := w.Product(t, a, "Tas Rajut Bersama", 100001, 5)
	makers := []catalog.Maker{{CaseID: *a.CaseID, SharePct: 60}, {CaseID: *b.CaseID, SharePct: 40}}
	if _, err := w.Catalog.UpdateProduct(ctx, a.Seller, p.ID, catalog.ProductInput{Makers: &makers}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RecordSale(ctx, w.Staff, orders.SaleInput{Items: []orders.Item{{ProductID: p.ID, Quantity: 1}}, PaymentMethod: "cash"}); err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, caseID := range []string{*a.CaseID, *b.CaseID} {
		events, err := w.Cases.Events(ctx, w.Staff, caseID, domain.Page{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events.Items {
			if e.Type == "sale_completed" {
				got[caseID] = e.Data["attributed_idr"].(float64)
			}
		}
	}
	// 60% of Rp100.001 is 60.000,6 and 40% is 40.000,4: the odd rupiah goes to the larger remainder.
	if got[*a.CaseID] != 60001 || got[*b.CaseID] != 40000 {
		t.Fatalf("attribution %v, want 60001 and 40000", got)
	}
}

func TestDeliveredOrdersCompleteAfterTheReturnWindow(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	shop := w.PMShop(t, "Sabar Menunggu")
	p := w.Product(t, shop, "Kue Nastar", 45000, 5)
	g, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ConfirmTransfer(ctx, w.Staff, g.ID, g.Payment.Instructions.Reference); err != nil {
		t.Fatal(err)
	}
	for _, e := range []orders.Event{orders.Ship, orders.Deliver} {
		if _, err := svc.MoveOrder(ctx, shop.Seller, g.Orders[0].ID, orders.Move{Event: e}); err != nil {
			t.Fatal(err)
		}
	}
	w.Clock.Advance(71 * time.Hour)
	if n, err := svc.AutoComplete(ctx); err != nil || n != 0 {
		t.Fatalf("before 3 days: %d completed, %v", n, err)
	}
	w.Clock.Advance(2 * time.Hour)
	if n, err := svc.AutoComplete(ctx); err != nil || n != 1 {
		t.Fatalf("after 3 days: %d completed, %v", n, err)
	}
	b, _ := svc.ShopBalance(ctx, shop.Seller, shop.ID)
	if b.AvailableIDR != 45000 {
		t.Fatalf("balance %+v", b)
	}
}
