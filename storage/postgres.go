// Package storage holds what every domain shares: the PostgreSQL handle (one
// pgx pool under GORM and the job queue), the transaction helper, the
// migrations runner and the object store.
package storage

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"
)

// DB is the process's one connection pool to PostgreSQL, seen three ways:
// Pool for the job queue's workers, SQL for migrations, and Gorm for the
// domain packages. Sharing the pool keeps the connection count predictable.
type DB struct {
	Pool *pgxpool.Pool
	SQL  *sql.DB
	Gorm *gorm.DB

	// jobs only inserts: it lets a domain operation enqueue a job inside the
	// database/sql transaction GORM is running, so both commit together.
	jobs *river.Client[*sql.Tx]
}

// Open connects to PostgreSQL and checks the connection. The caller closes it.
func Open(ctx context.Context, url string, log *slog.Logger) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		// pgx defaults to max(4, cores); a web process waits on I/O far more than on CPU.
		cfg.MaxConns = 24
	}
	// Every statement gets a ceiling so a stuck query cannot hold a connection forever.
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "30000"
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.ConnConfig.RuntimeParams["application_name"] = "atensi"
	// Catalog search matches a typed word against title words by trigrams
	// ("kripik" finds "keripik": 0.57); pg_trgm's default of 0.6 misses it.
	cfg.ConnConfig.RuntimeParams["pg_trgm.word_similarity_threshold"] = "0.45"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open pool: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres at %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	gdb, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                 gormLogger(log),
		SkipDefaultTransaction: true, // single statements need no BEGIN/COMMIT round trips
		NowFunc:                func() time.Time { return time.Now().UTC() },
		// Money fields end in IDR (PriceIDR); GORM would split the "ID" it
		// knows and make price_id_r of them. Columns are *_idr.
		NamingStrategy: schema.NamingStrategy{NameReplacer: strings.NewReplacer("IDR", "Idr")},
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open gorm: %w", err)
	}
	jobs, err := river.NewClient(riverdatabasesql.New(sqlDB), &river.Config{Logger: log})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("job insert client: %w", err)
	}
	return &DB{Pool: pool, SQL: sqlDB, Gorm: gdb, jobs: jobs}, nil
}

// Close releases every connection.
func (db *DB) Close() {
	_ = db.SQL.Close()
	db.Pool.Close()
}

// Ping tells whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.Pool.Ping(ctx)
}

func gormLogger(log *slog.Logger) logger.Interface {
	if log == nil {
		return logger.Discard
	}
	return logger.NewSlogLogger(log, logger.Config{
		SlowThreshold:             200 * time.Millisecond,
		IgnoreRecordNotFoundError: true,
		ParameterizedQueries:      true, // never log values: they may be personal data
		LogLevel:                  logger.Warn,
	})
}
