package cases

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
)

// MinCell is the fewest PM a published number may stand for (DOMAIN.md
// rule 5: aggregates above caseworker level hide cells of fewer than 5).
const MinCell = 5

// The dimensions of unit aggregates: every month has a row per cluster and
// a row per pillar, each set with its own total.
const (
	ByCluster = "cluster"
	ByPillar  = "pillar"
)

// AllGroups labels a month's total row in unit aggregates.
const AllGroups = "all"

// UnitCell is one group (a cluster, a pillar, or AllGroups) in one month of
// a unit's aggregates. A nil number is suppressed: it stands for fewer than
// MinCell PM, or it would let such a number be derived by subtraction.
type UnitCell struct {
	Month              string `json:"month"`
	Dimension          string `json:"dimension"` // ByCluster or ByPillar
	Group              string `json:"group"`     // the cluster or pillar, or AllGroups
	PM                 *int64 `json:"pm"`
	AttributedSalesIDR *int64 `json:"attributed_sales_idr"`
	NetIncomeIDR       *int64 `json:"net_income_idr"`
	OrdersCompleted    *int64 `json:"orders_completed"`
	PMAtMinWage        *int64 `json:"pm_at_min_wage"`
	PMAbovePovertyLine *int64 `json:"pm_above_poverty_line"`
	Suppressed         bool   `json:"suppressed"`
	Locked             bool   `json:"locked"`
}

// UnitOutcomes is a unit's aggregates by month, by cluster and by pillar.
type UnitOutcomes struct {
	UnitID  string     `json:"unit_id"`
	From    string     `json:"from"`
	To      string     `json:"to"`
	MinCell int        `json:"min_cell"`
	Items   []UnitCell `json:"items"`
}

// cellSum is an unsuppressed cell, before protection.
type cellSum struct {
	Cluster string
	Pillar  string
	PM      int64
	Sales   int64
	Net     int64
	Orders  int64
	AtMW    int64
	AbovePL int64
}

func (c *cellSum) add(o cellSum, sign int64) {
	c.PM += sign * o.PM
	c.Sales += sign * o.Sales
	c.Net += sign * o.Net
	c.Orders += sign * o.Orders
	c.AtMW += sign * o.AtMW
	c.AbovePL += sign * o.AbovePL
}

// groupKey is one cluster x pillar of a month: the finest the sums go.
type groupKey struct{ cluster, pillar string }

// reportingCases is the SQL condition "the case's latest aggregate_reporting
// consent is given": only those PM are counted in aggregates.
const reportingCases = `EXISTS (SELECT 1 FROM (SELECT k.action FROM consents k WHERE k.case_id = c.id AND k.purpose = 'aggregate_reporting'
    ORDER BY k.at DESC, k.id DESC LIMIT 1) k WHERE k.action = 'given')`

// closedMonthsSQL is the latest version of each closed month with the
// consent watermark of its unit sums (0 for a month without sums: then
// every consenting PM is a correction, and the answer is still right).
const closedMonthsSQL = `
v AS (
    SELECT DISTINCT ON (o.month) o.month, o.version, coalesce(k.consent_watermark, 0) AS mark
    FROM outcome_months o LEFT JOIN unit_outcome_marks k ON k.month = o.month AND k.version = o.version
    WHERE o.month BETWEEN @first AND @last ORDER BY o.month, o.version DESC)`

// unitSumsSQL reads the sums made at the close: a few rows a month.
const unitSumsSQL = `WITH ` + closedMonthsSQL + `
SELECT v.month, v.mark, u.cluster, u.pillar, coalesce(u.pm, 0) AS pm, coalesce(u.attributed_sales_idr, 0) AS sales,
    coalesce(u.net_income_idr, 0) AS net, coalesce(u.orders_completed, 0) AS orders,
    coalesce(u.pm_at_min_wage, 0) AS at_mw, coalesce(u.pm_above_poverty_line, 0) AS above_pl
FROM v LEFT JOIN unit_outcome_sums u ON u.unit_id = @unit AND u.month = v.month AND u.version = v.version`

