// Package payouts is money going out to sellers: where each shop's money
// goes (payout routes, changed only under a supervisor's confirmation),
// batches that take the available balances of a unit's network (maker and
// checker), and the recorded payment and receipt of each line, each with
// its ledger transaction and case events in one database transaction.
package payouts

import (
	"context"
	"io"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/vault"
)

// Shops finds a shop and cleans a private photo (the catalog package, in
// its image slots).
type Shops interface {
	ShopOf(ctx context.Context, shopID string) (catalog.Shop, error)
	UprightJPEG(ctx context.Context, r io.Reader, longest int) ([]byte, error)
}

// Units knows the organisation (the accounts package): a unit, and the LKS
// in a Balai's network.
type Units interface {
	Unit(ctx context.Context, id string) (accounts.Unit, error)
	Network(ctx context.Context, unitID string) ([]string, error)
}

// CaseFacts is what payouts asks of a PM's case (the cases package):
// whether it takes marketplace events (the data_bridge_to_case_record
// consent), and whether a reader may see what names the PM (an account
// holder's name, a signed slip), which the case audits.
type CaseFacts interface {
	Facts(ctx context.Context, caseID string) (cases.Facts, error)
	OpenIdentity(ctx context.Context, actor access.Actor, caseID, what string, detail map[string]any) (bool, error)
}

// Earnings says what each maker of a workshop shop earned into its
// available balance over its life (the orders package), read inside the
// draft's transaction.
type Earnings interface {
	MakerEarnings(ctx context.Context, db *gorm.DB, shopID string) (map[string]domain.IDR, error)
}

// Settings are the payout rules a deployment may tune.
type Settings struct {
	// ReceiptDays is how long a paid line to an LKS or guardian may wait
	// for the PM's receipt before staff see it flagged.
	ReceiptDays int
	// ProofLinkTTL is how long a presigned link to a proof photo works.
	ProofLinkTTL time.Duration
	// CashProofOverIDR: a line paid in cash above it needs a proof photo,
	// or a second person recording the same handover (0: every cash line).
	CashProofOverIDR domain.IDR
}

// DefaultSettings are the settings used when none are given.
var DefaultSettings = Settings{ReceiptDays: 14, ProofLinkTTL: 5 * time.Minute, CashProofOverIDR: 1_000_000}

// Service is the payouts domain.
type Service struct {
	db       *storage.DB
	objects  *storage.Objects
	vault    *vault.Vault
	shops    Shops
	units    Units
	cases    CaseFacts
	earnings Earnings
	settings Settings
	now      func() time.Time
}

// NewService builds the service; now is the clock (time.Now outside tests).
func NewService(db *storage.DB, objects *storage.Objects, v *vault.Vault, shops Shops, units Units, c CaseFacts, e Earnings,
	settings Settings, now func() time.Time) *Service {
	if settings.ReceiptDays <= 0 {
		settings.ReceiptDays = DefaultSettings.ReceiptDays
	}
	if settings.ProofLinkTTL <= 0 {
		settings.ProofLinkTTL = DefaultSettings.ProofLinkTTL
	}
	return &Service{db: db, objects: objects, vault: v, shops: shops, units: units, cases: c, earnings: e, settings: settings, now: now}
}

// PayeeKind is who receives a shop's money.
type PayeeKind string

// The payees of DOMAIN.md "Money".
const (
	PayeePM       PayeeKind = "beneficiary"
	PayeeGuardian PayeeKind = "guardian"
	PayeeLKS      PayeeKind = "lks" // the LKS, on the PM's behalf
)

// Method is how a payee is paid.
type Method string

// The payout methods.
const (
	BankTransfer Method = "bank_transfer"
	Cash         Method = "cash"
	EWallet      Method = "e_wallet"
)

// needsReceipt tells whether money handed to this payee reaches the PM only
// when someone acknowledges it: a payment to an LKS or a guardian does.
func (k PayeeKind) needsReceipt() bool { return slices.Contains(receiptPayees, k) }

// receiptPayees are the payees whose money reaches the PM through someone.
var receiptPayees = []PayeeKind{PayeeLKS, PayeeGuardian}
