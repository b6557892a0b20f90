package cases

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

type snapshotRow struct {
	CaseID                 string
	Month                  time.Time
	Version                int
	ComputationVersion     int
	AttributedSalesIDR     int64 `gorm:"column:attributed_sales_idr"`
	RefundsIDR             int64 `gorm:"column:refunds_idr"`
	NetIncomeIDR           int64 `gorm:"column:net_income_idr"`
	NetIncomeVerifiedIDR   int64 `gorm:"column:net_income_verified_idr"`
	OtherIncomeIDR         int64 `gorm:"column:other_income_idr"`
	OtherIncomeVerifiedIDR int64 `gorm:"column:other_income_verified_idr"`
	BansosIDR              int64 `gorm:"column:bansos_idr"`
	IndependentIncomeIDR   int64 `gorm:"column:independent_income_idr"`
	HouseholdSize          int
	MinimumWageID          *int64
	MinimumWageIDR         *int64 `gorm:"column:minimum_wage_idr"`
	PovertyLineID          *int64
	PovertyLineIDR         *int64 `gorm:"column:poverty_line_idr"`
	MinWageRatio           *float64
	PovertyLineRatio       *float64
	MinWageStreak          int
	PovertyLineStreak      int
	MinWageBits            int
	PovertyLineBits        int
	OrdersCompleted        int
	ActiveListings         *int
	UniqueBuyers           int
	RepeatBuyers           int
	AssistedOrders         int
	OnTimeOrders           int
	ShippedOrders          int
	LastSaleAt             *time.Time
	NoSaleSince            *time.Time
	NoSaleDue              bool
	GraduationDue          bool
	ClosedAt               time.Time
}

func (snapshotRow) TableName() string { return "outcome_snapshots" }

func snapshotOf(o Outcome, m monthSpan, version int, at time.Time) snapshotRow {
	return snapshotRow{CaseID: o.caseID, Month: m.date(), Version: version, ComputationVersion: o.ComputationVersion,
		AttributedSalesIDR: int64(o.AttributedSalesIDR), RefundsIDR: int64(o.RefundsIDR), NetIncomeIDR: int64(o.NetIncomeIDR),
		NetIncomeVerifiedIDR: int64(o.NetIncomeVerifiedIDR), OtherIncomeIDR: int64(o.OtherIncomeIDR),
		OtherIncomeVerifiedIDR: int64(o.OtherIncomeVerifiedIDR), BansosIDR: int64(o.BansosIDR), IndependentIncomeIDR: int64(o.IndependentIncomeIDR),
		HouseholdSize: o.HouseholdSize, MinimumWageID: o.MinimumWageID, MinimumWageIDR: o.MinimumWageIDR,
		PovertyLineID: o.PovertyLineID, PovertyLineIDR: o.PovertyLineIDR, MinWageRatio: o.MinWageRatio, PovertyLineRatio: o.PovertyLineRatio,
		MinWageStreak: o.StreakMonths, PovertyLineStreak: o.PovertyStreakMonths, MinWageBits: o.mwBits, PovertyLineBits: o.plBits,
		OrdersCompleted: o.OrdersCompleted, ActiveListings: o.ActiveListings, UniqueBuyers: o.UniqueBuyers, RepeatBuyers: o.RepeatBuyers, AssistedOrders: o.AssistedOrders,
		OnTimeOrders: o.OnTimeOrders, ShippedOrders: o.ShippedOrders, LastSaleAt: o.lastSaleAt, NoSaleSince: o.noSaleSince,
		NoSaleDue: o.NoSaleDue, GraduationDue: o.GraduationDue, ClosedAt: at}
}