// consentChangesSQL finds the unit's PM whose aggregate_reporting consent
// was recorded after a month's sums were made, with whether they were
// counted then and are to be counted now, and their snapshot of the month.
const consentChangesSQL = `WITH ` + closedMonthsSQL + `,
ch AS (
    SELECT DISTINCT v.month, v.version, v.mark, k.case_id
    -- min_mark is the lowest v.mark, given as a value: the planner then
    -- sees how few consents are that recent (a join alone looks like many).
    FROM v JOIN consents k ON k.purpose = 'aggregate_reporting' AND k.id > v.mark AND k.id > @min_mark)
SELECT ch.month, c.cluster, c.pillar,
    coalesce((SELECT r.action = 'given' FROM consents r WHERE r.case_id = ch.case_id AND r.purpose = 'aggregate_reporting'
        AND r.id <= ch.mark ORDER BY r.at DESC, r.id DESC LIMIT 1), false) AS was,
    coalesce((SELECT r.action = 'given' FROM consents r WHERE r.case_id = ch.case_id AND r.purpose = 'aggregate_reporting'
        ORDER BY r.at DESC, r.id DESC LIMIT 1), false) AS now,
    s.attributed_sales_idr AS sales, s.net_income_idr AS net, s.orders_completed AS orders,
    s.min_wage_bits & 1 AS at_mw, s.poverty_line_bits & 1 AS above_pl
FROM ch
-- By key, one case at a time: few consents change between closes.
CROSS JOIN LATERAL (SELECT c.cluster, c.pillar FROM cases c WHERE c.id = ch.case_id AND c.unit_id = @unit) c
CROSS JOIN LATERAL (SELECT * FROM outcome_snapshots s
    WHERE s.case_id = ch.case_id AND s.month = ch.month AND s.version = ch.version) s`

// unitLiveSQL sums a month not closed yet for a unit's PM: only what the
// aggregates need (sales, refunds, orders, other income, household size and
// the reference rows), so neither buyers nor the month before are read.
// reporting says whether the PM is counted; the rules stay in derive.
const unitLiveSQL = `
WITH c AS (
    SELECT c.id AS case_id, c.cluster, c.pillar, b.province_code, b.regency_code, b.household_size,
        coalesce(r.action = 'given', false) AS reporting
    FROM cases c JOIN beneficiaries b ON b.id = c.beneficiary_id
    -- The latest aggregate_reporting consent, from consents_latest_idx.
    LEFT JOIN LATERAL (SELECT k.action FROM consents k WHERE k.purpose = 'aggregate_reporting' AND k.case_id = c.id
               ORDER BY k.at DESC, k.id DESC LIMIT 1) r ON true
    WHERE c.unit_id = @unit AND c.opened_on < @month_end AND (c.closed_on IS NULL OR c.closed_on >= @month)
),` + referenceCTEs + `,
ev AS (
    -- Kept by the database with the events (migration 00020).
    SELECT m.case_id, m.sales_idr AS sales, m.refunds_idr AS refunds, m.orders
    FROM case_month_sales m WHERE m.month = @month AND m.unit_id = @unit
),` + incomeCTEs + `
SELECT c.case_id, c.cluster, c.pillar, c.reporting,
    coalesce(ev.sales, 0) AS sales, coalesce(ev.refunds, 0) AS refunds, coalesce(ev.orders, 0) AS orders,
    coalesce(inc.other, 0) AS other, coalesce(hh.size, c.household_size) AS household_size,
    mw.amount_idr AS mw_idr, pl.amount_idr AS pl_idr
FROM c
LEFT JOIN ev ON ev.case_id = c.case_id
LEFT JOIN inc ON inc.case_id = c.case_id
LEFT JOIN hh ON hh.case_id = c.case_id
LEFT JOIN mw ON mw.province_code = c.province_code AND mw.regency_code = c.regency_code
LEFT JOIN pl ON pl.province_code = c.province_code`

