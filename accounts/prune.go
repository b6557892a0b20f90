package accounts

// PruneArgs is the hourly job that deletes expired sessions, spent reset
// links, login failures older than the throttle window and stored
// Idempotency-Key answers older than a day.
type PruneArgs struct{}

// Kind names the job in the queue.
func (PruneArgs) Kind() string { return "accounts_prune" }
