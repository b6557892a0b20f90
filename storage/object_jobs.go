package storage

import (
	"context"

	"github.com/riverqueue/river"
)

// DeleteObjectArgs is the job that removes an object once the row pointing
// at it is gone. Enqueue it in the transaction that deletes the row: if the
// transaction rolls back the object stays, and if the store is down the job
// retries until it is back.
type DeleteObjectArgs struct {
	Key string `json:"key"`
}

// Kind names the job in the queue.
func (DeleteObjectArgs) Kind() string { return "delete_object" }

// DeleteObjectWorker runs DeleteObjectArgs jobs.
type DeleteObjectWorker struct {
	river.WorkerDefaults[DeleteObjectArgs]
	Objects *Objects
}

// Work deletes the object; a missing object counts as deleted.
func (w *DeleteObjectWorker) Work(ctx context.Context, job *river.Job[DeleteObjectArgs]) error {
	return w.Objects.Delete(ctx, job.Args.Key)
}
