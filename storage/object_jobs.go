package storage

import "context"

// DeleteObjectArgs is the job that removes an object once the row pointing
// at it is gone. Enqueue it in the transaction that deletes the row: if the
// transaction rolls back the object stays, and if the store is down the job
// retries until it is back.
type DeleteObjectArgs struct {
	Key string `json:"key"`
}

// Kind names the job in the queue.
func (DeleteObjectArgs) Kind() string { return "delete_object" }

// DeleteJob does a DeleteObjectArgs job; a missing object counts as deleted.
func (o *Objects) DeleteJob(ctx context.Context, args DeleteObjectArgs) error {
	return o.Delete(ctx, args.Key)
}
