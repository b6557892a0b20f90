package app

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/frontend"
)

// publicPages are the page routes a visitor may open without logging in.
// Every other page route is behind the login; making one public is a
// deliberate change of this list.
var publicPages = map[string]bool{
	"GET /": true, "GET /static/:name": true, "GET /cari": true, "GET /produk/:id": true, "GET /toko/:id": true,
	"GET /keranjang": true, "POST /keranjang": true, "GET /checkout": true, "POST /checkout": true,
	"GET /pesanan/:id": true, "POST /pesanan/:group/:order/terima": true, "GET /pesanan/:id/batal": true, "POST /pesanan/:id/batal": true,
	"GET /masuk": true, "POST /masuk": true, "GET /daftar": true, "POST /daftar": true, "POST /keluar": true,
	"GET /atur-ulang/:token": true, "POST /atur-ulang/:token": true, "POST /keranjang/hapus": true,
	"GET /lupa-sandi": true, "POST /lupa-sandi": true, "GET /verifikasi/:token": true, "POST /verifikasi/:token": true,
}

// pageRoute is a registered page route and a path that reaches it.
type pageRoute struct{ method, pattern, path string }

var routeParam = regexp.MustCompile(`:[A-Za-z]+`)

// pageRoutes walks the app's routes: every one that is not the API, a
// webhook, the media or an operational endpoint is a page.
func pageRoutes(t *testing.T, a *App) []pageRoute {
	t.Helper()
	var out []pageRoute
	for _, rt := range a.HTTP().GetRoutes(true) {
		p := rt.Path
		if rt.Method == http.MethodHead || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/webhooks/") ||
			strings.HasPrefix(p, "/media/") || p == "/healthz" || p == "/readyz" {
			continue
		}
		out = append(out, pageRoute{method: rt.Method, pattern: p, path: routeParam.ReplaceAllString(p, "x")})
	}
	if len(out) < 80 {
		t.Fatalf("only %d page routes found: the walk misses pages", len(out))
	}
	return out
}

// sendPage sends a page request with the given cookies and, for an unsafe
// method, form (already encoded).
func sendPage(t *testing.T, a *App, method, path, cookie, form string) *http.Response {
	t.Helper()
	var body io.Reader
	if method != http.MethodGet {
		body = strings.NewReader(form)
	}
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Accept", "text/html")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := a.HTTP().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp
}

// TestEveryPageFormChecksItsCSRFToken posts to every unsafe page route,
// the login, register and password-reset forms included, without a valid
// CSRF token: as a visitor and as a logged-in admin (who may do most), with
// no token and with the token of another cookie. Each must be refused with
// the expired-form page before anything else runs.
func TestEveryPageFormChecksItsCSRFToken(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	if _, err := a.accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: "admin@uji.id", Password: worldPassword, Name: "Admin", Role: access.Admin}); err != nil {
		t.Fatal(err)
	}
	session, _, err := a.accounts.Login(ctx, "admin@uji.id", worldPassword, accounts.Client{IP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	const seed = "seed-for-the-csrf-walk-long-enough"
	other := frontend.CSRFToken(csrfKey(a.cfg.DataKey), seed+"x")
	unsafe := 0
	for _, r := range pageRoutes(t, a) {
		if r.method == http.MethodGet {
			continue
		}
		unsafe++
		for _, tt := range []struct{ who, cookie, form string }{
			{"visitor without a token", "atensi_csrf=" + seed, "a=1"},
			{"admin without a token", "atensi_csrf=" + seed + "; atensi_session=" + session, "a=1"},
			{"admin with another cookie's token", "atensi_csrf=" + seed + "; atensi_session=" + session, "_csrf=" + other},
		} {
			resp := sendPage(t, a, r.method, r.path, tt.cookie, tt.form)
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "Formulir kedaluwarsa") {
				t.Errorf("%s %s as %s: %d, want 403 and the expired-form page", r.method, r.pattern, tt.who, resp.StatusCode)
			}
		}
	}
	if unsafe < 40 {
		t.Fatalf("only %d unsafe page routes found", unsafe)
	}
}

