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

	"github.com/sentrakreasi/atensi/storage"
)

// bodyLimit is the largest request body: a 10 MB phone photo plus the
// multipart envelope around it.
const bodyLimit = 11 << 20

// App is the wired service: configuration, connections, the HTTP server and
// the background jobs it may run.
type App struct {
	cfg      Config
	log      *slog.Logger
	db       *storage.DB
	objects  *storage.Objects
	metrics  *metrics
	http     *fiber.App
	workers  *river.Workers
	periodic []*river.PeriodicJob
}

// New wires the service over open connections; it starts nothing.
func New(cfg Config, log *slog.Logger, db *storage.DB, objects *storage.Objects) *App {
	a := &App{cfg: cfg, log: log, db: db, objects: objects, metrics: newMetrics(db.Pool), workers: river.NewWorkers()}
	a.http = fiber.New(fiber.Config{
		AppName:               "atensi",
		BodyLimit:             bodyLimit,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		ErrorHandler:          errorHandler(log),
		DisableStartupMessage: true,
	})
	a.http.Use(
		withRequestID,
		withAccessLog(log),
		a.metrics.observe,
		// Recover sits inside the logger and metrics so a panic is counted
		// and logged as the 500 it becomes.
		recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: a.logPanic}),
		securityHeaders(strings.HasPrefix(cfg.BaseURL, "https://")),
		compress.New(compress.Config{Level: compress.LevelDefault}),
	)
	river.AddWorker(a.workers, &storage.DeleteObjectWorker{Objects: objects})
	a.routes()
	return a
}

// HTTP is the Fiber app, for tests that call app.Test.
func (a *App) HTTP() *fiber.App { return a.http }

func (a *App) routes() {
	a.http.Get("/healthz", healthz)
	a.http.Get("/readyz", a.readyz)
	a.http.Get("/metrics", a.metrics.handler())
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
