package orders

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// Ledger account kinds. Balances are signed: what the platform holds is
// positive (clearing, cash held at a Sentra), what it owes sellers is
// negative (seller pending and available), so every transaction sums to 0.
const (
	KindClearing        = "clearing"         // money with a payment provider or in a bank, per method
	KindCashHeld        = "cash_held"        // cash and QRIS taken in store, held by the Sentra
	KindSellerPending   = "seller_pending"   // earned by a shop, order not completed yet
	KindSellerAvailable = "seller_available" // earned and completed: can be paid out
	KindPlatformFee     = "platform_fee"
)

type ledgerAccount struct {
	ID         int64 `gorm:"primaryKey"`
	Code       string
	Kind       string
	ShopID     *string
	BalanceIDR domain.IDR `gorm:"column:balance_idr"`
}

func (ledgerAccount) TableName() string { return "ledger_accounts" }

type ledgerTransaction struct {
	ID   int64 `gorm:"primaryKey"`
	Kind string
	Ref  string
	At   time.Time
}

func (ledgerTransaction) TableName() string { return "ledger_transactions" }

type ledgerEntry struct {
	ID            int64 `gorm:"primaryKey"`
	TransactionID int64
	AccountID     int64
	AmountIDR     domain.IDR `gorm:"column:amount_idr"`
}

func (ledgerEntry) TableName() string { return "ledger_entries" }

// account names a ledger account: its kind and, for a seller's, the shop.
type account struct {
	kind, key string // key: the shop id, payment method or unit id
}

func (a account) code() string { return a.kind + ":" + a.key }

func clearing(method string) account  { return account{KindClearing, method} }
func cashHeld(unitID string) account  { return account{KindCashHeld, unitID} }
func pending(shopID string) account   { return account{KindSellerPending, shopID} }
func available(shopID string) account { return account{KindSellerAvailable, shopID} }

// posting is one line of a ledger transaction.
type posting struct {
	account account
	amount  domain.IDR
}

// errPosted says a transaction with this kind and ref exists: the money
// effect already happened and must not happen again.
var errPosted = errors.New("already posted")

// post writes a balanced transaction inside tx and moves the cached
// balances with it. The (kind, ref) unique key makes a retried or
// duplicated effect fail with errPosted instead of moving money twice; the
// deferred trigger refuses an unbalanced transaction at commit.
func post(ctx context.Context, tx *storage.Tx, kind, ref string, at time.Time, lines ...posting) error {
	var sum domain.IDR
	merged := map[account]domain.IDR{}
	for _, l := range lines {
		sum += l.amount
		merged[l.account] += l.amount
	}
	if sum != 0 {
		return fmt.Errorf("ledger %s %s: postings sum to %d", kind, ref, sum)
	}
	db := tx.DB.WithContext(ctx)
	t := ledgerTransaction{Kind: kind, Ref: ref, At: at.UTC()}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&t).Error; err != nil {
		return fmt.Errorf("ledger %s: %w", kind, err)
	}
	if t.ID == 0 {
		return errPosted
	}
	// Accounts in code order, so concurrent postings lock them in one order.
	accounts := make([]account, 0, len(merged))
	for a, amount := range merged {
		if amount != 0 {
			accounts = append(accounts, a)
		}
	}
	sort.Slice(accounts, func(i, j int) bool { return accounts[i].code() < accounts[j].code() })
	for _, a := range accounts {
		id, err := accountID(db, a)
		if err != nil {
			return err
		}
		if err := db.Create(&ledgerEntry{TransactionID: t.ID, AccountID: id, AmountIDR: merged[a]}).Error; err != nil {
			return fmt.Errorf("ledger entry: %w", err)
		}
		if err := db.Model(&ledgerAccount{}).Where("id = ?", id).
			Update("balance_idr", gorm.Expr("balance_idr + ?", merged[a])).Error; err != nil {
			return fmt.Errorf("ledger balance: %w", err)
		}
	}
	return nil
}

func accountID(db *gorm.DB, a account) (int64, error) {
	acc := ledgerAccount{Code: a.code(), Kind: a.kind}
	if a.kind == KindSellerPending || a.kind == KindSellerAvailable {
		acc.ShopID = &a.key
	}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&acc).Error; err != nil {
		return 0, fmt.Errorf("ledger account %s: %w", a.code(), err)
	}
	if acc.ID != 0 {
		return acc.ID, nil
	}
	if err := db.Where("code = ?", a.code()).Take(&acc).Error; err != nil {
		return 0, fmt.Errorf("ledger account %s: %w", a.code(), err)
	}
	return acc.ID, nil
}

// LedgerCheck is the answer of GET /ledger/check.
type LedgerCheck struct {
	Balanced     bool  `json:"balanced"`
	Transactions int64 `json:"transactions"`
	Accounts     int64 `json:"accounts"`
	// Unbalanced and Drifted name what is wrong, when anything is.
	Unbalanced []int64  `json:"unbalanced_transactions,omitempty"`
	Drifted    []string `json:"drifted_accounts,omitempty"`
}

// CheckLedger verifies that every transaction sums to zero and that every
// cached balance equals the sum of its entries.
func (s *Service) CheckLedger(ctx context.Context) (LedgerCheck, error) {
	db := s.db.Gorm.WithContext(ctx)
	var c LedgerCheck
	if err := db.Model(&ledgerTransaction{}).Count(&c.Transactions).Error; err != nil {
		return c, err
	}
	if err := db.Model(&ledgerAccount{}).Count(&c.Accounts).Error; err != nil {
		return c, err
	}
	if err := db.Raw(`SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING sum(amount_idr) <> 0 ORDER BY 1 LIMIT 100`).
		Scan(&c.Unbalanced).Error; err != nil {
		return c, err
	}
	if err := db.Raw(`SELECT a.code FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
		GROUP BY a.id HAVING a.balance_idr <> coalesce(sum(e.amount_idr), 0) ORDER BY 1 LIMIT 100`).Scan(&c.Drifted).Error; err != nil {
		return c, err
	}
	c.Balanced = len(c.Unbalanced) == 0 && len(c.Drifted) == 0
	return c, nil
}

// Balance is what a shop has earned, as sellers see it (positive rupiah).
type Balance struct {
	PendingIDR   domain.IDR `json:"pending_idr"`
	AvailableIDR domain.IDR `json:"available_idr"`
	PaidOutIDR   domain.IDR `json:"paid_out_idr"`
}

// shopBalance reads a shop's cached balances (the ledger check keeps them honest).
func (s *Service) shopBalance(ctx context.Context, shopID string) (Balance, error) {
	var rows []ledgerAccount
	if err := s.db.Gorm.WithContext(ctx).Where("shop_id = ?", shopID).Find(&rows).Error; err != nil {
		return Balance{}, fmt.Errorf("shop balance: %w", err)
	}
	var b Balance
	for _, r := range rows {
		switch r.Kind {
		case KindSellerPending:
			b.PendingIDR = -r.BalanceIDR
		case KindSellerAvailable:
			b.AvailableIDR = -r.BalanceIDR
		}
	}
	return b, nil
}
