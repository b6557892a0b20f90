// Package ledger is the double-entry ledger every money-moving domain
// posts to: orders (money coming in) and payouts (money going out to
// sellers). Balances are derived from it and cached on the accounts; the
// check proves the cache and the entries agree.
package ledger

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// Account kinds. Balances are signed: what the platform holds is positive
// (clearing, cash held at a Sentra), what it owes or has handed to sellers
// is negative (seller_*), so every transaction sums to 0.
//
// The seller kinds share the "seller_" prefix and sort in the order a
// rupiah travels (available, paid out, payout, pending): postings lock
// accounts in code order, so a draft (available then payout) and a
// cancellation of another draft lock one shop's accounts in the same order
// and never deadlock.
const (
	KindClearing        = "clearing"         // money with a payment provider or in a bank, per method
	KindCashHeld        = "cash_held"        // cash and QRIS taken in store, held by the Sentra
	KindSellerPending   = "seller_pending"   // earned by a shop, order not completed yet
	KindSellerAvailable = "seller_available" // earned and completed: can be paid out
	KindSellerPayout    = "seller_payout"    // taken into a payout batch, not paid yet
	KindSellerPaidOut   = "seller_paid_out"  // handed to the payee: the outflow side of the platform's money
	KindPlatformFee     = "platform_fee"
	// KindSellerCash is what a seller earned in cash they collected
	// themselves; KindCashWithSeller is that cash, which the platform never
	// held. The pair never touches seller_available, so it can never be
	// paid out a second time.
	KindSellerCash     = "seller_cash"
	KindCashWithSeller = "cash_with_seller"
)

// shopKinds are the kinds kept per shop (ledger_accounts.shop_id is set).
var shopKinds = map[string]bool{KindSellerPending: true, KindSellerAvailable: true, KindSellerPayout: true,
	KindSellerPaidOut: true, KindSellerCash: true, KindCashWithSeller: true}

// Account names a ledger account: its kind and a key (the shop id, payment
// method or unit id).
type Account struct {
	Kind, Key string
}

// Code is the account's unique name in ledger_accounts.
func (a Account) Code() string { return a.Kind + ":" + a.Key }

// Clearing is the account of money received through a payment method.
func Clearing(method string) Account { return Account{KindClearing, method} }

// CashHeld is the cash and QRIS money a Sentra (a unit) took in store.
func CashHeld(unitID string) Account { return Account{KindCashHeld, unitID} }

// Pending is what a shop earned on orders not completed yet.
func Pending(shopID string) Account { return Account{KindSellerPending, shopID} }

// Available is what a shop may be paid out.
func Available(shopID string) Account { return Account{KindSellerAvailable, shopID} }

// InPayout is what a shop has in an open payout batch.
func InPayout(shopID string) Account { return Account{KindSellerPayout, shopID} }

// PaidOut is what has been handed to a shop's payee.
func PaidOut(shopID string) Account { return Account{KindSellerPaidOut, shopID} }

// SellerCash is what a shop earned in cash it collected itself.
func SellerCash(shopID string) Account { return Account{KindSellerCash, shopID} }

// CashWithSeller is the cash a shop collected itself and keeps.
func CashWithSeller(shopID string) Account { return Account{KindCashWithSeller, shopID} }

// Posting is one line of a ledger transaction.
type Posting struct {
	Account Account
	Amount  domain.IDR
}

// ErrPosted says a transaction with this kind and ref exists: the money
// effect already happened and must not happen again.
var ErrPosted = errors.New("already posted")