func (r snapshotRow) outcome() Outcome {
	o := Outcome{Month: r.Month.Format("2006-01"), caseID: r.CaseID, ComputationVersion: r.ComputationVersion, Version: r.Version, Locked: true,
		AttributedSalesIDR: domain.IDR(r.AttributedSalesIDR), RefundsIDR: domain.IDR(r.RefundsIDR), NetIncomeIDR: domain.IDR(r.NetIncomeIDR),
		NetIncomeVerifiedIDR: domain.IDR(r.NetIncomeVerifiedIDR), OtherIncomeIDR: domain.IDR(r.OtherIncomeIDR),
		OtherIncomeVerifiedIDR: domain.IDR(r.OtherIncomeVerifiedIDR), BansosIDR: domain.IDR(r.BansosIDR),
		IndependentIncomeIDR: domain.IDR(r.IndependentIncomeIDR), HouseholdSize: r.HouseholdSize,
		MinimumWageID: r.MinimumWageID, MinimumWageIDR: r.MinimumWageIDR, PovertyLineID: r.PovertyLineID, PovertyLineIDR: r.PovertyLineIDR,
		MinWageRatio: r.MinWageRatio, PovertyLineRatio: r.PovertyLineRatio, StreakMonths: r.MinWageStreak, PovertyStreakMonths: r.PovertyLineStreak,
		OrdersCompleted: r.OrdersCompleted, ActiveListings: r.ActiveListings, UniqueBuyers: r.UniqueBuyers, RepeatBuyers: r.RepeatBuyers, AssistedOrders: r.AssistedOrders,
		OnTimeOrders: r.OnTimeOrders, ShippedOrders: r.ShippedOrders, GraduationDue: r.GraduationDue, NoSaleDue: r.NoSaleDue,
		mwBits: r.MinWageBits, plBits: r.PovertyLineBits, lastSaleAt: r.LastSaleAt, noSaleSince: r.NoSaleSince}
	o.MinWageMonths6, o.MinWageMonths12 = countBits(r.MinWageBits&0x3f), countBits(r.MinWageBits)
	o.PovertyMonths6, o.PovertyMonths12 = countBits(r.PovertyLineBits&0x3f), countBits(r.PovertyLineBits)
	return o
}

func countBits(b int) int {
	n := 0
	for ; b != 0; b &= b - 1 {
		n++
	}
	return n
}

// snapshots loads the latest version of each closed month of a case.
func (s *Service) snapshots(ctx context.Context, caseID string, from, to monthSpan) (map[string]Outcome, error) {
	var rows []snapshotRow
	if err := s.db.Gorm.WithContext(ctx).Raw(`SELECT DISTINCT ON (month) * FROM outcome_snapshots
		WHERE case_id = ? AND month BETWEEN ? AND ? ORDER BY month, version DESC`, caseID, from.date(), to.date()).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read snapshots: %w", err)
	}
	out := make(map[string]Outcome, len(rows))
	for _, r := range rows {
		out[r.Month.Format("2006-01")] = r.outcome()
	}
	return out, nil
}

// ErrMonthOpen is returned when asked to close a month that is not over.
var ErrMonthOpen = fmt.Errorf("the month is not over yet: %w", domain.ErrConflict)

// CloseResult says what a close did.
type CloseResult struct {
	Month   string `json:"month"`
	Version int    `json:"version"`
	Cases   int    `json:"cases"`
	Skipped bool   `json:"skipped"` // already closed, nothing done
}

// Recompute closes month again as a new version, for an admin who says why
// (a corrected reference figure, a late income entry); the earlier version
// stays as it was. The reason is kept in the audit log.
func (s *Service) Recompute(ctx context.Context, actor access.Actor, month, reason string) (CloseResult, error) {
	if err := access.Can(actor, access.RecomputeMonth, access.Resource{}, s.now()); err != nil {
		return CloseResult{}, err
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) < 10 {
		return CloseResult{}, domain.Invalid("reason", "cases.recount.reason")
	}
	res, err := s.CloseMonth(ctx, month, true, reason)
	if err != nil {
		return res, err
	}
	return res, audit.Record(ctx, s.db.Gorm, audit.Entry{ActorID: actor.UserID, Action: string(access.RecomputeMonth),
		ResourceKind: "outcome_month", ResourceID: res.Month, Detail: map[string]any{"reason": reason, "version": res.Version}})
}

