package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// ReceivingAccount is the bank account buyers of a unit's shops transfer
// money to (CONTRACT.md PUT /units/{id}/receiving-account). It belongs to
// the institution, so every buyer of a bank-transfer checkout is shown it.
type ReceivingAccount struct {
	UnitID      string    `json:"unit_id"`
	Bank        string    `json:"bank"`
	AccountNo   string    `json:"account_no"`
	AccountName string    `json:"account_name"`
	UpdatedBy   string    `json:"-"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// TableName is the table of receiving accounts.
func (ReceivingAccount) TableName() string { return "unit_receiving_accounts" }

// ReceivingAccountInput is the body of PUT /units/{id}/receiving-account.
type ReceivingAccountInput struct {
	Bank        string `json:"bank"`
	AccountNo   string `json:"account_no"`
	AccountName string `json:"account_name"`
}

// SetReceivingAccount names where buyers of a unit's shops transfer money
// (an admin, or a supervisor over the unit). Orders already placed keep the
// account they were told at checkout.
func (s *Service) SetReceivingAccount(ctx context.Context, actor access.Actor, unitID string, in ReceivingAccountInput) (ReceivingAccount, error) {
	u, err := s.Unit(ctx, unitID)
	if err != nil {
		return ReceivingAccount{}, err
	}
	if err := access.Can(actor, access.SetReceivingAccount, access.Resource{UnitID: u.ID}, s.now()); err != nil {
		return ReceivingAccount{}, err
	}
	v := &domain.ValidationError{}
	in.Bank = strings.Join(strings.Fields(in.Bank), " ")
	in.AccountName = strings.Join(strings.Fields(in.AccountName), " ")
	// People copy numbers with the bank's grouping: "1234-01-000123-50-1".
	in.AccountNo = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '.' {
			return -1
		}
		return r
	}, strings.TrimSpace(in.AccountNo))
	if l := utf8.RuneCountInString(in.Bank); l < 2 || l > 60 || strings.ContainsFunc(in.Bank, unicode.IsControl) {
		v.Add("bank", "accounts.receiving.bank")
	}
	if l := len(in.AccountNo); l < 5 || l > 20 || strings.ContainsFunc(in.AccountNo, func(r rune) bool { return r < '0' || r > '9' }) {
		v.Add("account_no", "accounts.receiving.number")
	}
	if l := utf8.RuneCountInString(in.AccountName); l < 3 || l > 100 || strings.ContainsFunc(in.AccountName, unicode.IsControl) {
		v.Add("account_name", "accounts.receiving.name")
	}
	if err := v.Err(); err != nil {
		return ReceivingAccount{}, err
	}
	a := ReceivingAccount{UnitID: u.ID, Bank: in.Bank, AccountNo: in.AccountNo, AccountName: in.AccountName, UpdatedBy: actor.UserID, UpdatedAt: s.now().UTC()}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "unit_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"bank", "account_no", "account_name", "updated_by", "updated_at"})}).Create(&a).Error; err != nil {
			return fmt.Errorf("receiving account: %w", err)
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: "unit.receiving_account", ResourceKind: "unit", ResourceID: u.ID,
			Detail: map[string]any{"bank": a.Bank, "account_no": a.AccountNo, "account_name": a.AccountName}})
	})
	return a, err
}

// AccountUnit is a unit whose receiving account someone may set, with the
// account it has (nil when none), for the settings page.
type AccountUnit struct {
	Unit    Unit
	Account *ReceivingAccount
}

// ReceivingAccountUnits lists the units whose receiving account actor may
// set: every unit for an admin, a supervisor's unit and the LKS of its
// network; anyone else may set none (ErrForbidden).
func (s *Service) ReceivingAccountUnits(ctx context.Context, actor access.Actor) ([]AccountUnit, error) {
	if actor.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	q := s.db.Gorm.WithContext(ctx).Order("kind, name").Limit(500)
	switch {
	case actor.Role == access.Admin:
	case actor.Role == access.Supervisor:
		q = q.Where("id IN ?", append([]string{actor.UnitID}, actor.Network...))
	default:
		return nil, domain.ErrForbidden
	}
	var units []Unit
	if err := q.Find(&units).Error; err != nil {
		return nil, fmt.Errorf("units: %w", err)
	}
	ids := make([]string, len(units))
	for i, u := range units {
		ids[i] = u.ID
	}
	var accs []ReceivingAccount
	if err := s.db.Gorm.WithContext(ctx).Where("unit_id IN ?", ids).Find(&accs).Error; err != nil {
		return nil, fmt.Errorf("receiving accounts: %w", err)
	}
	byUnit := map[string]*ReceivingAccount{}
	for i := range accs {
		byUnit[accs[i].UnitID] = &accs[i]
	}
	out := make([]AccountUnit, 0, len(units))
	for _, u := range units {
		if access.Can(actor, access.SetReceivingAccount, access.Resource{UnitID: u.ID}, s.now()) == nil {
			out = append(out, AccountUnit{Unit: u, Account: byUnit[u.ID]})
		}
	}
	return out, nil
}

// PayeeAccounts answers, for each unit, the account its shops' buyers pay
// into: the unit's own, or for an LKS without one its Balai's. A unit with
// neither is left out. It reads inside the caller's transaction (the
// checkout's), so a checkout never waits for a second connection.
func (s *Service) PayeeAccounts(ctx context.Context, tx *storage.Tx, unitIDs []string) (map[string]ReceivingAccount, error) {
	db := s.db.Gorm
	if tx != nil {
		db = tx.DB
	}
	var rows []struct {
		ID string
		ReceivingAccount
	}
	err := db.WithContext(ctx).Raw(`
		SELECT u.id, a.unit_id, a.bank, a.account_no, a.account_name, a.updated_by, a.updated_at
		FROM units u JOIN unit_receiving_accounts a ON a.unit_id = (
			SELECT r.unit_id FROM unit_receiving_accounts r WHERE r.unit_id IN (u.id, u.parent_id)
			ORDER BY r.unit_id = u.id DESC LIMIT 1)
		WHERE u.id IN ?`, unitIDs).Scan(&rows).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("payee accounts: %w", err)
	}
	out := make(map[string]ReceivingAccount, len(rows))
	for _, r := range rows {
		out[r.ID] = r.ReceivingAccount
	}
	return out, nil
}
