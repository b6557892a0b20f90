package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// Idempotent runs fn at most once per Idempotency-Key (CONTRACT.md): the
// same key and body answer the first answer again; the same key with
// another body, or while the first request still runs, is 409. A request
// that fails is forgotten, so the client may retry it with the same key.
// Without the header fn just runs.
func Idempotent(c *fiber.Ctx, db *storage.DB, scope string, fn func() (int, any, error)) error {
	key := c.Get("Idempotency-Key")
	if key == "" {
		status, body, err := fn()
		if err != nil {
			return err
		}
		return c.Status(status).JSON(body)
	}
	if len(key) > 200 {
		return domain.Invalid("Idempotency-Key", "maksimal 200 karakter")
	}
	ctx := c.UserContext()
	// Keys are the client's; scoping them by user keeps one person's key
	// (and the answer behind it) out of another's reach.
	scope = scope + ":" + access.ActorFrom(ctx).UserID
	key = string(bytes.Clone([]byte(key)))
	sum := sha256.Sum256(c.Body())
	g := db.Gorm.WithContext(ctx)
	res := g.Exec(`INSERT INTO idempotency_keys (key, scope, request_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		key, scope, sum[:], time.Now().UTC())
	if res.Error != nil {
		return fmt.Errorf("idempotency: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		var prior struct {
			RequestHash []byte
			Status      *int
			Body        []byte
		}
		if err := g.Raw("SELECT request_hash, status, body FROM idempotency_keys WHERE scope = ? AND key = ?", scope, key).Scan(&prior).Error; err != nil {
			return fmt.Errorf("idempotency: %w", err)
		}
		switch {
		case !bytes.Equal(prior.RequestHash, sum[:]):
			return domain.Errorf(domain.ErrConflict, "Idempotency-Key ini sudah dipakai untuk permintaan lain.")
		case prior.Status == nil:
			return domain.Errorf(domain.ErrConflict, "Permintaan dengan Idempotency-Key ini masih diproses; coba lagi sebentar.")
		}
		c.Set("Idempotent-Replayed", "true")
		return c.Status(*prior.Status).Type("json").Send(prior.Body)
	}
	status, body, err := fn()
	if err != nil {
		if derr := g.Exec("DELETE FROM idempotency_keys WHERE scope = ? AND key = ?", scope, key).Error; derr != nil {
			return fmt.Errorf("%w (and forgetting the idempotency key failed: %v)", err, derr)
		}
		return err
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	if err := g.Exec("UPDATE idempotency_keys SET status = ?, body = ? WHERE scope = ? AND key = ?", status, b, scope, key).Error; err != nil {
		return fmt.Errorf("idempotency: %w", err)
	}
	return c.Status(status).Type("json").Send(b)
}
