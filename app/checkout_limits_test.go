package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/catalog/catalogtest"
	"github.com/sentrakreasi/atensi/orders"
)

// TestCheckoutLimitsOverHTTP: past the unpaid-checkout limit the API
// answers 429 problem JSON saying why, with Retry-After, and the checkout
// page shows its form again with the reason; a line over the per-product
// maximum is 422 on that line.
func TestCheckoutLimitsOverHTTP(t *testing.T) {
	w := newWorld(t)
	w.a.orders.SetLimits(orders.Limits{UnpaidPerIP: 1, UnpaidPerEmail: 5, PerProduct: 5})
	checkout := func(email string, quantity int) *http.Response {
		body := fmt.Sprintf(`{"items":[{"product_id":%q,"quantity":%d}],"buyer":{"name":"Budi","email":%q,"phone":"081234567890"},
			"shipping":{"method":"pickup"},"payment_method":"bank_transfer"}`, w.ids["productLive"], quantity, email)
		req := httptest.NewRequest(http.MethodPost, "/api/v1/checkout", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := w.a.HTTP().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	var p Problem
	if resp := checkout("satu@contoh.id", 6); resp.StatusCode != 422 {
		t.Fatalf("6 of a product with a maximum of 5: %d, want 422", resp.StatusCode)
	} else if json.NewDecoder(resp.Body).Decode(&p); len(p.Errors) != 1 || p.Errors[0].Field != "items[0].quantity" {
		t.Fatalf("422 problem: %+v", p)
	}
	if resp := checkout("satu@contoh.id", 1); resp.StatusCode != 201 {
		t.Fatalf("first checkout: %d", resp.StatusCode)
	}
	resp := checkout("dua@contoh.id", 1)
	p = Problem{}
	json.NewDecoder(resp.Body).Decode(&p)
	retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != 429 || resp.Header.Get("Content-Type") != "application/problem+json" || p.Type != "/problems/rate-limited" ||
		!strings.Contains(p.Detail, "belum dibayar") || retry < 24*3600-60 || retry > 24*3600 { // a transfer's day, BANK_TRANSFER_HOURS
		t.Fatalf("second unpaid checkout from the address: %d %s %+v (Retry-After %q)", resp.StatusCode, resp.Header.Get("Content-Type"), p,
			resp.Header.Get("Retry-After"))
	}

	if code, b := w.do(t, "buyer", "PUT", "/api/v1/cart/items/"+w.ids["productLive"], `{"quantity":1}`); code != 200 {
		t.Fatalf("cart: %d %s", code, b)
	}
	code, page := w.do(t, "buyer", "POST", "/checkout",
		"buyer.name=Budi&buyer.email=tiga%40contoh.id&buyer.phone=081234567890&shipping.method=pickup&payment_method=bank_transfer")
	if code != 429 || !strings.Contains(string(page), "Pesanan Anda yang belum dibayar sudah terlalu banyak") ||
		!strings.Contains(string(page), `value="tiga@contoh.id"`) {
		t.Fatalf("checkout page over the limit: %d, want 429 and the form again with the reason\n%s", code, page)
	}
}

// TestTooBigPhotoIsAProblemNamingTheLimit: the 372 KB PNG that
// decodes to 392 MB is answered 422 on file, naming the limit.
func TestTooBigPhotoIsAProblemNamingTheLimit(t *testing.T) {
	w := newWorld(t)
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	part, _ := form.CreateFormFile("file", "kain.png")
	part.Write(catalogtest.BigPNG16(t))
	form.Close()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/products/"+w.ids["productPhotos"]+"/images", &body)
	req.Header.Set("Content-Type", form.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+w.login(t, "seller"))
	var p Problem
	if resp := call(t, w.a, req, &p); resp.StatusCode != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "file" ||
		!strings.Contains(p.Errors[0].Message, "192 MB") {
		t.Fatalf("upload: %d %+v, want 422 on file naming the 192 MB limit", resp.StatusCode, p)
	}
}

// TestCheckoutLimitCountsTheClientBehindTheProxy: behind a trusted proxy
// every request comes from the proxy's address; the unpaid-checkout limit
// counts the client it names, so one client's checkouts never lock out
// another's.
func TestCheckoutLimitCountsTheClientBehindTheProxy(t *testing.T) {
	w := behindProxy(t)
	w.a.orders.SetLimits(orders.Limits{UnpaidPerIP: 1, UnpaidPerEmail: 5, PerProduct: 5})
	checkout := func(client, email string) int {
		body := fmt.Sprintf(`{"items":[{"product_id":%q,"quantity":1}],"buyer":{"name":"Budi","email":%q,"phone":"081234567890"},
			"shipping":{"method":"pickup"},"payment_method":"bank_transfer"}`, w.ids["productLive"], email)
		req := httptest.NewRequest(http.MethodPost, "/api/v1/checkout", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", client)
		resp, err := w.a.HTTP().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode
	}
	if s := checkout("198.51.100.1", "satu@contoh.id"); s != 201 {
		t.Fatalf("first client's checkout: %d", s)
	}
	if s := checkout("198.51.100.2", "dua@contoh.id"); s != 201 {
		t.Fatalf("another client behind the same proxy: %d, want 201", s)
	}
	if s := checkout("198.51.100.1", "tiga@contoh.id"); s != 429 {
		t.Fatalf("the first client's second unpaid checkout: %d, want 429", s)
	}
}