// CloseMonth locks month (YYYY-MM) into snapshots for every case open in
// it, in one transaction with its case events: month_closed for each case,
// and threshold_crossed / threshold_lost, graduation_due and no_sale_60d
// where due. A month already closed is left alone unless recompute, which
// adds a new version (with month_closed events, and no threshold events:
// those were raised by the first close). The sums are set-based SQL over
// all cases at once; derive applies the rules to each row in memory.
func (s *Service) CloseMonth(ctx context.Context, month string, recompute bool, reason string) (CloseResult, error) {
	t, ok := ParseMonth(month)
	if !ok {
		return CloseResult{}, domain.Invalid("month", "field.month")
	}
	m := monthSpan{t}
	now := s.now()
	if now.Before(m.end()) {
		return CloseResult{}, ErrMonthOpen
	}
	res := CloseResult{Month: m.String()}
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		db := tx.DB.WithContext(ctx)
		// The pool's 30 s statement timeout is for requests; a close sums a
		// month for every PM, so it gets longer (the job itself has 30 min).
		if err := db.Exec("SET LOCAL statement_timeout = '10min'").Error; err != nil {
			return err
		}
		// One closer per month at a time, across workers.
		if err := db.Exec("SELECT pg_advisory_xact_lock(hashtext('outcome_close'), ?)", m.start.Year()*100+int(m.start.Month())).Error; err != nil {
			return err
		}
		var version int
		if err := db.Raw("SELECT coalesce(max(version), 0) FROM outcome_months WHERE month = ?", m.date()).Scan(&version).Error; err != nil {
			return err
		}
		if version > 0 && !recompute {
			res.Version, res.Skipped = version, true
			return nil
		}
		version++
		res.Version = version
		rows, err := sumMonth(ctx, tx.DB, m, "")
		if err != nil {
			return err
		}
		listings, err := s.closeListings(ctx, tx, m, version)
		if err != nil {
			return err
		}
		at := now.UTC()
		set := s.settings()
		snaps := make([]snapshotRow, len(rows))
		for i, b := range rows {
			b.Listings = listings(b.CaseID)
			snaps[i] = snapshotOf(derive(m, b, b.carried(), set, m.end()), m, version, at)
		}
		res.Cases = len(snaps)
		if len(snaps) > 0 {
			// 35 columns a row: 1500 rows keep a statement under PostgreSQL's
			// 65535 parameters.
			if err := db.CreateInBatches(snaps, 1500).Error; err != nil {
				return fmt.Errorf("write snapshots: %w", err)
			}
		}
		if err := db.Exec(`INSERT INTO outcome_months (month, version, computation_version, cases, closed_at, reason) VALUES (?, ?, ?, ?, ?, ?)`,
			m.date(), version, ComputationVersion, len(snaps), at, reason).Error; err != nil {
			return fmt.Errorf("record close: %w", err)
		}
		if err := closeEvents(ctx, tx, m, version, at); err != nil {
			return err
		}
		return closeUnitSums(ctx, tx, m, version)
	})
	return res, err
}

// closeListings gives each case's active listings for a close of month m:
// counted now by the first close, which runs as the month ends; a
// recomputation keeps what the first close counted, since the count of
// back then cannot be rebuilt (nil where it had none).
func (s *Service) closeListings(ctx context.Context, tx *storage.Tx, m monthSpan, version int) (func(caseID string) *int, error) {
	if version > 1 {
		var kept []struct {
			CaseID         string
			ActiveListings *int
		}
		if err := tx.DB.WithContext(ctx).Raw("SELECT case_id, active_listings FROM outcome_snapshots WHERE month = ? AND version = 1",
			m.date()).Scan(&kept).Error; err != nil {
			return nil, fmt.Errorf("listings of the first close: %w", err)
		}
		byCase := make(map[string]*int, len(kept))
		for _, k := range kept {
			byCase[k.CaseID] = k.ActiveListings
		}
		return func(id string) *int { return byCase[id] }, nil
	}
	counts, err := s.activeListings(ctx, tx.DB, nil)
	if err != nil {
		return nil, err
	}
	return func(id string) *int {
		n := counts[id]
		return &n
	}, nil
}

