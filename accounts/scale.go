package accounts

import (
	"context"
	"fmt"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// ScaleUnits are the units a benchmark data set spreads over.
type ScaleUnits struct {
	Balai []Unit
	LKS   []Unit
}

var scaleRegions = [][2]string{{"31", "3171"}, {"32", "3275"}, {"33", "3374"}, {"35", "3578"}, {"34", "3471"},
	{"36", "3671"}, {"12", "1275"}, {"73", "7371"}, {"63", "6371"}, {"32", "3273"}}

// SeedScaleUnits creates ten Balai, each with its receiving account and one
// LKS in its network.
func (s *Service) SeedScaleUnits(ctx context.Context, admin access.Actor) (ScaleUnits, error) {
	var out ScaleUnits
	for i, r := range scaleRegions {
		b, err := s.CreateUnit(ctx, admin, NewUnit{Kind: Balai, Name: fmt.Sprintf("Balai Skala %02d", i+1), ProvinceCode: r[0], RegencyCode: r[1]})
		if err != nil {
			return out, err
		}
		// Where buyers of the Balai's shops (and its LKS's) transfer.
		if _, err := s.SetReceivingAccount(ctx, admin, b.ID, ReceivingAccountInput{Bank: "Bank Rakyat Indonesia", AccountNo: fmt.Sprintf("90000000%02d", i+1),
			AccountName: fmt.Sprintf("Balai Skala %02d Penerimaan", i+1)}); err != nil {
			return out, err
		}
		l, err := s.CreateUnit(ctx, admin, NewUnit{Kind: LKS, Name: fmt.Sprintf("LKS Skala %02d", i+1), ProvinceCode: r[0], RegencyCode: r[1], ParentID: &b.ID})
		if err != nil {
			return out, err
		}
		out.Balai, out.LKS = append(out.Balai, b), append(out.LKS, l)
	}
	return out, nil
}

// SeedScaleSellers creates n seller accounts spread over units, all with one
// password hashed once (hashing each would take minutes), and returns their
// ids in order.
func (s *Service) SeedScaleSellers(ctx context.Context, units []Unit, n int, password string) ([]string, error) {
	hash := hashPassword(password)
	ids := make([]string, n)
	rows := make([]User, 0, 1000)
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		err := s.db.InTx(ctx, func(tx *storage.Tx) error { return tx.DB.CreateInBatches(rows, 1000).Error })
		rows = rows[:0]
		return err
	}
	now := s.now().UTC()
	for i := range n {
		unit := units[i%len(units)].ID
		ids[i] = domain.NewID()
		rows = append(rows, User{ID: ids[i], Email: fmt.Sprintf("penjual%06d@skala.sentrakreasi.id", i), Name: fmt.Sprintf("Penjual %d", i),
			Role: access.Seller, UnitID: &unit, PasswordHash: hash, CreatedAt: now, UpdatedAt: now})
		if len(rows) == cap(rows) {
			if err := flush(); err != nil {
				return nil, fmt.Errorf("seed sellers: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return nil, fmt.Errorf("seed sellers: %w", err)
	}
	return ids, nil
}
