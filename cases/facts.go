package cases

import (
	"context"
	"encoding/hex"

	"github.com/sentrakreasi/atensi/storage"
)

// Facts is what other domains may know of a case: enough to apply the
// protection rules, nothing that identifies the person.
type Facts struct {
	ID          string
	UnitID      string
	IsChild     bool
	Sensitivity string
	// Consents holds the purposes whose consent is currently given.
	Consents map[string]bool
}

// Facts answers the facts of a case, without a policy check: callers use
// them only to decide, never to show.
func (s *Service) Facts(ctx context.Context, caseID string) (Facts, error) {
	row, err := s.load(ctx, caseID)
	if err != nil {
		return Facts{}, err
	}
	consents, err := s.consents(ctx, row.ID)
	if err != nil {
		return Facts{}, storage.NotFound(err, "case facts")
	}
	f := Facts{ID: row.ID, UnitID: row.UnitID, IsChild: row.IsChild, Sensitivity: row.Sensitivity, Consents: map[string]bool{}}
	for _, c := range consents {
		f.Consents[string(c.Purpose)] = c.Status == "given"
	}
	return f, nil
}

// BuyerHash is the keyed hash that stands for a buyer in case events:
// equal for the same buyer, so unique and repeat buyers can be counted,
// and useless without DATA_KEY to anyone testing guesses.
func (s *Service) BuyerHash(identity string) string {
	return hex.EncodeToString(s.vault.Hash("buyer", identity)[:16])
}
