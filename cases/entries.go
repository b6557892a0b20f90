package cases

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// Component is one of the seven ATENSI service components (DOMAIN.md).
type Component string

// The seven components, as codes.
const (
	ComponentDecentLiving     Component = "decent_living"               // support for decent living
	ComponentSocialCare       Component = "social_care"                 // social care / parenting
	ComponentFamilySupport    Component = "family_support"              // family support
	ComponentTherapy          Component = "therapy"                     // physical, psychosocial, mental-spiritual
	ComponentVocational       Component = "vocational_entrepreneurship" // vocational training, entrepreneurship coaching
	ComponentSocialAssistance Component = "social_assistance"           // social assistance
	ComponentAccessibility    Component = "accessibility"               // accessibility support
)

// Components lists the seven components in the order of DOMAIN.md.
var Components = []Component{ComponentDecentLiving, ComponentSocialCare, ComponentFamilySupport, ComponentTherapy,
	ComponentVocational, ComponentSocialAssistance, ComponentAccessibility}

// IncomeKind is the kind of other income staff record. Bansos is stored
// but never counts as independent income.
type IncomeKind string

// The income kinds.
const (
	IncomeWage     IncomeKind = "wage"
	IncomeBusiness IncomeKind = "business"
	IncomeBansos   IncomeKind = "bansos"
	IncomeOther    IncomeKind = "other"
)

var incomeKinds = []IncomeKind{IncomeWage, IncomeBusiness, IncomeBansos, IncomeOther}

// maxNote bounds a staff note.
const maxNote = 4000

// NewServiceEntry records an ATENSI service given to the PM.
type NewServiceEntry struct {
	Component Component `json:"component"`
	Date      string    `json:"date"` // YYYY-MM-DD
	Note      string    `json:"note"`
}

