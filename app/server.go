package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/riverqueue/river"

	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/notify"
	"github.com/sentrakreasi/atensi/orders"
	"github.com/sentrakreasi/atensi/payouts"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/vault"
)

// bodyLimit is the largest request body: a 10 MB phone photo plus the
// multipart envelope around it.
const bodyLimit = 11 << 20

// App is the wired service: configuration, connections, the HTTP server and
// the background jobs it may run.
type App struct {
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	db       *storage.DB
	objects  *storage.Objects
	metrics  *metrics
	vault    *vault.Vault
	replays  *api.Replays
	http     *fiber.App
	workers  *river.Workers
	periodic []*river.PeriodicJob

	accounts *accounts.Service
	cases    *cases.Service
	catalog  *catalog.Service
	orders   *orders.Service
	payouts  *payouts.Service
	outbox   *notify.Outbox
	cards    orders.Gateway
	// pageErrors renders errors of page requests; nil until pages are mounted.
	pageErrors PageErrors
	// replica answers the public catalog reads when set (DATABASE_REPLICA_URL).
	replica *storage.DB
}

// Option changes how New wires the app.
type Option func(*App)

// WithClock replaces time.Now, for tests that move time.
func WithClock(now func() time.Time) Option { return func(a *App) { a.now = now } }

// WithCatalogReplica sends the public catalog reads to a streaming replica
// (DATABASE_REPLICA_URL).
func WithCatalogReplica(replica *storage.DB) Option { return func(a *App) { a.replica = replica } }

// WithCards replaces the Stripe gateway, for tests of the payment states
// that stripe-mock cannot play.
func WithCards(g orders.Gateway) Option { return func(a *App) { a.cards = g } }

// New wires the service over open connections; it starts nothing (it
// reads, and on the first start writes, the pinned hash key: openVault).
func New(cfg Config, log *slog.Logger, db *storage.DB, objects *storage.Objects, opts ...Option) (*App, error) {
	a := &App{cfg: cfg, log: log, now: time.Now, db: db, objects: objects, metrics: newMetrics(db.Pool), workers: river.NewWorkers()}
	for _, o := range opts {
		o(a)
	}
	vaultCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := openVault(vaultCtx, db, cfg)
	if err != nil {
		return nil, err
	}
	a.vault = v
	clock := func() time.Time { return a.now() }
	a.replays = &api.Replays{Vault: v, Now: clock}
	a.accounts = accounts.NewService(db, clock)
	a.cases = cases.NewService(db, v, a.accounts, clock)
	a.catalog = catalog.NewService(db, objects, a.cases, a.accounts, clock, cfg.mediaPrefix(), cfg.SearchCacheTTL)
	a.catalog.LimitImageJobs(cfg.ImageWorkers)
	if a.replica != nil {
		a.catalog.ReadFrom(a.replica)
	}
	a.cases.OnConsentChange(a.catalog.FollowSellingConsent)
	a.cases.CountListingsWith(a.catalog)
	// A Balai's dashboard sums the live month for every PM: views within
	// half a minute share one sum (a consent still counts at once).
	a.orders = orders.NewService(db, a.catalog, a.accounts, a.cases, cfg.BaseURL, clock)
	a.orders.SetLimits(cfg.Checkout)
	a.accounts.UseSiteURL(cfg.BaseURL)
	a.accounts.OnEmailVerified(a.orders.ClaimGuestOrders)
	settings := payouts.DefaultSettings
	settings.ReceiptDays = cfg.PayoutReceiptDays
	settings.CashProofOverIDR = cfg.PayoutCashProofOverIDR
	a.payouts = payouts.NewService(db, objects, v, a.catalog, a.accounts, a.cases, a.orders, settings, clock)
	a.outbox = &notify.Outbox{DB: db, Now: clock}
	if a.cards == nil && cfg.StripeSecretKey != "" {
		a.cards = orders.NewStripe(cfg.StripeSecretKey, cfg.StripeAPIURL)
	}
	if a.cards != nil {
		a.orders.UseCards(a.cards)
	}
	a.http = fiber.New(fiber.Config{
		AppName:               "atensi",
		BodyLimit:             bodyLimit,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		ErrorHandler:          errorHandler(log, &a.pageErrors, a.headerPolicy()),
		DisableStartupMessage: true,
		// Only these peers may name the client (withClientAddr) or the
		// scheme and host in X-Forwarded-* headers.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.TrustedProxies,
	})
	a.http.Use(
		withRequestID,
		withClientAddr(trustedPrefixes(cfg.TrustedProxies)),
		withAccessLog(log),
		a.metrics.observe,
		// Recover sits inside the logger and metrics so a panic is counted
		// and logged as the 500 it becomes.
		recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: a.logPanic}),
		securityHeaders(a.headerPolicy()),
		compress.New(compress.Config{Level: compress.LevelDefault}),
		refuseBrokenText,
		a.authenticate,
	)
	a.jobs()
	a.routes()
	if err := a.pages(); err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	return a, nil
}

// secure tells whether the site is served over https (cookies, HSTS).
func (a *App) secure() bool { return strings.HasPrefix(a.cfg.BaseURL, "https://") }

func (a *App) headerPolicy() headerPolicy {
	return headerPolicy{hsts: a.secure(), csp: contentPolicy(a.cfg.MediaBaseURL)}
}

// HTTP is the Fiber app, for tests that call app.Test.
func (a *App) HTTP() *fiber.App { return a.http }

