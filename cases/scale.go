package cases

import (
	"context"
	"fmt"
	"time"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// ScaleCase places one benchmark case: its unit and its caseworker.
type ScaleCase struct {
	UnitID, ProvinceCode, RegencyCode, StaffID string
}

// SeedScale creates one adult PM case per entry, with every consent given,
// in batches; identities are sealed like any other. It returns the case ids
// in order.
func (s *Service) SeedScale(ctx context.Context, places []ScaleCase) ([]string, error) {
	now := s.now().UTC()
	clusters := []Cluster{ClusterDisabilitas, ClusterLansia, ClusterDisabilitas, ClusterLansia, ClusterNapza}
	ids := make([]string, len(places))
	const batch = 1000
	for start := 0; start < len(places); start += batch {
		end := min(start+batch, len(places))
		var bens []beneficiaryRow
		var rows []caseRow
		var consents []consentRow
		for i := start; i < end; i++ {
			p := places[i]
			b := beneficiaryRow{ID: domain.NewID(), BirthDate: time.Date(1960+i%40, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, domain.Jakarta),
				Sex: []string{"male", "female"}[i%2], ProvinceCode: p.ProvinceCode, RegencyCode: p.RegencyCode, HouseholdSize: 1 + i%6, CreatedAt: now}
			b.LegalNameEnc = s.vault.Seal(fmt.Sprintf("Penerima Manfaat %07d", i), sealContext(b.ID, "legal_name"))
			bens = append(bens, b)
			cluster := clusters[i%len(clusters)]
			staff := p.StaffID
			c := caseRow{ID: domain.NewID(), CaseNo: fmt.Sprintf("SKL-%07d", i), BeneficiaryID: b.ID, UnitID: p.UnitID, Cluster: cluster,
				Pillar: pillars[i%len(pillars)], Sensitivity: sensitivity(cluster, false, false), AssignedStaffID: &staff, OpenedOn: now.AddDate(-1, 0, 0),
				CreatedBy: staff, CreatedAt: now}
			rows = append(rows, c)
			ids[i] = c.ID
			for _, purpose := range []Purpose{PurposeCaseManagement, PurposeSelling, PurposeDataBridge, PurposeReporting} {
				consents = append(consents, consentRow{CaseID: c.ID, Purpose: purpose, Action: "given", GivenBy: "self", Method: "written", RecordedBy: staff, At: now})
			}
		}
		err := s.db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.DB.CreateInBatches(bens, batch).Error; err != nil {
				return err
			}
			if err := tx.DB.CreateInBatches(rows, batch).Error; err != nil {
				return err
			}
			return tx.DB.CreateInBatches(consents, batch).Error
		})
		if err != nil {
			return nil, fmt.Errorf("seed cases: %w", err)
		}
	}
	return ids, nil
}