// Post writes a balanced transaction inside tx and moves the cached
// balances with it, in a fixed number of statements however many postings
// it has (a payout draft posts for thousands of shops at once). The (kind,
// ref) unique key makes a retried or duplicated effect fail with ErrPosted
// instead of moving money twice; the deferred trigger refuses an
// unbalanced transaction at commit.
func Post(ctx context.Context, tx *storage.Tx, kind, ref string, at time.Time, lines ...Posting) error {
	var sum domain.IDR
	merged := map[Account]domain.IDR{}
	for _, l := range lines {
		sum += l.Amount
		merged[l.Account] += l.Amount
	}
	if sum != 0 {
		return fmt.Errorf("ledger %s %s: postings sum to %d", kind, ref, sum)
	}
	accounts := make([]Account, 0, len(merged))
	for a, amount := range merged {
		if amount != 0 {
			accounts = append(accounts, a)
		}
	}
	// Accounts in code order, so concurrent postings lock them in one order.
	sort.Slice(accounts, func(i, j int) bool { return accounts[i].Code() < accounts[j].Code() })
	codes, kinds, shops := make(pq.StringArray, len(accounts)), make(pq.StringArray, len(accounts)), make([]*string, len(accounts))
	amounts := make(pq.Int64Array, len(accounts))
	for i, a := range accounts {
		codes[i], kinds[i], amounts[i] = a.Code(), a.Kind, int64(merged[a])
		if shopKinds[a.Kind] {
			shops[i] = &accounts[i].Key
		}
	}
	db := tx.DB.WithContext(ctx)
	var txID int64
	if err := db.Raw(`INSERT INTO ledger_transactions (kind, ref, at) VALUES (?, ?, ?) ON CONFLICT (kind, ref) DO NOTHING RETURNING id`,
		kind, ref, at.UTC()).Scan(&txID).Error; err != nil {
		return fmt.Errorf("ledger %s: %w", kind, err)
	}
	if txID == 0 {
		return ErrPosted
	}
	if len(accounts) == 0 {
		return nil
	}
	if err := db.Exec(`INSERT INTO ledger_accounts (code, kind, shop_id)
		SELECT c, k, s::uuid FROM unnest(?::text[], ?::text[], ?::text[]) AS v(c, k, s) ORDER BY c
		ON CONFLICT (code) DO NOTHING`, codes, kinds, nullableArray(shops)).Error; err != nil {
		return fmt.Errorf("ledger accounts: %w", err)
	}
	var ids []int64
	if err := db.Raw(`SELECT id FROM ledger_accounts WHERE code = ANY(?::text[]) ORDER BY code FOR UPDATE`, codes).Scan(&ids).Error; err != nil {
		return fmt.Errorf("ledger lock accounts: %w", err)
	}
	if len(ids) != len(codes) {
		return fmt.Errorf("ledger %s %s: %d of %d accounts found", kind, ref, len(ids), len(codes))
	}
	if err := db.Exec(`UPDATE ledger_accounts a SET balance_idr = a.balance_idr + v.amount
		FROM unnest(?::text[], ?::bigint[]) AS v(code, amount) WHERE a.code = v.code`, codes, amounts).Error; err != nil {
		return fmt.Errorf("ledger balance: %w", err)
	}
	if err := db.Exec(`INSERT INTO ledger_entries (transaction_id, account_id, amount_idr)
		SELECT ?, a.id, v.amount FROM unnest(?::text[], ?::bigint[]) AS v(code, amount) JOIN ledger_accounts a ON a.code = v.code`,
		txID, codes, amounts).Error; err != nil {
		return fmt.Errorf("ledger entries: %w", err)
	}
	return nil
}

// nullableArray is a text[] literal with NULL for nil, which pq.StringArray cannot say.
func nullableArray(ss []*string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		if s == nil {
			b.WriteString("NULL")
		} else {
			b.WriteString(`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(*s) + `"`)
		}
	}
	b.WriteByte('}')
	return b.String()
}

// Count counts the transactions of a kind whose ref starts with prefix.
func Count(ctx context.Context, db *gorm.DB, kind, prefix string) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Raw(`SELECT count(*) FROM ledger_transactions WHERE kind = ? AND starts_with(ref, ?)`, kind, prefix).Scan(&n).Error
	return n, err
}

// Check is the answer of GET /ledger/check.
type Check struct {
	Balanced     bool  `json:"balanced"`
	Transactions int64 `json:"transactions"`
	Accounts     int64 `json:"accounts"`
	// Unbalanced and Drifted name what is wrong, when anything is.
	Unbalanced []int64  `json:"unbalanced_transactions,omitempty"`
	Drifted    []string `json:"drifted_accounts,omitempty"`
}

