package payouts

import (
	"context"

	"github.com/sentrakreasi/atensi/vault"
)

// Reseal re-seals the payout routes' account names and numbers under the
// vault's current key (`atensi admin rotate-keys`).
func (s *Service) Reseal(ctx context.Context, batch int, progress vault.Progress) error {
	for _, field := range []string{"account_name", "account_no"} {
		col := vault.Column{Table: "payout_routes", Key: "id", Column: field + "_enc", ContextOf: "id",
			Context: func(id string) string { return sealContext(id, field) }}
		if err := s.vault.Reseal(ctx, s.db.Gorm, col, batch, progress); err != nil {
			return err
		}
	}
	return nil
}
