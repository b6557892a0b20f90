package storage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// TestOnceDoesTheWorkOnceForConcurrentCopies: five copies of one form at
// once claim its key; one does the work and the others are answered with
// its result. A claim that rolls back leaves the key free for a retry.
func TestOnceDoesTheWorkOnceForConcurrentCopies(t *testing.T) {
	t.Parallel()
	db := storagetest.DB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	did, repeats := 0, map[string]int{}
	start := make(chan struct{})
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := db.InTx(ctx, func(tx *storage.Tx) error {
				if err := tx.Once(ctx, "form:abc", fmt.Sprintf("result-%d", i)); err != nil {
					return err
				}
				time.Sleep(50 * time.Millisecond) // the work, while the others wait
				mu.Lock()
				did++
				mu.Unlock()
				return nil
			})
			var rep *storage.Repeated
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.As(err, &rep):
				repeats[rep.Result]++
			case err != nil:
				t.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if did != 1 || len(repeats) != 1 {
		t.Fatalf("work done %d times, repeats answered %v: want once, the others all with its result", did, repeats)
	}
	for r, n := range repeats {
		if n != 4 {
			t.Fatalf("%d repeats answered %q, want 4", n, r)
		}
	}
	if err := db.Done(ctx, "form:abc"); !errors.As(err, new(*storage.Repeated)) {
		t.Fatalf("Done after the work = %v, want Repeated", err)
	}

	failed := errors.New("stock short")
	if err := db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.Once(ctx, "form:retry", "first"); err != nil {
			return err
		}
		return failed
	}); !errors.Is(err, failed) {
		t.Fatal(err)
	}
	if err := db.Done(ctx, "form:retry"); err != nil {
		t.Fatalf("a rolled-back claim must leave the key free, got %v", err)
	}
	if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.Once(ctx, "form:retry", "second") }); err != nil {
		t.Fatalf("retry after a failure: %v", err)
	}
	var rep *storage.Repeated
	if err := db.Done(ctx, "form:retry"); !errors.As(err, &rep) || rep.Result != "second" {
		t.Fatalf("Done = %v, want the retry's result", err)
	}
	var stored []byte
	if err := db.Gorm.Raw("SELECT result FROM once_keys LIMIT 1").Row().Scan(&stored); err != nil || len(stored) == 0 {
		t.Fatal(err)
	}
	for _, plain := range []string{"second", "result-"} {
		if bytes.Contains(stored, []byte(plain)) {
			t.Fatalf("results must be stored sealed, found %q", plain)
		}
	}
}

// TestOnceKeysArePrunedAfterAWeek: the hourly sweep forgets a key claimed
// more than a week ago and keeps a fresh one.
func TestOnceKeysArePrunedAfterAWeek(t *testing.T) {
	t.Parallel()
	db := storagetest.DB(t)
	ctx := context.Background()
	for _, key := range []string{"form:old", "form:new"} {
		if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.Once(ctx, key, "done") }); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	if err := db.Gorm.Exec("UPDATE once_keys SET created_at = ? WHERE created_at = (SELECT min(created_at) FROM once_keys)", now.Add(-8*24*time.Hour)).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.PruneOnce(ctx, now); err != nil {
		t.Fatal(err)
	}
	var rep *storage.Repeated
	if err := db.Done(ctx, "form:old"); err != nil {
		t.Fatalf("a key of eight days ago must be forgotten: %v", err)
	}
	if err := db.Done(ctx, "form:new"); !errors.As(err, &rep) || rep.Result != "done" {
		t.Fatalf("a fresh key must still answer its result: %v", err)
	}
}
