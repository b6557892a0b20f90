package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

func TestErrorsAreProblemJSON(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.HTTP().Get("/test/panic", func(*fiber.Ctx) error { panic("kaboom: secret detail") })
	a.HTTP().Get("/test/invalid", func(*fiber.Ctx) error {
		v := &domain.ValidationError{}
		v.Add("price_idr", "must be positive")
		return fmtErr(v)
	})
	a.HTTP().Get("/test/conflict", func(*fiber.Ctx) error { return fmtErr(domain.ErrConflict) })

	tests := []struct {
		req    *http.Request
		status int
		field  string
	}{
		{get("/no/such/route"), 404, ""},
		{httptestReq(http.MethodPost, "/healthz"), 405, ""},
		{get("/test/panic"), 500, ""},
		{get("/test/invalid"), 422, "price_idr"},
		{get("/test/conflict"), 409, ""},
	}
	for _, tt := range tests {
		var p Problem
		resp := call(t, a, tt.req, &p)
		if resp.StatusCode != tt.status || p.Status != tt.status || p.Title == "" || p.Type == "" || p.RequestID == "" {
			t.Errorf("%s %s = %d %+v, want a %d problem with type, title and request id", tt.req.Method, tt.req.URL, resp.StatusCode, p, tt.status)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s content type %q", tt.req.URL, ct)
		}
		if tt.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tt.field) {
			t.Errorf("%s errors = %+v, want one for %s", tt.req.URL, p.Errors, tt.field)
		}
		if strings.Contains(p.Detail, "kaboom") {
			t.Errorf("a panic's message leaked into the answer: %q", p.Detail)
		}
	}
}

func fmtErr(err error) error { return errors.Join(errors.New("handler"), err) }

func httptestReq(method, path string) *http.Request {
	r, _ := http.NewRequest(method, path, nil)
	return r
}

func TestSecurityHeadersAndRequestID(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	req := get("/healthz")
	req.Header.Set("X-Request-ID", "client-chosen-id-1")
	resp := call(t, a, req, nil)
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"X-Request-Id":           "client-chosen-id-1",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q must forbid inline script and framing", csp)
	}
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS must only be sent when the site is served over https")
	}

	bad := get("/healthz")
	bad.Header.Set("X-Request-ID", "evil\"}\nid")
	if id := call(t, a, bad, nil).Header.Get("X-Request-Id"); id == "" || strings.ContainsAny(id, "\"\n}") {
		t.Errorf("an unsafe incoming request id must be replaced, got %q", id)
	}
}

func TestHSTSBehindTLS(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	cfg := testConfig(t)
	cfg.BaseURL = "https://sentrakreasi.example"
	b := mustNew(t, cfg, a.db, a.objects)
	if hsts := call(t, b, get("/healthz"), nil).Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Fatalf("HSTS = %q behind https", hsts)
	}
}

func TestCompression(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	for _, enc := range []string{"gzip", "br"} {
		req := get("/api/v1/categories")
		req.Header.Set("Accept-Encoding", enc)
		if got := call(t, a, req, nil).Header.Get("Content-Encoding"); got != enc {
			t.Errorf("Accept-Encoding %s: Content-Encoding = %q", enc, got)
		}
	}
}

