package app

import (
	"context"
	"net/http"
	"net/http/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sentrakreasi/atensi/locale"
)

// metrics is the process's Prometheus registry. It is not the global one so
// tests can build several apps in one process.
type metrics struct {
	reg          *prometheus.Registry
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	jobsFinished *prometheus.CounterVec
}

func newMetrics(pool *pgxpool.Pool) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "HTTP request latency by method and route.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		jobsFinished: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jobs_finished_total", Help: "Background jobs finished by kind and outcome (completed, failed, cancelled).",
		}, []string{"kind", "outcome"}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.jobsFinished,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&poolCollector{pool: pool}, &queueCollector{pool: pool})
	return m
}

// observe records every request under its route pattern (never the raw path,
// which would make one time series per product).
func (m *metrics) observe(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		p, _ := problemFor(err, locale.ID)
		status = p.Status
	}
	// The registry keeps label values for good, and c.Method() points into
	// fasthttp's request buffer, which the next request on the connection
	// overwrites: a kept "GET" later reads "GETT" and /metrics fails for
	// good. The route pattern is the router's own string and stays.
	method := strings.Clone(c.Method())
	route := routeLabel(c)
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
	return err
}

// handler serves the registry in the Prometheus text format, and Go's
// profiles under /debug/pprof/ for finding where a request's time goes
// under load. It is mounted only on the metrics listener (METRICS_ADDR),
// never on the public one.
func (m *metrics) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	return mux
}

// routeLabel is the matched route pattern, or "unmatched" when only
// middleware ran (fiber then reports the catch-all "/").
func routeLabel(c *fiber.Ctx) string {
	r := c.Route()
	if r.Path == "/" && c.Path() != "/" {
		return "unmatched"
	}
	return r.Path
}

var (
	poolDesc = map[string]*prometheus.Desc{
		"total":    prometheus.NewDesc("db_pool_connections", "Connections in the pool by state.", []string{"state"}, nil),
		"max":      prometheus.NewDesc("db_pool_max_connections", "Largest size the pool may grow to.", nil, nil),
		"acquires": prometheus.NewDesc("db_pool_acquires_total", "Connections handed out by the pool.", nil, nil),
		"waited":   prometheus.NewDesc("db_pool_acquire_wait_seconds_total", "Time spent waiting for a free connection.", nil, nil),
	}
	queueDepthDesc = prometheus.NewDesc("job_queue_depth", "Background jobs not yet finished, by queue and state.", []string{"queue", "state"}, nil)
)

type poolCollector struct{ pool *pgxpool.Pool }

func (p *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range poolDesc {
		ch <- d
	}
}

func (p *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := p.pool.Stat()
	ch <- prometheus.MustNewConstMetric(poolDesc["total"], prometheus.GaugeValue, float64(s.AcquiredConns()), "acquired")
	ch <- prometheus.MustNewConstMetric(poolDesc["total"], prometheus.GaugeValue, float64(s.IdleConns()), "idle")
	ch <- prometheus.MustNewConstMetric(poolDesc["max"], prometheus.GaugeValue, float64(s.MaxConns()))
	ch <- prometheus.MustNewConstMetric(poolDesc["acquires"], prometheus.CounterValue, float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolDesc["waited"], prometheus.CounterValue, s.AcquireDuration().Seconds())
}

// queueCollector counts unfinished jobs at scrape time; the partial index
// River keeps on state makes this cheap.
type queueCollector struct{ pool *pgxpool.Pool }

func (q *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- queueDepthDesc }

func (q *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := q.pool.Query(ctx, `SELECT queue, state::text, count(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'retryable', 'running') GROUP BY 1, 2`)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queueDepthDesc, err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var queue, state string
		var n int64
		if err := rows.Scan(&queue, &state, &n); err != nil {
			ch <- prometheus.NewInvalidMetric(queueDepthDesc, err)
			return
		}
		ch <- prometheus.MustNewConstMetric(queueDepthDesc, prometheus.GaugeValue, float64(n), queue, state)
	}
}