// TestEveryPrivatePageSendsVisitorsToLogin opens every page route that is
// not public as a visitor (a POST with its valid CSRF token): each must
// send them to the login page and back, and nothing else answer.
func TestEveryPrivatePageSendsVisitorsToLogin(t *testing.T) {
	a := newTestApp(t)
	const seed = "seed-for-the-login-walk-long-enough"
	form := "_csrf=" + frontend.CSRFToken(csrfKey(a.cfg.DataKey), seed)
	seen := map[string]bool{}
	for _, r := range pageRoutes(t, a) {
		key := r.method + " " + r.pattern
		seen[key] = true
		if publicPages[key] {
			continue
		}
		resp := sendPage(t, a, r.method, r.path, "atensi_csrf="+seed, form)
		want := "/masuk?next=" + url.QueryEscape(r.path)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("%s as a visitor: %d to %q, want 303 to %q", key, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	for key := range publicPages {
		if !seen[key] {
			t.Errorf("%s is listed as public but not registered", key)
		}
	}
}

// TestPagesOfferWhatTheServicesAllow: a page offers a form only to whom
// the service would accept it from, asking the service (accounts'
// creatable roles, payouts' checker, who may assign a case), never
// comparing roles itself.
func TestPagesOfferWhatTheServicesAllow(t *testing.T) {
	w := newWorld(t)
	approve := `action="/staf/pembayaran/` + w.ids["batch"] + `/setujui"`
	assign := `action="/staf/kasus/` + w.ids["caseAudited"] + `/petugas"`
	for _, tt := range []struct {
		actor, path string
		has, lacks  []string
	}{
		// Staff open accounts for the people they serve; a supervisor also for colleagues.
		{"staffA", "/staf/pengguna", []string{`<option value="seller"`, `<option value="pendamping"`}, []string{`<option value="staff"`, `<option value="lks_manager"`, `<option value="supervisor"`}},
		{"supA", "/staf/pengguna", []string{`<option value="seller"`, `<option value="pendamping"`, `<option value="staff"`}, []string{`<option value="lks_manager"`, `<option value="supervisor"`}},
		// The world's draft is staffA's: a supervisor approves it, its maker and other staff may not.
		{"supA", "/staf/pembayaran/" + w.ids["batch"], []string{approve}, []string{"Menunggu persetujuan supervisor."}},
		{"staffA", "/staf/pembayaran/" + w.ids["batch"], []string{"Anda membuat draf ini"}, []string{approve}},
		{"staffA2", "/staf/pembayaran/" + w.ids["batch"], []string{"Menunggu persetujuan supervisor."}, []string{approve}},
		// A supervisor gives a case to a caseworker; its caseworker may not.
		{"supA", "/staf/kasus/" + w.ids["caseAudited"], []string{assign}, nil},
		{"staffA", "/staf/kasus/" + w.ids["caseAudited"], nil, []string{assign}},
	} {
		got := w.page(t, tt.actor, "GET", tt.path, "")
		if got.status != 200 {
			t.Fatalf("%s as %s: %d", tt.path, tt.actor, got.status)
		}
		for _, s := range tt.has {
			if !strings.Contains(got.body, s) {
				t.Errorf("%s as %s lacks %s", tt.path, tt.actor, s)
			}
		}
		for _, s := range tt.lacks {
			if strings.Contains(got.body, s) {
				t.Errorf("%s as %s offers %s", tt.path, tt.actor, s)
			}
		}
	}

	// A route change waiting: staff may not confirm it, its maker neither,
	// another supervisor is shown both numbers and the form.
	if status, b := w.do(t, "staffA", "POST", "/staf/toko/"+w.ids["shopPM"]+"/pembayaran",
		"payee_kind=beneficiary&method=bank_transfer&account_name=Rekening+Baru&bank=BRI&account_no=0011223344"); status != 303 {
		t.Fatalf("change the route: %d %s", status, b)
	}
	confirm := `action="/staf/toko/` + w.ids["shopPM"] + `/pembayaran/konfirmasi"`
	for actor, offered := range map[string]bool{"staffA": false, "staffA2": false, "supA": true} {
		got := w.page(t, actor, "GET", "/staf/toko/"+w.ids["shopPM"]+"/pembayaran", "")
		if got.status != 200 || strings.Contains(got.body, confirm) != offered {
			t.Errorf("route page as %s: %d, confirm form offered %v, want %v", actor, got.status, !offered, offered)
		}
	}
}