// lockConsents serialises recording consents (shared: they run side by
// side) with reading their watermark (exclusive). Consent ids come from a
// sequence and commit in any order; under the exclusive lock every id at or
// below the highest is committed, so a watermark never skips one.
func lockConsents(ctx context.Context, tx *storage.Tx, exclusive bool) error {
	q := "SELECT pg_advisory_xact_lock_shared(hashtext('consents'))"
	if exclusive {
		q = "SELECT pg_advisory_xact_lock(hashtext('consents'))"
	}
	if err := tx.DB.WithContext(ctx).Exec(q).Error; err != nil {
		return fmt.Errorf("lock consents: %w", err)
	}
	return nil
}

// closeUnitSums sums the month's new snapshots by unit, cluster and pillar
// over the PM whose aggregate_reporting consent is given, and records the
// last consent it saw: unit dashboards read these few rows and apply only
// the consents recorded since. It runs last, so consents wait for it only
// briefly.
func closeUnitSums(ctx context.Context, tx *storage.Tx, m monthSpan, version int) error {
	if err := lockConsents(ctx, tx, true); err != nil {
		return err
	}
	db := tx.DB.WithContext(ctx)
	args := map[string]any{"month": m.date(), "version": version}
	if err := db.Exec(`INSERT INTO unit_outcome_marks (month, version, consent_watermark)
		SELECT @month, @version, coalesce(max(id), 0) FROM consents`, args).Error; err != nil {
		return fmt.Errorf("unit sums: %w", err)
	}
	if err := db.Exec(`
INSERT INTO unit_outcome_sums (month, version, unit_id, cluster, pillar, pm, attributed_sales_idr, net_income_idr,
    orders_completed, pm_at_min_wage, pm_above_poverty_line)
SELECT s.month, s.version, c.unit_id, c.cluster, c.pillar, count(*), sum(s.attributed_sales_idr), sum(s.net_income_idr),
    sum(s.orders_completed), count(*) FILTER (WHERE s.min_wage_bits & 1 = 1), count(*) FILTER (WHERE s.poverty_line_bits & 1 = 1)
FROM outcome_snapshots s
JOIN cases c ON c.id = s.case_id
WHERE s.month = @month AND s.version = @version AND `+reportingCases+`
GROUP BY 1, 2, 3, 4, 5`, args).Error; err != nil {
		return fmt.Errorf("unit sums: %w", err)
	}
	return nil
}

// closeEvents writes the case events of a close from its snapshots, in SQL:
// one statement per event type, however many cases.
func closeEvents(ctx context.Context, tx *storage.Tx, m monthSpan, version int, at time.Time) error {
	db := tx.DB.WithContext(ctx)
	args := map[string]any{"month": m.date(), "version": version, "at": at, "label": m.String()}
	stmts := []string{`
INSERT INTO case_events (case_id, type, occurred_at, data)
SELECT s.case_id, 'month_closed', @at, jsonb_build_object(
    'month', CAST(@label AS text), 'version', s.version, 'computation_version', s.computation_version,
    'attributed_sales_idr', s.attributed_sales_idr, 'refunds_idr', s.refunds_idr,
    'net_income_idr', s.net_income_idr, 'net_income_verified_idr', s.net_income_verified_idr,
    'other_income_idr', s.other_income_idr, 'independent_income_idr', s.independent_income_idr,
    'min_wage_ratio', s.min_wage_ratio, 'poverty_line_ratio', s.poverty_line_ratio,
    'streak_months', s.min_wage_streak, 'poverty_line_streak_months', s.poverty_line_streak,
    'orders_completed', s.orders_completed, 'active_listings', s.active_listings, 'unique_buyers', s.unique_buyers, 'repeat_buyers', s.repeat_buyers,
    'minimum_wage_id', s.minimum_wage_id::text, 'poverty_line_id', s.poverty_line_id::text)
FROM outcome_snapshots s WHERE s.month = @month AND s.version = @version`}
	if version == 1 {
		stmts = append(stmts, `
INSERT INTO case_events (case_id, type, occurred_at, data)
SELECT s.case_id, CASE WHEN t.now_met THEN 'threshold_crossed' ELSE 'threshold_lost' END, @at,
    jsonb_build_object('month', CAST(@label AS text), 'threshold', t.name, 'ratio', t.ratio)
FROM outcome_snapshots s
CROSS JOIN LATERAL (VALUES
    ('minimum_wage', s.min_wage_bits & 1 = 1, s.min_wage_bits & 2 = 2, s.min_wage_ratio),
    ('poverty_line', s.poverty_line_bits & 1 = 1, s.poverty_line_bits & 2 = 2, s.poverty_line_ratio)) AS t(name, now_met, was_met, ratio)
WHERE s.month = @month AND s.version = @version AND t.now_met <> t.was_met`, `
INSERT INTO case_events (case_id, type, occurred_at, data)
SELECT s.case_id, 'graduation_due', @at, jsonb_build_object('month', CAST(@label AS text), 'streak_months', s.min_wage_streak)
FROM outcome_snapshots s WHERE s.month = @month AND s.version = @version AND s.graduation_due`, `
INSERT INTO case_events (case_id, type, occurred_at, data)
SELECT s.case_id, 'no_sale_60d', @at, jsonb_build_object('month', CAST(@label AS text), 'since', s.no_sale_since)
FROM outcome_snapshots s WHERE s.month = @month AND s.version = @version AND s.no_sale_due`)
	}
	for _, q := range stmts {
		if err := db.Exec(q, args).Error; err != nil {
			return fmt.Errorf("close events: %w", err)
		}
	}
	return nil
}