// ServiceEntry is a service given, as staff see it.
type ServiceEntry struct {
	ID         int64     `json:"id,string"`
	Component  Component `json:"component"`
	Date       string    `json:"date"`
	Note       string    `json:"note,omitempty"`
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// NewIncome records other income of the PM for a month.
type NewIncome struct {
	Month     string     `json:"month"` // YYYY-MM
	AmountIDR domain.IDR `json:"amount_idr"`
	Kind      IncomeKind `json:"kind"`
	Verified  bool       `json:"verified"`
	Note      string     `json:"note"`
}

// Income is an income entry, as staff see it. The latest entry for a month
// and kind is that month's figure; earlier ones stay as history.
type Income struct {
	ID         int64      `json:"id,string"`
	Month      string     `json:"month"`
	AmountIDR  domain.IDR `json:"amount_idr"`
	Kind       IncomeKind `json:"kind"`
	Verified   bool       `json:"verified"`
	Note       string     `json:"note,omitempty"`
	Superseded bool       `json:"superseded"`
	RecordedBy string     `json:"recorded_by"`
	RecordedAt time.Time  `json:"recorded_at"`
}

// NewHouseholdSize records the PM's household size from a month on.
type NewHouseholdSize struct {
	FromMonth string `json:"from_month"` // YYYY-MM
	Size      int    `json:"size"`
}

type serviceRow struct {
	ID          int64 `gorm:"primaryKey"`
	CaseID      string
	Component   Component
	ServiceDate time.Time
	NoteEnc     []byte
	RecordedBy  string
	RecordedAt  time.Time
}

func (serviceRow) TableName() string { return "case_services" }

type incomeRow struct {
	ID         int64 `gorm:"primaryKey"`
	CaseID     string
	Month      time.Time
	AmountIDR  domain.IDR `gorm:"column:amount_idr"`
	Kind       IncomeKind
	Verified   bool
	NoteEnc    []byte
	RecordedBy string
	RecordedAt time.Time
}

func (incomeRow) TableName() string { return "case_incomes" }

type householdRow struct {
	ID         int64 `gorm:"primaryKey"`
	CaseID     string
	FromMonth  time.Time
	Size       int
	RecordedBy string
	RecordedAt time.Time
}

func (householdRow) TableName() string { return "case_household_sizes" }

// noteContext binds a sealed note to its table and case, so a note copied
// into another case does not open there.
func noteContext(table, caseID string) string {
	return table + "/" + caseID
}

// pastDate reads the day something was done (YYYY-MM-DD, Jakarta): not in
// the future, not before the programme's records began.
func pastDate(v *domain.ValidationError, s string, now time.Time) time.Time {
	date, err := time.ParseInLocation(time.DateOnly, s, domain.Jakarta)
	if err != nil || date.After(now.In(domain.Jakarta)) || date.Year() < 2000 {
		v.Add("date", "cases.entry.date")
	}
	return date
}

func cleanNote(v *domain.ValidationError, note string) string {
	note = strings.TrimSpace(note)
	if len(note) > maxNote {
		v.Add("note", "cases.entry.note", maxNote)
	}
	return note
}

// ParseMonth reads YYYY-MM as the first day of that month in Asia/Jakarta.
func ParseMonth(s string) (time.Time, bool) {
	if !periodPattern.MatchString(s) {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01", s, domain.Jakarta)
	return t, err == nil
}

// RecordService adds an ATENSI service given to the PM of a case, with a
// service_recorded event (the note stays sealed, out of the event).
func (s *Service) RecordService(ctx context.Context, actor access.Actor, caseID string, in NewServiceEntry) (ServiceEntry, error) {
	row, err := s.authorize(ctx, actor, access.RecordCaseEntry, caseID)
	if err != nil {
		return ServiceEntry{}, err
	}
	now := s.now().UTC()
	v := &domain.ValidationError{}
	if !slices.Contains(Components, in.Component) {
		v.Add("component", "cases.entry.component")
	}
	date := pastDate(v, in.Date, now)
	note := cleanNote(v, in.Note)
	if err := v.Err(); err != nil {
		return ServiceEntry{}, err
	}
	r := serviceRow{CaseID: row.ID, Component: in.Component, ServiceDate: date, RecordedBy: actor.UserID, RecordedAt: now}
	if note != "" {
		r.NoteEnc = s.vault.Seal(note, noteContext("case_services", row.ID))
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Create(&r).Error; err != nil {
			return fmt.Errorf("record service: %w", err)
		}
		return AppendEvent(ctx, tx.DB, row.ID, "service_recorded", now, actor, map[string]any{
			"service_id": fmt.Sprint(r.ID), "component": r.Component, "date": in.Date, "has_note": note != ""})
	})
	if err != nil {
		return ServiceEntry{}, err
	}
	return ServiceEntry{ID: r.ID, Component: r.Component, Date: in.Date, Note: note, RecordedBy: r.RecordedBy, RecordedAt: now}, nil
}

// RecordIncome adds other income of the PM for a month, with an
// income_recorded event. A second entry for the same month and kind is a
// correction: it replaces the first in the indicators of a live month; a
// closed month keeps its snapshot until it is recomputed.
func (s *Service) RecordIncome(ctx context.Context, actor access.Actor, caseID string, in NewIncome) (Income, error) {
	row, err := s.authorize(ctx, actor, access.RecordCaseEntry, caseID)
	if err != nil {
		return Income{}, err
	}
	now := s.now().UTC()
	v := &domain.ValidationError{}
	month, ok := ParseMonth(in.Month)
	if !ok || month.After(now.In(domain.Jakarta)) || month.Year() < 2000 {
		v.Add("month", "cases.income.month")
	}
	if in.AmountIDR < 0 || in.AmountIDR > 1_000_000_000_000 {
		v.Add("amount_idr", "cases.income.amount")
	}
	if !slices.Contains(incomeKinds, in.Kind) {
		v.Add("kind", "cases.income.kind")
	}
	note := cleanNote(v, in.Note)
	if err := v.Err(); err != nil {
		return Income{}, err
	}
	r := incomeRow{CaseID: row.ID, Month: dateOf(month), AmountIDR: in.AmountIDR, Kind: in.Kind, Verified: in.Verified,
		RecordedBy: actor.UserID, RecordedAt: now}
	if note != "" {
		r.NoteEnc = s.vault.Seal(note, noteContext("case_incomes", row.ID))
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Create(&r).Error; err != nil {
			return fmt.Errorf("record income: %w", err)
		}
		return AppendEvent(ctx, tx.DB, row.ID, "income_recorded", now, actor, map[string]any{
			"income_id": fmt.Sprint(r.ID), "month": in.Month, "amount_idr": r.AmountIDR, "kind": r.Kind, "verified": r.Verified})
	})
	if err != nil {
		return Income{}, err
	}
	return Income{ID: r.ID, Month: in.Month, AmountIDR: r.AmountIDR, Kind: r.Kind, Verified: r.Verified, Note: note,
		RecordedBy: r.RecordedBy, RecordedAt: now}, nil
}