// UnitOutcomes aggregates the indicators of a unit's PM by month, by
// cluster and by pillar (by default the last 12 months), counting only PM
// who consented to aggregate reporting, with small cells suppressed.
// Closed months are read from the sums made at the close, corrected for
// consents recorded since; the months not closed yet are summed live.
func (s *Service) UnitOutcomes(ctx context.Context, actor access.Actor, unitID, from, to string) (UnitOutcomes, error) {
	now := s.now()
	if err := access.Can(actor, access.ReadUnitOutcomes, access.Resource{UnitID: unitID}, now); err != nil {
		return UnitOutcomes{}, err
	}
	first, last, err := monthRange(now, from, to)
	if err != nil {
		return UnitOutcomes{}, err
	}
	out := UnitOutcomes{UnitID: unitID, From: first.String(), To: last.String(), MinCell: MinCell, Items: []UnitCell{}}
	if last.before(first) {
		return out, nil
	}
	db := s.db.Gorm.WithContext(ctx)
	sums := map[string]map[groupKey]cellSum{}
	closedMonths := map[string]bool{}
	at := func(month time.Time) map[groupKey]cellSum {
		m := month.Format("2006-01")
		if sums[m] == nil {
			sums[m] = map[groupKey]cellSum{}
		}
		return sums[m]
	}
	args := map[string]any{"first": first.date(), "last": last.date(), "unit": unitID}
	var closed []struct {
		Month                                 time.Time
		Mark                                  int64
		Cluster, Pillar                       *string
		PM, Sales, Net, Orders, AtMW, AbovePL int64
	}
	if err := db.Raw(unitSumsSQL, args).Scan(&closed).Error; err != nil {
		return out, fmt.Errorf("unit outcomes: %w", err)
	}
	minMark := int64(-1)
	for _, c := range closed {
		if minMark < 0 || c.Mark < minMark {
			minMark = c.Mark
		}
		closedMonths[c.Month.Format("2006-01")] = true
		cells := at(c.Month)
		if c.Cluster == nil {
			continue // closed, with nobody of this unit counted then
		}
		k := groupKey{*c.Cluster, *c.Pillar}
		cell := cells[k]
		cell.add(cellSum{PM: c.PM, Sales: c.Sales, Net: c.Net, Orders: c.Orders, AtMW: c.AtMW, AbovePL: c.AbovePL}, 1)
		cells[k] = cell
	}
	var changes []struct {
		Month           time.Time
		Cluster, Pillar string
		Was, Now        bool
		Sales, Net      int64
		Orders          int64
		AtMW, AbovePL   int64
	}
	if len(closed) > 0 {
		args["min_mark"] = minMark
		if err := db.Raw(consentChangesSQL, args).Scan(&changes).Error; err != nil {
			return out, fmt.Errorf("consents since the close: %w", err)
		}
	}
	for _, c := range changes {
		if c.Was == c.Now {
			continue
		}
		sign := int64(1)
		if c.Was {
			sign = -1
		}
		k := groupKey{c.Cluster, c.Pillar}
		cells := at(c.Month)
		cell := cells[k]
		cell.add(cellSum{PM: 1, Sales: c.Sales, Net: c.Net, Orders: c.Orders, AtMW: c.AtMW, AbovePL: c.AbovePL}, sign)
		cells[k] = cell
	}
	// Months not closed yet: the same rules as a PM's live month, summed
	// for the unit's PM in one statement a month.
	set := s.settings()
	for m := first; !last.before(m); m = m.next() {
		if closedMonths[m.String()] {
			continue
		}
		cells, err := s.unitLiveMonth(ctx, m, unitID, set)
		if err != nil {
			return out, err
		}
		sums[m.String()] = cells
	}
	for m := first; !last.before(m); m = m.next() {
		byCluster, byPillar := map[string]cellSum{}, map[string]cellSum{}
		for k, c := range sums[m.String()] {
			x := byCluster[k.cluster]
			x.add(c, 1)
			byCluster[k.cluster] = x
			y := byPillar[k.pillar]
			y.add(c, 1)
			byPillar[k.pillar] = y
		}
		locked := closedMonths[m.String()]
		out.Items = append(out.Items, protectMonth(m.String(), ByCluster, clusterNames(), byCluster, locked)...)
		out.Items = append(out.Items, protectMonth(m.String(), ByPillar, pillars, byPillar, locked)...)
	}
	return out, nil
}

