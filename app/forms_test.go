package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/frontend"
	"github.com/sentrakreasi/atensi/orders"
)

// pageAnswer is a page's answer as a browser sees it.
type pageAnswer struct {
	status   int
	location string
	header   http.Header
	body     string
}

// page sends a page request as actor (a session cookie, a CSRF cookie and,
// for a POST, the form with its CSRF token), with extra cookies if given.
func (w *world) page(t *testing.T, actor, method, path, form string, cookies ...string) pageAnswer {
	t.Helper()
	const seed = "seed-for-the-form-tests-long"
	cookie := strings.Join(append([]string{"atensi_csrf=" + seed}, cookies...), "; ")
	if tok := w.tokens[actor]; tok != "" {
		cookie += "; atensi_session=" + tok
	}
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader("_csrf=" + frontend.CSRFToken(csrfKey(w.a.cfg.DataKey), seed) + "&" + form)
	}
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Cookie", cookie)
	req.Header.Set("Accept", "text/html")
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := w.a.HTTP().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s as %s: %v", method, path, actor, err)
	}
	b, _ := io.ReadAll(resp.Body)
	return pageAnswer{status: resp.StatusCode, location: resp.Header.Get("Location"), header: resp.Header, body: string(b)}
}

var formTokenField = regexp.MustCompile(`name="_form" value="([A-Za-z0-9_-]+)"`)

// formToken is the one-time token of the first form of a page.
func formToken(t *testing.T, body string) string {
	t.Helper()
	m := formTokenField.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page's form carries no one-time token")
	}
	return m[1]
}

func (w *world) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.a.db.Gorm.Raw(query, args...).Row().Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLoginRedirectStaysOnTheSite: next=/\r\nX-Injected: 1 must add no
// header, and a tab, a backslash or a second slash must not lead to
// another site; without a usable next page a login goes to the role's home.
func TestLoginRedirectStaysOnTheSite(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct {
		actor, next, want string
	}{
		{"buyer", "/\r\nX-Injected: 1", "/akun"},
		{"buyer", "/\t/evil.example", "/akun"},
		{"buyer", "/\\evil.example", "/akun"},
		{"buyer", "//evil.example", "/akun"},
		{"staffA", "https://evil.example/masuk", "/staf/kasus"},
		{"seller", "", "/jual"},
		{"staffA", "/staf/pesanan?status=paid", "/staf/pesanan?status=paid"},
	} {
		form := url.Values{"email": {strings.ToLower(tt.actor) + "@uji.id"}, "password": {worldPassword}, "next": {tt.next}}
		got := w.page(t, "", "POST", "/masuk", form.Encode())
		if got.status != 303 || got.location != tt.want || got.header.Get("X-Injected") != "" {
			t.Errorf("%s with next=%q: %d to %q (X-Injected %q), want 303 to %q", tt.actor, tt.next, got.status, got.location, got.header.Get("X-Injected"), tt.want)
		}
	}

	// An error page at //evil.example links its other language on this site.
	got := w.page(t, "", "GET", "//evil.example", "")
	if got.status != 404 || strings.Contains(got.body, `href="//evil.example`) || !strings.Contains(got.body, `href="/?lang=en"`) {
		t.Errorf("the language link of //evil.example must stay on the site: %d\n%s", got.status, got.body)
	}
}

