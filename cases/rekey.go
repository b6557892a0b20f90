package cases

import (
	"context"

	"github.com/sentrakreasi/atensi/vault"
)

// sealedColumns are all the columns of the case record the vault seals,
// with the context each was sealed in. A new sealed column belongs here, or
// rotate-keys leaves it under the old key.
var sealedColumns = []vault.Column{
	{Table: "beneficiaries", Key: "id", Column: "legal_name_enc", ContextOf: "id",
		Context: func(id string) string { return sealContext(id, "legal_name") }},
	{Table: "beneficiaries", Key: "id", Column: "nik_enc", ContextOf: "id",
		Context: func(id string) string { return sealContext(id, "nik") }},
	noteColumn("case_services", "note_enc"),
	noteColumn("case_incomes", "note_enc"),
	noteColumn("case_assessments", "note_enc"),
	noteColumn("case_guardians", "name_enc"),
	noteColumn("case_guardians", "phone_enc"),
	noteColumn("case_graduations", "reason_enc"),
}

func noteColumn(table, column string) vault.Column {
	return vault.Column{Table: table, Key: "id", Column: column, ContextOf: "case_id",
		Context: func(caseID string) string { return noteContext(table, caseID) }}
}

// Reseal re-seals every sealed field of the case record under the vault's
// current key (`atensi admin rotate-keys`). NIK hashes stay as they are:
// the hash key does not follow DATA_KEY (see package vault).
func (s *Service) Reseal(ctx context.Context, batch int, progress vault.Progress) error {
	for _, col := range sealedColumns {
		if err := s.vault.Reseal(ctx, s.db.Gorm, col, batch, progress); err != nil {
			return err
		}
	}
	return nil
}
