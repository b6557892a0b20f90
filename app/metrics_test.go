package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// scrape reads the metrics as the metrics listener serves them.
func scrape(t testing.TB, a *App) string {
	t.Helper()
	rec := httptest.NewRecorder()
	a.metrics.handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics = %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func TestMetricsOnlyOnTheirOwnListener(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	for _, path := range []string{"/metrics", "/debug/pprof/", "/debug/pprof/profile?seconds=1"} {
		if resp := call(t, a, get(path), nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("GET %s on the public address = %d, want 404", path, resp.StatusCode)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.ServeMetrics(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "go_goroutines") {
		t.Fatalf("metrics listener: %d %.200s", resp.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("ServeMetrics after cancel: %v", err)
	}

	cfg, err := LoadConfig(func(string) string { return "" })
	if err != nil || cfg.MetricsAddr != "127.0.0.1:9091" {
		t.Fatalf("METRICS_ADDR default = %q, %v", cfg.MetricsAddr, err)
	}
	if _, err := LoadConfig(func(k string) string { return map[string]string{"HTTP_ADDR": ":9000", "METRICS_ADDR": ":9000"}[k] }); err == nil ||
		!strings.Contains(err.Error(), "METRICS_ADDR") {
		t.Fatalf("METRICS_ADDR on the public address: %v", err)
	}
}

// TestMetricsLabelsSurviveConcurrentRequests runs 50 clients over real
// keep-alive connections with mixed methods: label values kept from
// fasthttp's reused buffers would turn into other methods ("GETT") and the
// registry would refuse to gather ("was collected before").
func TestMetricsLabelsSurviveConcurrentRequests(t *testing.T) {
	a := newTestApp(t)
	a.HTTP().All("/test/echo/:id", func(c *fiber.Ctx) error { return c.SendString("ok") })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln, false) }()

	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
	const clients, each = 50, 60
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := range clients {
		wg.Go(func() {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			for j := range each {
				m := methods[(i+j)%len(methods)]
				req, _ := http.NewRequest(m, fmt.Sprintf("http://%s/test/echo/%d?pad=%s", ln.Addr(), j, strings.Repeat("x", j)), strings.NewReader("{}"))
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	text := scrape(t, a)
	line := regexp.MustCompile(`(?m)^http_requests_total\{method="([^"]*)",route="/test/echo/:id",status="200"\} (\d+)$`)
	got := map[string]string{}
	for _, m := range line.FindAllStringSubmatch(text, -1) {
		got[m[1]] = m[2]
	}
	want := fmt.Sprint(clients * each / len(methods))
	for _, m := range methods {
		if got[m] != want {
			t.Errorf("http_requests_total for %s = %q, want %s", m, got[m], want)
		}
	}
	for m := range got {
		if !slices.Contains(methods, m) {
			t.Errorf("a method label %q that no client sent", m)
		}
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
}