// unitLiveMonth sums month m (not closed) for the consenting PM of a unit,
// by cluster and pillar, through derive like any live month.
func (s *Service) unitLiveMonth(ctx context.Context, m monthSpan, unitID string, set OutcomeSettings) (map[groupKey]cellSum, error) {
	args := map[string]any{
		"unit": unitID, "month": m.date(), "month_end": m.next().date(),
		"start": m.start.UTC(), "end": m.end().UTC(), "year": m.start.Year(), "period": m.String(),
	}
	rows, err := s.db.Gorm.WithContext(ctx).Raw(unitLiveSQL, args).Rows()
	if err != nil {
		return nil, fmt.Errorf("sum month %s for unit: %w", m, err)
	}
	defer rows.Close()
	asOf := m.end()
	if now := s.now(); now.Before(asOf) {
		asOf = now
	}
	cells := map[groupKey]cellSum{}
	for rows.Next() {
		var b baseRow
		var k groupKey
		var reporting bool
		if err := rows.Scan(&b.CaseID, &k.cluster, &k.pillar, &reporting, &b.Sales, &b.Refunds, &b.Orders, &b.Other,
			&b.HouseholdSize, &b.MwIDR, &b.PlIDR); err != nil {
			return nil, fmt.Errorf("sum month %s for unit: %w", m, err)
		}
		if !reporting {
			continue
		}
		// The threshold bits of this month need nothing of the month before.
		o := derive(m, b, nil, set, asOf)
		c := cells[k]
		c.add(cellSum{PM: 1, Sales: int64(o.AttributedSalesIDR), Net: int64(o.NetIncomeIDR), Orders: int64(o.OrdersCompleted),
			AtMW: int64(o.mwBits & 1), AbovePL: int64(o.plBits & 1)}, 1)
		cells[k] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sum month %s for unit: %w", m, err)
	}
	return cells, nil
}

func clusterNames() []string {
	names := make([]string, len(clusters))
	for i, c := range clusters {
		names[i] = string(c)
	}
	return names
}

// protectMonth makes the published cells of one month in one dimension:
// each group (names) and the total. A count of people is shown only when
// it is 0 or at least MinCell and so is its complement in the cell; where
// one group would be hidden alone, the next smallest is hidden too, so the
// total cannot give it away by subtraction. The total is the same in both
// dimensions and each is protected against it.
func protectMonth(month, dimension string, names []string, sums map[string]cellSum, locked bool) []UnitCell {
	var total cellSum
	cells := make([]cellSum, len(names), len(names)+1)
	for i, n := range names {
		cells[i] = sums[n]
		total.add(cells[i], 1)
	}
	names = append(names[:len(names):len(names)], AllGroups)
	cells = append(cells, total)

	small := func(n int64) bool { return n > 0 && n < MinCell }
	// hidden[i] hides the whole cell; the sub-counts are protected apart.
	hidden := protect(cells, func(c cellSum) int64 { return c.PM }, func(c cellSum) bool { return small(c.PM) }, nil)
	mw := protect(cells, func(c cellSum) int64 { return c.AtMW }, func(c cellSum) bool { return small(c.AtMW) || small(c.PM-c.AtMW) }, hidden)
	pl := protect(cells, func(c cellSum) int64 { return c.AbovePL }, func(c cellSum) bool { return small(c.AbovePL) || small(c.PM-c.AbovePL) }, hidden)

	out := make([]UnitCell, len(cells))
	for i, c := range cells {
		u := UnitCell{Month: month, Dimension: dimension, Group: names[i], Locked: locked, Suppressed: hidden[i]}
		if !hidden[i] {
			u.PM, u.AttributedSalesIDR, u.NetIncomeIDR, u.OrdersCompleted = ptr(c.PM), ptr(c.Sales), ptr(c.Net), ptr(c.Orders)
		}
		if !mw[i] {
			u.PMAtMinWage = ptr(c.AtMW)
		}
		if !pl[i] {
			u.PMAbovePovertyLine = ptr(c.AbovePL)
		}
		out[i] = u
	}
	return out
}

