package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/storage"
)

const usage = `atensi: the Sentra Kreasi ATENSI marketplace

usage:
  atensi [serve] [--no-workers]   apply migrations, serve HTTP and run background workers
  atensi worker                   run background workers only
  atensi migrate                  apply pending migrations and exit
  atensi seed --demo              load demo data (idempotent)
  atensi seed --scale N [--cases C] [--order-lines L]
                                  load N products with shops, cases and orders for benchmarks:
                                  C PM cases and shops (default N/50), L completed order lines (default 2N)
  atensi admin create-user --email E --password P --name N --role R [--unit U]
  atensi admin rotate-keys [--batch N]
                                  re-seal every sealed field still under a key of DATA_KEYS_OLD
                                  with DATA_KEY, N rows per transaction (default 500)

Configuration comes from environment variables; see README.md.
`

// errUsage marks a mistake in the command line: exit 2 and show the usage.
var errUsage = errors.New("usage")

// Main runs the command named by args and returns the process exit code.
func Main(args []string) int {
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	log := newLogger(os.Stderr, cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, cfg, log, args); err != nil {
		if errors.Is(err, errUsage) {
			fmt.Fprint(os.Stderr, err.Error()+"\n\n"+usage)
			return 2
		}
		log.Error("exit", "error", err.Error())
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	return 0
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level)) // LoadConfig has validated it
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func run(ctx context.Context, cfg Config, log *slog.Logger, args []string) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		noWorkers := fs.Bool("no-workers", false, "serve HTTP only; run `atensi worker` elsewhere")
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		return withServices(ctx, cfg, log, true, func(a *App) error {
			metricsLn, err := net.Listen("tcp", cfg.MetricsAddr)
			if err != nil {
				return fmt.Errorf("listen on METRICS_ADDR %s: %w", cfg.MetricsAddr, err)
			}
			ln, err := net.Listen("tcp", cfg.HTTPAddr)
			if err != nil {
				metricsLn.Close()
				return fmt.Errorf("listen on HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
			}
			// The metrics server lives as long as the public one: it stops
			// when Serve has drained (or failed), so the last requests
			// are still counted.
			serveCtx, stopMetrics := context.WithCancel(context.WithoutCancel(ctx))
			metricsDone := make(chan error, 1)
			go func() { metricsDone <- a.ServeMetrics(serveCtx, metricsLn) }()
			err = a.Serve(ctx, ln, !*noWorkers)
			stopMetrics()
			return errors.Join(err, <-metricsDone)
		})
	case "worker":
		if err := parseFlags(flag.NewFlagSet("worker", flag.ContinueOnError), args); err != nil {
			return err
		}
		return withServices(ctx, cfg, log, true, func(a *App) error { return a.Work(ctx) })
	case "migrate":
		if err := parseFlags(flag.NewFlagSet("migrate", flag.ContinueOnError), args); err != nil {
			return err
		}
		db, err := storage.Open(ctx, cfg.DatabaseURL, log)
		if err != nil {
			return err
		}
		defer db.Close()
		return storage.Migrate(ctx, db, log)
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ContinueOnError)
		demo := fs.Bool("demo", false, "load the demo data set")
		scale := fs.Int("scale", 0, "load N products with shops, cases and orders")
		cases := fs.Int("cases", 0, "with --scale: C PM cases and their shops (default N/50)")
		lines := fs.Int("order-lines", 0, "with --scale: L completed order lines (default 2N)")
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if *demo == (*scale > 0) {
			return fmt.Errorf("%w: seed needs exactly one of --demo or --scale N", errUsage)
		}
		if *cases < 0 || *lines < 0 || (*scale == 0 && (*cases > 0 || *lines > 0)) {
			return fmt.Errorf("%w: --cases and --order-lines are positive and go with --scale N", errUsage)
		}
		return withServices(ctx, cfg, log, true, func(a *App) error {
			if *demo {
				return a.SeedDemo(ctx)
			}
			return a.SeedScale(ctx, ScaleSize{Products: *scale, Cases: *cases, OrderLines: *lines})
		})
	case "admin":
		if len(args) > 0 && args[0] == "rotate-keys" {
			fs := flag.NewFlagSet("admin rotate-keys", flag.ContinueOnError)
			batch := fs.Int("batch", 500, "rows re-sealed per transaction")
			if err := parseFlags(fs, args[1:]); err != nil {
				return err
			}
			if *batch < 1 {
				return fmt.Errorf("%w: --batch must be at least 1", errUsage)
			}
			return withServices(ctx, cfg, log, true, func(a *App) error { return a.RotateKeys(ctx, *batch, os.Stdout) })
		}
		if len(args) == 0 || args[0] != "create-user" {
			return fmt.Errorf("%w: admin knows two commands: create-user and rotate-keys", errUsage)
		}
		fs := flag.NewFlagSet("admin create-user", flag.ContinueOnError)
		email := fs.String("email", "", "login email")
		password := fs.String("password", "", "password")
		name := fs.String("name", "", "full name")
		role := fs.String("role", "admin", "role")
		unit := fs.String("unit", "", "unit id, for roles that work for a unit")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		return withServices(ctx, cfg, log, true, func(a *App) error {
			in := accounts.NewUser{Email: *email, Password: *password, Name: *name, Role: access.Role(*role)}
			if *unit != "" {
				in.UnitID = unit
			}
			u, err := a.accounts.CreateUserAsOperator(ctx, in)
			if err != nil {
				return err
			}
			fmt.Printf("created %s %s (%s)\n", u.Role, u.Email, u.ID)
			return nil
		})
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	default:
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %s: %v", errUsage, fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: %s: unexpected argument %q", errUsage, fs.Name(), fs.Arg(0))
	}
	return nil
}

// withServices opens the database and the object store, applies pending
// migrations when asked, and hands a wired App to fn.
func withServices(ctx context.Context, cfg Config, log *slog.Logger, migrate bool, fn func(*App) error) error {
	start := time.Now()
	db, err := storage.Open(ctx, cfg.DatabaseURL, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if migrate {
		if err := storage.Migrate(ctx, db, log); err != nil {
			return err
		}
	}
	objects, err := storage.OpenObjects(ctx, storage.ObjectConfig{
		Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey,
		Bucket: cfg.S3Bucket, UseSSL: cfg.S3UseSSL,
	})
	if err != nil {
		return err
	}
	var opts []Option
	if cfg.DatabaseReplicaURL != "" {
		replica, err := storage.Open(ctx, cfg.DatabaseReplicaURL, log)
		if err != nil {
			return fmt.Errorf("DATABASE_REPLICA_URL: %w", err)
		}
		defer replica.Close()
		opts = append(opts, WithCatalogReplica(replica))
	}
	log.Info("services ready", "startup", time.Since(start))
	a, err := New(cfg, log, db, objects, opts...)
	if err != nil {
		return err
	}
	return fn(a)
}
