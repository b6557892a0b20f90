package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/catalog/catalogtest"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/frontend"
	"github.com/sentrakreasi/atensi/orders"
)

// testClock is a clock tests move by hand.
type testClock = catalogtest.Clock

func newTestClock() *testClock {
	return catalogtest.NewClock(time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC))
}

const worldPassword = "kata-sandi-uji-2026"

// world is a small but complete organisation: two Balai, an LKS in the
// first one's network, every role, cases in each sensitivity tier and
// delegations, with a logged-in token for every actor.
type world struct {
	a      *App
	clock  *testClock
	tokens map[string]string // actor -> bearer token
	ids    map[string]string // name -> id
	// secrets are values that must never appear in an answer to someone
	// without the right to them.
	secrets []string
}

// actors are the callers of the authorization table, "anon" being nobody.
var actors = []string{"anon", "admin", "staffA", "staffA2", "supA", "staffB", "lks", "pendamping", "pendampingExpired", "seller", "buyer"}

func newWorld(t *testing.T) *world {
	t.Helper()
	clock := newTestClock()
	return newWorldOn(t, newTestApp(t, WithClock(clock.Now)), clock)
}

// newWorldOn builds the world in an app made by the caller (whose clock
// must be clock).
func newWorldOn(t *testing.T, a *App, clock *testClock) *world {
	t.Helper()
	w := &world{a: a, clock: clock, tokens: map[string]string{}, ids: map[string]string{}}
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	admin, err := w.a.accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: "admin@uji.id", Password: worldPassword, Name: "Admin", Role: access.Admin})
	must(err)
	asAdmin := access.Actor{UserID: admin.ID, Role: access.Admin}
	unit := func(kind accounts.UnitKind, name string, parent *string) string {
		u, err := w.a.accounts.CreateUnit(ctx, asAdmin, accounts.NewUnit{Kind: kind, Name: name, ProvinceCode: "32", RegencyCode: "3275", ParentID: parent})
		must(err)
		return u.ID
	}
	w.ids["unitA"] = unit(accounts.Balai, "Balai A", nil)
	w.ids["unitB"] = unit(accounts.Balai, "Balai B", nil)
	unitA := w.ids["unitA"]
	_, err = w.a.accounts.SetReceivingAccount(ctx, asAdmin, unitA, accounts.ReceivingAccountInput{Bank: "BRI", AccountNo: "0341010007433", AccountName: "Balai A Penerimaan"})
	must(err)
	w.ids["lksL"] = unit(accounts.LKS, "LKS L", &unitA)
	w.ids["admin"] = admin.ID
	for _, p := range []struct {
		key  string
		role access.Role
		unit string
	}{
		{"staffA", access.Staff, "unitA"}, {"staffA2", access.Staff, "unitA"}, {"supA", access.Supervisor, "unitA"},
		{"staffB", access.Staff, "unitB"}, {"lks", access.LKSManager, "lksL"}, {"pendamping", access.Pendamping, "unitA"},
		{"pendampingExpired", access.Pendamping, "unitA"}, {"pendampingSpare", access.Pendamping, "unitA"}, {"seller", access.Seller, "unitA"},
	} {
		unitID := w.ids[p.unit]
		u, err := w.a.accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: strings.ToLower(p.key) + "@uji.id", Password: worldPassword,
			Name: "Pengguna " + p.key, Role: p.role, UnitID: &unitID})
		must(err)
		w.ids[p.key] = u.ID
	}
	buyer, err := w.a.accounts.Register(ctx, accounts.NewUser{Email: "buyer@uji.id", Password: worldPassword, Name: "Pembeli"})
	must(err)
	w.ids["buyer"] = buyer.ID

	staffA := access.Actor{UserID: w.ids["staffA"], Role: access.Staff, UnitID: unitA}
	newCase := func(name, nik, birth string, cluster cases.Cluster, victim bool) string {
		givenBy := "self"
		if birth > "2009" {
			givenBy = "guardian"
		}
		c, err := w.a.cases.Create(ctx, staffA, cases.NewCase{
			Beneficiary: cases.NewBeneficiary{LegalName: name, NIK: nik, BirthDate: birth, Sex: "female", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 3},
			Cluster:     cluster, Pillar: "komunitas", UnitID: unitA, Victim: victim,
			Consents: []cases.ConsentInput{{Purpose: cases.PurposeCaseManagement, GivenBy: givenBy}},
		})
		must(err)
		w.secrets = append(w.secrets, name)
		if nik != "" {
			w.secrets = append(w.secrets, nik)
		}
		return c.ID
	}
	w.ids["caseAudited"] = newCase("Sumarni Binti Kasan", "3275014101800002", "1980-01-01", cases.ClusterDisabilitas, false)
	_, err = w.a.cases.RecordConsent(ctx, staffA, w.ids["caseAudited"], cases.ConsentInput{Purpose: cases.PurposeSelling, GivenBy: "self"})
	must(err)
	w.ids["caseProtected"] = newCase("Yanto Napza Rahasia", "3275010202900003", "1990-02-02", cases.ClusterNapza, false)
	w.ids["caseClosed"] = newCase("Melati Korban Tppo", "3275014303950004", "1995-03-03", cases.ClusterTPPO, false)
	w.ids["caseChildVictim"] = newCase("Anak Rahasia Sekali", "", "2014-04-04", cases.ClusterAnak, true)
	// Two cases proposed for graduation, decided through the API and the page.
	for _, key := range []string{"caseGraduating", "caseGraduatingPage"} {
		w.ids[key] = newCase("Wagiman Siap "+key[4:], "", "1975-05-05", cases.ClusterDisabilitas, false)
		g, err := w.a.cases.ReviewGraduation(ctx, staffA, w.ids[key], cases.NewGraduationReview{Decision: cases.GraduationGraduate})
		must(err)
		w.ids["review"+key[4:]] = strconv.FormatInt(g.ID, 10)
	}

	delegate := func(pendamping string, expires time.Time) string {
		d, err := w.a.cases.Delegate(ctx, staffA, cases.NewDelegation{PendampingID: w.ids[pendamping], CaseID: w.ids["caseAudited"],
			Scopes: []access.Scope{access.ScopeListings, access.ScopeOrders}, ExpiresAt: expires})
		must(err)
		return d.ID
	}
	w.ids["delegation"] = delegate("pendamping", clock.Now().Add(30*24*time.Hour))
	w.ids["delegationExpiring"] = delegate("pendampingExpired", clock.Now().Add(time.Hour))
	w.ids["delegationSpare"] = delegate("pendampingSpare", clock.Now().Add(30*24*time.Hour))

	caseID := w.ids["caseAudited"]
	shop, err := w.a.catalog.CreateShop(ctx, staffA, catalog.NewShop{Kind: catalog.BeneficiaryShop, DisplayName: "Dapur Bu Sumarni",
		UnitID: unitA, CaseID: &caseID, OwnerUserID: w.ids["seller"]})
	must(err)
	w.ids["shopPM"] = shop.ID
	asLKS := access.Actor{UserID: w.ids["lks"], Role: access.LKSManager, UnitID: w.ids["lksL"]}
	workshop, err := w.a.catalog.CreateShop(ctx, asLKS, catalog.NewShop{Kind: catalog.WorkshopShop, DisplayName: "Bengkel Anyaman L",
		UnitID: w.ids["lksL"], OwnerUserID: w.ids["lks"]})
	must(err)
	w.ids["shopLKS"] = workshop.ID
	asSeller := access.Actor{UserID: w.ids["seller"], Role: access.Seller, UnitID: unitA}
	product := func(title string) string {
		price, stock, cat := domain.IDR(25000), 10, "keripik"
		p, err := w.a.catalog.CreateProduct(ctx, asSeller, shop.ID, catalog.ProductInput{Title: &title, Category: &cat, PriceIDR: &price, Stock: &stock})
		must(err)
		return p.ID
	}
	w.ids["productDraft"] = product("Keripik Pisang Draf")
	w.ids["productArchivable"] = product("Keripik Singkong Lama")
	live := product("Keripik Talas Laris")
	must(w.a.db.Gorm.Exec(`INSERT INTO product_images (id, product_id, position, alt, upload_key, status, width, height, variants, created_at)
		VALUES (gen_random_uuid(), ?, 0, 'Keripik talas', '', 'ready', 640, 480, '[]', now())`, live).Error)
	must(w.a.db.Gorm.Exec("UPDATE products SET stock = 1000 WHERE id = ?", live).Error)
	_, err = w.a.catalog.Publish(ctx, asSeller, live)
	must(err)
	_, err = w.a.catalog.Approve(ctx, staffA, live)
	must(err)
	w.ids["productLive"] = live
	asBuyer := access.Actor{UserID: w.ids["buyer"], Role: access.Buyer}
	order := func(ship bool) string {
		var in orders.CheckoutInput
		in.Items = []orders.Item{{ProductID: live, Quantity: 1}}
		in.Buyer.Name, in.Buyer.Email, in.Buyer.Phone = "Pembeli", "buyer@uji.id", "081234567890"
		in.Shipping.Method, in.Shipping.Address = "courier", "Jl. Kenanga No. 1, Bekasi"
		in.PaymentMethod = "bank_transfer"
		g, err := w.a.orders.Checkout(ctx, asBuyer, in)
		must(err)
		_, err = w.a.orders.ConfirmTransfer(ctx, staffA, g.ID, g.Payment.Instructions.Reference)
		must(err)
		w.ids["group"], w.ids["reference"] = g.ID, g.Payment.Instructions.Reference
		if ship {
			_, err = w.a.orders.MoveOrder(ctx, staffA, g.Orders[0].ID, orders.Move{Event: orders.Ship, Carrier: "JNE", TrackingNo: "X1"})
			must(err)
		}
		return g.Orders[0].ID
	}
	w.ids["badToken"], w.ids["noAsset"] = "not-a-token", "nothing.css"
	w.ids["noImage"] = strings.Repeat("ab", 32) + ".jpg"
	w.ids["openMonth"] = "2099-01" // not over yet: nothing to recompute
	w.ids["productPhotos"] = product("Tas Untuk Foto")
	w.ids["imageDraft"] = w.readyImage(t, w.ids["productPhotos"])
	w.ids["orderShipped"] = order(true)
	w.ids["orderPaid"] = order(false)
	w.payoutWorld(t)

	for _, key := range actors[1:] {
		w.tokens[key] = w.login(t, key)
	}
	// The expiring delegation is now past; every session is still fresh.
	clock.Advance(61 * time.Minute)
	return w
}

