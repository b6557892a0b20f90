package app

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
)

// secondPM opens another PM of Balai A with a shop owned by "Pak Darmo",
// a published product, and delegates it to the world's pendamping with
// scopes; it answers the case and the product.
func (w *world) secondPM(t *testing.T, scopes []access.Scope) (caseID, productID string) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	unitA := w.ids["unitA"]
	staffA := access.Actor{UserID: w.ids["staffA"], Role: access.Staff, UnitID: unitA}
	c, err := w.a.cases.Create(ctx, staffA, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{LegalName: "Darmo Rahasia", BirthDate: "1970-06-06", Sex: "male", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 2},
		Cluster:     cases.ClusterDisabilitas, Pillar: "komunitas", UnitID: unitA,
		Consents: []cases.ConsentInput{{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}, {Purpose: cases.PurposeSelling, GivenBy: "self"}},
	})
	must(err)
	owner, err := w.a.accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: "darmo@uji.id", Password: worldPassword, Name: "Pak Darmo", Role: access.Seller, UnitID: &unitA})
	must(err)
	shop, err := w.a.catalog.CreateShop(ctx, staffA, catalog.NewShop{Kind: catalog.BeneficiaryShop, DisplayName: "Kayu Pak Darmo", UnitID: unitA, CaseID: &c.ID, OwnerUserID: owner.ID})
	must(err)
	asOwner := access.Actor{UserID: owner.ID, Role: access.Seller, UnitID: unitA}
	title, cat, price, stock := "Talenan Jati", "kerajinan", domain.IDR(32500), 20
	p, err := w.a.catalog.CreateProduct(ctx, asOwner, shop.ID, catalog.ProductInput{Title: &title, Category: &cat, PriceIDR: &price, Stock: &stock})
	must(err)
	must(w.a.db.Gorm.Exec(`INSERT INTO product_images (id, product_id, position, alt, upload_key, status, width, height, variants, created_at)
		VALUES (gen_random_uuid(), ?, 0, 'Talenan', '', 'ready', 640, 480, '[]', now())`, p.ID).Error)
	_, err = w.a.catalog.Publish(ctx, asOwner, p.ID)
	must(err)
	_, err = w.a.catalog.Approve(ctx, staffA, p.ID)
	must(err)
	if scopes != nil {
		_, err = w.a.cases.Delegate(ctx, staffA, cases.NewDelegation{PendampingID: w.ids["pendamping"], CaseID: c.ID, Scopes: scopes, ExpiresAt: w.clock.Now().Add(10 * 24 * time.Hour)})
		must(err)
	}
	return c.ID, p.ID
}

var actingBanner = regexp.MustCompile(`Anda bertindak atas nama ([^<]+)</strong>`)