// TestCheckoutFormPlacesOneOrderForConcurrentSubmits: the checkout button
// pressed three times at once (the same form) gives one order group, one
// stock reservation and one email, and every answer shows that order; a
// second tab's form on the emptied cart places nothing.
func TestCheckoutFormPlacesOneOrderForConcurrentSubmits(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	buyer := access.Actor{UserID: w.ids["buyer"], Role: access.Buyer}
	if _, err := w.a.orders.SetCartItem(ctx, orders.CartOwner{Actor: buyer}, w.ids["productLive"], 3); err != nil {
		t.Fatal(err)
	}
	first := w.page(t, "buyer", "GET", "/checkout", "")
	other := w.page(t, "buyer", "GET", "/checkout", "")
	if first.status != 200 || other.status != 200 {
		t.Fatalf("checkout page: %d %d", first.status, other.status)
	}
	groups := `SELECT count(*) FROM order_groups WHERE buyer_user_id = ?`
	stock := `SELECT stock FROM products WHERE id = ?`
	mails := `SELECT count(*) FROM notifications WHERE kind = 'order_received'`
	groupsBefore, stockBefore, mailsBefore := w.count(t, groups, w.ids["buyer"]), w.count(t, stock, w.ids["productLive"]), w.count(t, mails)

	form := "buyer.name=Budi&buyer.email=budi%40contoh.id&buyer.phone=081234567890&shipping.method=pickup&payment_method=bank_transfer&_form="
	var wg sync.WaitGroup
	answers := make([]pageAnswer, 3)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = w.page(t, "buyer", "POST", "/checkout", form+formToken(t, first.body))
		}()
	}
	wg.Wait()
	for _, a := range answers {
		if a.status != 303 || !strings.HasPrefix(a.location, "/pesanan/") || a.location != answers[0].location {
			t.Fatalf("every submit must be sent to the one order: %d %q, first %q", a.status, a.location, answers[0].location)
		}
	}
	if n := w.count(t, groups, w.ids["buyer"]) - groupsBefore; n != 1 {
		t.Errorf("%d order groups from one form, want 1", n)
	}
	if taken := stockBefore - w.count(t, stock, w.ids["productLive"]); taken != 3 {
		t.Errorf("stock taken %d, want one reservation of 3", taken)
	}
	if n := w.count(t, mails) - mailsBefore; n != 1 {
		t.Errorf("%d order emails, want 1", n)
	}
	if shown := w.page(t, "", "GET", answers[0].location, ""); shown.status != 200 || !strings.Contains(shown.body, "ATN") {
		t.Errorf("the order link the repeat answers must open the order: %d", shown.status)
	}

	// The other tab's form: its cart is empty now.
	again := w.page(t, "buyer", "POST", "/checkout", form+formToken(t, other.body))
	if again.status != 422 || w.count(t, groups, w.ids["buyer"])-groupsBefore != 1 {
		t.Errorf("a second form on the emptied cart: %d, want the form again and no order", again.status)
	}
}

// TestTillSaleIsRecordedOnce: the till redirects to its receipt after a
// sale (a reload records nothing), and the same form sent again answers
// that sale instead of selling the goods twice.
func TestTillSaleIsRecordedOnce(t *testing.T) {
	w := newWorld(t)
	till := w.page(t, "staffA", "GET", "/staf/kasir", "")
	if till.status != 200 {
		t.Fatalf("till: %d", till.status)
	}
	sales := `SELECT count(*) FROM order_groups WHERE sold_by = ?`
	stock := `SELECT stock FROM products WHERE id = ?`
	salesBefore, stockBefore := w.count(t, sales, w.ids["staffA"]), w.count(t, stock, w.ids["productLive"])
	form := "qty." + w.ids["productLive"] + "=2&payment_method=qris&_form=" + formToken(t, till.body)
	sold := w.page(t, "staffA", "POST", "/staf/kasir", form)
	if sold.status != 303 || !strings.HasPrefix(sold.location, "/staf/kasir?sale=") {
		t.Fatalf("a sale: %d to %q, want 303 to its receipt", sold.status, sold.location)
	}
	if again := w.page(t, "staffA", "POST", "/staf/kasir", form); again.status != 303 || again.location != sold.location {
		t.Fatalf("the form sent again: %d to %q, want the first sale's receipt %q", again.status, again.location, sold.location)
	}
	receipt := w.page(t, "staffA", "GET", sold.location, "")
	if receipt.status != 200 || !regexp.MustCompile(`Penjualan TOKO[A-Z0-9]+ tercatat dan lunas`).MatchString(receipt.body) ||
		!strings.Contains(receipt.body, "2 × Keripik Talas Laris") || !strings.Contains(receipt.body, `value="qris" checked`) {
		t.Fatalf("receipt: %d\n%s", receipt.status, receipt.body)
	}
	w.page(t, "staffA", "GET", sold.location, "") // a reload
	if n := w.count(t, sales, w.ids["staffA"]) - salesBefore; n != 1 {
		t.Errorf("%d sales recorded, want 1", n)
	}
	if sold := stockBefore - w.count(t, stock, w.ids["productLive"]); sold != 2 {
		t.Errorf("stock sold %d, want 2", sold)
	}
	if other := w.page(t, "staffB", "GET", sold.location, ""); other.status != 404 {
		t.Errorf("another Balai's staff open the receipt: %d, want 404", other.status)
	}
}

