package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/orders"
	"github.com/sentrakreasi/atensi/payouts"
)

// payoutWorld gives the world's PM shop money to pay out, a confirmed bank
// route, and a draft batch made by staffA: {batch} and its {line}.
func (w *world) payoutWorld(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	staffA := access.Actor{UserID: w.ids["staffA"], Role: access.Staff, UnitID: w.ids["unitA"]}
	supA := access.Actor{UserID: w.ids["supA"], Role: access.Supervisor, UnitID: w.ids["unitA"], Network: []string{w.ids["lksL"]}}
	var in orders.CheckoutInput
	in.Items = []orders.Item{{ProductID: w.ids["productLive"], Quantity: 2}}
	in.Buyer.Name, in.Buyer.Email, in.Buyer.Phone = "Pembeli", "buyer@uji.id", "081234567890"
	in.Shipping.Method, in.PaymentMethod = "pickup", "bank_transfer"
	g, err := w.a.orders.Checkout(ctx, access.Actor{}, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.orders.ConfirmTransfer(ctx, staffA, g.ID, g.Payment.Instructions.Reference); err != nil {
		t.Fatal(err)
	}
	for _, e := range []orders.Event{orders.Ship, orders.Deliver, orders.Complete} {
		if _, err := w.a.orders.MoveOrder(ctx, staffA, g.Orders[0].ID, orders.Move{Event: e}); err != nil {
			t.Fatalf("%s: %v", e, err)
		}
	}
	if _, err := w.a.payouts.SetRoute(ctx, staffA, w.ids["shopPM"], payouts.RouteInput{PayeeKind: payouts.PayeePM, Method: payouts.BankTransfer,
		AccountName: "Rekening Uji", Bank: "BRI", AccountNo: "0099887766554"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.payouts.ConfirmRoute(ctx, supA, w.ids["shopPM"]); err != nil {
		t.Fatal(err)
	}
	b, err := w.a.payouts.Draft(ctx, staffA, payouts.DraftInput{UnitID: w.ids["unitA"]})
	if err != nil {
		t.Fatal(err)
	}
	w.ids["batch"], w.ids["line"] = b.ID, b.Lines[0].ID
}

// TestSellerSeesNoAccountNumberNorIdentity: the seller-facing payout
// answers carry neither the full account number nor the PM's legal name or
// NIK; staff get the number only when they ask, and that read is audited.
func TestSellerSeesNoAccountNumberNorIdentity(t *testing.T) {
	w := newWorld(t)
	shop := w.ids["shopPM"]
	for _, path := range []string{"/api/v1/shops/" + shop + "/payout-route", "/api/v1/shops/" + shop + "/balance", "/api/v1/me/earnings"} {
		status, body := w.do(t, "seller", "GET", path, "")
		if status != 200 {
			t.Fatalf("seller GET %s = %d %s", path, status, body)
		}
		w.checkPrivacy(t, "seller "+path, body, false)
		if strings.Contains(string(body), "0099887766554") || strings.Contains(string(body), "Rekening Uji") {
			t.Errorf("seller GET %s shows the full account number or holder's name: %s", path, body)
		}
	}
	_, body := w.do(t, "seller", "GET", "/api/v1/shops/"+shop+"/payout-route", "")
	if !strings.Contains(string(body), "••••6554") {
		t.Errorf("the seller should see the masked number: %s", body)
	}
	if status, _ := w.do(t, "seller", "GET", "/api/v1/shops/"+shop+"/payout-route?include=account_no", ""); status != 403 {
		t.Errorf("a seller asking for the full number = %d, want 403", status)
	}
	status, body := w.do(t, "staffA", "GET", "/api/v1/shops/"+shop+"/payout-route?include=account_no", "")
	if status != 200 || !strings.Contains(string(body), "0099887766554") {
		t.Fatalf("staff full read = %d %s", status, body)
	}
	var n int64
	w.a.db.Gorm.Raw("SELECT count(*) FROM audit_log WHERE action = 'payout_route.read_account_no' AND actor_id = ?", w.ids["staffA"]).Scan(&n)
	if n != 1 {
		t.Errorf("full account number reads audited: %d, want 1", n)
	}
	var sealed int64
	w.a.db.Gorm.Raw("SELECT count(*) FROM payout_routes WHERE position(convert_to('0099887766554', 'UTF8') IN account_no_enc) > 0").Scan(&sealed)
	if sealed != 0 {
		t.Error("the account number is stored in the clear")
	}
	_, body = w.do(t, "staffA", "GET", "/api/v1/payout-batches/"+w.ids["batch"], "")
	var b payouts.Batch
	if err := json.Unmarshal(body, &b); err != nil || len(b.Lines) != 1 || b.Lines[0].AmountIDR != 50000 {
		t.Fatalf("batch: %s", body)
	}
}
