package app

import (
	"io"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// TestMediaURLsAreRelativeUnlessMediaBaseURL: photos are linked as
// /media/... so they load whatever host the site is opened by (127.0.0.1,
// a LAN address, the public name), and the CSP stays 'self'; with
// MEDIA_BASE_URL they are absolute and the CSP allows that origin. The
// product's main photo loads eagerly (the page's largest paint).
func TestMediaURLsAreRelativeUnlessMediaBaseURL(t *testing.T) {
	cfg, err := LoadConfig(func(string) string { return "" })
	if err != nil || cfg.MediaBaseURL != "" || cfg.mediaPrefix() != "/media" {
		t.Fatalf("default media base %q (%v), want empty: /media on this site", cfg.MediaBaseURL, err)
	}
	env := map[string]string{"MEDIA_BASE_URL": "https://cdn.example.id/atensi/"}
	if cfg, err = LoadConfig(func(k string) string { return env[k] }); err != nil || cfg.mediaPrefix() != "https://cdn.example.id/atensi" {
		t.Fatalf("MEDIA_BASE_URL: %q %v", cfg.MediaBaseURL, err)
	}
	env["MEDIA_BASE_URL"] = "/media"
	if _, err := LoadConfig(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "MEDIA_BASE_URL") {
		t.Fatalf("a relative MEDIA_BASE_URL must be refused by name: %v", err)
	}

	for _, tt := range []struct {
		media, src, csp string
	}{
		{"", `src="/media/img/a.jpg"`, "img-src 'self' data: blob:;"},
		{"https://cdn.example.id/atensi", `src="https://cdn.example.id/atensi/img/a.jpg"`, "img-src 'self' data: blob: https://cdn.example.id;"},
	} {
		clock := newTestClock()
		c := testConfig(t)
		c.MediaBaseURL = tt.media
		db := storagetest.DB(t)
		objects, _ := storagetest.Objects(t)
		w := newWorldOn(t, mustNew(t, c, db, objects, WithClock(clock.Now)), clock)
		if err := db.Gorm.Exec("DELETE FROM product_images WHERE product_id = ?", w.ids["productLive"]).Error; err != nil {
			t.Fatal(err)
		}
		for i, key := range []string{"img/a.jpg", "img/b.jpg"} {
			if err := db.Gorm.Exec(`INSERT INTO product_images (id, product_id, position, alt, upload_key, status, width, height, variants, created_at)
				VALUES (gen_random_uuid(), ?, ?, 'Foto', '', 'ready', 640, 480, jsonb_build_array(jsonb_build_object('key', ?::text, 'width', 640, 'type', 'image/jpeg')), now())`,
				w.ids["productLive"], i, key).Error; err != nil {
				t.Fatal(err)
			}
		}
		resp := call(t, w.a, get("/produk/"+w.ids["productLive"]), nil)
		b, _ := io.ReadAll(resp.Body)
		body := string(b)
		if resp.StatusCode != 200 || !strings.Contains(body, tt.src) {
			t.Fatalf("media %q: product page %d does not link %s", tt.media, resp.StatusCode, tt.src)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, tt.csp) {
			t.Errorf("media %q: CSP %q, want %q", tt.media, csp, tt.csp)
		}
		tag := func(key string) string { // the <img> of a photo
			j := strings.Index(body, key+`" srcset`)
			if j < 0 {
				t.Fatalf("no <img> for %s", key)
			}
			start := strings.LastIndex(body[:j], "<img")
			return body[start : j+strings.Index(body[j:], ">")]
		}
		if main := tag("img/a.jpg"); !strings.Contains(main, `loading="eager" fetchpriority="high"`) {
			t.Errorf("the main photo must load eagerly with high priority: %s", main)
		}
		if other := tag("img/b.jpg"); !strings.Contains(other, `loading="lazy"`) || strings.Contains(other, "fetchpriority") {
			t.Errorf("the other photos load lazily: %s", other)
		}
	}
}
