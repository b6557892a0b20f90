// Package storagetest gives each test its own real PostgreSQL database and
// its own MinIO bucket, so tests run in parallel from a clean state. It never
// fakes a service: when one is missing the test fails and says how to start it.
package storagetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/migrations"
	"github.com/sentrakreasi/atensi/storage"
)

const hint = "start the local services with `scripts/services.sh up` (make test does it)"

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// AdminURL is the database the helpers connect to for creating test databases.
func AdminURL() string {
	return env("DATABASE_URL", "postgres://atensi:atensi@127.0.0.1:5432/atensi?sslmode=disable")
}

// ObjectConfig is the object store the tests use, with bucket left empty.
func ObjectConfig() storage.ObjectConfig {
	return storage.ObjectConfig{
		Endpoint:  env("S3_ENDPOINT", "127.0.0.1:9000"),
		AccessKey: env("S3_ACCESS_KEY", "minioadmin"),
		SecretKey: env("S3_SECRET_KEY", "minioadmin"),
	}
}

// DatabaseURL creates a database migrated to the latest schema and returns
// its URL; the database is dropped when the test ends.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return newDatabase(t, ctx, "TEMPLATE "+template(t, ctx))
}

// EmptyDatabaseURL creates a database with no schema at all, for testing the
// migrations themselves.
func EmptyDatabaseURL(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return newDatabase(t, ctx, "")
}

func newDatabase(t testing.TB, ctx context.Context, options string) string {
	t.Helper()
	admin := adminConn(t, ctx)
	defer admin.Close(ctx)
	name := "atensi_t_" + randomHex(6)
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s %s", name, options)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	if os.Getenv("ATENSI_KEEP_TEST_DB") != "" {
		// For looking at a benchmark's data and plans after it ran.
		t.Logf("keeping test database %s (ATENSI_KEEP_TEST_DB)", name)
		return withDatabaseURL(AdminURL(), name)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, AdminURL())
		if err != nil {
			t.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	return withDatabaseURL(AdminURL(), name)
}

// DB opens a fresh migrated database for one test.
func DB(t testing.TB) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), DatabaseURL(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	// Registered after DatabaseURL's cleanup, so it runs first: close, then drop.
	t.Cleanup(db.Close)
	return db
}

// ReplicaURL is the streaming replica of the test cluster that
// scripts/services.sh keeps on port 5433, with the database name left to
// the caller.
func ReplicaURL() string {
	return env("TEST_REPLICA_URL", "postgres://atensi:atensi@127.0.0.1:5433/atensi?sslmode=disable")
}

// Replica opens db's database on the streaming replica once the replica
// has it (a test database is made moments before), and checks that it is
// a standby indeed.
func Replica(t testing.TB, db *storage.DB) *storage.DB {
	t.Helper()
	var name string
	if err := db.Gorm.Raw("SELECT current_database()").Scan(&name).Error; err != nil {
		t.Fatal(err)
	}
	url := withDatabaseURL(ReplicaURL(), name)
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := storage.Open(context.Background(), url, slog.New(slog.DiscardHandler))
		if err == nil {
			var standby bool
			if err := r.Gorm.Raw("SELECT pg_is_in_recovery()").Scan(&standby).Error; err != nil || !standby {
				r.Close()
				t.Fatalf("%s is not a standby (%v): %s", ReplicaURL(), err, hint)
			}
			t.Cleanup(r.Close) // after the database's drop is registered, so it runs first
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("the streaming replica has no database %s after 30 s (%v): %s", name, err, hint)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Objects opens the object store on a new bucket for one test; the bucket
// and everything in it are removed when the test ends.
func Objects(t testing.TB) (*storage.Objects, storage.ObjectConfig) {
	t.Helper()
	cfg := ObjectConfig()
	cfg.Bucket = "test-" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	objects, err := storage.OpenObjects(ctx, cfg)
	if err != nil {
		t.Fatalf("object store at %s unreachable: %v; %s", cfg.Endpoint, err, hint)
	}
	t.Cleanup(func() { removeBucket(t, cfg) })
	return objects, cfg
}

func removeBucket(t testing.TB, cfg storage.ObjectConfig) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client, err := minio.New(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Secure: cfg.UseSSL})
	if err != nil {
		t.Errorf("remove bucket %s: %v", cfg.Bucket, err)
		return
	}
	for obj := range client.ListObjects(ctx, cfg.Bucket, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err == nil {
			_ = client.RemoveObject(ctx, cfg.Bucket, obj.Key, minio.RemoveObjectOptions{})
		}
	}
	if err := client.RemoveBucket(ctx, cfg.Bucket); err != nil {
		t.Errorf("remove bucket %s: %v", cfg.Bucket, err)
	}
}