func (a *App) routes() {
	a.http.Get("/healthz", healthz)
	a.http.Get("/readyz", a.readyz)
	v1 := a.http.Group("/api/v1")
	accounts.NewHandler(a.accounts, a.secure()).Routes(v1)
	casesAPI := cases.NewHandler(a.cases)
	casesAPI.Routes(v1)
	casesAPI.OutcomeRoutes(v1)
	catalog.NewHandler(a.catalog).Routes(v1)
	ordersAPI := orders.NewHandler(a.orders, a.cfg.StripeWebhook, a.secure())
	ordersAPI.LogTo(a.log)
	ordersAPI.Routes(v1)
	ordersAPI.WebhookRoutes(a.http)
	payouts.NewHandler(a.payouts).Routes(v1)
	catalog.MediaRoutes(a.http, a.catalog)
	notify.Routes(v1, a.outbox)
}

// jobs registers the background workers and periodic jobs.
func (a *App) jobs() {
	storage.AddJob(a.workers, 0, a.objects.DeleteJob)
	storage.AddJob(a.workers, 0, a.catalog.ProcessImageJob)
	sender := &notify.Sender{DB: a.db, Now: a.now,
		SMTP: notify.SMTP{Addr: a.cfg.SMTPAddr, From: a.cfg.SMTPFrom, Username: a.cfg.SMTPUser, Password: a.cfg.SMTPPassword}}
	a.periodic = append(a.periodic,
		storage.Every[accounts.PruneArgs](a.workers, river.PeriodicInterval(time.Hour), 0, a.accounts.PruneExpired),
		storage.Every[orders.AutoCompleteArgs](a.workers, river.PeriodicInterval(time.Hour), 0, uncounted(a.orders.AutoComplete)),
		storage.Every[orders.ExpireDueArgs](a.workers, river.PeriodicInterval(time.Minute), 0, uncounted(a.orders.ExpireDue)),
		storage.Every[notify.SendArgs](a.workers, river.PeriodicInterval(15*time.Second), 0, uncounted(sender.SendPending)),
		storage.Every[orders.ReconcileArgs](a.workers, river.PeriodicInterval(10*time.Minute), 0, uncounted(a.orders.Reconcile)),
		// Past months close on the 1st; on start too, so a worker that was
		// down on the 1st catches up (closing twice does nothing).
		storage.Every[cases.CloseMonthsArgs](a.workers, cases.MonthlySchedule{}, cases.CloseMonthsTimeout, uncounted(a.cases.CloseDue)))
}

// uncounted is a sweep as a job's work: what it did is for tests and
// commands; the job's outcome is its error.
func uncounted[T any](sweep func(context.Context) (T, error)) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := sweep(ctx)
		return err
	}
}

func (a *App) logPanic(c *fiber.Ctx, e any) {
	a.log.ErrorContext(c.UserContext(), "panic in handler", "request_id", requestID(c), "panic", fmt.Sprint(e))
}

// Serve answers HTTP on ln, and runs the background workers unless
// withWorkers is false, until ctx is cancelled (SIGTERM or SIGINT in Main).
// Then it stops taking connections, lets in-flight requests and running
// jobs finish within the shutdown timeout, and returns nil.
func (a *App) Serve(ctx context.Context, ln net.Listener, withWorkers bool) error {
	var stopWorkers func(context.Context) error
	if withWorkers {
		stop, err := a.startWorkers(ctx)
		if err != nil {
			return err
		}
		stopWorkers = stop
	}
	served := make(chan error, 1)
	go func() { served <- a.http.Listener(ln) }()
	a.log.Info("serving", "addr", ln.Addr().String(), "workers", withWorkers)

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	a.log.Info("shutting down", "timeout", a.cfg.ShutdownTimeout)
	deadline := time.Now().Add(a.cfg.ShutdownTimeout)
	if err := a.http.ShutdownWithTimeout(a.cfg.ShutdownTimeout); err != nil {
		serveErr = errors.Join(serveErr, fmt.Errorf("http shutdown: %w", err))
	}
	if stopWorkers != nil {
		stopCtx, cancel := context.WithDeadline(context.Background(), deadline)
		defer cancel()
		if err := stopWorkers(stopCtx); err != nil {
			serveErr = errors.Join(serveErr, fmt.Errorf("stop workers: %w", err))
		}
	}
	return serveErr
}

// ServeMetrics answers GET /metrics on ln until ctx is cancelled. ln is the
// metrics listener (METRICS_ADDR), apart from the public one: what the
// metrics tell (routes, pool and queue sizes, the Go runtime) is for the
// operators' scraper, not for the internet.
func (a *App) ServeMetrics(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: a.metrics.handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	a.log.Info("serving metrics", "addr", ln.Addr().String())
	select {
	case err := <-served:
		return fmt.Errorf("metrics: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// Work runs only the background workers until ctx is cancelled.
func (a *App) Work(ctx context.Context) error {
	stop, err := a.startWorkers(ctx)
	if err != nil {
		return err
	}
	a.log.Info("working")
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	return stop(stopCtx)
}

// startWorkers starts the job queue. The returned stop lets running jobs
// finish until its context ends, then cancels them.
func (a *App) startWorkers(ctx context.Context) (func(context.Context) error, error) {
	client, err := newWorkerClient(a.db, a.workers, a.periodic, a.log)
	if err != nil {
		return nil, err
	}
	// Jobs get their own context: cancelling ctx (a signal) must not abort
	// them mid-way; stop decides how long they may take.
	jobsCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	if err := client.Start(jobsCtx); err != nil {
		cancelJobs()
		return nil, fmt.Errorf("start workers: %w", err)
	}
	countFinishedJobs(jobsCtx, client, a.metrics)
	return func(stopCtx context.Context) error {
		defer cancelJobs()
		if err := client.Stop(stopCtx); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				return client.StopAndCancel(context.Background())
			}
			return err
		}
		return nil
	}, nil
}