func TestMetricsByRoute(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.HTTP().Get("/test/items/:id", func(c *fiber.Ctx) error { return c.SendString("ok") })
	for _, p := range []string{"/test/items/1", "/test/items/2", "/nowhere"} {
		call(t, a, get(p), nil)
	}
	text := scrape(t, a)
	for _, want := range []string{
		`http_requests_total{method="GET",route="/test/items/:id",status="200"} 2`,
		`http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`http_request_duration_seconds_bucket{method="GET",route="/test/items/:id"`,
		`db_pool_connections{state="idle"}`,
		`db_pool_max_connections`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, `route="/test/items/1"`) {
		t.Error("metrics must label routes by pattern, not by raw path")
	}
}

func TestJobQueueDepthInMetrics(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	err := a.db.InTx(ctx, func(tx *storage.Tx) error {
		return tx.Enqueue(ctx, storage.DeleteObjectArgs{Key: "x"}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	body := scrape(t, a)
	if !strings.Contains(body, `job_queue_depth{queue="default",state="available"} 1`) {
		t.Fatalf("queue depth missing from metrics:\n%s", grepLines(body, "job_"))
	}
}

func grepLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestWorkersRunEnqueuedJobs(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := a.objects.Put(ctx, "gone/soon.txt", strings.NewReader("x"), 1, "text/plain"); err != nil {
		t.Fatal(err)
	}
	if err := a.db.InTx(ctx, func(tx *storage.Tx) error {
		return tx.Enqueue(ctx, storage.DeleteObjectArgs{Key: "gone/soon.txt"}, nil)
	}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Work(ctx) }()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := a.objects.Stat(ctx, "gone/soon.txt"); errors.Is(err, domain.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the delete_object job did not run within 15s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Work returned %v after cancel", err)
	}
}

// TestSIGTERMLetsSlowRequestFinish sends a real SIGTERM to this process while
// a request is in flight: the request completes and Serve returns nil.
func TestSIGTERMLetsSlowRequestFinish(t *testing.T) {
	a := newTestApp(t)
	started := make(chan struct{})
	a.HTTP().Get("/test/slow", func(c *fiber.Ctx) error {
		close(started)
		time.Sleep(700 * time.Millisecond)
		return c.SendString("finished")
	})
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln, true) }()

	var wg sync.WaitGroup
	var body string
	var reqErr error
	wg.Go(func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/test/slow")
		if err != nil {
			reqErr = err
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body = string(b)
	})
	<-started
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve = %v after SIGTERM, want nil", err)
		}
	case <-time.After(a.cfg.ShutdownTimeout + 2*time.Second):
		t.Fatal("Serve did not return within the shutdown timeout")
	}
	wg.Wait()
	if reqErr != nil || body != "finished" {
		t.Fatalf("in-flight request: body %q, err %v; want it to finish", body, reqErr)
	}
	if took := time.Since(start); took > a.cfg.ShutdownTimeout {
		t.Fatalf("shutdown took %v", took)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Fatal("still accepting connections after shutdown")
	}
}

func TestReadyzFollowsDependencies(t *testing.T) {
	t.Parallel()
	pg := startProxy(t, "127.0.0.1:5432")
	s3 := startProxy(t, storagetest.ObjectConfig().Endpoint)

	url := storagetest.DatabaseURL(t)
	url = strings.Replace(url, "127.0.0.1:5432", pg.addr, 1)
	db, err := storage.Open(context.Background(), url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	_, cfg := storagetest.Objects(t)
	cfg.Endpoint = s3.addr
	objects, err := storage.OpenObjects(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := mustNew(t, testConfig(t), db, objects)

	type ready struct {
		Status  string            `json:"status"`
		Checks  map[string]string `json:"checks"`
		Failing []string          `json:"failing"`
	}
	expect := func(status int, failing string) {
		t.Helper()
		var r ready
		resp := call(t, a, get("/readyz"), &r)
		if resp.StatusCode != status || strings.Join(r.Failing, ",") != failing {
			t.Fatalf("readyz = %d %+v, want %d failing %q", resp.StatusCode, r, status, failing)
		}
	}
	expect(200, "")
	pg.down()
	expect(503, "postgres")
	pg.up()
	expect(200, "")
	s3.down()
	expect(503, "object_store")
	pg.down()
	expect(503, "object_store,postgres")
	pg.up()
	s3.up()
	expect(200, "")
	if got := call(t, a, get("/healthz"), nil).StatusCode; got != 200 {
		t.Fatalf("healthz = %d; it only says the process is up", got)
	}
}

// proxy forwards TCP to a real service and can cut it off, to play a
// dependency going away and coming back.
type proxy struct {
	t      testing.TB
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func startProxy(t testing.TB, target string) *proxy {
	p := &proxy{t: t, target: target}
	p.up()
	t.Cleanup(p.down)
	return p
}

func (p *proxy) up() {
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
}

func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