// maxCatchUp bounds how many months a first close goes back.
const maxCatchUp = 24

// CloseDue closes every past month not closed yet, oldest first: after a
// missed run (a worker down on the 1st) the next run catches up. It
// returns what it closed.
func (s *Service) CloseDue(ctx context.Context) ([]CloseResult, error) {
	now := s.now()
	current := monthOf(now)
	lastClosed, err := monthAt(ctx, s.db.Gorm, "SELECT max(month) FROM outcome_months")
	if err != nil {
		return nil, err
	}
	var from monthSpan
	if lastClosed != nil {
		from = lastClosed.next()
	} else {
		first, err := monthAt(ctx, s.db.Gorm, "SELECT min(opened_on) FROM cases")
		if err != nil || first == nil {
			return nil, err
		}
		from = *first
	}
	if floor := (monthSpan{current.start.AddDate(0, -maxCatchUp, 0)}); from.before(floor) {
		from = floor
	}
	var out []CloseResult
	for m := from; m.before(current); m = m.next() {
		r, err := s.CloseMonth(ctx, m.String(), false, "monthly close")
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// CloseMonthsArgs is the job that closes past months (periodic, on the 1st).
type CloseMonthsArgs struct{}

// Kind names the job in the queue.
func (CloseMonthsArgs) Kind() string { return "close_outcome_months" }

// CloseMonthsTimeout gives a close room: the queue's default minute is too
// short for every case of a big deployment.
const CloseMonthsTimeout = 30 * time.Minute

// MonthlySchedule fires at 00:10 Asia/Jakarta on the 1st of each month,
// when the month before is over everywhere in Indonesia's WIB.
type MonthlySchedule struct{}

// Next is the first firing after t.
func (MonthlySchedule) Next(t time.Time) time.Time {
	j := t.In(domain.Jakarta)
	n := time.Date(j.Year(), j.Month(), 1, 0, 10, 0, 0, domain.Jakarta)
	if !n.After(t) {
		n = n.AddDate(0, 1, 0)
	}
	return n
}

// monthAt runs a query answering one date (or NULL) and gives its month.
func monthAt(ctx context.Context, db *gorm.DB, q string, args ...any) (*monthSpan, error) {
	var d sql.NullTime
	if err := db.WithContext(ctx).Raw(q, args...).Row().Scan(&d); err != nil {
		return nil, fmt.Errorf("month of %q: %w", q, err)
	}
	if !d.Valid {
		return nil, nil
	}
	m := monthSpan{time.Date(d.Time.Year(), d.Time.Month(), 1, 0, 0, 0, 0, domain.Jakarta)}
	return &m, nil
}
