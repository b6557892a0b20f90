package app

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// A seller restocks and reprices a live product through its page form,
// typing the price the way people do: the product page stays 200 with the
// new price, search still finds it, and a title typed in the same form
// waits for review while the old title sells.
func TestSellerFormEditKeepsALiveProductOnSale(t *testing.T) {
	w := newWorld(t)
	id := w.ids["productLive"]
	form := url.Values{"title": {"Keripik Talas Balado"}, "description": {""}, "category": {"keripik"},
		"price_idr": {"Rp 27.500"}, "stock": {"1005"}, "stock_seen": {"1000"}, "_form": {"form-token-restock-0001"}}
	for range 2 { // a double tap: the second is the first's repeat
		if status, body := w.do(t, "seller", "POST", "/jual/produk/"+id, form.Encode()); status != 303 {
			t.Fatalf("save: %d\n%s", status, body)
		}
	}
	status, page := w.do(t, "anon", "GET", "/produk/"+id, "")
	if status != 200 || !strings.Contains(string(page), "Rp27.500") || !strings.Contains(string(page), "Keripik Talas Laris") ||
		strings.Contains(string(page), "Balado") {
		t.Fatalf("product page after the edit: %d, want 200 with Rp27.500 and the reviewed title", status)
	}
	status, body := w.do(t, "anon", "GET", "/api/v1/products?q=talas", "")
	var res struct {
		Items []struct {
			ID             string `json:"id"`
			Title          string `json:"title"`
			StockAvailable int    `json:"stock_available"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &res); err != nil || status != 200 || len(res.Items) != 1 || res.Items[0].ID != id ||
		res.Items[0].Title != "Keripik Talas Laris" || res.Items[0].StockAvailable < 1000 {
		t.Fatalf("search after the edit: %d %s", status, body)
	}
	var stock int
	if err := w.a.db.Gorm.Raw("SELECT stock FROM products WHERE id = ?", id).Scan(&stock).Error; err != nil || stock < 1001 || stock > 1005 {
		t.Fatalf("stock %d %v: want the restock of 5 applied once (less what the world's orders took)", stock, err)
	}
	// A price that is not rupiah: the form again, the field marked, what was typed kept.
	form.Set("price_idr", "25.00.0")
	form.Set("_form", "form-token-restock-0002")
	status, body = w.do(t, "seller", "POST", "/jual/produk/"+id, form.Encode())
	if status != 422 || !strings.Contains(string(body), `value="25.00.0"`) || !strings.Contains(string(body), `id="price_idr-error"`) {
		t.Fatalf("a wrong price: %d, want 422 with the field marked and kept", status)
	}
}
