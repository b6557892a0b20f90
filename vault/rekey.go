package vault

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Column names one sealed column for Reseal. The names are the domain
// package's own (its rekey.go), never input.
type Column struct {
	Table string
	// Key is the primary key column, so that each update finds its row by
	// the index (an expression works too, for a small table).
	Key    string
	Column string // the sealed bytea column; NULLs are skipped
	// ContextOf is an SQL expression over the row whose value Context turns
	// into the seal context the column was sealed with.
	ContextOf string
	Context   func(string) string
}

// Progress hears how far a re-seal has come: done of total values of a
// column that were sealed under an old key.
type Progress func(table, column string, done, total int)

// Reseal re-seals with the current key every value of col sealed under an
// older one, batch rows per transaction, so a large table is neither locked
// long nor held in memory. A row changed meanwhile by the application is
// left as it is: it was sealed anew with the current key. A value no key
// opens stops the run with an error naming its row.
func (v *Vault) Reseal(ctx context.Context, db *gorm.DB, col Column, batch int, progress Progress) error {
	prefix := v.currentPrefix()
	stale := fmt.Sprintf("%s IS NOT NULL AND substring(%s FROM 1 FOR %d) <> ?", col.Column, col.Column, len(prefix))
	var total int64
	if err := db.WithContext(ctx).Table(col.Table).Where(stale, prefix).Count(&total).Error; err != nil {
		return fmt.Errorf("reseal %s.%s: %w", col.Table, col.Column, err)
	}
	done := 0
	progress(col.Table, col.Column, done, int(total))
	for {
		var rows []struct {
			K string
			C string
			V []byte
		}
		err := db.WithContext(ctx).Raw(fmt.Sprintf("SELECT (%s)::text AS k, (%s)::text AS c, %s AS v FROM %s WHERE %s ORDER BY %s LIMIT ?",
			col.Key, col.ContextOf, col.Column, col.Table, stale, col.Key), prefix, batch).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("reseal %s.%s: %w", col.Table, col.Column, err)
		}
		if len(rows) == 0 {
			return nil
		}
		err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var resealed int64
			for _, r := range rows {
				plain, err := v.Open(r.V, col.Context(r.C))
				if err != nil {
					return fmt.Errorf("%s %s: %w", col.Table, r.K, err)
				}
				update := fmt.Sprintf("UPDATE %s SET %s = ? WHERE (%s) = ? AND %s = ?", col.Table, col.Column, col.Key, col.Column)
				res := tx.Exec(update, v.Seal(plain, col.Context(r.C)), r.K, r.V)
				if res.Error != nil {
					return res.Error
				}
				resealed += res.RowsAffected
			}
			// The next batch selects what is still stale: a batch that
			// changed nothing would come back forever.
			if resealed == 0 {
				return fmt.Errorf("no row of the batch could be updated (key %s)", col.Key)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("reseal %s.%s: %w", col.Table, col.Column, err)
		}
		done += len(rows)
		progress(col.Table, col.Column, done, int(total))
	}
}
