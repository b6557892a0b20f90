package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

type sweepArgs struct{}

func (sweepArgs) Kind() string { return "test_sweep" }

type keyArgs struct {
	Key string `json:"key"`
}

func (keyArgs) Kind() string { return "test_key" }

// TestJobsRunTheirFunctions: a job added with AddJob runs its function with
// its args once the transaction that enqueued it commits; a periodic job
// made with Every runs at start; each keeps its own timeout or the queue's.
func TestJobsRunTheirFunctions(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := storagetest.DB(t)
	workers := river.NewWorkers()
	keys, swept := make(chan string, 1), make(chan struct{}, 1)
	var left time.Duration
	storage.AddJob(workers, 5*time.Second, func(ctx context.Context, a keyArgs) error {
		if deadline, ok := ctx.Deadline(); ok {
			left = time.Until(deadline)
		}
		keys <- a.Key
		return nil
	})
	every := storage.Every[sweepArgs](workers, river.PeriodicInterval(time.Hour), 0, func(context.Context) error {
		swept <- struct{}{}
		return nil
	})
	client, err := river.NewClient(riverpgxv5.New(db.Pool), &river.Config{Logger: quiet, Workers: workers,
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}}, PeriodicJobs: []*river.PeriodicJob{every}})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Stop(context.Background()) })
	if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.Enqueue(ctx, keyArgs{Key: "k-1"}, nil) }); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"job", "periodic job"} {
		select {
		case k := <-keys:
			if k != "k-1" {
				t.Errorf("the job ran with key %q, want k-1", k)
			}
			if left <= 0 || left > 5*time.Second {
				t.Errorf("the job had %v left, want its own 5s limit, not the queue's minute", left)
			}
		case <-swept:
		case <-time.After(15 * time.Second):
			t.Fatalf("a %s did not run within 15s", want)
		}
	}

}
