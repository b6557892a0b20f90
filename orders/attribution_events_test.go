package orders_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/orders"
)

func TestSaleEventsCarryBuyerHashShippingAndAssistanceButNoBuyer(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	shop := w.PMShop(t, "Kirim Tepat")
	p := w.Product(t, shop, "Batik Tulis", 150000, 10)
	buy := func() string {
		t.Helper()
		g, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("courier", orders.Item{ProductID: p.ID, Quantity: 1}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ConfirmTransfer(ctx, w.Staff, g.ID, g.Payment.Instructions.Reference); err != nil {
			t.Fatal(err)
		}
		return g.Orders[0].ID
	}
	first, second := buy(), buy()
	w.Clock.Advance(time.Hour)
	for _, id := range []string{first, second} {
		for _, m := range []orders.Move{{Event: orders.Ship, Carrier: "JNE", TrackingNo: "R1"}, {Event: orders.Deliver}, {Event: orders.Complete}} {
			if _, err := svc.MoveOrder(ctx, w.Staff, id, m); err != nil {
				t.Fatal(err)
			}
		}
		w.Clock.Advance(72 * time.Hour) // the second ships late
	}
	var rows []struct {
		Type string
		Data []byte
	}
	if err := w.DB.Gorm.Raw("SELECT type, data FROM case_events WHERE case_id = ? ORDER BY id", *shop.CaseID).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var sales []map[string]any
	for _, r := range rows {
		for _, secret := range []string{"budi", "Budi", "0812", "Melati", "Bekasi Timur"} {
			if strings.Contains(string(r.Data), secret) {
				t.Fatalf("%s event carries buyer data %q: %s", r.Type, secret, r.Data)
			}
		}
		if r.Type == "sale_completed" {
			var d map[string]any
			if err := json.Unmarshal(r.Data, &d); err != nil {
				t.Fatal(err)
			}
			sales = append(sales, d)
		}
	}
	if len(sales) != 2 {
		t.Fatalf("sale_completed events: %d", len(sales))
	}
	if sales[0]["buyer_hash"] == nil || sales[0]["buyer_hash"] != sales[1]["buyer_hash"] {
		t.Fatalf("the same buyer has the same hash: %v", sales)
	}
	if sales[0]["shipped_on_time"] != true || sales[1]["shipped_on_time"] != false || sales[0]["assisted"] != false {
		t.Fatalf("shipping and assistance: %v", sales)
	}
}

func TestRefundOfACompletedSharedSaleIsAttributedToEachMaker(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	a, b := w.PMShop(t, "Pembuat A"), w.PMShop(t, "Pembuat B")
	p := w.Product(t, a, "Tas Rajut Bersama", 100001, 5)
	makers := []catalog.Maker{{CaseID: *a.CaseID, SharePct: 60}, {CaseID: *b.CaseID, SharePct: 40}}
	if _, err := w.Catalog.UpdateProduct(ctx, a.Seller, p.ID, catalog.ProductInput{Makers: &makers}); err != nil {
		t.Fatal(err)
	}
	g, err := svc.RecordSale(ctx, w.Staff, orders.SaleInput{Items: []orders.Item{{ProductID: p.ID, Quantity: 1}}, PaymentMethod: "cash"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MoveOrder(ctx, w.Staff, g.Orders[0].ID, orders.Move{Event: orders.Refund, AmountIDR: 50001, Reason: "cacat"}); err != nil {
		t.Fatal(err)
	}
	sums := map[string]int64{}
	for _, caseID := range []string{*a.CaseID, *b.CaseID} {
		var rows []struct {
			Type string
			Amt  int64
		}
		if err := w.DB.Gorm.Raw(`SELECT type, (data->>'attributed_idr')::bigint AS amt FROM case_events
			WHERE case_id = ? AND type IN ('sale_completed', 'refund') ORDER BY id`, caseID).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			sums[caseID+"/"+r.Type] += r.Amt
		}
	}
	// 60/40 of 100,001 is 60,001 + 40,000; of the 50,001 refunded, 30,001 + 20,000.
	want := map[string]int64{*a.CaseID + "/sale_completed": 60001, *b.CaseID + "/sale_completed": 40000,
		*a.CaseID + "/refund": -30001, *b.CaseID + "/refund": -20000}
	for k, v := range want {
		if sums[k] != v {
			t.Errorf("%s = %d, want %d (all: %v)", k, sums[k], v, sums)
		}
	}
	out, err := w.Cases.Outcomes(ctx, w.Staff, *a.CaseID, "", "")
	if err != nil || len(out) == 0 {
		t.Fatalf("outcomes: %v %v", out, err)
	}
	last := out[len(out)-1]
	if last.AttributedSalesIDR != 60001 || last.RefundsIDR != -30001 || last.NetIncomeIDR != 30000 || last.OrdersCompleted != 1 {
		t.Fatalf("this month of maker A: %+v", last)
	}
}

func TestWithdrawnDataBridgeConsentStopsNewSaleEvents(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	a, b := w.PMShop(t, "Pembuat A"), w.PMShop(t, "Pembuat B")
	p := w.Product(t, a, "Tas Rajut Bersama", 100000, 5)
	makers := []catalog.Maker{{CaseID: *a.CaseID, SharePct: 60}, {CaseID: *b.CaseID, SharePct: 40}}
	if _, err := w.Catalog.UpdateProduct(ctx, a.Seller, p.ID, catalog.ProductInput{Makers: &makers}); err != nil {
		t.Fatal(err)
	}
	sell := func() {
		t.Helper()
		if _, err := svc.RecordSale(ctx, w.Staff, orders.SaleInput{Items: []orders.Item{{ProductID: p.ID, Quantity: 1}}, PaymentMethod: "cash"}); err != nil {
			t.Fatal(err)
		}
	}
	sales := func(caseID string) int {
		t.Helper()
		var n int
		if err := w.DB.Gorm.Raw("SELECT count(*) FROM case_events WHERE case_id = ? AND type = 'sale_completed'", caseID).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	sell()
	if _, err := w.Cases.RecordConsent(ctx, w.Staff, *b.CaseID, cases.ConsentInput{Purpose: cases.PurposeDataBridge, GivenBy: "self", Action: "withdrawn"}); err != nil {
		t.Fatal(err)
	}
	sell()
	if got := sales(*a.CaseID); got != 2 {
		t.Fatalf("maker A, who still consents, has %d sale events, want 2", got)
	}
	if got := sales(*b.CaseID); got != 1 {
		t.Fatalf("maker B withdrew the data bridge and has %d sale events, want the 1 from before", got)
	}
}
