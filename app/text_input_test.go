package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestTextWithNULOrBrokenUTF8IsABadRequest(t *testing.T) {
	a := newTestApp(t)
	for _, tc := range []struct {
		name, method, target, contentType, body string
		want                                    int
	}{
		{"NUL in the query", "GET", "/api/v1/reference/poverty-lines?province_code=%00", "", "", 400},
		{"bytes that are not UTF-8 in the query", "GET", "/api/v1/products?q=%FF%FE", "", "", 400},
		{"NUL in the path", "GET", "/api/v1/products/ab%00cd", "", "", 400},
		{"escaped NUL in JSON", "POST", "/api/v1/auth/login", "application/json", `{"email":"\u0000","password":"x"}`, 400},
		{"escaped NUL in JSON sent as a form", "POST", "/api/v1/auth/login", "multipart/form-data", `{"email":"a\u0000","password":"x"}`, 400},
		{"NUL in a form field", "POST", "/masuk", "application/x-www-form-urlencoded", "email=a%00b&password=x", 400},
		{"a clean form reaches the page (its CSRF check)", "POST", "/masuk", "application/x-www-form-urlencoded", "email=ab&password=x", 403},
		{"the text \\u0000 is fine", "POST", "/api/v1/auth/login", "application/json", `{"email":"a\\u0000@uji.id","password":"kata-sandi-salah"}`, 401},
		{"a plain search", "GET", "/api/v1/products?q=keripik+pisang", "", "", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "/", strings.NewReader(tc.body))
			req.RequestURI = tc.target
			req.URL, _ = req.URL.Parse(tc.target)
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			resp := call(t, a, req, nil)
			if resp.StatusCode != tc.want {
				t.Errorf("%s %s = %d, want %d", tc.method, tc.target, resp.StatusCode, tc.want)
			}
			if tc.want == http.StatusBadRequest && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("content type %q, want a problem document", resp.Header.Get("Content-Type"))
			}
		})
	}
}

// Lengths are counted in characters, as PostgreSQL's CHECK (length(...))
// counts them: one emoji is one character, not four bytes that pass a
// minimum of three and then fail the constraint as a 500.
func TestTextLengthsCountCharacters(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct{ actor, path, body string }{
		{"admin", "/api/v1/units", `{"kind":"balai","name":"😀","province_code":"31","regency_code":"3171"}`},
		{"staffA", "/api/v1/shops", `{"kind":"beneficiary","display_name":"😀😀","unit_id":"` + w.ids["unitA"] + `","case_id":"` + w.ids["caseAudited"] + `","owner_user_id":"` + w.ids["seller"] + `"}`},
	} {
		if got, b := w.do(t, tc.actor, "POST", tc.path, tc.body); got != 422 {
			t.Errorf("POST %s %s = %d, want 422: %s", tc.path, tc.body, got, b)
		}
	}
}
