package cases

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
)

// caseExportColumns are the columns of the per-case export, in order. A PM
// is named by case number only: never a legal name, a NIK, or anything of
// a buyer (buyers are counts here).
var caseExportColumns = []string{"case_no", "month", "version", "computation_version",
	"attributed_sales_idr", "refunds_idr", "net_income_idr", "net_income_verified_idr",
	"other_income_idr", "other_income_verified_idr", "independent_income_idr", "household_size",
	"minimum_wage_idr", "min_wage_ratio", "poverty_line_idr", "poverty_line_ratio",
	"streak_months", "poverty_line_streak_months", "min_wage_months_6", "min_wage_months_12",
	"poverty_line_months_6", "poverty_line_months_12", "orders_completed", "active_listings", "unique_buyers", "repeat_buyers",
	"assisted_orders", "shipped_orders", "on_time_orders", "graduation_due", "no_sale_60d"}

// CaseOutcomesCSV is the per-case export for the ministry's case-management
// system: one row per PM per closed month from from to to (YYYY-MM; by
// default the last 12 months), each month's latest locked snapshot, only
// for the unit's PM whose latest data_bridge_to_case_record consent is
// given, and only cases the actor may open (tiers respected: a case the
// actor may not open is left out, as in the caseload). Months not closed
// yet are left out: the ministry receives locked figures only.
func (s *Service) CaseOutcomesCSV(ctx context.Context, actor access.Actor, unitID, from, to string) ([]byte, error) {
	now := s.now()
	if err := access.Can(actor, access.ReadUnitOutcomes, access.Resource{UnitID: unitID}, now); err != nil {
		return nil, err
	}
	first, last, err := monthRange(now, from, to)
	if err != nil {
		return nil, err
	}
	db := s.db.Gorm.WithContext(ctx)
	const bridged = `SELECT c.* FROM cases c WHERE c.unit_id = @unit AND (SELECT k.action FROM consents k
		WHERE k.case_id = c.id AND k.purpose = @purpose ORDER BY k.at DESC, k.id DESC LIMIT 1) = 'given'`
	args := map[string]any{"unit": unitID, "purpose": PurposeDataBridge, "first": first.date(), "last": last.date()}
	var rows []caseRow
	if err := db.Raw(bridged+" ORDER BY c.case_no", args).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("case export: %w", err)
	}
	allowed := make([]caseRow, 0, len(rows))
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		res, err := s.resourceFor(ctx, actor, r)
		if err != nil {
			return nil, err
		}
		if access.Can(actor, access.ReadOutcomes, res, now) == nil {
			allowed, ids = append(allowed, r), append(ids, r.ID)
		}
	}
	// The file leaves the platform: who took which cases' figures is kept.
	if err := audit.Record(ctx, db, audit.Entry{ActorID: actor.UserID, Action: "unit.export_case_outcomes", ResourceKind: "unit", ResourceID: unitID,
		Detail: map[string]any{"from": first.String(), "to": last.String(), "case_ids": ids}}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(caseExportColumns); err != nil {
		return nil, err
	}
	var snaps []snapshotRow
	if len(allowed) > 0 && !last.before(first) {
		if err := db.Raw(`SELECT DISTINCT ON (s.case_id, s.month) s.* FROM outcome_snapshots s
			WHERE s.case_id IN (SELECT id FROM (`+bridged+`) b) AND s.month BETWEEN @first AND @last
			ORDER BY s.case_id, s.month, s.version DESC`, args).Scan(&snaps).Error; err != nil {
			return nil, fmt.Errorf("case export snapshots: %w", err)
		}
	}
	// By case number, then month: the snapshots come by case id.
	byCase := map[string][]snapshotRow{}
	for _, r := range snaps {
		byCase[r.CaseID] = append(byCase[r.CaseID], r)
	}
	for _, c := range allowed {
		for _, r := range byCase[c.ID] {
			o := r.outcome()
			if err := w.Write(caseExportRecord(c.CaseNo, o)); err != nil {
				return nil, err
			}
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func caseExportRecord(caseNo string, o Outcome) []string {
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	optInt := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	opt := func(p *int64) string {
		if p == nil {
			return ""
		}
		return i(*p)
	}
	ratio := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', 4, 64)
	}
	return []string{caseNo, o.Month, strconv.Itoa(o.Version), strconv.Itoa(o.ComputationVersion),
		i(int64(o.AttributedSalesIDR)), i(int64(o.RefundsIDR)), i(int64(o.NetIncomeIDR)), i(int64(o.NetIncomeVerifiedIDR)),
		i(int64(o.OtherIncomeIDR)), i(int64(o.OtherIncomeVerifiedIDR)), i(int64(o.IndependentIncomeIDR)), strconv.Itoa(o.HouseholdSize),
		opt(o.MinimumWageIDR), ratio(o.MinWageRatio), opt(o.PovertyLineIDR), ratio(o.PovertyLineRatio),
		strconv.Itoa(o.StreakMonths), strconv.Itoa(o.PovertyStreakMonths), strconv.Itoa(o.MinWageMonths6), strconv.Itoa(o.MinWageMonths12),
		strconv.Itoa(o.PovertyMonths6), strconv.Itoa(o.PovertyMonths12), strconv.Itoa(o.OrdersCompleted), optInt(o.ActiveListings), strconv.Itoa(o.UniqueBuyers),
		strconv.Itoa(o.RepeatBuyers), strconv.Itoa(o.AssistedOrders), strconv.Itoa(o.ShippedOrders), strconv.Itoa(o.OnTimeOrders),
		strconv.FormatBool(o.GraduationDue), strconv.FormatBool(o.NoSaleDue)}
}
