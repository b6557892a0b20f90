package app

import (
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/frontend"
)

func TestPageFormsNeedTheirCSRFToken(t *testing.T) {
	w := newWorld(t)
	post := func(cookie, form string) int {
		req := httptest.NewRequest("POST", "/masuk", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "text/html")
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := w.a.HTTP().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode
	}
	const creds = "email=buyer%40uji.id&password=" + worldPassword
	seed := "a-csrf-cookie-value-long-enough"
	good := frontend.CSRFToken(csrfKey(w.a.cfg.DataKey), seed)
	for _, tt := range []struct {
		name, cookie, form string
		want               int
	}{
		{"no token", "atensi_csrf=" + seed, creds, 403},
		{"no cookie", "", creds + "&_csrf=" + good, 403},
		{"token of another cookie", "atensi_csrf=" + seed + "x", creds + "&_csrf=" + good, 403},
		{"forged token", "atensi_csrf=" + seed, creds + "&_csrf=AAAA", 403},
		{"the form's own token", "atensi_csrf=" + seed, creds + "&_csrf=" + good, 303},
	} {
		if got := post(tt.cookie, tt.form); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestLoginPageSetsCookieAndShowsErrors(t *testing.T) {
	w := newWorld(t)
	// A GET gives the form its CSRF cookie and token.
	resp, err := w.a.HTTP().Test(httptest.NewRequest("GET", "/masuk", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	var csrfCookie string
	for _, c := range resp.Cookies() {
		if c.Name == "atensi_csrf" {
			csrfCookie = c.Value
		}
	}
	body, _ := io.ReadAll(resp.Body)
	if csrfCookie == "" || !strings.Contains(string(body), `name="_csrf" value="`+frontend.CSRFToken(csrfKey(w.a.cfg.DataKey), csrfCookie)+`"`) {
		t.Fatal("the login form must carry the token of its CSRF cookie")
	}
	for _, c := range []string{`lang="id"`, `<label for="email">`, `autocomplete="current-password"`} {
		if !strings.Contains(string(body), c) {
			t.Errorf("login page lacks %s", c)
		}
	}
	send := func(form string) (int, string, string) {
		req := httptest.NewRequest("POST", "/masuk", strings.NewReader(form+"&_csrf="+frontend.CSRFToken(csrfKey(w.a.cfg.DataKey), csrfCookie)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", "atensi_csrf="+csrfCookie)
		resp, err := w.a.HTTP().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		session := ""
		for _, c := range resp.Cookies() {
			if c.Name == "atensi_session" {
				session = c.Raw
			}
		}
		return resp.StatusCode, string(b), session + " -> " + resp.Header.Get("Location")
	}
	code, body2, _ := send("email=buyer%40uji.id&password=salah-sekali")
	if code != 401 || !strings.Contains(body2, "Email atau kata sandi salah.") || !strings.Contains(body2, `value="buyer@uji.id"`) {
		t.Fatalf("wrong password: %d, the message and the typed email must show", code)
	}
	code, _, cookie := send("email=buyer%40uji.id&password=" + worldPassword + "&next=%2F%2Fevil.example")
	if code != 303 || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") || !strings.HasSuffix(cookie, "-> /akun") {
		t.Fatalf("login: %d %s (HttpOnly, SameSite, and never a redirect off the site)", code, cookie)
	}
}

// TestProductPageWeight: a product page's HTML, CSS and JavaScript must
// stay under 60 KB compressed on the wire (images excluded), for buyers on
// slow networks.
func TestProductPageWeight(t *testing.T) {
	w := newWorld(t)
	fetch := func(path string) ([]byte, string) {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Accept-Encoding", "br, gzip")
		resp, err := w.a.HTTP().Test(req, -1)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, resp.StatusCode, err)
		}
		b, _ := io.ReadAll(resp.Body)
		return b, resp.Header.Get("Content-Encoding")
	}
	html, enc := fetch("/produk/" + w.ids["productLive"])
	if enc == "" {
		t.Fatal("the page must be sent compressed")
	}
	total := len(html)
	req := httptest.NewRequest("GET", "/produk/"+w.ids["productLive"], nil)
	resp, _ := w.a.HTTP().Test(req, -1)
	plain, _ := io.ReadAll(resp.Body)
	for _, m := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(string(plain), -1) {
		b, _ := fetch(m[1])
		total += len(b)
	}
	t.Logf("product page: %d bytes compressed (HTML, CSS and JS)", total)
	if total > 60*1024 {
		t.Fatalf("product page weighs %d bytes compressed, over 60 KB", total)
	}
}
