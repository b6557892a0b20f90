package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/domain"
)

// IsUniqueViolation tells whether err is PostgreSQL refusing a duplicate on
// the named unique constraint or index.
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == constraint
}

// NotFound turns GORM's record-not-found into domain.ErrNotFound and wraps
// any other error with what was being read.
func NotFound(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s: %w", what, domain.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Find loads the row with the given id into dst. A malformed id is not
// sent to the database at all: like an unknown one, it is domain.ErrNotFound.
func Find(ctx context.Context, db *gorm.DB, dst any, id, what string) error {
	if !domain.ValidID(id) {
		return fmt.Errorf("%s %q: %w", what, id, domain.ErrNotFound)
	}
	return NotFound(db.WithContext(ctx).First(dst, "id = ?", id).Error, what)
}
