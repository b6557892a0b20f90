package app

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/orders"
)

// askIn sends an API request as actor with Accept-Language lang (none when
// empty) and decodes the problem it answers.
func (w *world) askIn(t *testing.T, actor, lang, method, path, body string) Problem {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	if tok := w.tokens[actor]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := w.a.HTTP().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	var p Problem
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || p.Status != resp.StatusCode {
		t.Fatalf("%s %s: %d, not a problem: %v", method, path, resp.StatusCode, err)
	}
	return p
}

// TestAPIErrorsInTheReadersLanguage: checkout, login, register and a
// product's validation answer in English with Accept-Language: en, and in
// Indonesian without it (title, detail and every field message).
func TestAPIErrorsInTheReadersLanguage(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct {
		name, actor, path, body string
		status                  int
		id, en                  []string // title, detail, then each field's message
	}{
		{"checkout", "buyer", "/api/v1/checkout",
			`{"items":[{"product_id":"` + w.ids["productLive"] + `","quantity":1}],"buyer":{"name":"Budi","email":"bukan-email","phone":"0812"},"shipping":{"method":"pickup"},"payment_method":"bank_transfer"}`,
			422, []string{"Data yang dikirim tidak valid", "Periksa isian yang ditandai.", "email tidak valid", "nomor telepon tidak valid, misalnya 0812 3456 7890"},
			[]string{"The data sent is not valid", "Check the marked fields.", "invalid email", "invalid phone number, for example 0812 3456 7890"}},
		{"login", "", "/api/v1/auth/login", `{"email":"buyer@uji.id","password":"salah-sekali-2026"}`,
			401, []string{"Belum masuk", "Email atau kata sandi salah."}, []string{"Not logged in", "Wrong email or password."}},
		{"register", "", "/api/v1/auth/register", `{"name":"Baru","email":"baru@uji.id","password":"pendek"}`,
			422, []string{"Data yang dikirim tidak valid", "Periksa isian yang ditandai.", "kata sandi minimal 8 karakter"},
			[]string{"The data sent is not valid", "Check the marked fields.", "the password needs at least 8 characters"}},
		{"product", "seller", "/api/v1/shops/" + w.ids["shopPM"] + "/products", `{"title":"Keripik","category":"keripik","price_idr":5,"stock":5}`,
			422, []string{"Data yang dikirim tidak valid", "Periksa isian yang ditandai.", "harga Rp100 sampai Rp100.000.000, dalam rupiah utuh"},
			[]string{"The data sent is not valid", "Check the marked fields.", "a price from Rp100 to Rp100.000.000, in whole rupiah"}},
	} {
		langs := map[string][]string{"": tt.id, "id": tt.id, "en": tt.en, "en-GB,en;q=0.9,id;q=0.5": tt.en}
		if tt.name == "login" { // more failed logins would be throttled
			langs = map[string][]string{"": tt.id, "en-GB,en;q=0.9,id;q=0.5": tt.en}
		}
		for lang, want := range langs {
			p := w.askIn(t, tt.actor, lang, "POST", tt.path, tt.body)
			got := []string{p.Title, p.Detail}
			for _, f := range p.Errors {
				got = append(got, f.Message)
			}
			if p.Status != tt.status || strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s with Accept-Language %q: %d %q, want %d %q", tt.name, lang, p.Status, got, tt.status, want)
			}
		}
	}
}

// TestRegisterAnswersInTheReadersLanguage: the accepted registration's
// detail follows Accept-Language too.
func TestRegisterAnswersInTheReadersLanguage(t *testing.T) {
	w := newWorld(t)
	for lang, want := range map[string]string{"": "Jika email ini belum terdaftar", "en": "If this email was not registered yet"} {
		req := httptest.NewRequest("POST", "/api/v1/auth/register", strings.NewReader(`{"name":"Baru","email":"baru`+lang+`@uji.id","password":"keripik-pisang-enak"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Language", lang)
		var got struct{ Detail string }
		if resp := call(t, w.a, req, &got); resp.StatusCode != 202 || !strings.HasPrefix(got.Detail, want) {
			t.Errorf("register with Accept-Language %q: %d %q, want %q...", lang, resp.StatusCode, got.Detail, want)
		}
	}
}

// TestCheckoutPageErrorsInEnglish: a bad checkout form sent with the English
// language cookie comes back with English field messages only.
func TestCheckoutPageErrorsInEnglish(t *testing.T) {
	w := newWorld(t)
	buyer := access.Actor{UserID: w.ids["buyer"], Role: access.Buyer}
	if _, err := w.a.orders.SetCartItem(context.Background(), orders.CartOwner{Actor: buyer}, w.ids["productLive"], 1); err != nil {
		t.Fatal(err)
	}
	form := w.page(t, "buyer", "GET", "/checkout", "", "lang=en")
	got := w.page(t, "buyer", "POST", "/checkout",
		"buyer.name=Budi&buyer.email=bukan-email&buyer.phone=0812&shipping.method=pickup&payment_method=bank_transfer&_form="+formToken(t, form.body), "lang=en")
	if got.status != 422 {
		t.Fatalf("bad checkout form: %d", got.status)
	}
	for _, want := range []string{"invalid email", "invalid phone number, for example 0812 3456 7890"} {
		if !strings.Contains(got.body, want) {
			t.Errorf("the English checkout form lacks %q", want)
		}
	}
	for _, indonesian := range []string{"email tidak valid", "nomor telepon tidak valid", "Periksa isian"} {
		if strings.Contains(got.body, indonesian) {
			t.Errorf("the English checkout form shows %q", indonesian)
		}
	}
}

// TestUnknownRouteInTheReadersLanguage: Fiber's own 404 is worded too.
func TestUnknownRouteInTheReadersLanguage(t *testing.T) {
	w := newWorld(t)
	for lang, want := range map[string]string{"": "Tidak ditemukan|Alamat ini tidak ada.", "en": "Not found|There is no such address."} {
		if p := w.askIn(t, "", lang, "GET", "/api/v1/tidak-ada", ""); p.Status != 404 || p.Title+"|"+p.Detail != want {
			t.Errorf("unknown route with Accept-Language %q: %d %q %q, want %q", lang, p.Status, p.Title, p.Detail, want)
		}
	}
}

// TestLoginAndRegisterPagesInEnglish: the login and register forms, sent
// with the English language cookie, answer their errors in English.
func TestLoginAndRegisterPagesInEnglish(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct{ path, form, en, id string }{
		{"/masuk", "email=buyer%40uji.id&password=salah-sekali-2026", "Wrong email or password.", "Email atau kata sandi salah."},
		{"/daftar", "name=Baru&email=baru%40uji.id&password=pendek", "the password needs at least 8 characters", "kata sandi minimal"},
	} {
		got := w.page(t, "", "POST", tt.path, tt.form, "lang=en")
		if !strings.Contains(got.body, tt.en) || strings.Contains(got.body, tt.id) {
			t.Errorf("%s in English: %d, want %q and not %q", tt.path, got.status, tt.en, tt.id)
		}
	}
}
