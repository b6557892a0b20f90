package app

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// testConfig is the development configuration with test values.
func testConfig(t testing.TB) Config {
	t.Helper()
	cfg, err := LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Env = "test"
	cfg.ShutdownTimeout = 5 * time.Second
	// Every test request comes from one address and most from one buyer:
	// the unpaid-checkout limits are off but where a test sets them.
	cfg.Checkout.UnpaidPerIP, cfg.Checkout.UnpaidPerEmail = 0, 0
	return cfg
}

// newTestApp wires the app over a fresh database and bucket.
func newTestApp(t testing.TB, opts ...Option) *App {
	t.Helper()
	db := storagetest.DB(t)
	objects, _ := storagetest.Objects(t)
	return mustNew(t, testConfig(t), db, objects, opts...)
}

func mustNew(t testing.TB, cfg Config, db *storage.DB, objects *storage.Objects, opts ...Option) *App {
	t.Helper()
	a, err := New(cfg, slog.New(slog.DiscardHandler), db, objects, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// call sends a request through app.Test and decodes a JSON answer into out (if not nil).
func call(t testing.TB, a *App, req *http.Request, out any) *http.Response {
	t.Helper()
	resp, err := a.HTTP().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	if out != nil {
		body, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", req.Method, req.URL, body, err)
		}
	}
	return resp
}

func get(path string) *http.Request { return httptest.NewRequest(http.MethodGet, path, nil) }

func mustJSON(t testing.TB, body []byte, out any) {
	t.Helper()
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}

func storagetestURL(t testing.TB) string { return storagetest.DatabaseURL(t) }
