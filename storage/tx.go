package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
)

// Tx is one unit of work. Rows written through Tx.DB and jobs added with
// Tx.Enqueue commit together or not at all, so a change never loses its
// side effects and a failed change never leaves a job behind.
type Tx struct {
	DB    *gorm.DB
	sqlTx *sql.Tx
	jobs  *river.Client[*sql.Tx]
}

// InTx runs fn in a transaction and commits when it returns nil.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.Gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		sqlTx, ok := g.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return fmt.Errorf("transaction: gorm gave %T, want *sql.Tx", g.Statement.ConnPool)
		}
		return fn(&Tx{DB: g, sqlTx: sqlTx, jobs: db.jobs})
	})
}

// Enqueue adds a background job that becomes visible to workers only when
// the transaction commits.
func (tx *Tx) Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := tx.jobs.InsertTx(ctx, tx.sqlTx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}