// TestSalesAPIHonoursIdempotencyKey: the same key and body record one sale
// and answer it again; the same key with another body is 409.
func TestSalesAPIHonoursIdempotencyKey(t *testing.T) {
	w := newWorld(t)
	send := func(key, body string) (int, []byte) {
		req := httptest.NewRequest("POST", "/api/v1/sales", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+w.tokens["staffA"])
		req.Header.Set("Idempotency-Key", key)
		resp := call(t, w.a, req, nil)
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	body := fmt.Sprintf(`{"items":[{"product_id":%q,"quantity":1}],"payment_method":"cash"}`, w.ids["productLive"])
	before := w.count(t, `SELECT count(*) FROM order_groups WHERE sold_by = ?`, w.ids["staffA"])
	s1, b1 := send("kasir-0001-abcdef-123456", body)
	s2, b2 := send("kasir-0001-abcdef-123456", body)
	if s1 != 201 || s2 != 201 || !bytes.Equal(b1, b2) {
		t.Fatalf("same key twice: %d %s / %d %s, want the first answer again", s1, b1, s2, b2)
	}
	if n := w.count(t, `SELECT count(*) FROM order_groups WHERE sold_by = ?`, w.ids["staffA"]) - before; n != 1 {
		t.Fatalf("%d sales for one key, want 1", n)
	}
	if s, b := send("kasir-0001-abcdef-123456", strings.Replace(body, `"cash"`, `"qris"`, 1)); s != 409 {
		t.Fatalf("same key, another body: %d %s, want 409", s, b)
	}
}

// TestStaffRefundFormRefundsOnce: a refund form sent twice gives back the
// money once, and both answers go back to the list (post/redirect/get).
func TestStaffRefundFormRefundsOnce(t *testing.T) {
	w := newWorld(t)
	step := w.page(t, "staffA", "GET", "/staf/pesanan/"+w.ids["orderPaid"]+"/refund?periksa=1&amount_idr=1000&reason=kemasan+penyok&status=paid", "")
	form := "amount_idr=1000&reason=kemasan+penyok&status=paid&_form=" + formToken(t, step.body)
	for range 2 {
		if got := w.page(t, "staffA", "POST", "/staf/pesanan/"+w.ids["orderPaid"]+"/refund", form); got.status != 303 || got.location != "/staf/pesanan?ok=refunded&status=paid" {
			t.Fatalf("refund: %d to %q", got.status, got.location)
		}
	}
	if n := w.count(t, `SELECT refunded_idr FROM orders WHERE id = ?`, w.ids["orderPaid"]); n != 1000 {
		t.Fatalf("refunded %d, want 1000 once", n)
	}
}

// TestShipFormWithoutTrackingNumberIsMarked: a courier order shipped
// without a tracking number shows the form again with the field marked and
// the carrier kept, not an error page.
func TestShipFormWithoutTrackingNumberIsMarked(t *testing.T) {
	w := newWorld(t)
	id := w.ids["orderPaid"]
	got := w.page(t, "seller", "POST", "/jual/pesanan/"+id+"/kirim", "carrier=JNE&tracking_no=")
	if got.status != 422 {
		t.Fatalf("ship without a tracking number: %d, want 422", got.status)
	}
	for _, want := range []string{`name="tracking_no" type="text" value="" aria-invalid="true" aria-describedby="track-` + id + `-error"`,
		`id="track-` + id + `-error">nomor resi wajib diisi`, `id="carrier-` + id + `" name="carrier" type="text" value="JNE"`, "Periksa isian yang ditandai."} {
		if !strings.Contains(got.body, want) {
			t.Errorf("the form again lacks %s", want)
		}
	}
	if strings.Contains(got.body, "kesalahan di server") {
		t.Error("a missing tracking number is not a server error")
	}
	if got := w.page(t, "seller", "POST", "/jual/pesanan/"+id+"/kirim", "carrier=JNE&tracking_no=JX123"); got.status != 303 || got.location != "/jual/pesanan?ok=ship" {
		t.Fatalf("ship: %d to %q", got.status, got.location)
	}
	if shown := w.page(t, "seller", "GET", "/jual/pesanan?ok=ship", ""); !strings.Contains(shown.body, "Pesanan ditandai dikirim.") {
		t.Error("after shipping the list says so")
	}
}

// TestNegativeCartQuantityIsMarked: a negative or non-numeric quantity
// shows the form it came from again with the field marked: the product
// page for a product not in the cart, the cart's line for one in it.
func TestNegativeCartQuantityIsMarked(t *testing.T) {
	w := newWorld(t)
	product := w.ids["productLive"]
	got := w.page(t, "buyer", "POST", "/keranjang", "product_id="+product+"&quantity=-1")
	if got.status != 422 || !strings.Contains(got.body, `value="-1" inputmode="numeric" aria-invalid="true" aria-describedby="quantity-error"`) ||
		!strings.Contains(got.body, `id="quantity-error">jumlah 0 sampai 20`) {
		t.Fatalf("a negative quantity from the product page: %d\n%s", got.status, got.body)
	}
	if got := w.page(t, "buyer", "POST", "/keranjang", "product_id="+product+"&quantity=2"); got.status != 303 {
		t.Fatalf("add to cart: %d", got.status)
	}
	for _, qty := range []string{"-3", "dua"} {
		got = w.page(t, "buyer", "POST", "/keranjang", "product_id="+product+"&quantity="+qty)
		if got.status != 422 || !strings.Contains(got.body, `value="`+qty+`" inputmode="numeric" aria-invalid="true" aria-describedby="q-`+product+`-error"`) ||
			strings.Contains(got.body, "kesalahan di server") {
			t.Errorf("quantity %q in the cart: %d\n%s", qty, got.status, got.body)
		}
	}
}

// TestBodyOverTheLimitIsAFriendly413: fasthttp refuses a 19 MB upload
// before any route; a browser gets a page in its language with the site's
// security headers, an API client a problem document.
func TestBodyOverTheLimitIsAFriendly413(t *testing.T) {
	w := newWorld(t)
	// app.Test reports fasthttp's refusal as its own error: serve for real.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = w.a.HTTP().Listener(ln) }()
	t.Cleanup(func() { _ = w.a.HTTP().Shutdown() })
	// upload sends the headers of a 19 MB multipart upload: the answer
	// comes as soon as the server reads the Content-Length.
	upload := func(path, accept, lang string) *http.Response {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n"+
			"Accept: %s\r\nReferer: http://%s/jual/produk/%s\r\nCookie: lang=%s; atensi_session=%s\r\n\r\n--x\r\n",
			path, ln.Addr(), 19<<20, accept, ln.Addr(), w.ids["productPhotos"], lang, w.tokens["seller"])
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for lang, want := range map[string]string{"id": "Berkas atau isian terlalu besar", "en": "The file or form is too large"} {
		resp := upload("/jual/produk/"+w.ids["productPhotos"], "text/html", lang)
		b, _ := io.ReadAll(resp.Body)
		page := string(b)
		if resp.StatusCode != 413 || !strings.Contains(page, want) || !strings.Contains(page, `href="/jual/produk/`+w.ids["productPhotos"]+`"`) {
			t.Errorf("%s page: %d\n%s", lang, resp.StatusCode, page)
		}
		for _, bad := range []string{"Request Entity Too Large", "kesalahan di server", "server had a problem"} {
			if strings.Contains(page, bad) {
				t.Errorf("%s page says %q", lang, bad)
			}
		}
		if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("the 413 page lacks the security headers or a request id: %v", resp.Header)
		}
	}
	resp := upload("/api/v1/products/"+w.ids["productPhotos"]+"/images", "application/json", "id")
	var p Problem
	b, _ := io.ReadAll(resp.Body)
	mustJSON(t, b, &p)
	if resp.StatusCode != 413 || resp.Header.Get("Content-Type") != "application/problem+json" || p.Type != "/problems/too-large" ||
		p.Status != 413 || !strings.Contains(p.Detail, "11 MB") || p.RequestID == "" {
		t.Errorf("API: %d %s %+v", resp.StatusCode, resp.Header.Get("Content-Type"), p)
	}
}
