package storage

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Repeated is the answer to work asked for again under a key a committed
// transaction claimed before: Result is what that transaction recorded for
// a repeat to show (an order group's id, say).
type Repeated struct{ Result string }

func (r *Repeated) Error() string { return "done before under this key" }

// Once claims key for the work of this transaction and records result as
// the answer to a repeat. A key a committed transaction claimed gives
// *Repeated, and the caller rolls back and answers that instead. While the
// claiming transaction still runs, Once waits for it on the key's row, so
// two copies of one form never both do the work: the second gets the
// first's result once it commits, or the key if it rolls back. Claim first,
// before any other work. An empty key claims nothing.
func (tx *Tx) Once(ctx context.Context, key, result string) error {
	if key == "" {
		return nil
	}
	sealed, err := seal(key, result)
	if err != nil {
		return err
	}
	res := tx.DB.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&onceRow{KeyHash: onceHash(key), Result: sealed})
	if res.Error != nil {
		return fmt.Errorf("once: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	return done(ctx, tx.DB, key)
}

// Done is *Repeated when a committed transaction claimed key, else nil:
// for work that starts with an effect outside the database (a refund at
// the card provider) and must not start it again for a repeat.
func (db *DB) Done(ctx context.Context, key string) error {
	if key == "" {
		return nil
	}
	return done(ctx, db.Gorm, key)
}

func done(ctx context.Context, g *gorm.DB, key string) error {
	var sealed []byte
	err := g.WithContext(ctx).Raw(`SELECT result FROM once_keys WHERE key_hash = ?`, onceHash(key)).Row().Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("once: %w", err)
	}
	result, err := open(key, sealed)
	if err != nil {
		return err
	}
	return &Repeated{Result: result}
}

type onceRow struct {
	KeyHash []byte
	Result  []byte
}

func (onceRow) TableName() string { return "once_keys" }

func onceHash(key string) []byte {
	sum := sha256.Sum256([]byte("once-key:" + key))
	return sum[:]
}

// onceAEAD seals a result under its own key: the table alone gives no one
// a private order link.
func onceAEAD(key string) (cipher.AEAD, error) {
	k := sha256.Sum256([]byte("once-seal:" + key))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func seal(key, result string) ([]byte, error) {
	aead, err := onceAEAD(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, []byte(result), nil), nil
}

func open(key string, sealed []byte) (string, error) {
	aead, err := onceAEAD(key)
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", errors.New("once: sealed result too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
	if err != nil {
		return "", fmt.Errorf("once: open result: %w", err)
	}
	return string(plain), nil
}

// onceKept is how long a form's key is kept: a repeat comes within moments
// (a double tap, a reload, a retry on a slow network), never a week later.
const onceKept = 7 * 24 * time.Hour

// PruneOnce forgets the form keys claimed more than a week before now.
func (db *DB) PruneOnce(ctx context.Context, now time.Time) error {
	if err := db.Gorm.WithContext(ctx).Exec("DELETE FROM once_keys WHERE created_at < ?", now.Add(-onceKept)).Error; err != nil {
		return fmt.Errorf("prune once keys: %w", err)
	}
	return nil
}
