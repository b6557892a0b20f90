package orders

import (
	"context"

	"github.com/sentrakreasi/atensi/ledger"
)

// LedgerCheck is the answer of GET /ledger/check.
type LedgerCheck = ledger.Check

// Balance is what a shop has earned, as sellers see it (positive rupiah).
type Balance = ledger.Balance

// CheckLedger verifies that every transaction sums to zero and that every
// cached balance equals the sum of its entries.
func (s *Service) CheckLedger(ctx context.Context) (LedgerCheck, error) {
	return ledger.CheckAll(ctx, s.db.Gorm)
}

// shopBalance reads a shop's cached balances.
func (s *Service) shopBalance(ctx context.Context, shopID string) (Balance, error) {
	return ledger.ShopBalance(ctx, s.db.Gorm, shopID)
}