// TestPendampingSeesWhoseShopAndSwitches: every seller page a pendamping
// opens says for which PM (and shop) they act, with the delegation's
// scopes and end; with two PM a switcher chooses, remembered in a cookie
// that the server checks again on every request. The PM themself sees no
// such banner. An expired or revoked delegation cannot be chosen.
func TestPendampingSeesWhoseShopAndSwitches(t *testing.T) {
	w := newWorld(t)
	darmo, _ := w.secondPM(t, []access.Scope{access.ScopeListings, access.ScopeEarnings})

	first := w.page(t, "pendamping", "GET", "/jual", "")
	m := actingBanner.FindStringSubmatch(first.body)
	if first.status != 200 || m == nil {
		t.Fatalf("no acting banner: %d\n%s", first.status, first.body)
	}
	// Shops by name: Dapur Bu Sumarni comes before Kayu Pak Darmo.
	if m[1] != "Pengguna seller (Dapur Bu Sumarni)" || !strings.Contains(first.body, "Produk, Pesanan") ||
		!strings.Contains(first.body, "berlaku sampai 23 Desember 2026 WIB") || !strings.Contains(first.body, `<option value="`+darmo+`">Pak Darmo (Kayu Pak Darmo)</option>`) {
		t.Fatalf("banner %q\n%s", m[1], first.body)
	}
	if strings.Contains(first.body, "Kayu Pak Darmo</a>") || !strings.Contains(first.body, "Produk PM") {
		t.Errorf("the page shows another PM's shop, or the menu says whose")
	}
	for _, path := range []string{"/jual/pesanan", "/jual/pendapatan"} {
		if got := w.page(t, "pendamping", "GET", path, ""); !actingBanner.MatchString(got.body) {
			t.Errorf("%s: %d without the acting banner", path, got.status)
		}
	}

	sw := w.page(t, "pendamping", "POST", "/jual/atas-nama", "case_id="+darmo+"&next="+url.QueryEscape("/jual/pendapatan"))
	cookie := sw.header.Get("Set-Cookie")
	if sw.status != 303 || sw.location != "/jual/pendapatan" || !strings.Contains(cookie, "atensi_pm="+darmo) {
		t.Fatalf("switch: %d to %q, cookie %q", sw.status, sw.location, cookie)
	}
	chosen := "atensi_pm=" + darmo
	earn := w.page(t, "pendamping", "GET", "/jual/pendapatan", "", chosen)
	if m := actingBanner.FindStringSubmatch(earn.body); m == nil || m[1] != "Pak Darmo (Kayu Pak Darmo)" ||
		!strings.Contains(earn.body, "Pendapatan Pak Darmo") || !strings.Contains(earn.body, "milik Pak Darmo, bukan milik pendamping") {
		t.Fatalf("after the switch: %v\n%s", m, earn.body)
	}
	if strings.Contains(earn.body, "Semua hasil penjualan adalah milik Anda") {
		t.Error("the earnings page tells the pendamping the money is theirs")
	}

	// Revoked: the cookie chooses nothing any more, and choosing it again is refused.
	staffA := access.Actor{UserID: w.ids["staffA"], Role: access.Staff, UnitID: w.ids["unitA"]}
	ds, err := w.a.cases.ActiveDelegations(context.Background(), w.ids["pendamping"])
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.CaseID == darmo {
			if _, err := w.a.cases.Revoke(context.Background(), staffA, d.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	after := w.page(t, "pendamping", "GET", "/jual", "", chosen)
	if m := actingBanner.FindStringSubmatch(after.body); m == nil || m[1] != "Pengguna seller (Dapur Bu Sumarni)" || strings.Contains(after.body, "Pak Darmo") {
		t.Fatalf("after the revocation: %v", m)
	}
	if !strings.Contains(after.body, "<h1>Produk Pengguna seller</h1>") || strings.Contains(after.body, ">Produk saya<") {
		t.Error("the pendamping's product page is titled as theirs, not the PM's")
	}
	if got := w.page(t, "pendamping", "POST", "/jual/atas-nama", "case_id="+darmo); got.status != 404 || strings.Contains(got.header.Get("Set-Cookie"), "atensi_pm=") {
		t.Fatalf("choosing a revoked delegation: %d %q", got.status, got.header.Get("Set-Cookie"))
	}
	// Expired: the world's other pendamping sees no banner and may choose nothing.
	if got := w.page(t, "pendampingExpired", "GET", "/jual", ""); actingBanner.MatchString(got.body) {
		t.Error("an expired delegation still shows whose shop")
	}
	if got := w.page(t, "pendampingExpired", "POST", "/jual/atas-nama", "case_id="+w.ids["caseAudited"]); got.status != 404 {
		t.Errorf("choosing an expired delegation: %d", got.status)
	}
	// The PM themself works in their own name.
	own := w.page(t, "seller", "GET", "/jual", "")
	if own.status != 200 || strings.Contains(own.body, "bertindak atas nama") || !strings.Contains(own.body, ">Produk saya<") {
		t.Fatalf("the PM's own page: %d", own.status)
	}
}

// TestMenusOnThePages: a buyer's header has no seller or staff link; staff
// get their folded group; nobody's header compares roles in the template.
func TestMenusOnThePages(t *testing.T) {
	w := newWorld(t)
	buyer := w.page(t, "buyer", "GET", "/akun", "")
	for _, never := range []string{`href="/jual"`, `href="/jual/pesanan"`, `href="/jual/pendapatan"`, `href="/staf/`} {
		if strings.Contains(buyer.body, never) {
			t.Errorf("the buyer's menu has %s", never)
		}
	}
	if !strings.Contains(buyer.body, `href="/akun/pesanan"`) {
		t.Error("the buyer's menu lacks their orders")
	}
	staff := w.page(t, "staffA", "GET", "/staf/kasir", "")
	if !strings.Contains(staff.body, `<summary>Kerja staf</summary>`) || !strings.Contains(staff.body, `href="/staf/kasir" aria-current="page"`) ||
		strings.Contains(staff.body, `href="/staf/persetujuan"`) {
		t.Error("the staff menu: folded group, the page marked, no approvals for non-supervisors")
	}
	if sup := w.page(t, "supA", "GET", "/staf/kasus", ""); !strings.Contains(sup.body, `href="/staf/persetujuan"`) {
		t.Error("the supervisor's menu lacks approvals")
	}
}

// TestCancelAndRefundAskFirst: the orders list only links to a page that
// says what will happen; that page's form does it, once.
func TestCancelAndRefundAskFirst(t *testing.T) {
	w := newWorld(t)
	id := w.ids["orderPaid"]
	list := w.page(t, "staffA", "GET", "/staf/pesanan?status=paid", "")
	if strings.Contains(list.body, `action="/staf/pesanan/`+id+`/batal"`) || strings.Contains(list.body, `action="/staf/pesanan/`+id+`/refund"`) ||
		!strings.Contains(list.body, `href="/staf/pesanan/`+id+`/batal?status=paid"`) || !strings.Contains(list.body, `href="/staf/pesanan/`+id+`/refund?status=paid"`) {
		t.Fatalf("the list acts at once or lacks the steps:\n%s", list.body)
	}
	ask := w.page(t, "staffA", "GET", "/staf/pesanan/"+id+"/batal?status=paid", "")
	if ask.status != 200 || !strings.Contains(ask.body, "Ya, batalkan pesanan") || !strings.Contains(ask.body, `action="/staf/pesanan/`+id+`/batal"`) {
		t.Fatalf("cancel step: %d", ask.status)
	}
	// The refund's first step is a form that only asks; its second says how much and does it.
	first := w.page(t, "staffA", "GET", "/staf/pesanan/"+id+"/refund", "")
	if first.status != 200 || !strings.Contains(first.body, `method="get"`) || strings.Contains(first.body, `name="_form"`) {
		t.Fatalf("refund step 1: %d", first.status)
	}
	tooMuch := w.page(t, "staffA", "GET", "/staf/pesanan/"+id+"/refund?periksa=1&amount_idr=999999&reason=x", "")
	if tooMuch.status != 422 || !strings.Contains(tooMuch.body, "paling banyak Rp") {
		t.Fatalf("refund more than left: %d", tooMuch.status)
	}
	second := w.page(t, "staffA", "GET", "/staf/pesanan/"+id+"/refund?periksa=1&amount_idr=5.000&reason=penyok", "")
	if second.status != 200 || !strings.Contains(second.body, "Ya, kembalikan Rp5.000") {
		t.Fatalf("refund step 2: %d\n%s", second.status, second.body)
	}
	form := "amount_idr=5.000&reason=penyok&_form=" + formToken(t, second.body)
	for range 2 { // a double tap
		if got := w.page(t, "staffA", "POST", "/staf/pesanan/"+id+"/refund", form); got.status != 303 {
			t.Fatalf("refund: %d", got.status)
		}
	}
	if n := w.count(t, `SELECT refunded_idr FROM orders WHERE id = ?`, id); n != 5000 {
		t.Fatalf("refunded %d, want 5000 once", n)
	}
	cancel := "reason=salah+pesan&status=paid&_form=" + formToken(t, ask.body)
	for range 2 { // a double tap
		if got := w.page(t, "staffA", "POST", "/staf/pesanan/"+id+"/batal", cancel); got.status != 303 || got.location != "/staf/pesanan?ok=cancelled&status=paid" {
			t.Fatalf("cancel: %d to %q", got.status, got.location)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM orders WHERE id = ? AND status = 'cancelled'`, id); n != 1 {
		t.Fatal("the order is not cancelled")
	}
	if done := w.page(t, "staffA", "GET", "/staf/pesanan/"+id+"/batal", ""); !strings.Contains(done.body, "tidak bisa dibatalkan lagi") || strings.Contains(done.body, "Ya, batalkan") {
		t.Error("a cancelled order's step still offers to cancel")
	}
	if other := w.page(t, "staffB", "GET", "/staf/pesanan/"+id+"/batal", ""); other.status != 404 {
		t.Errorf("another Balai's staff: %d", other.status)
	}
}

// TestTillSearchTotalAndChange: the till searches its shelf, keeps what was
// chosen while searching, adds up the sale and works out the change.
func TestTillSearchTotalAndChange(t *testing.T) {
	w := newWorld(t)
	_, talenan := w.secondPM(t, nil)
	live := w.ids["productLive"]
	found := w.page(t, "staffA", "GET", "/staf/kasir?q=talenan", "")
	if !strings.Contains(found.body, `name="qty.`+talenan+`"`) || strings.Contains(found.body, `name="qty.`+live+`"`) {
		t.Fatalf("search for talenan:\n%s", found.body)
	}
	if none := w.page(t, "staffA", "GET", "/staf/kasir?q=tidakada", ""); !strings.Contains(none.body, "Tidak ada produk tersedia untuk “tidakada”") {
		t.Error("a search with no match says so")
	}
	// Searching again keeps the chosen quantity (PRG to the till's query).
	back := w.page(t, "staffA", "POST", "/staf/kasir", "do=search&q=talenan&payment_method=cash&tendered=100.000&qty."+live+"=2")
	if back.status != 303 || !strings.Contains(back.location, "qty."+live+"=2") || strings.Contains(back.location, "_csrf") {
		t.Fatalf("search: %d to %q", back.status, back.location)
	}
	page := w.page(t, "staffA", "GET", back.location+"&qty."+talenan+"=1", "")
	// 2 × Rp25.000 + 1 × Rp32.500 = Rp82.500; Rp100.000 handed over: Rp17.500 back.
	for _, want := range []string{`id="till-total" aria-live="polite">Rp82.500</output>`, `id="till-change" aria-live="polite">Rp17.500</output>`,
		`value="100.000"`, "Dalam penjualan ini"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the till lacks %s", want)
		}
	}
	if short := w.page(t, "staffA", "GET", "/staf/kasir?qty."+live+"=3&tendered=50000", ""); !strings.Contains(short.body, "Uang kurang Rp25.000") {
		t.Error("cash short of the total is said")
	}
	sale := "do=sale&payment_method=cash&tendered=100000&qty." + live + "=2&qty." + talenan + "=1&_form=" + formToken(t, page.body)
	sold := w.page(t, "staffA", "POST", "/staf/kasir", sale)
	if sold.status != 303 {
		t.Fatalf("sale: %d", sold.status)
	}
	if again := w.page(t, "staffA", "POST", "/staf/kasir", sale); again.location != sold.location {
		t.Fatalf("a double tap: %q, want %q", again.location, sold.location)
	}
	receipt := w.page(t, "staffA", "GET", sold.location, "")
	if !strings.Contains(receipt.body, "Jumlah harga: Rp82.500") || !strings.Contains(receipt.body, "Kembalian: Rp17.500") {
		t.Fatalf("receipt:\n%s", receipt.body)
	}
	if n := w.count(t, `SELECT count(*) FROM order_groups WHERE sold_by = ?`, w.ids["staffA"]); n != 1 {
		t.Fatalf("%d sales, want 1", n)
	}
	// The staff list names a buyer at the Sentra in the reader's language, stored as nothing.
	if n := w.count(t, `SELECT count(*) FROM order_groups WHERE sold_by = ? AND buyer_name = ''`, w.ids["staffA"]); n != 1 {
		t.Error("the sale stores a buyer's name")
	}
	en := w.page(t, "staffA", "GET", "/staf/pesanan?status=completed&lang=en", "")
	if !strings.Contains(en.body, "A buyer at the Sentra") || strings.Contains(en.body, "Pembeli di Sentra") {
		t.Error("the in-store buyer in English")
	}
}

// TestTransferCardShowsTheWholePayment: a buyer's transfer pays every
// shop's order of the group; the staff card shows the whole amount, the
// buyer and each shop's part, not only this unit's order.
func TestTransferCardShowsTheWholePayment(t *testing.T) {
	w := newWorld(t)
	_, talenan := w.secondPM(t, nil)
	var in orders.CheckoutInput
	in.Items = []orders.Item{{ProductID: w.ids["productLive"], Quantity: 2}, {ProductID: talenan, Quantity: 1}}
	in.Buyer.Name, in.Buyer.Email, in.Buyer.Phone = "Ibu Transfer", "transfer@uji.id", "081234567891"
	in.Shipping.Method = "pickup"
	in.PaymentMethod = "bank_transfer"
	g, err := w.a.orders.Checkout(context.Background(), access.Actor{}, in)
	if err != nil {
		t.Fatal(err)
	}
	list := w.page(t, "staffA", "GET", "/staf/pesanan?status=pending_payment", "")
	at := strings.Index(list.body, g.Payment.Instructions.Reference)
	if at < 0 {
		t.Fatalf("the group's orders are not listed")
	}
	card := list.body[at:]
	card = card[:strings.Index(card, "</section>")]
	for _, want := range []string{"Ibu Transfer", `<strong class="price big">Rp` + strings.TrimPrefix(g.TotalIDR.String(), "Rp") + `</strong>`,
		"Dapur Bu Sumarni — Rp50.000", "Kayu Pak Darmo — Rp32.500"} {
		if !strings.Contains(card, want) {
			t.Errorf("the transfer card lacks %q:\n%s", want, card)
		}
	}
}
