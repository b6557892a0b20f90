package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/vault"
)

// hashKeyColumn is where the pinned hash key is kept, sealed.
var hashKeyColumn = vault.Column{Table: "vault_keys", Key: "name", Column: "sealed", ContextOf: "name",
	Context: func(name string) string { return "vault_keys/" + name }}

// openVault builds the vault from DATA_KEY and DATA_KEYS_OLD and gives it the
// pinned hash key (package vault explains why it never follows DATA_KEY).
//
// The first start of this version pins the hash key that the earlier
// versions derived from their DATA_KEY, so the hashes they stored still
// match. That key is the oldest one configured: the last of DATA_KEYS_OLD,
// or DATA_KEY when there are none. (Whoever upgrades and rotates at once
// lists the key in use until then last in DATA_KEYS_OLD.) Several instances
// starting together agree on it through the primary key.
func openVault(ctx context.Context, db *storage.DB, cfg Config) (*vault.Vault, error) {
	v, err := vault.New(cfg.DataKey, cfg.OldDataKeys...)
	if err != nil {
		return nil, fmt.Errorf("DATA_KEY: %w", err)
	}
	first := cfg.DataKey
	if n := len(cfg.OldDataKeys); n > 0 {
		first = cfg.OldDataKeys[n-1]
	}
	const name = "hash"
	g := db.Gorm.WithContext(ctx)
	seed := v.Seal(string(vault.LegacyHashKey(first)), hashKeyColumn.Context(name))
	if err := g.Exec("INSERT INTO vault_keys (name, sealed) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, seed).Error; err != nil {
		return nil, fmt.Errorf("pin hash key: %w", err)
	}
	var row struct{ Sealed []byte }
	if err := g.Raw("SELECT sealed FROM vault_keys WHERE name = ?", name).Scan(&row).Error; err != nil {
		return nil, fmt.Errorf("read hash key: %w", err)
	}
	key, err := v.Open(row.Sealed, hashKeyColumn.Context(name))
	if err != nil {
		return nil, fmt.Errorf("DATA_KEY: the pinned hash key does not open (is the key it was sealed with in DATA_KEYS_OLD?): %w", err)
	}
	if err := v.SetHashKey([]byte(key)); err != nil {
		return nil, err
	}
	return v, nil
}

// RotateKeys re-seals every sealed value still under an older key with the
// current DATA_KEY, batch rows per transaction, and reports progress to out
// (`atensi admin rotate-keys`). Run it once every instance runs with the new
// DATA_KEY and the old one in DATA_KEYS_OLD; afterwards the old key can be
// dropped from DATA_KEYS_OLD. Running it again does nothing.
func (a *App) RotateKeys(ctx context.Context, batch int, out io.Writer) error {
	start := time.Now()
	progress := func(table, column string, done, total int) {
		switch {
		case total == 0:
		case done == 0:
			fmt.Fprintf(out, "%s.%s: %d to re-seal\n", table, column, total)
		default:
			fmt.Fprintf(out, "%s.%s: %d/%d re-sealed\n", table, column, done, total)
		}
	}
	steps := []func() error{
		func() error { return a.vault.Reseal(ctx, a.db.Gorm, hashKeyColumn, batch, progress) },
		func() error { return a.cases.Reseal(ctx, batch, progress) },
		func() error { return a.payouts.Reseal(ctx, batch, progress) },
		func() error { return api.ResealAnswers(ctx, a.db, a.vault, batch, progress) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("rotate keys: %w", err)
		}
	}
	fmt.Fprintf(out, "every sealed value is under the current key (%s)\n", time.Since(start).Round(time.Millisecond))
	return nil
}