// CheckAll verifies that every transaction sums to zero and that every
// cached balance equals the sum of its entries.
func CheckAll(ctx context.Context, db *gorm.DB) (Check, error) {
	db = db.WithContext(ctx)
	var c Check
	if err := db.Raw(`SELECT count(*) FROM ledger_transactions`).Scan(&c.Transactions).Error; err != nil {
		return c, err
	}
	if err := db.Raw(`SELECT count(*) FROM ledger_accounts`).Scan(&c.Accounts).Error; err != nil {
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
// Available may be below zero after a refund of money already paid out: the
// next payout nets it.
type Balance struct {
	PendingIDR   domain.IDR `json:"pending_idr"`
	AvailableIDR domain.IDR `json:"available_idr"`
	InPayoutIDR  domain.IDR `json:"in_payout_idr"`
	PaidOutIDR   domain.IDR `json:"paid_out_idr"`
	// CashCollectedIDR is cash the seller took themselves: counted as
	// earned, never withdrawable.
	CashCollectedIDR domain.IDR `json:"cash_collected_idr"`
}

// ShopBalance reads a shop's cached balances (the check keeps them honest):
// one indexed query.
func ShopBalance(ctx context.Context, db *gorm.DB, shopID string) (Balance, error) {
	return ShopsBalance(ctx, db, []string{shopID})
}

// ShopsBalance adds up the cached balances of shops, in one query.
func ShopsBalance(ctx context.Context, db *gorm.DB, shopIDs []string) (Balance, error) {
	var b Balance
	if len(shopIDs) == 0 {
		return b, nil
	}
	var rows []struct {
		Kind       string
		BalanceIDR domain.IDR `gorm:"column:balance_idr"`
	}
	if err := db.WithContext(ctx).Raw(`SELECT kind, sum(balance_idr) AS balance_idr FROM ledger_accounts WHERE shop_id IN ? GROUP BY kind`,
		shopIDs).Scan(&rows).Error; err != nil {
		return Balance{}, fmt.Errorf("shop balance: %w", err)
	}
	for _, r := range rows {
		switch r.Kind {
		case KindSellerPending:
			b.PendingIDR = -r.BalanceIDR
		case KindSellerAvailable:
			b.AvailableIDR = -r.BalanceIDR
		case KindSellerPayout:
			b.InPayoutIDR = -r.BalanceIDR
		case KindSellerPaidOut:
			b.PaidOutIDR = -r.BalanceIDR
		case KindSellerCash:
			b.CashCollectedIDR = -r.BalanceIDR
		}
	}
	return b, nil
}

// Month is what moved on a set of shops' accounts in one calendar month
// (Asia/Jakarta), in positive rupiah as sellers see it.
type Month struct {
	Month      string     `json:"month"` // YYYY-MM
	SalesIDR   domain.IDR `json:"sales_idr"`
	RefundsIDR domain.IDR `json:"refunds_idr"`
	PaidOutIDR domain.IDR `json:"paid_out_idr"`
	// PendingIDR is what the month added to pending and did not yet move
	// on: summed over every month it is the pending balance now.
	PendingIDR domain.IDR `json:"pending_idr"`
	// CashCollectedIDR is cash the seller took themselves that month.
	CashCollectedIDR domain.IDR `json:"cash_collected_idr"`
}

// ShopMonths folds the entries of shops' seller accounts into months,
// newest first: sales are completions into available, refunds what
// refunds took back, paid out what was handed over.
func ShopMonths(ctx context.Context, db *gorm.DB, shopIDs []string) ([]Month, error) {
	out := []Month{}
	if len(shopIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		Month   string
		TxKind  string
		AccKind string
		Amount  domain.IDR
	}
	if err := db.WithContext(ctx).Raw(`SELECT to_char(t.at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM') AS month, t.kind AS tx_kind, a.kind AS acc_kind,
		sum(e.amount_idr) AS amount
		FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id JOIN ledger_transactions t ON t.id = e.transaction_id
		WHERE a.shop_id = ANY(?::uuid[]) GROUP BY 1, 2, 3 ORDER BY 1 DESC`, pq.StringArray(shopIDs)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("shop months: %w", err)
	}
	at := map[string]int{}
	for _, r := range rows {
		i, ok := at[r.Month]
		if !ok {
			i = len(out)
			at[r.Month] = i
			out = append(out, Month{Month: r.Month})
		}
		m := &out[i]
		switch {
		case r.AccKind == KindSellerAvailable && r.TxKind == "complete":
			m.SalesIDR -= r.Amount
		case r.TxKind == "refund" && (r.AccKind == KindSellerAvailable || r.AccKind == KindSellerPending):
			m.RefundsIDR += r.Amount
		case r.AccKind == KindSellerPaidOut:
			m.PaidOutIDR -= r.Amount
		case r.AccKind == KindSellerCash:
			m.CashCollectedIDR -= r.Amount
		}
		if r.AccKind == KindSellerPending {
			m.PendingIDR -= r.Amount
		}
	}
	return out, nil
}
