package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/migrations"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

var quiet = slog.New(slog.DiscardHandler)

func TestMigrationsApplyFromEmptyAndAreIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := storage.Open(ctx, storagetest.EmptyDatabaseURL(t), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)

	if err := storage.Migrate(ctx, db, quiet); err != nil {
		t.Fatalf("first migrate: %v", err)
	}
	version := func() (v int64) {
		if err := db.SQL.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	first := version()
	if first < 2 {
		t.Fatalf("schema version after migrate = %d, want every migration applied", first)
	}
	var riverTable bool
	if err := db.SQL.QueryRowContext(ctx, "SELECT to_regclass('river_job') IS NOT NULL").Scan(&riverTable); err != nil || !riverTable {
		t.Fatalf("job queue table missing after migrate (err %v)", err)
	}

	if err := storage.Migrate(ctx, db, quiet); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	var rows int
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM goose_db_version WHERE version_id > 0").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	// One row per migration: numbers may have gaps while branches are merged.
	files, err := fs.Glob(migrations.SQL, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := len(files) + len(migrations.Go)
	if version() != first || rows != want {
		t.Fatalf("second migrate changed the history: version %d, %d rows; want %d and %d", version(), rows, first, want)
	}
}

func TestTransactionCommitsRowsAndJobsTogether(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storagetest.DB(t)
	if err := db.Gorm.Exec("CREATE TABLE things (id text PRIMARY KEY)").Error; err != nil {
		t.Fatal(err)
	}
	count := func(query string) (n int64) {
		if err := db.Gorm.Raw(query).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	boom := errors.New("boom")

	err := db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Exec("INSERT INTO things VALUES ('a')").Error; err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, storage.DeleteObjectArgs{Key: "a"}, nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want the function's error", err)
	}
	if rows, jobs := count("SELECT count(*) FROM things"), count("SELECT count(*) FROM river_job"); rows != 0 || jobs != 0 {
		t.Fatalf("after a failed transaction: %d rows, %d jobs; want none", rows, jobs)
	}

	err = db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Exec("INSERT INTO things VALUES ('b')").Error; err != nil {
			return err
		}
		return tx.Enqueue(ctx, storage.DeleteObjectArgs{Key: "b"}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows, jobs := count("SELECT count(*) FROM things"), count("SELECT count(*) FROM river_job WHERE kind = 'delete_object' AND args->>'key' = 'b'"); rows != 1 || jobs != 1 {
		t.Fatalf("after a committed transaction: %d rows, %d jobs; want 1 and 1", rows, jobs)
	}
}

func TestObjectRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	objects, _ := storagetest.Objects(t)
	body := bytes.Repeat([]byte("keripik pisang "), 100_000) // 1.5 MB: more than one read buffer

	put, err := objects.Put(ctx, "photos/ab/cd.webp", bytes.NewReader(body), int64(len(body)), "image/webp")
	if err != nil {
		t.Fatal(err)
	}
	st, err := objects.Stat(ctx, "photos/ab/cd.webp")
	if err != nil || st.Size != int64(len(body)) || st.ContentType != "image/webp" || st.ETag != put.ETag {
		t.Fatalf("Stat = %+v, %v; want size %d, image/webp, etag %s", st, err, len(body), put.ETag)
	}
	r, info, err := objects.Get(ctx, "photos/ab/cd.webp")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	_ = r.Close()
	if err != nil || !bytes.Equal(got, body) || info.Size != int64(len(body)) {
		t.Fatalf("Get returned %d bytes (err %v), want the %d bytes put", len(got), err, len(body))
	}

	if err := objects.Delete(ctx, "photos/ab/cd.webp"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := objects.Get(ctx, "photos/ab/cd.webp"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
	if _, err := objects.Stat(ctx, "photos/ab/cd.webp"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("Stat after Delete = %v, want ErrNotFound", err)
	}
	if err := objects.Delete(ctx, "photos/ab/cd.webp"); err != nil {
		t.Fatalf("deleting a missing object = %v, want nil", err)
	}
	if err := objects.Ping(ctx); err != nil {
		t.Fatalf("Ping = %v", err)
	}
}

func TestObjectsCreateTheirBucket(t *testing.T) {
	t.Parallel()
	_, cfg := storagetest.Objects(t)
	if !strings.HasPrefix(cfg.Bucket, "test-") {
		t.Fatalf("bucket %q", cfg.Bucket)
	}
	// Opening again on an existing bucket must not fail.
	again, err := storage.OpenObjects(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}