// readyImage stands in for a processed photo of a product.
func (w *world) readyImage(t *testing.T, productID string) string {
	t.Helper()
	id := domain.NewID()
	if err := w.a.db.Gorm.Exec(`INSERT INTO product_images (id, product_id, position, alt, upload_key, status, width, height, variants, created_at)
		VALUES (?, ?, 1, 'foto', '', 'ready', 640, 480, '[]', now())`, id, productID).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// prepares make a fresh resource before each request of a row that
// removes what it is sent to.
var prepares = map[string]func(t *testing.T, w *world){
	"DELETE /api/v1/images/{freshImage}": func(t *testing.T, w *world) { w.ids["freshImage"] = w.readyImage(t, w.ids["productPhotos"]) },
	"DELETE /api/v1/products/{freshProduct}": func(t *testing.T, w *world) {
		title, cat, price, stock := "Produk Sekali Pakai", "tas", domain.IDR(10000), 1
		p, err := w.a.catalog.CreateProduct(context.Background(), access.Actor{UserID: w.ids["seller"], Role: access.Seller, UnitID: w.ids["unitA"]},
			w.ids["shopPM"], catalog.ProductInput{Title: &title, Category: &cat, PriceIDR: &price, Stock: &stock})
		if err != nil {
			t.Fatal(err)
		}
		w.ids["freshProduct"] = p.ID
	},
}

func (w *world) login(t *testing.T, key string) string {
	t.Helper()
	email := strings.ToLower(key) + "@uji.id"
	token, _, err := w.a.accounts.Login(context.Background(), email, worldPassword, accounts.Client{IP: "192.0.2." + fmt.Sprint(len(key))})
	if err != nil {
		t.Fatalf("login %s: %v", key, err)
	}
	return token
}

// expand fills {name} placeholders with ids and {n} with a fresh number.
func (w *world) expand(s string, n int) string {
	for k, v := range w.ids {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return strings.ReplaceAll(s, "{n}", fmt.Sprint(n))
}

// do sends a request as actor and returns the status and body.
func (w *world) do(t *testing.T, actor, method, path, body string) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	page := !strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/webhooks/") && path != "/healthz" && path != "/readyz"
	switch {
	case !page:
		req.Header.Set("Content-Type", "application/json")
		if tok := w.tokens[actor]; tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
	default:
		// Pages: the session cookie, and a form with its CSRF token.
		const seed = "seed-for-the-authorization-table"
		cookie := "atensi_csrf=" + seed
		if tok := w.tokens[actor]; tok != "" {
			cookie += "; atensi_session=" + tok
		}
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Accept", "text/html")
		if method == http.MethodPost {
			form := "_csrf=" + frontend.CSRFToken(csrfKey(w.a.cfg.DataKey), seed)
			if body != "" {
				form += "&" + body
			}
			req = httptest.NewRequest(method, path, strings.NewReader(form))
			req.Header.Set("Cookie", cookie)
			req.Header.Set("Accept", "text/html")
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	resp, err := w.a.HTTP().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s as %s: %v", method, path, actor, err)
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// expect builds the expected status of every actor from a default and exceptions.
func expect(def int, except map[string]int) map[string]int {
	out := map[string]int{}
	for _, a := range actors {
		out[a] = def
	}
	if def != 200 && def != 201 && def != 204 {
		out["anon"] = 401
	}
	for k, v := range except {
		out[k] = v
	}
	return out
}

// unitStaff are the actors that work in Balai A's case management.
func unitStaff(status int) map[string]int {
	return map[string]int{"staffA": status, "staffA2": status, "supA": status}
}

func merge(ms ...map[string]int) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

type route struct {
	method, path, body string
	want               map[string]int
	// fresh runs the request on a throwaway session, for requests that end
	// the session they are made with.
	fresh bool
}

var authzTable = []route{
	{"GET", "/healthz", "", expect(200, nil), false},
	{"GET", "/readyz", "", expect(200, nil), false},
	{"POST", "/api/v1/auth/login", `{"email":"buyer@uji.id","password":"` + worldPassword + `"}`, expect(200, nil), false},
	{"POST", "/api/v1/auth/register", `{"name":"Baru {n}","email":"baru{n}@uji.id","password":"` + worldPassword + `"}`, expect(202, map[string]int{"anon": 202}), false},
	{"POST", "/api/v1/auth/logout", "", expect(204, map[string]int{"anon": 401}), true},
	{"POST", "/api/v1/auth/password", `{"current_password":"wrong-password","new_password":"another-pass-2026"}`, expect(422, nil), false},
	{"POST", "/api/v1/auth/password-reset", `{"token":"not-a-token","password":"another-pass-2026"}`, expect(422, map[string]int{"anon": 422}), false},
	{"GET", "/api/v1/me", "", expect(200, map[string]int{"anon": 401}), false},
	{"POST", "/api/v1/units", `{"kind":"balai","name":"Balai {n}","province_code":"31","regency_code":"3171"}`, expect(403, map[string]int{"admin": 201}), false},
	{"GET", "/api/v1/units/{unitA}", "", expect(404, merge(unitStaff(200), map[string]int{"admin": 200, "pendamping": 200, "pendampingExpired": 200, "seller": 200})), false},
	{"PATCH", "/api/v1/units/{unitB}", `{"publish_without_review":false}`, expect(404, map[string]int{"admin": 200, "staffB": 403}), false},
	// Where unit A's buyers transfer to: its head or an admin; its staff see the unit but may not.
	{"PUT", "/api/v1/units/{unitA}/receiving-account", `{"bank":"BRI","account_no":"0341010007433","account_name":"Balai A Penerimaan"}`,
		expect(404, map[string]int{"admin": 200, "supA": 200, "staffA": 403, "staffA2": 403}), false},
	{"GET", "/api/v1/units/{unitA}/users", "", expect(404, merge(unitStaff(200), map[string]int{"admin": 200})), false},
	{"POST", "/api/v1/users", `{"email":"penjual{n}@uji.id","password":"` + worldPassword + `","name":"Penjual {n}","role":"seller","unit_id":"{unitA}"}`,
		expect(403, merge(unitStaff(201), map[string]int{"admin": 201, "staffB": 404})), false},
	{"POST", "/api/v1/users/{seller}/password-link", "", expect(404, merge(unitStaff(201), map[string]int{"admin": 201})), false},
	{"POST", "/api/v1/cases", `{"beneficiary":{"legal_name":"Warga Baru {n}","birth_date":"1970-05-05","sex":"male","province_code":"32","regency_code":"3275","household_size":2},"cluster":"lansia","pillar":"keluarga","unit_id":"{unitA}","consents":[{"purpose":"case_management","given_by":"self"}]}`,
		expect(404, unitStaff(201)), false},
	{"GET", "/api/v1/cases/{caseAudited}", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/cases/{caseProtected}", "", expect(404, merge(unitStaff(200), map[string]int{"staffA2": 403})), false},
	{"GET", "/api/v1/cases/{caseClosed}", "", expect(404, merge(unitStaff(403), map[string]int{"staffA": 200})), false},
	{"GET", "/api/v1/cases/{caseChildVictim}", "", expect(404, merge(unitStaff(403), map[string]int{"staffA": 200})), false},
	{"GET", "/api/v1/cases/{caseAudited}/events", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/cases/{caseAudited}/access-log", "", expect(404, unitStaff(200)), false},
	{"POST", "/api/v1/cases/{caseAudited}/consents", `{"purpose":"aggregate_reporting","given_by":"self"}`, expect(404, unitStaff(201)), false},
	{"GET", "/api/v1/cases/{caseAudited}/delegations", "", expect(404, unitStaff(200)), false},
	{"POST", "/api/v1/delegations", `{"pendamping_user_id":"{pendampingSpare}","case_id":"{caseAudited}","scopes":["listings"],"expires_at":"2027-01-01T00:00:00Z"}`,
		expect(404, unitStaff(201)), false},
	{"POST", "/api/v1/delegations/{delegationSpare}/revoke", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/me/delegations", "", expect(200, map[string]int{"anon": 401}), false},
	// The case record's staff entries and indicators follow the case's tier; reference data is public to read, admin to write.
	{"GET", "/api/v1/reference/minimum-wages", "", expect(200, nil), false},
	{"POST", "/api/v1/reference/minimum-wages", `{"year":2027,"province_code":"32","amount_idr":2400000,"source":"uji {n}"}`, expect(403, map[string]int{"admin": 201}), false},
	{"GET", "/api/v1/reference/poverty-lines?province_code=32", "", expect(200, nil), false},
	{"POST", "/api/v1/reference/poverty-lines", `{"period":"2026-03","province_code":"32","amount_idr":560000,"source":"uji {n}"}`, expect(403, map[string]int{"admin": 201}), false},
	{"GET", "/api/v1/cases/{caseAudited}/services", "", expect(404, unitStaff(200)), false},
	{"POST", "/api/v1/cases/{caseAudited}/services", `{"component":"vocational_entrepreneurship","date":"2026-11-02","note":"Pelatihan {n}"}`, expect(404, unitStaff(201)), false},
	{"GET", "/api/v1/cases/{caseAudited}/incomes", "", expect(404, unitStaff(200)), false},
	{"POST", "/api/v1/cases/{caseAudited}/incomes", `{"month":"2026-10","amount_idr":500000,"kind":"wage","verified":true}`, expect(404, unitStaff(201)), false},
	{"POST", "/api/v1/cases/{caseAudited}/household-sizes", `{"from_month":"2026-11","size":4}`, expect(404, unitStaff(201)), false},
	{"GET", "/api/v1/cases/{caseAudited}/outcomes?from=2026-06&to=2026-11", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/cases/{caseProtected}/outcomes", "", expect(404, merge(unitStaff(200), map[string]int{"staffA2": 403})), false},
	{"GET", "/api/v1/units/{unitA}/outcomes", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/units/{unitA}/outcomes.csv?from=2026-01&to=2026-11", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/units/{unitA}/outcomes.xlsx", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/units/{unitA}/case-outcomes.csv?from=2026-01&to=2026-11", "", expect(404, unitStaff(200)), false},

	{"GET", "/api/v1/categories", "", expect(200, nil), false},
	{"GET", "/api/v1/products?q=keripik", "", expect(200, nil), false},
	{"GET", "/api/v1/shops/{shopPM}", "", expect(200, nil), false},
	{"POST", "/api/v1/shops", `{"kind":"lks_workshop","display_name":"Bengkel {n}","unit_id":"{lksL}","owner_user_id":"{lks}"}`,
		expect(404, map[string]int{"lks": 201, "supA": 201}), false},
	{"POST", "/api/v1/shops/{shopLKS}/status", `{"status":"active"}`, expect(404, map[string]int{"supA": 200}), false},
	{"GET", "/api/v1/shops/{shopPM}/products", "", expect(404, merge(sellerSide(200))), false},
	{"POST", "/api/v1/shops/{shopPM}/products", `{"title":"Keripik {n}","category":"keripik","price_idr":15000,"stock":5}`,
		expect(404, sellerSide(201)), false},
	// Another shop (the LKS workshop's) is out of reach of the PM shop's seller and pendamping.
	{"POST", "/api/v1/shops/{shopLKS}/products", `{"title":"Tas {n}","category":"tas","price_idr":15000,"stock":5}`,
		expect(404, map[string]int{"lks": 201, "supA": 201}), false},
	{"GET", "/api/v1/products/{productDraft}", "", expect(404, merge(sellerSide(200), map[string]int{"anon": 404})), false},
	{"PATCH", "/api/v1/products/{productDraft}", `{"price_idr":26000}`, expect(404, sellerSide(200)), false},
	{"POST", "/api/v1/products/{productDraft}/publish", "", expect(404, sellerSide(422)), false},
	{"POST", "/api/v1/products/{productDraft}/approve", "", expect(404, unitStaff(409)), false},
	{"POST", "/api/v1/products/{productDraft}/reject", `{"reason":""}`, expect(404, unitStaff(422)), false},
	{"POST", "/api/v1/products/{productArchivable}/archive", "", expect(404, sellerSide(200)), false},
	{"GET", "/api/v1/units/{unitA}/review-queue", "", expect(404, unitStaff(200)), false},
	{"POST", "/api/v1/products/{productPhotos}/images", "", expect(404, sellerSide(422)), false}, // no file: refused after the policy
	{"PATCH", "/api/v1/images/{imageDraft}", `{"alt":"Keripik pisang dalam kemasan"}`, expect(404, sellerSide(200)), false},
	{"PUT", "/api/v1/products/{productPhotos}/images/order", `{"image_ids":[]}`, expect(404, sellerSide(422)), false},
	{"DELETE", "/api/v1/images/{freshImage}", "", expect(404, sellerSide(204)), false},
	{"DELETE", "/api/v1/products/{freshProduct}", "", expect(404, sellerSide(204)), false},
	{"GET", "/media/img/{noImage}", "", expect(404, map[string]int{"anon": 404}), false},

	{"POST", "/api/v1/checkout", `{"items":[{"product_id":"{productLive}","quantity":1}],"buyer":{"name":"Pembeli {n}","email":"p{n}@uji.id","phone":"081234567890"},"shipping":{"method":"pickup"},"payment_method":"bank_transfer"}`,
		expect(201, nil), false},
	{"POST", "/api/v1/order-groups/{group}/confirm-payment", `{"reference":"{reference}"}`, expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/orders/{orderPaid}", "", expect(404, merge(sellerSide(200), map[string]int{"buyer": 200})), false},
	{"POST", "/api/v1/orders/{orderPaid}/ship", "", expect(404, merge(sellerSide(422), map[string]int{"buyer": 403, "pendamping": 404})), false}, // no shipping scope
	{"POST", "/api/v1/orders/{orderPaid}/deliver", "", expect(404, merge(sellerSide(409), map[string]int{"buyer": 409, "pendamping": 404})), false},
	{"POST", "/api/v1/orders/{orderPaid}/complete", "", expect(404, merge(sellerSide(409), map[string]int{"buyer": 409})), false},
	{"POST", "/api/v1/orders/{orderShipped}/cancel", "", expect(404, merge(sellerSide(409), map[string]int{"buyer": 409})), false},
	{"POST", "/api/v1/orders/{orderPaid}/refunds", `{"amount_idr":1000,"reason":""}`, expect(404, merge(sellerSide(403), unitStaff(422), map[string]int{"buyer": 403})), false},
	{"GET", "/api/v1/shops/{shopPM}/orders", "", expect(404, sellerSide(200)), false},
	{"GET", "/api/v1/me/orders", "", expect(200, map[string]int{"anon": 401}), false},
	{"GET", "/api/v1/units/{unitA}/orders?status=paid", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/shops/{shopPM}/balance", "", expect(404, merge(sellerSide(200), map[string]int{"pendamping": 404})), false},
	{"GET", "/api/v1/ledger/check", "", expect(403, map[string]int{"admin": 200}), false},
	{"GET", "/api/v1/notifications", "", expect(403, map[string]int{"admin": 200}), false},
	// Everyone has a cart of their own: a guest's comes with a token.
	{"PUT", "/api/v1/cart/items/{productLive}", `{"quantity":2}`, expect(200, map[string]int{"anon": 200}), false},
	{"GET", "/api/v1/cart", "", expect(200, map[string]int{"anon": 200}), false},
	{"DELETE", "/api/v1/cart", "", expect(204, map[string]int{"anon": 204}), false},
	// Stripe signs, not users; off in this world, it is not there for anyone.
	{"POST", "/webhooks/stripe", `{}`, expect(404, map[string]int{"anon": 404}), false},
	// Payouts: the world's PM shop has a confirmed bank route and a draft batch {batch} made by staffA.
	{"GET", "/api/v1/shops/{shopPM}/payout-route", "", expect(404, merge(unitStaff(200), map[string]int{"seller": 200})), false},
	{"PUT", "/api/v1/shops/{shopPM}/payout-route", `{"payee_kind":"guardian","method":"cash","account_name":"Wali Uji"}`, expect(404, unitStaff(200)), false},
	// The last change above is supA's own: nobody here may confirm it (whatever change they name).
	{"POST", "/api/v1/shops/{shopPM}/payout-route/confirm", `{"route_id":"{staleRoute}"}`, expect(404, unitStaff(403)), false},
	{"POST", "/api/v1/shops/{shopPM}/cash-sales", `{"amount_idr":5000,"reference":"kas-{n}"}`, expect(404, unitStaff(201)), false},
	{"POST", "/api/v1/payout-batches", `{"unit_id":"{unitA}"}`, expect(404, unitStaff(409)), false}, // the world's batch took all there was
	{"GET", "/api/v1/payout-batches/{batch}", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/payout-batches/{batch}.csv", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/payout-batches/{batch}.xlsx", "", expect(404, unitStaff(200)), false},
	// staffA made it; staff are not checkers; the supervisor approves.
	{"POST", "/api/v1/payout-batches/{batch}/approve", "", expect(404, merge(unitStaff(403), map[string]int{"supA": 200})), false},
	{"POST", "/api/v1/payout-batches/{batch}/cancel", "", expect(404, unitStaff(409)), false},
	{"POST", "/api/v1/payout-batches/{batch}/lines/{line}/paid", `{"reference":"TRF-0001"}`, expect(404, unitStaff(200)), false},
	{"POST", "/api/v1/payout-batches/{batch}/lines/{line}/received", "", expect(404, unitStaff(409)), false}, // paid to the PM: nothing to acknowledge
	{"POST", "/api/v1/payout-batches/{batch}/lines/{line}/proof", "", expect(404, unitStaff(422)), false},    // no file: refused after the policy
	{"GET", "/api/v1/payout-batches/{batch}/lines/{line}/proof", "", expect(404, nil), false},                // no proof yet
	{"GET", "/api/v1/units/{unitA}/payout-batches", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/units/{unitA}/payout-lines/flagged", "", expect(404, unitStaff(200)), false},
	{"GET", "/api/v1/me/earnings", "", expect(403, map[string]int{"seller": 200, "pendamping": 200, "pendampingExpired": 200}), false},
	// Pages (session cookie, CSRF-protected forms). 303 sends a visitor to log in, or on after a form.
	{"GET", "/", "", expect(200, nil), false},
	{"GET", "/masuk", "", expect(200, nil), false},
	{"GET", "/cari?q=keripik", "", expect(200, nil), false},
	{"GET", "/produk/{productLive}", "", expect(200, nil), false},
	{"GET", "/toko/{shopPM}", "", expect(200, nil), false},
	{"GET", "/keranjang", "", expect(200, nil), false},
	{"POST", "/keranjang", "product_id={productLive}&quantity=1", expect(303, map[string]int{"anon": 303}), false},
	// Logged-in users put a product in their cart above; a guest without a cart cookie has none.
	{"GET", "/checkout", "", expect(200, map[string]int{"anon": 303}), false}, // an empty cart goes back to the cart
	{"POST", "/checkout", "buyer.name=Budi&buyer.email=budi%40contoh.id&buyer.phone=081234567890&shipping.method=pickup&payment_method=bank_transfer",
		expect(303, map[string]int{"anon": 422}), false}, // an empty cart: nothing to order
	{"GET", "/pesanan/{group}", "", expect(404, map[string]int{"anon": 404, "buyer": 200}), false},
	{"POST", "/pesanan/{group}/{orderPaid}/terima", "", expect(404, merge(sellerSide(409), map[string]int{"anon": 401, "buyer": 409})), false}, // paid, not delivered yet
	// The group is paid: nothing to confirm (back to the order), nothing to cancel (the order page says why).
	{"GET", "/pesanan/{group}/batal", "", expect(404, map[string]int{"anon": 404, "buyer": 303}), false},
	{"POST", "/pesanan/{group}/batal", "", expect(404, map[string]int{"anon": 401, "buyer": 409}), false},
	{"GET", "/akun/pesanan", "", expect(200, map[string]int{"anon": 303}), false},
	{"GET", "/daftar", "", expect(200, nil), false},
	{"GET", "/atur-ulang/{badToken}", "", expect(200, nil), false},
	{"GET", "/static/{noAsset}", "", expect(404, map[string]int{"anon": 404}), false},
	{"GET", "/akun", "", expect(200, map[string]int{"anon": 303}), false},
	{"GET", "/staf/pengguna", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303, "staffB": 200})), false},
	{"GET", "/staf/kasus/baru", "", expect(200, map[string]int{"anon": 303}), false},
	{"GET", "/jual", "", expect(200, map[string]int{"anon": 303}), false},
	{"GET", "/jual/toko/{shopPM}/produk-baru", "", expect(200, map[string]int{"anon": 303}), false},
	{"POST", "/jual/toko/{shopPM}/produk-baru", "title=Keripik+{n}&category=keripik&price_idr=12000&stock=3", expect(404, merge(sellerSide(303), map[string]int{"anon": 303})), false},
	{"GET", "/jual/produk/{productDraft}", "", expect(404, merge(sellerSide(200), map[string]int{"anon": 303})), false},
	{"POST", "/jual/produk/{productDraft}", "title=Keripik+Pisang+Draf&category=keripik&price_idr=25000&stock=10", expect(404, merge(sellerSide(303), map[string]int{"anon": 303})), false},
	{"POST", "/jual/produk/{productPhotos}", "do=upload&alt=foto&title=Keripik+Pisang&category=keripik&price_idr=25.000&stock=10", expect(404, merge(sellerSide(422), map[string]int{"anon": 303})), false},
	{"POST", "/jual/produk/{productDraft}", "do=publish&title=Keripik+Pisang+Draf&category=keripik&price_idr=Rp+25.000&stock=10", expect(404, merge(sellerSide(422), map[string]int{"anon": 303})), false},
	{"GET", "/jual/pesanan", "", expect(200, map[string]int{"anon": 303}), false},
	// Choosing the PM to work for needs a delegation in force for them.
	{"POST", "/jual/atas-nama", "case_id={caseAudited}", expect(404, map[string]int{"anon": 303, "pendamping": 303}), false},
	// Earnings are the seller's and their pendamping's (the world's pendamping has no earnings scope: an empty page); others are told why not.
	{"GET", "/jual/pendapatan", "", expect(403, map[string]int{"anon": 303, "seller": 200, "pendamping": 200, "pendampingExpired": 200}), false},
	{"POST", "/jual/pesanan/{orderPaid}/kirim", "carrier=&tracking_no=", expect(404, merge(sellerSide(422), map[string]int{"anon": 303, "buyer": 403, "pendamping": 404})), false},
	{"POST", "/jual/pesanan/{orderPaid}/sampai", "", expect(404, merge(sellerSide(409), map[string]int{"anon": 303, "buyer": 409, "pendamping": 404})), false},
	{"GET", "/staf/pesanan?status=paid", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303, "staffB": 200})), false}, // one's own unit

	{"POST", "/staf/pesanan/grup/{group}/konfirmasi", "reference=SALAH", expect(404, merge(unitStaff(422), map[string]int{"anon": 303})), false},
	// Cancel and refund ask first on a page of their own, for staff of the shop's unit only.
	{"GET", "/staf/pesanan/{orderPaid}/batal", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"GET", "/staf/pesanan/{orderPaid}/refund?periksa=1&amount_idr=1000&reason=penyok", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"POST", "/staf/pesanan/{orderShipped}/batal", "", expect(404, merge(unitStaff(409), map[string]int{"anon": 303})), false},
	{"POST", "/staf/pesanan/{orderPaid}/refund", "amount_idr=1000&reason=", expect(404, merge(sellerSide(403), unitStaff(422), map[string]int{"anon": 303, "buyer": 403})), false},
	{"GET", "/staf/kasir", "", expect(403, merge(unitStaff(200), map[string]int{"anon": 303, "staffB": 200})), false},
	{"POST", "/staf/kasir", "payment_method=cash", expect(403, merge(unitStaff(422), map[string]int{"anon": 303, "staffB": 422})), false}, // nothing chosen
	{"POST", "/staf/kasir", "do=search&q=keripik", expect(303, map[string]int{"anon": 303}), false},                                       // back to the till with what was typed

	// The world's batch is approved and its line paid by the API rows above.
	{"GET", "/staf/pembayaran", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303, "staffB": 200})), false},
	{"POST", "/staf/pembayaran", "min_amount_idr=", expect(404, merge(unitStaff(409), map[string]int{"anon": 303, "staffB": 409})), false}, // nothing left to pay
	{"GET", "/staf/pembayaran/{batch}", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"POST", "/staf/pembayaran/{batch}/setujui", "", expect(404, merge(unitStaff(403), map[string]int{"anon": 303, "supA": 409})), false}, // approved already; staff may not
	{"POST", "/staf/pembayaran/{batch}/batal", "", expect(404, merge(unitStaff(409), map[string]int{"anon": 303})), false},
	{"GET", "/staf/pembayaran/{batch}/ekspor.csv", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"GET", "/staf/pembayaran/{batch}/ekspor.xlsx", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"POST", "/staf/pembayaran/{batch}/baris/{line}/dibayar", "reference=TRF-0001", expect(404, merge(unitStaff(303), map[string]int{"anon": 303})), false}, // the same reference again
	{"POST", "/staf/pembayaran/{batch}/baris/{line}/diterima", "", expect(404, merge(unitStaff(409), map[string]int{"anon": 303})), false},
	{"GET", "/staf/pembayaran/{batch}/baris/{line}/bukti", "", expect(404, map[string]int{"anon": 303}), false},
	{"GET", "/staf/pembayaran/{batch}/baris/{line}/kuitansi", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"GET", "/admin/pesan", "", expect(403, map[string]int{"anon": 303, "admin": 200}), false},
	{"GET", "/staf/persetujuan", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303, "staffB": 200})), false},
	{"GET", "/staf/tinjauan", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303, "staffB": 200})), false},
	{"POST", "/staf/tinjauan/{productDraft}/setujui", "", expect(404, merge(unitStaff(409), map[string]int{"anon": 303})), false},
	{"POST", "/staf/tinjauan/{productDraft}/tolak", "reason-{productDraft}=foto+buram", expect(404, merge(unitStaff(409), map[string]int{"anon": 303})), false},
	{"GET", "/staf/kasus/{caseAudited}", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"POST", "/masuk", "email=buyer%40uji.id&password=" + worldPassword, expect(303, map[string]int{"anon": 303}), false},
	{"POST", "/daftar", "name=Baru+{n}&email=halaman{n}%40uji.id&password=" + worldPassword, expect(303, map[string]int{"anon": 303}), false},
	{"POST", "/keluar", "", expect(303, map[string]int{"anon": 303}), true},
	{"POST", "/akun/kata-sandi", "current_password=salah-sekali&new_password=sandi-baru-panjang", expect(422, map[string]int{"anon": 303}), false},
	{"POST", "/atur-ulang/{badToken}", "password=sandi-baru-panjang", expect(422, map[string]int{"anon": 422}), false},
	{"GET", "/lupa-sandi", "", expect(200, nil), false},
	// A malformed address is marked for anyone; a well-formed one is answered 303 whoever asks (see the accounts tests).
	{"POST", "/lupa-sandi", "email=bukan-email", expect(422, map[string]int{"anon": 422}), false},
	{"GET", "/verifikasi/{badToken}", "", expect(200, nil), false},
	{"POST", "/verifikasi/{badToken}", "", expect(422, map[string]int{"anon": 422}), false},
	{"POST", "/akun/verifikasi", "", expect(303, map[string]int{"anon": 303}), false},
	{"POST", "/keranjang/hapus", "product_id={productLive}", expect(303, map[string]int{"anon": 303}), false},
	{"POST", "/staf/pengguna", "name=Penjual+{n}&email=hal{n}%40uji.id&role=seller&password=" + worldPassword,
		expect(404, merge(unitStaff(303), map[string]int{"anon": 303, "staffB": 303})), false},
	{"POST", "/staf/pengguna/{seller}/tautan-sandi", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"POST", "/staf/kasus/baru", "beneficiary.legal_name=Warga+{n}&beneficiary.birth_date=1970-01-01&beneficiary.sex=male&beneficiary.province_code=32&beneficiary.regency_code=3275&beneficiary.household_size=2&cluster=lansia&pillar=keluarga&consent=case_management&given_by=self",
		expect(404, merge(unitStaff(303), map[string]int{"anon": 303, "staffB": 303})), false},
	{"POST", "/staf/kasus/{caseAudited}/delegasi", "pendamping_user_id={pendampingSpare}&scopes=listings&expires_at=2027-01-01",
		expect(404, merge(unitStaff(303), map[string]int{"anon": 303})), false},
	{"POST", "/staf/delegasi/{delegationSpare}/cabut", "", expect(404, merge(unitStaff(303), map[string]int{"anon": 303})), false},
	// Staff monitoring: the caseload and the dashboard are of one's own unit (a supervisor's also of its LKS
	// network); a case's entries follow its tier; reference figures are the admin's to see and correct here.
	{"GET", "/staf/kasus", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303, "staffB": 200})), false},
	{"GET", "/staf/dasbor", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303, "staffB": 200})), false},
	{"GET", "/staf/dasbor/{unitA}/ekspor.csv", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"GET", "/staf/dasbor/{unitA}/ekspor-kasus.csv?from=2026-01&to=2026-11", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"GET", "/staf/dasbor/{unitA}/ekspor.xlsx?from=2026-06&to=2026-11", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"POST", "/staf/kasus/{caseAudited}/layanan", "service.component=vocational_entrepreneurship&service.date=2026-11-02&service.note=Pelatihan+{n}",
		expect(404, merge(unitStaff(303), map[string]int{"anon": 303})), false},
	{"POST", "/staf/kasus/{caseAudited}/layanan", "service.component=therapy&service.date=kemarin", expect(404, merge(unitStaff(422), map[string]int{"anon": 303})), false},
	{"POST", "/staf/kasus/{caseAudited}/pendapatan", "income.month=2026-10&income.amount_idr=500.000&income.kind=wage&income.verified=1",
		expect(404, merge(unitStaff(303), map[string]int{"anon": 303})), false},
	{"POST", "/staf/kasus/{caseAudited}/rumah-tangga", "household.from_month=2026-11&household.size=4", expect(404, merge(unitStaff(303), map[string]int{"anon": 303})), false},
	{"GET", "/admin/referensi", "", expect(403, map[string]int{"anon": 303, "admin": 200}), false},
	{"POST", "/admin/referensi/upah-minimum", "wage.year=2027&wage.province_code=32&wage.amount_idr=2.400.000&wage.source=uji+{n}",
		expect(403, map[string]int{"anon": 303, "admin": 303}), false},
	{"POST", "/admin/referensi/garis-kemiskinan", "poverty.period=2026-03&poverty.province_code=32&poverty.amount_idr=560000&poverty.source=uji+{n}",
		expect(403, map[string]int{"anon": 303, "admin": 303}), false},
	// A shop's payout route: staff of the unit; the seller sees it masked. The full number is staff's only (the
	// service refuses anyone else before looking further; a shop's existence is public anyway).
	{"GET", "/staf/toko/{shopPM}/pengiriman", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"POST", "/staf/toko/{shopPM}/pengiriman", "courier_flat_idr=15.000&pickup_place=Sentra+A&pickup_address=Jl.+Balai+A+No.+1&pickup_hours=08.00-15.00+WIB",
		expect(404, merge(unitStaff(303), map[string]int{"anon": 303})), false},
	{"GET", "/staf/rekening-penerimaan", "", expect(403, map[string]int{"anon": 303, "admin": 200, "supA": 200}), false},
	{"POST", "/staf/rekening-penerimaan/{unitA}", "bank=BRI&account_no=0341010007433&account_name=Balai+A+Penerimaan",
		expect(404, map[string]int{"anon": 303, "admin": 303, "supA": 303, "staffA": 403, "staffA2": 403}), false},
	{"GET", "/staf/toko/{shopPM}/pembayaran", "", expect(404, merge(unitStaff(200), map[string]int{"anon": 303, "seller": 200})), false},
	{"GET", "/staf/toko/{shopPM}/pembayaran?rekening=lengkap", "", expect(403, merge(unitStaff(200), map[string]int{"anon": 303})), false},
	{"POST", "/staf/toko/{shopPM}/pembayaran", "payee_kind=beneficiary&method=bank_transfer&account_name=Rekening+Uji&bank=BRI&account_no=12",
		expect(404, merge(unitStaff(422), map[string]int{"anon": 303})), false},
	{"POST", "/staf/toko/{shopPM}/pembayaran", "payee_kind=beneficiary&method=bank_transfer&account_name=Rekening+Uji&bank=BRI&account_no=0099887766554",
		expect(404, merge(unitStaff(303), map[string]int{"anon": 303})), false},
	// The last change above is supA's own, and staff are not checkers: nobody here may confirm it.
	{"POST", "/staf/toko/{shopPM}/pembayaran/konfirmasi", "route_id={staleRoute}", expect(404, merge(unitStaff(403), map[string]int{"anon": 303})), false},
	// The case record beyond identity: notes and the guardian open with the sensitive right only.
	{"POST", "/api/v1/cases/{caseAudited}/assessments", `{"date":"2025-01-02","note":"Catatan asesmen uji"}`, expect(404, unitStaff(201)), false},
	{"GET", "/api/v1/cases/{caseAudited}/assessments", "", expect(404, merge(unitStaff(200), map[string]int{"staffA2": 403})), false},
	{"PUT", "/api/v1/cases/{caseAudited}/guardian", `{"relation":"parent","name":"Wali Uji"}`, expect(404, unitStaff(204)), false},
	{"GET", "/api/v1/cases/{caseAudited}/guardian", "", expect(404, merge(unitStaff(200), map[string]int{"staffA2": 403})), false},
	{"PUT", "/api/v1/cases/{caseAudited}/assignee", `{"user_id":"{staffA}"}`, expect(404, merge(unitStaff(403), map[string]int{"supA": 204})), false},
	// A closed case: only its caseworker (staffA) opens it; colleagues are offered the break-glass form.
	{"GET", "/staf/kasus/{caseClosed}", "", expect(404, merge(unitStaff(403), map[string]int{"anon": 303, "staffA": 200})), false},
	{"POST", "/staf/kasus/{caseAudited}/asesmen", "assessment.date=2025-01-02&assessment.note=", expect(404, merge(unitStaff(422), map[string]int{"anon": 303})), false},
	{"POST", "/staf/kasus/{caseAudited}/wali", "guardian.relation=parent&guardian.name=", expect(404, merge(unitStaff(422), map[string]int{"anon": 303})), false},
	{"POST", "/staf/kasus/{caseAudited}/petugas", "user_id={staffA}", expect(404, merge(unitStaff(403), map[string]int{"anon": 303, "supA": 303})), false},
	{"POST", "/staf/kasus/{caseClosed}/tunjuk", "user_id={staffB}", expect(404, merge(unitStaff(403), map[string]int{"anon": 303, "supA": 422})), false}, // not of the unit
	{"POST", "/staf/kasus/{caseClosed}/darurat", "reason=cepat", expect(404, merge(unitStaff(422), map[string]int{"anon": 303})), false},                 // too short: nothing opens
	{"POST", "/api/v1/cases/{caseClosed}/break-glass", `{"reason":"cepat"}`, expect(404, unitStaff(422)), false},
	{"POST", "/api/v1/cases/{caseClosed}/named-staff", `{"user_id":"{staffB}"}`, expect(404, merge(unitStaff(403), map[string]int{"supA": 422})), false},
	{"GET", "/api/v1/cases/{caseAudited}/graduation-reviews", "", expect(404, unitStaff(200)), false},
	{"POST", "/api/v1/cases/{caseAudited}/graduation-reviews", `{"decision":"continue"}`, expect(404, unitStaff(201)), false},
	{"GET", "/api/v1/graduation-reviews", "", expect(404, merge(unitStaff(200), map[string]int{"staffB": 200})), false},
	// The proposer is staffA: only another supervisor decides. A rejection
	// without a reason changes nothing; the approval closes the case.
	{"POST", "/api/v1/cases/{caseGraduating}/graduation-reviews/{reviewGraduating}/reject", `{"reason":""}`, expect(404, merge(unitStaff(403), map[string]int{"supA": 422})), false},
	{"POST", "/api/v1/cases/{caseGraduating}/graduation-reviews/{reviewGraduating}/approve", "", expect(404, merge(unitStaff(403), map[string]int{"supA": 200})), false},
	{"POST", "/staf/kasus/{caseAudited}/kelulusan", "graduation.decision=continue", expect(404, merge(unitStaff(303), map[string]int{"anon": 303})), false},
	{"POST", "/staf/persetujuan/kelulusan/{caseGraduatingPage}/{reviewGraduatingPage}/tolak", "reason-{reviewGraduatingPage}=", expect(404, merge(unitStaff(403), map[string]int{"anon": 303, "supA": 422})), false},
	{"POST", "/staf/persetujuan/kelulusan/{caseGraduatingPage}/{reviewGraduatingPage}/setujui", "", expect(404, merge(unitStaff(403), map[string]int{"anon": 303, "supA": 303})), false},
	{"POST", "/api/v1/outcome-months/{openMonth}/recompute", `{"reason":"koreksi upah minimum"}`, expect(403, map[string]int{"anon": 401, "admin": 409}), false},
	{"POST", "/api/v1/sales", `{"items":[{"product_id":"{productLive}","quantity":1}],"payment_method":"cash","unit_id":"{unitA}"}`, expect(404, unitStaff(201)), false},
}

