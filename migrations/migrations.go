// Package migrations is the database schema: numbered SQL files applied in
// order by goose, plus the job queue's tables, which River itself defines.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// SQL holds the numbered .sql files.
//
//go:embed *.sql
var SQL embed.FS

// Go lists the migrations written in Go; goose orders them with the SQL files
// by version number.
var Go = []*goose.Migration{
	// River ships its schema as versioned migrations of its own; applying
	// them here keeps one runner and one history for the whole schema. They
	// run outside a goose transaction because some must commit one by one
	// (a new enum value cannot be used in the transaction that adds it).
	goose.NewGoMigration(1,
		&goose.GoFunc{RunDB: riverMigration(rivermigrate.DirectionUp)},
		&goose.GoFunc{RunDB: riverMigration(rivermigrate.DirectionDown)}),
}

func riverMigration(direction rivermigrate.Direction) func(context.Context, *sql.DB) error {
	return func(ctx context.Context, db *sql.DB) error {
		m, err := rivermigrate.New(riverdatabasesql.New(db), nil)
		if err != nil {
			return err
		}
		opts := &rivermigrate.MigrateOpts{}
		if direction == rivermigrate.DirectionDown {
			opts.TargetVersion = -1 // all the way down
		}
		if _, err := m.Migrate(ctx, direction, opts); err != nil {
			return fmt.Errorf("river migrations %s: %w", direction, err)
		}
		return nil
	}
}