// protect decides which of cells (the clusters, then the total last) hide
// a number: those primary says are small, those already hidden by base,
// and a second cluster where one would be hidden alone beside a shown total.
func protect(cells []cellSum, value func(cellSum) int64, primary func(cellSum) bool, base []bool) []bool {
	n := len(cells) - 1 // the last is the total
	hidden := make([]bool, len(cells))
	count := 0
	for i, c := range cells {
		hidden[i] = primary(c) || (base != nil && base[i])
		if hidden[i] && i < n {
			count++
		}
	}
	if count == 1 && !hidden[n] {
		pick := -1
		for i := 0; i < n; i++ {
			if !hidden[i] && cells[i].PM > 0 && (pick < 0 || value(cells[i]) < value(cells[pick])) {
				pick = i
			}
		}
		if pick >= 0 {
			hidden[pick] = true
		} else {
			hidden[n] = true
		}
	}
	return hidden
}

func ptr(v int64) *int64 { return &v }

// monthRange reads from and to (YYYY-MM, inclusive), by default the last 12
// months to the current one, and caps to at the current month.
func monthRange(now time.Time, from, to string) (monthSpan, monthSpan, error) {
	current := monthOf(now)
	last, first := current, monthSpan{current.start.AddDate(0, -11, 0)}
	v := &domain.ValidationError{}
	if to != "" {
		t, ok := ParseMonth(to)
		if !ok {
			v.Add("to", "field.month")
		}
		last = monthSpan{t}
		if from == "" {
			first = monthSpan{t.AddDate(0, -11, 0)}
		}
	}
	if from != "" {
		f, ok := ParseMonth(from)
		if !ok {
			v.Add("from", "field.month")
		}
		first = monthSpan{f}
	}
	if err := v.Err(); err != nil {
		return first, last, err
	}
	if current.before(last) {
		last = current
	}
	if n := (last.start.Year()-first.start.Year())*12 + int(last.start.Month()-first.start.Month()) + 1; n > maxOutcomeMonths {
		return first, last, domain.Invalid("from", "cases.outcomes.span", maxOutcomeMonths)
	}
	return first, last, nil
}

// unitTable is the aggregates as rows of text for the exports; a
// suppressed number is an empty cell.
func unitTable(u UnitOutcomes) [][]any {
	rows := [][]any{{"month", "dimension", "group", "pm", "attributed_sales_idr", "net_income_idr", "orders_completed",
		"pm_at_min_wage", "pm_above_poverty_line", "suppressed", "locked"}}
	num := func(p *int64) any {
		if p == nil {
			return ""
		}
		return *p
	}
	for _, c := range u.Items {
		rows = append(rows, []any{c.Month, c.Dimension, c.Group, num(c.PM), num(c.AttributedSalesIDR), num(c.NetIncomeIDR), num(c.OrdersCompleted),
			num(c.PMAtMinWage), num(c.PMAbovePovertyLine), c.Suppressed, c.Locked})
	}
	return rows
}

// UnitOutcomesCSV is UnitOutcomes as CSV.
func UnitOutcomesCSV(u UnitOutcomes) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, r := range unitTable(u) {
		rec := make([]string, len(r))
		for i, v := range r {
			switch v := v.(type) {
			case int64:
				rec[i] = strconv.FormatInt(v, 10)
			default:
				rec[i] = fmt.Sprint(v)
			}
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// UnitOutcomesXLSX is UnitOutcomes as a spreadsheet, numbers as numbers.
func UnitOutcomesXLSX(u UnitOutcomes) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	for i, r := range unitTable(u) {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return nil, err
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	return buf.Bytes(), nil
}