// RecordHouseholdSize sets the PM's household size from a month on (the
// poverty-line ratio is per capita), with a household_size_recorded event.
func (s *Service) RecordHouseholdSize(ctx context.Context, actor access.Actor, caseID string, in NewHouseholdSize) (NewHouseholdSize, error) {
	row, err := s.authorize(ctx, actor, access.RecordCaseEntry, caseID)
	if err != nil {
		return NewHouseholdSize{}, err
	}
	now := s.now().UTC()
	v := &domain.ValidationError{}
	month, ok := ParseMonth(in.FromMonth)
	if !ok || month.Year() < 2000 || month.After(now.In(domain.Jakarta).AddDate(1, 0, 0)) {
		v.Add("from_month", "field.month")
	}
	if in.Size < 1 || in.Size > 30 {
		v.Add("size", "cases.household.size")
	}
	if err := v.Err(); err != nil {
		return NewHouseholdSize{}, err
	}
	r := householdRow{CaseID: row.ID, FromMonth: dateOf(month), Size: in.Size, RecordedBy: actor.UserID, RecordedAt: now}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Create(&r).Error; err != nil {
			return fmt.Errorf("record household size: %w", err)
		}
		return AppendEvent(ctx, tx.DB, row.ID, "household_size_recorded", now, actor, map[string]any{"from_month": in.FromMonth, "size": in.Size})
	})
	return in, err
}

// Services lists the services given to a case's PM, newest first, with
// their notes opened: the read is audited like other sensitive fields.
func (s *Service) Services(ctx context.Context, actor access.Actor, caseID string) ([]ServiceEntry, error) {
	return listEntries(ctx, s, actor, caseID, "case_services", "service_date DESC, id DESC", 500,
		func(r serviceRow, _ string, notes *sealedNotes) (e ServiceEntry, err error) {
			e = ServiceEntry{ID: r.ID, Component: r.Component, Date: r.ServiceDate.Format(time.DateOnly), RecordedBy: r.RecordedBy, RecordedAt: r.RecordedAt}
			e.Note, err = notes.open(r.NoteEnc)
			return e, err
		})
}

// Incomes lists a case's income entries, newest month first, with their
// notes opened (audited); superseded entries are marked.
func (s *Service) Incomes(ctx context.Context, actor access.Actor, caseID string) ([]Income, error) {
	seen := map[string]bool{}
	return listEntries(ctx, s, actor, caseID, "case_incomes", "month DESC, kind, id DESC", 1000,
		func(r incomeRow, _ string, notes *sealedNotes) (e Income, err error) {
			key := r.Month.Format("2006-01") + "/" + string(r.Kind)
			e = Income{ID: r.ID, Month: r.Month.Format("2006-01"), AmountIDR: r.AmountIDR, Kind: r.Kind, Verified: r.Verified,
				Superseded: seen[key], RecordedBy: r.RecordedBy, RecordedAt: r.RecordedAt}
			seen[key] = true
			e.Note, err = notes.open(r.NoteEnc)
			return e, err
		})
}

// listEntries lists up to limit rows of a case's entry table in order,
// each made into an entry that may open its sealed note (entry is given
// the case number too); the read of the notes opened is audited.
func listEntries[Row, Entry any](ctx context.Context, s *Service, actor access.Actor, caseID, table, order string, limit int,
	entry func(r Row, caseNo string, notes *sealedNotes) (Entry, error)) ([]Entry, error) {
	row, err := s.authorize(ctx, actor, access.RecordCaseEntry, caseID)
	if err != nil {
		return nil, err
	}
	var rows []Row
	if err := s.db.Gorm.WithContext(ctx).Where("case_id = ?", row.ID).Order(order).Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list %s: %w", table, err)
	}
	out := make([]Entry, len(rows))
	notes := s.notesOf(table, row.ID)
	for i, r := range rows {
		if out[i], err = entry(r, row.CaseNo, notes); err != nil {
			return nil, err
		}
	}
	return out, notes.audit(ctx, actor)
}

// sealedNotes opens the sealed notes of one table of a case, counting
// them, so the read is audited once with how many were opened.
type sealedNotes struct {
	s             *Service
	table, caseID string
	opened        int
}

func (s *Service) notesOf(table, caseID string) *sealedNotes {
	return &sealedNotes{s: s, table: table, caseID: caseID}
}

// open opens one sealed note; nil is no note.
func (n *sealedNotes) open(sealed []byte) (string, error) {
	if sealed == nil {
		return "", nil
	}
	note, err := n.s.vault.Open(sealed, noteContext(n.table, n.caseID))
	if err != nil {
		return "", fmt.Errorf("open %s note: %w", n.table, err)
	}
	n.opened++
	return note, nil
}

// audit records the read of the notes opened, if any.
func (n *sealedNotes) audit(ctx context.Context, actor access.Actor) error {
	return n.s.auditNotes(ctx, actor, n.caseID, n.table, n.opened)
}

func (s *Service) auditNotes(ctx context.Context, actor access.Actor, caseID, table string, n int) error {
	if n == 0 {
		return nil
	}
	return audit.Record(ctx, s.db.Gorm, audit.Entry{ActorID: actor.UserID, Action: "case.read_notes", ResourceKind: "case",
		ResourceID: caseID, Detail: map[string]any{"table": table, "notes": n}})
}

// dateOf keeps the calendar date of a Jakarta time as a UTC midnight, the
// way a date column is written and read back.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
