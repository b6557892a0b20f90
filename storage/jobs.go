package storage

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// Job is the worker of one kind of background job, made of the function
// that does it. A domain declares a job's args (their Kind names the job
// in the queue) and that function; app registers them with AddJob or
// Every; a change adds the job with Tx.Enqueue, in its own transaction.
type Job[A river.JobArgs] struct {
	river.WorkerDefaults[A]
	run     func(ctx context.Context, args A) error
	timeout time.Duration
}

// Work does the job with its args.
func (j *Job[A]) Work(ctx context.Context, job *river.Job[A]) error { return j.run(ctx, job.Args) }

// Timeout is how long one run may take: the job's own limit, or the
// queue's default.
func (j *Job[A]) Timeout(job *river.Job[A]) time.Duration {
	if j.timeout > 0 {
		return j.timeout
	}
	return j.WorkerDefaults.Timeout(job)
}

// AddJob registers run as the worker of A's jobs; a timeout of 0 keeps the
// queue's default.
func AddJob[A river.JobArgs](workers *river.Workers, timeout time.Duration, run func(ctx context.Context, args A) error) {
	river.AddWorker(workers, &Job[A]{run: run, timeout: timeout})
}

// Every registers run as the worker of A's jobs and is the periodic job
// that queues one on schedule, and one at start so a worker that was down
// catches up. Periodic jobs carry no args: run finds its work itself.
func Every[A river.JobArgs](workers *river.Workers, schedule river.PeriodicSchedule, timeout time.Duration, run func(ctx context.Context) error) *river.PeriodicJob {
	AddJob(workers, timeout, func(ctx context.Context, _ A) error { return run(ctx) })
	return river.NewPeriodicJob(schedule, func() (river.JobArgs, *river.InsertOpts) {
		var args A
		return args, nil
	}, &river.PeriodicJobOpts{RunOnStart: true})
}