func adminConn(t testing.TB, ctx context.Context) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Fatalf("PostgreSQL unreachable (%v); %s", err, hint)
	}
	return conn
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// template returns a database migrated to the current schema, built once per
// schema version and shared (under an advisory lock) by every test process.
// Copying it is much faster than migrating each test database.
func template(t testing.TB, ctx context.Context) string {
	t.Helper()
	templateOnce.Do(func() { templateName, templateErr = buildTemplate(ctx) })
	if templateErr != nil {
		t.Fatalf("test template database: %v", templateErr)
	}
	return templateName
}

func buildTemplate(ctx context.Context) (string, error) {
	h := sha256.New()
	_ = fs.WalkDir(migrations.SQL, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(migrations.SQL, path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return nil
	})
	fmt.Fprint(h, len(migrations.Go))
	sum := hex.EncodeToString(h.Sum(nil))[:12]
	name := "atensi_tmpl_" + sum

	conn, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		return "", fmt.Errorf("PostgreSQL unreachable (%v); %s", err, hint)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext('atensi test template'))"); err != nil {
		return "", err
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock(hashtext('atensi test template'))") //nolint:errcheck

	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_build"
	if _, err := conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", building)); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	db, err := storage.Open(ctx, withDatabaseURL(AdminURL(), building), slog.New(slog.DiscardHandler))
	if err != nil {
		return "", err
	}
	err = storage.Migrate(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	db.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, name)); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("COMMENT ON DATABASE %s IS '%d'", name, time.Now().Unix())); err != nil {
		return "", err
	}
	// Templates of older schemas are dead weight, but another checkout (a
	// branch, a worktree) may still be testing on one: drop only those
	// built more than a day ago.
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database d
		WHERE datname LIKE 'atensi_tmpl_%' AND datname <> $1
		  AND coalesce(nullif(shobj_description(d.oid, 'pg_database'), ''), '0')::bigint < $2`,
		name, time.Now().Add(-24*time.Hour).Unix())
	if err == nil {
		old, _ := pgx.CollectRows(rows, pgx.RowTo[string])
		for _, o := range old {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+o)
		}
	}
	return name, nil
}

// withDatabaseURL swaps the database name in a postgres:// URL.
func withDatabaseURL(url, name string) string {
	rest, query, _ := strings.Cut(url, "?")
	i := strings.LastIndex(rest, "/")
	out := rest[:i+1] + name
	if query != "" {
		out += "?" + query
	}
	return out
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// CountStatements counts the statements GORM sends on db from now on, for
// tests that hold a hot path to a fixed number of round trips.
func CountStatements(t testing.TB, db *gorm.DB) *atomic.Int64 {
	t.Helper()
	n := new(atomic.Int64)
	inc := func(*gorm.DB) { n.Add(1) }
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("test:count_query", inc),
		cb.Row().After("gorm:row").Register("test:count_row", inc),
		cb.Raw().After("gorm:raw").Register("test:count_raw", inc),
		cb.Create().After("gorm:create").Register("test:count_create", inc),
		cb.Update().After("gorm:update").Register("test:count_update", inc),
		cb.Delete().After("gorm:delete").Register("test:count_delete", inc),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return n
}
