package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/riverqueue/river"

	"github.com/sentrakreasi/atensi/accounts"
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

// New wires the service over open connections; it starts nothing.
func New(cfg Config, log *slog.Logger, db *storage.DB, objects *storage.Objects, opts ...Option) (*App, error) {
	a := &App{cfg: cfg, log: log, now: time.Now, db: db, objects: objects, metrics: newMetrics(db.Pool), workers: river.NewWorkers()}
	for _, o := range opts {
		o(a)
	}
	v, err := vault.New(cfg.DataKey)
	if err != nil {
		return nil, fmt.Errorf("DATA_KEY: %w", err)
	}
	clock := func() time.Time { return a.now() }
	a.accounts = accounts.NewService(db, clock)
	a.cases = cases.NewService(db, v, a.accounts, clock)
	a.catalog = catalog.NewService(db, objects, a.cases, a.accounts, clock, cfg.MediaBaseURL, cfg.SearchCacheTTL)
	if a.replica != nil {
		a.catalog.ReadFrom(a.replica)
	}
	a.cases.OnConsentChange(a.catalog.FollowSellingConsent)
	a.cases.CountListingsWith(a.catalog)
	// A Balai's dashboard sums the live month for every PM: views within
	// half a minute share one sum (a consent still counts at once).
	a.orders = orders.NewService(db, a.catalog, a.cases, cfg.BaseURL, clock)
	settings := payouts.DefaultSettings
	settings.ReceiptDays = cfg.PayoutReceiptDays
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
		ErrorHandler:          errorHandler(log, &a.pageErrors),
		DisableStartupMessage: true,
	})
	a.http.Use(
		withRequestID,
		withAccessLog(log),
		a.metrics.observe,
		// Recover sits inside the logger and metrics so a panic is counted
		// and logged as the 500 it becomes.
		recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: a.logPanic}),
		securityHeaders(a.secure()),
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

// HTTP is the Fiber app, for tests that call app.Test.
func (a *App) HTTP() *fiber.App { return a.http }

func (a *App) routes() {
	a.http.Get("/healthz", healthz)
	a.http.Get("/readyz", a.readyz)
	a.http.Get("/metrics", a.metrics.handler())
	v1 := a.http.Group("/api/v1")
	accounts.NewHandler(a.accounts, a.secure()).Routes(v1)
	casesAPI := cases.NewHandler(a.cases)
	casesAPI.Routes(v1)
	casesAPI.OutcomeRoutes(v1)
	catalog.NewHandler(a.catalog).Routes(v1)
	ordersAPI := orders.NewHandler(a.orders, a.cfg.StripeWebhook, a.secure())
	ordersAPI.Routes(v1)
	ordersAPI.WebhookRoutes(a.http)
	payouts.NewHandler(a.payouts).Routes(v1)
	catalog.MediaRoutes(a.http, a.catalog)
	notify.Routes(v1, a.outbox)
}

// jobs registers the background workers and periodic jobs.
func (a *App) jobs() {
	river.AddWorker(a.workers, &storage.DeleteObjectWorker{Objects: a.objects})
	river.AddWorker(a.workers, &catalog.ProcessImageWorker{Catalog: a.catalog})
	river.AddWorker(a.workers, &accounts.PruneWorker{Accounts: a.accounts})
	river.AddWorker(a.workers, &orders.ExpireDueWorker{Orders: a.orders})
	river.AddWorker(a.workers, &orders.AutoCompleteWorker{Orders: a.orders})
	river.AddWorker(a.workers, &orders.ReconcileWorker{Orders: a.orders})
	river.AddWorker(a.workers, &cases.CloseMonthsWorker{Cases: a.cases})
	river.AddWorker(a.workers, &notify.SendWorker{Sender: &notify.Sender{DB: a.db, Now: a.now,
		SMTP: notify.SMTP{Addr: a.cfg.SMTPAddr, From: a.cfg.SMTPFrom, Username: a.cfg.SMTPUser, Password: a.cfg.SMTPPassword}}})
	a.periodic = append(a.periodic, river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return accounts.PruneArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return orders.AutoCompleteArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return orders.ExpireDueArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(15*time.Second),
			func() (river.JobArgs, *river.InsertOpts) { return notify.SendArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(10*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return orders.ReconcileArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
		// Past months close on the 1st; on start too, so a worker that was
		// down on the 1st catches up (closing twice does nothing).
		river.NewPeriodicJob(cases.MonthlySchedule{},
			func() (river.JobArgs, *river.InsertOpts) { return cases.CloseMonthsArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}))
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
