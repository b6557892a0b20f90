package app

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/orders"
)

// TestReceivingAccountRights: who may say where a unit's buyers transfer
// (CONTRACT.md): an admin and the unit's supervisor; its staff are
// refused (403), another unit's supervisor learns nothing (404); bad input
// is 422 naming the field; the checkout answers the account set.
func TestReceivingAccountRights(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	unitB := w.ids["unitB"]
	u, err := w.a.accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: "supb@uji.id", Password: worldPassword, Name: "Kepala B",
		Role: access.Supervisor, UnitID: &unitB})
	if err != nil {
		t.Fatal(err)
	}
	w.ids["supB"] = u.ID
	w.tokens["supB"] = w.login(t, "supB")
	path := "/api/v1/units/" + w.ids["unitA"] + "/receiving-account"
	body := `{"bank":"Bank Mandiri","account_no":"123-00-0456789-0","account_name":"Balai A Sentra"}`
	for _, tt := range []struct {
		actor string
		want  int
	}{{"", 401}, {"staffA", 403}, {"supB", 404}, {"staffB", 404}, {"lks", 404}, {"buyer", 404}, {"supA", 200}, {"admin", 200}} {
		if status, b := w.do(t, tt.actor, "PUT", path, body); status != tt.want {
			t.Errorf("%s sets unit A's account: %d %s, want %d", tt.actor, status, b, tt.want)
		}
	}
	status, b := w.do(t, "supA", "PUT", path, `{"bank":"","account_no":"12ab","account_name":"X"}`)
	if status != 422 || !strings.Contains(string(b), `"account_no"`) || !strings.Contains(string(b), `"bank"`) || !strings.Contains(string(b), `"account_name"`) {
		t.Errorf("bad account: %d %s", status, b)
	}
	status, b = w.do(t, "", "POST", "/api/v1/checkout", `{"items":[{"product_id":"`+w.ids["productLive"]+`","quantity":2}],
		"buyer":{"name":"Budi","email":"budi@contoh.id","phone":"081234567890"},"shipping":{"method":"pickup"},"payment_method":"bank_transfer"}`)
	var g struct {
		TotalIDR int64 `json:"total_idr"`
		Payment  struct {
			Instructions map[string]any `json:"instructions"`
		} `json:"payment"`
	}
	if err := json.Unmarshal(b, &g); status != 201 || err != nil {
		t.Fatalf("checkout: %d %s", status, b)
	}
	in := g.Payment.Instructions
	if in["bank"] != "Bank Mandiri" || in["account_no"] != "1230004567890" || in["account_name"] != "Balai A Sentra" ||
		in["amount_idr"] != float64(g.TotalIDR) || !strings.HasPrefix(in["reference"].(string), "ATN") || in["expires_at"] == nil {
		t.Errorf("instructions %v", in)
	}
}

var rupiahIn = regexp.MustCompile(`Rp[0-9.]+`)

// TestCheckoutPageShowsWhatTheOrderCharges: the checkout page names each
// shop's courier fee and pick-up place and the total by courier; the order
// placed from it charges exactly that total, and the order page then shows
// the account, the amount, the reference and the deadline in WIB.
func TestCheckoutPageShowsWhatTheOrderCharges(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	staffA := access.Actor{UserID: w.ids["staffA"], Role: access.Staff, UnitID: w.ids["unitA"]}
	if _, err := w.a.catalog.SetShopSettings(ctx, staffA, w.ids["shopPM"], catalog.ShopSettings{CourierFlatIDR: 17500,
		PickupPlace: "Sentra Balai A", PickupAddress: "Jl. Balai A No. 1", PickupHours: "Senin–Jumat 08.00–15.00 WIB"}); err != nil {
		t.Fatal(err)
	}
	buyer := access.Actor{UserID: w.ids["buyer"], Role: access.Buyer}
	if _, err := w.a.orders.SetCartItem(ctx, orders.CartOwner{Actor: buyer}, w.ids["productLive"], 2); err != nil {
		t.Fatal(err)
	}
	page := w.page(t, "buyer", "GET", "/checkout", "")
	if page.status != 200 {
		t.Fatalf("checkout page: %d", page.status)
	}
	for _, s := range []string{"Sentra Balai A", "Jl. Balai A No. 1", "Senin–Jumat 08.00–15.00 WIB", "Rp17.500", "Balai A Penerimaan"} {
		if !strings.Contains(page.body, s) {
			t.Errorf("the checkout page lacks %q", s)
		}
	}
	i := strings.Index(page.body, `data-total="courier"`)
	if i < 0 {
		t.Fatal("no courier total on the checkout page")
	}
	shown := rupiahIn.FindString(page.body[i:])
	if shown != "Rp67.500" { // 2 × Rp25.000 + Rp17.500
		t.Errorf("courier total shown %q, want Rp67.500", shown)
	}
	form := "buyer.name=Budi&buyer.email=budi%40contoh.id&buyer.phone=081234567890&shipping.method=courier&shipping.address=" +
		url.QueryEscape("Jl. Kenanga No. 1, Bekasi Timur") + "&payment_method=bank_transfer&_form=" + formToken(t, page.body)
	placed := w.page(t, "buyer", "POST", "/checkout", form)
	if placed.status != 303 || !strings.HasPrefix(placed.location, "/pesanan/") {
		t.Fatalf("checkout: %d %q", placed.status, placed.location)
	}
	var total int64
	id := strings.TrimPrefix(strings.SplitN(placed.location, "?", 2)[0], "/pesanan/")
	if err := w.a.db.Gorm.Raw("SELECT total_idr FROM order_groups WHERE id = ?", id).Row().Scan(&total); err != nil {
		t.Fatal(err)
	}
	if total != 67500 {
		t.Errorf("shown %s, charged Rp%d", shown, total)
	}
	order := w.page(t, "buyer", "GET", placed.location, "")
	for _, s := range []string{"BRI", "0341010007433", "Balai A Penerimaan", "Rp67.500", "ATN", " WIB", "Dapur Bu Sumarni"} {
		if !strings.Contains(order.body, s) {
			t.Errorf("the order page lacks %q", s)
		}
	}
	// The guest-or-buyer cancel: a confirm step, then one cancel for a double tap.
	confirm := w.page(t, "buyer", "GET", "/pesanan/"+id+"/batal", "")
	if confirm.status != 200 {
		t.Fatalf("cancel confirm page: %d", confirm.status)
	}
	tok := formToken(t, confirm.body)
	for range 2 {
		if done := w.page(t, "buyer", "POST", "/pesanan/"+id+"/batal", "_form="+tok); done.status != 303 || !strings.Contains(done.location, "ok=cancelled") {
			t.Fatalf("cancel: %d %q", done.status, done.location)
		}
	}
	if n := w.count(t, "SELECT count(*) FROM orders WHERE group_id = ? AND status = 'cancelled'", id); n != 1 {
		t.Errorf("%d cancelled orders, want 1", n)
	}
	if n := w.count(t, "SELECT count(*) FROM notifications WHERE kind = 'order_cancelled'"); n != 1 {
		t.Errorf("%d cancellation emails, want 1", n)
	}
}
