package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/vault"
)

// AnswerTTL is how long a stored answer is replayed; after it the key is
// new again, and the prune job deletes the row.
const AnswerTTL = 24 * time.Hour

// minAnonymousKey is the shortest Idempotency-Key a caller without an
// account may send (CONTRACT.md): all guests share one namespace of keys,
// so a key must be too long to guess or to collide by chance.
const minAnonymousKey = 16

// Replays is what Idempotent needs besides the database: the vault that
// seals stored answers (a checkout's answer carries the guest's order link
// token) and keys the hash of a guest's address, and the clock.
type Replays struct {
	Vault *vault.Vault
	Now   func() time.Time
}

type replaysKey struct{}

// WithReplays puts r into ctx for Idempotent; app does it for every request.
func WithReplays(ctx context.Context, r *Replays) context.Context {
	return context.WithValue(ctx, replaysKey{}, r)
}

// Idempotent runs fn at most once per Idempotency-Key (CONTRACT.md): the
// same key and body answer the first answer again for AnswerTTL; the same
// key with another body, or while the first request still runs, is 409. A
// request that fails is forgotten, so the client may retry it with the same
// key. Without the header fn just runs.
//
// Keys are scoped by the signed-in user, and a guest's by a keyed hash of
// their address, so another guest replaying the same key and body gets an
// order of their own, never the first guest's answer and its token. The row
// keeps a hash of the key and the answer sealed with the vault: nothing in
// the table opens an order.
func Idempotent(c *fiber.Ctx, db *storage.DB, scope string, fn func() (int, any, error)) error {
	key := c.Get("Idempotency-Key")
	if key == "" {
		status, body, err := fn()
		if err != nil {
			return err
		}
		return c.Status(status).JSON(body)
	}
	ctx := c.UserContext()
	r, _ := ctx.Value(replaysKey{}).(*Replays)
	if r == nil {
		return errors.New("idempotency: no Replays in the request context")
	}
	actor := access.ActorFrom(ctx)
	switch {
	case len(key) > 200:
		return domain.Invalid("Idempotency-Key", "api.idempotency.long")
	case actor.Anonymous() && len(key) < minAnonymousKey:
		return domain.Invalid("Idempotency-Key", "api.idempotency.short", minAnonymousKey)
	}
	if actor.Anonymous() {
		scope += ":guest:" + hex.EncodeToString(r.Vault.Hash("idempotency_client", ClientAddr(c))[:16])
	} else {
		scope += ":" + actor.UserID
	}
	keySum := sha256.Sum256([]byte(key))
	keyHash := hex.EncodeToString(keySum[:])
	sum := sha256.Sum256(c.Body())
	now := r.Now().UTC()
	g := db.Gorm.WithContext(ctx)
	// An expired answer is taken over as if the key were new.
	res := g.Exec(`INSERT INTO idempotency_keys (key, scope, request_hash, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = NULL, body = NULL, created_at = EXCLUDED.created_at
		WHERE idempotency_keys.created_at <= ?`,
		keyHash, scope, sum[:], now, now.Add(-AnswerTTL))
	if res.Error != nil {
		return fmt.Errorf("idempotency: %w", res.Error)
	}
	sealContext := answerContext(scope + "/" + keyHash)
	if res.RowsAffected == 0 {
		var prior struct {
			RequestHash []byte
			Status      *int
			Body        []byte
		}
		if err := g.Raw("SELECT request_hash, status, body FROM idempotency_keys WHERE scope = ? AND key = ?", scope, keyHash).Scan(&prior).Error; err != nil {
			return fmt.Errorf("idempotency: %w", err)
		}
		switch {
		case !bytes.Equal(prior.RequestHash, sum[:]):
			return domain.Errorf(domain.ErrConflict, "api.idempotency.reused")
		case prior.Status == nil:
			return domain.Errorf(domain.ErrConflict, "api.idempotency.busy")
		}
		body, err := r.Vault.Open(prior.Body, sealContext)
		if err != nil {
			return fmt.Errorf("idempotency: open stored answer: %w", err)
		}
		c.Set("Idempotent-Replayed", "true")
		return c.Status(*prior.Status).Type("json").SendString(body)
	}
	status, body, err := fn()
	if err != nil {
		if derr := g.Exec("DELETE FROM idempotency_keys WHERE scope = ? AND key = ?", scope, keyHash).Error; derr != nil {
			return fmt.Errorf("%w (and forgetting the idempotency key failed: %v)", err, derr)
		}
		return err
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	if err := g.Exec("UPDATE idempotency_keys SET status = ?, body = ? WHERE scope = ? AND key = ?",
		status, r.Vault.Seal(string(b), sealContext), scope, keyHash).Error; err != nil {
		return fmt.Errorf("idempotency: %w", err)
	}
	return c.Status(status).Type("json").Send(b)
}

func answerContext(scopeAndKey string) string { return "idempotency/" + scopeAndKey }

// PruneAnswers deletes the stored answers older than AnswerTTL; the
// accounts prune job calls it hourly.
func PruneAnswers(ctx context.Context, db *storage.DB, now time.Time) error {
	if err := db.Gorm.WithContext(ctx).Exec("DELETE FROM idempotency_keys WHERE created_at <= ?", now.Add(-AnswerTTL)).Error; err != nil {
		return fmt.Errorf("prune idempotency keys: %w", err)
	}
	return nil
}

// ResealAnswers re-seals the stored answers under the vault's current key
// (`atensi admin rotate-keys`).
func ResealAnswers(ctx context.Context, db *storage.DB, v *vault.Vault, batch int, progress vault.Progress) error {
	return v.Reseal(ctx, db.Gorm, vault.Column{Table: "idempotency_keys", Key: "scope || '/' || key", Column: "body",
		ContextOf: "scope || '/' || key", Context: answerContext}, batch, progress)
}
