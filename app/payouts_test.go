package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
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
	v, err := w.a.payouts.SetRoute(ctx, staffA, w.ids["shopPM"], payouts.RouteInput{PayeeKind: payouts.PayeePM, Method: payouts.BankTransfer,
		AccountName: "Rekening Uji", Bank: "BRI", AccountNo: "0099887766554"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.payouts.ConfirmRoute(ctx, supA, w.ids["shopPM"], payouts.ConfirmInput{RouteID: v.Pending.ID}); err != nil {
		t.Fatal(err)
	}
	w.ids["staleRoute"] = v.Pending.ID // confirmed: naming it again later is naming a change no longer pending
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

// TestConfirmRouteOverHTTP: the confirmation names the change shown; a
// change replaced meanwhile is 409 and nothing changes, no route_id is 422,
// the maker is 403; the confirming page shows the new full number (an
// audited read) and carries the change's id.
func TestConfirmRouteOverHTTP(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	unitA := w.ids["unitA"]
	sup2, err := w.a.accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: "supa2@uji.id", Password: worldPassword, Name: "Supervisor Dua",
		Role: access.Supervisor, UnitID: &unitA})
	if err != nil {
		t.Fatal(err)
	}
	w.ids["supA2"], w.tokens["supA2"] = sup2.ID, w.login(t, "supA2")
	shop := w.ids["shopPM"]
	route := "/api/v1/shops/" + shop + "/payout-route"
	put := func(actor, no string) string {
		t.Helper()
		status, body := w.do(t, actor, "PUT", route, `{"payee_kind":"beneficiary","method":"bank_transfer","account_name":"Rekening Uji","bank":"BRI","account_no":"`+no+`"}`)
		var v payouts.RouteView
		if status != 200 || json.Unmarshal(body, &v) != nil || v.Pending == nil {
			t.Fatalf("PUT as %s = %d %s", actor, status, body)
		}
		return v.Pending.ID
	}
	current := func() string {
		var id string
		w.a.db.Gorm.Raw("SELECT id FROM payout_routes WHERE shop_id = ? AND status = 'confirmed'", shop).Scan(&id)
		return id
	}
	shown := put("staffA", "1111000011116554")
	put("staffA2", "2222000022226554") // the swap: same holder, same last four digits

	// The page a supervisor confirms on: the new full number beside the current one, read under audit.
	var reads int64
	status, page := w.do(t, "supA", "GET", "/staf/toko/"+shop+"/pembayaran", "")
	w.a.db.Gorm.Raw("SELECT count(*) FROM audit_log WHERE action = 'payout_route.read_account_no' AND actor_id = ?", w.ids["supA"]).Scan(&reads)
	if status != 200 || !strings.Contains(string(page), "2222000022226554") || !strings.Contains(string(page), "0099887766554") ||
		strings.Contains(string(page), "1111000011116554") || reads != 1 {
		t.Fatalf("confirming page = %d, audited reads %d:\n%s", status, reads, page)
	}

	if status, body := w.do(t, "supA", "POST", route+"/confirm", `{"route_id":"`+shown+`"}`); status != 409 {
		t.Fatalf("confirming the replaced change = %d %s, want 409", status, body)
	}
	if got := current(); got != w.ids["staleRoute"] {
		t.Fatalf("a stale confirmation changed the route in use to %s", got)
	}
	for _, body := range []string{"", `{}`} {
		if status, b := w.do(t, "supA", "POST", route+"/confirm", body); status != 422 || !strings.Contains(string(b), "route_id") {
			t.Fatalf("confirm with body %q = %d %s, want 422 on route_id", body, status, b)
		}
	}
	if status, _ := w.do(t, "supA", "POST", "/staf/toko/"+shop+"/pembayaran/konfirmasi", "route_id="+shown); status != 409 {
		t.Fatalf("the page confirming the replaced change = %d, want 409", status)
	}
	mine := put("supA", "3333000033336554")
	if status, _ := w.do(t, "supA", "POST", route+"/confirm", `{"route_id":"`+mine+`"}`); status != 403 {
		t.Fatalf("the maker confirming = %d, want 403", status)
	}
	if current() != w.ids["staleRoute"] {
		t.Fatal("the route in use changed before a proper confirmation")
	}
	status, body := w.do(t, "supA2", "POST", route+"/confirm", `{"route_id":"`+mine+`"}`)
	if status != 200 || current() != mine {
		t.Fatalf("another supervisor confirming the change shown = %d %s", status, body)
	}
}

// TestPayoutBatchPageOffersWhatTheTableAllows: the batch page shows a
// step's button only while the transition table allows it: approve and
// cancel on a draft (approve not to its maker), the paid form on the
// pending lines of an approved batch, nothing once the batch is closed.
func TestPayoutBatchPageOffersWhatTheTableAllows(t *testing.T) {
	w := newWorld(t)
	w.payoutWorld(t)
	path := "/staf/pembayaran/" + w.ids["batch"]
	forms := func(actor string) []string {
		t.Helper()
		p := w.page(t, actor, "GET", path, "")
		if p.status != 200 {
			t.Fatalf("%s GET %s = %d", actor, path, p.status)
		}
		var out []string
		line := "/baris/" + w.ids["line"]
		for _, step := range []string{"/setujui", "/batal", line + "/dibayar", line + "/diterima"} {
			if strings.Contains(p.body, `action="`+path+step+`"`) {
				out = append(out, strings.TrimPrefix(step, line))
			}
		}
		return out
	}
	want := func(what string, got []string, steps ...string) {
		t.Helper()
		if strings.Join(got, " ") != strings.Join(steps, " ") {
			t.Errorf("%s: forms %v, want %v", what, got, steps)
		}
	}
	want("draft, to its maker", forms("staffA"), "/batal")
	want("draft, to a supervisor", forms("supA"), "/setujui", "/batal")
	if p := w.page(t, "supA", "POST", path+"/setujui", ""); p.status != 303 {
		t.Fatalf("approve = %d %s", p.status, p.body)
	}
	want("approved", forms("staffA"), "/dibayar")
	if p := w.page(t, "staffA", "POST", path+"/baris/"+w.ids["line"]+"/dibayar", "reference=TRF-77&method=bank_transfer"); p.status != 303 {
		t.Fatalf("paid = %d %s", p.status, p.body)
	}
	want("closed", forms("staffA"))
	if b, err := w.a.payouts.ReadBatch(context.Background(), access.Actor{UserID: w.ids["staffA"], Role: access.Staff, UnitID: w.ids["unitA"]},
		w.ids["batch"]); err != nil || b.Status != payouts.Closed {
		t.Fatalf("batch after its only line was paid: %v %v", b.Status, err)
	}
}