// sellerSide are the actors who may act on the PM shop's listings: its
// seller, the delegated pendamping and the unit's staff.
func sellerSide(status int) map[string]int {
	return merge(unitStaff(status), map[string]int{"seller": status, "pendamping": status})
}

// TestAuthorizationTable sends every route as every actor and checks each
// answer. It also fails when a route exists that the table does not list.
func TestAuthorizationTable(t *testing.T) {
	w := newWorld(t)
	n := 0
	for _, r := range authzTable {
		for _, actor := range actors {
			n++
			want, ok := r.want[actor]
			if !ok {
				t.Fatalf("%s %s: no expectation for %s", r.method, r.path, actor)
			}
			tokens := w.tokens
			if r.fresh && actor != "anon" {
				w.tokens = map[string]string{actor: w.login(t, actor)}
			}
			if prepare := prepares[r.method+" "+r.path]; prepare != nil {
				prepare(t, w)
			}
			path, body := w.expand(r.path, n), w.expand(r.body, n)
			got, b := w.do(t, actor, r.method, path, body)
			w.tokens = tokens
			if got != want {
				t.Errorf("%s %s as %s = %d, want %d: %s", r.method, r.path, actor, got, want, b)
			}
			w.checkPrivacy(t, r.method+" "+r.path+" as "+actor, b, false)
		}
	}

	listed := map[string]bool{}
	for _, r := range authzTable {
		listed[r.method+" "+canonical(r.path)] = true
	}
	var missing []string
	for _, rt := range w.a.HTTP().GetRoutes(true) {
		if rt.Method == http.MethodHead {
			continue
		}
		if key := rt.Method + " " + canonical(rt.Path); !listed[key] {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("routes missing from the authorization table:\n%s", strings.Join(missing, "\n"))
	}
}

// canonical turns both "/cases/:id" and "/cases/{caseAudited}" into
// "/cases/:", keeping what follows a parameter in its segment, so
// "/batches/:id.csv" and "/batches/{batch}.csv" are "/batches/:.csv".
func canonical(path string) string {
	path, _, _ = strings.Cut(path, "?")
	parts := strings.Split(path, "/")
	for i, p := range parts {
		switch {
		case strings.HasPrefix(p, "{"):
			_, rest, _ := strings.Cut(p, "}")
			parts[i] = ":" + rest
		case strings.HasPrefix(p, ":"):
			rest := strings.TrimLeft(p[1:], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
			parts[i] = ":" + rest
		}
	}
	return strings.Join(parts, "/")
}

// checkPrivacy fails when an answer carries a password hash, a session or
// token hash, or a PM's legal name or NIK (unless mayReadIdentity).
func (w *world) checkPrivacy(t *testing.T, what string, body []byte, mayReadIdentity bool) {
	t.Helper()
	forbidden := []string{"$argon2id", "password_hash", "token_hash", "legal_name_enc", "nik_enc", "nik_hash"}
	for _, tok := range w.tokens {
		sum := sha256.Sum256([]byte(tok))
		forbidden = append(forbidden, hex.EncodeToString(sum[:]), base64.StdEncoding.EncodeToString(sum[:]))
	}
	if !mayReadIdentity {
		forbidden = append(forbidden, w.secrets...)
	}
	for _, f := range forbidden {
		if bytes.Contains(body, []byte(f)) {
			t.Errorf("%s: answer contains %q", what, f)
		}
	}
}

func TestSensitiveFieldsOnlyWithTheRightAndAudited(t *testing.T) {
	w := newWorld(t)
	path := "/api/v1/cases/" + w.ids["caseAudited"]
	for _, actor := range []string{"staffA", "staffA2", "supA", "staffB", "pendamping", "admin"} {
		status, body := w.do(t, actor, "GET", path+"?include=sensitive", "")
		allowed := actor == "staffA" || actor == "supA"
		if allowed {
			var c cases.Case
			if status != 200 || json.Unmarshal(body, &c) != nil || c.Beneficiary.LegalName != "Sumarni Binti Kasan" || c.Beneficiary.NIK != "3275014101800002" {
				t.Errorf("%s: sensitive read = %d %s", actor, status, body)
			}
		} else {
			w.checkPrivacy(t, actor+" sensitive read", body, false)
		}
		_, plain := w.do(t, actor, "GET", path, "")
		w.checkPrivacy(t, actor+" plain read", plain, false)
	}

	_, body := w.do(t, "staffA", "GET", path+"/access-log", "")
	var log struct {
		Items []struct {
			ActorID   string `json:"actor_id"`
			Action    string `json:"action"`
			Outcome   string `json:"outcome"`
			RequestID string `json:"request_id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &log); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, e := range log.Items {
		counts[e.Action+"/"+e.Outcome+"/"+e.ActorID]++
		if e.Action == "case.read_sensitive" && e.RequestID == "" {
			t.Error("an audited read must carry its request id")
		}
	}
	for key, want := range map[string]int{
		"case.read_sensitive/ok/" + w.ids["staffA"]:      1,
		"case.read_sensitive/ok/" + w.ids["supA"]:        1,
		"case.read_sensitive/denied/" + w.ids["staffA2"]: 1,
	} {
		if counts[key] != want {
			t.Errorf("access log has %d × %s, want %d (log: %v)", counts[key], key, want, counts)
		}
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	w := newWorld(t)
	db := w.a.db.Gorm
	for _, stmt := range []string{
		"UPDATE audit_log SET outcome = 'ok'",
		"DELETE FROM audit_log",
		"UPDATE case_events SET type = 'x'",
		"DELETE FROM consents",
	} {
		if err := db.Exec(stmt).Error; err == nil {
			t.Errorf("%s succeeded; the table must be append-only", stmt)
		}
	}
	var n int64
	db.Raw("SELECT count(*) FROM audit_log").Scan(&n)
	if n == 0 {
		t.Fatal("the audit log should hold the world's creation")
	}
}

func TestPendampingLosesAccessWhenDelegationEndsOrIsRevoked(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	caseID := w.ids["caseAudited"]
	can := func(key string) bool {
		actor, err := w.a.accounts.Authenticate(ctx, w.tokens[key])
		if err != nil {
			t.Fatal(err)
		}
		actor.Delegations, err = w.a.cases.ActiveDelegations(ctx, actor.UserID)
		if err != nil {
			t.Fatal(err)
		}
		return access.Can(actor, access.ActForPM, access.Resource{UnitID: w.ids["unitA"], CaseID: caseID, Scope: access.ScopeListings}, w.clock.Now()) == nil
	}
	listed := func(key string) int {
		_, body := w.do(t, key, "GET", "/api/v1/me/delegations", "")
		var out struct{ Items []cases.Delegation }
		_ = json.Unmarshal(body, &out)
		return len(out.Items)
	}
	if !can("pendamping") || listed("pendamping") != 1 {
		t.Fatal("a delegated pendamping must be able to act for the PM")
	}
	if can("pendampingExpired") || listed("pendampingExpired") != 0 {
		t.Fatal("an expired delegation must give nothing")
	}
	if status, body := w.do(t, "staffA", "POST", "/api/v1/delegations/"+w.ids["delegation"]+"/revoke", ""); status != 200 {
		t.Fatalf("revoke = %d %s", status, body)
	}
	if can("pendamping") || listed("pendamping") != 0 {
		t.Fatal("a revoked delegation must stop working at once")
	}
	_, body := w.do(t, "staffA", "GET", "/api/v1/cases/"+caseID+"/events", "")
	for _, typ := range []string{"delegation_granted", "delegation_revoked", "consent_given"} {
		if !bytes.Contains(body, []byte(`"type":"`+typ+`"`)) {
			t.Errorf("case timeline lacks %s: %s", typ, body)
		}
	}
}
