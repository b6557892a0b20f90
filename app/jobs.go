package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentrakreasi/atensi/storage"
)

// newWorkerClient builds the job queue's working client. River retries a
// failed job with exponential backoff (about attempt^4 seconds) up to 25 times.
func newWorkerClient(db *storage.DB, workers *river.Workers, periodic []*river.PeriodicJob, log *slog.Logger) (*river.Client[pgx.Tx], error) {
	client, err := river.NewClient(riverpgxv5.New(db.Pool), &river.Config{
		Logger:       log,
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 8}},
		Workers:      workers,
		PeriodicJobs: periodic,
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return client, nil
}

// countFinishedJobs feeds job outcomes into the metrics until ctx ends.
func countFinishedJobs(ctx context.Context, client *river.Client[pgx.Tx], m *metrics) {
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	go func() {
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-events:
				if !ok {
					return
				}
				outcome := "failed"
				switch e.Job.State {
				case rivertype.JobStateCompleted:
					outcome = "completed"
				case rivertype.JobStateCancelled:
					outcome = "cancelled"
				}
				m.jobsFinished.WithLabelValues(e.Job.Kind, outcome).Inc()
			}
		}
	}()
}
