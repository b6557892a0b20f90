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

// AllClusters labels a month's total row in unit aggregates.
const AllClusters = "all"

// UnitCell is one cluster (or AllClusters) in one month of a unit's
// aggregates. A nil number is suppressed: it stands for fewer than MinCell
// PM, or it would let such a number be derived by subtraction.
type UnitCell struct {
	Month              string `json:"month"`
	Cluster            string `json:"cluster"`
	PM                 *int64 `json:"pm"`
	AttributedSalesIDR *int64 `json:"attributed_sales_idr"`
	NetIncomeIDR       *int64 `json:"net_income_idr"`
	OrdersCompleted    *int64 `json:"orders_completed"`
	PMAtMinWage        *int64 `json:"pm_at_min_wage"`
	PMAbovePovertyLine *int64 `json:"pm_above_poverty_line"`
	Suppressed         bool   `json:"suppressed"`
	Locked             bool   `json:"locked"`
}

// UnitOutcomes is a unit's aggregates by cluster and month.
type UnitOutcomes struct {
	UnitID  string     `json:"unit_id"`
	From    string     `json:"from"`
	To      string     `json:"to"`
	MinCell int        `json:"min_cell"`
	Items   []UnitCell `json:"items"`
}

// cellSum is an unsuppressed cell, before protection.
type cellSum struct {
	Month   time.Time
	Cluster string
	PM      int64
	Sales   int64
	Net     int64
	Orders  int64
	AtMW    int64
	AbovePL int64
}

// reportingCases is the SQL condition "the case's latest aggregate_reporting
// consent is given": only those PM are counted in aggregates.
const reportingCases = `EXISTS (SELECT 1 FROM (SELECT k.action FROM consents k WHERE k.case_id = c.id AND k.purpose = 'aggregate_reporting'
    ORDER BY k.at DESC, k.id DESC LIMIT 1) k WHERE k.action = 'given')`

// UnitOutcomes aggregates the indicators of a unit's PM by cluster and
// month (by default the last 12 months), counting only PM who consented to
// aggregate reporting, with small cells suppressed.
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
	// Closed months: summed in SQL from the latest version of each snapshot.
	var closed []cellSum
	if err := db.Raw(`
SELECT s.month, c.cluster, count(*) AS pm, sum(s.attributed_sales_idr) AS sales, sum(s.net_income_idr) AS net,
    sum(s.orders_completed) AS orders, count(*) FILTER (WHERE s.min_wage_bits & 1 = 1) AS at_mw,
    count(*) FILTER (WHERE s.poverty_line_bits & 1 = 1) AS above_pl
FROM (SELECT DISTINCT ON (case_id, month) * FROM outcome_snapshots
      WHERE month BETWEEN ? AND ? AND case_id IN (SELECT id FROM cases WHERE unit_id = ?)
      ORDER BY case_id, month, version DESC) s
JOIN cases c ON c.id = s.case_id
WHERE `+reportingCases+`
GROUP BY 1, 2`, first.date(), last.date(), unitID).Scan(&closed).Error; err != nil {
		return out, fmt.Errorf("unit outcomes: %w", err)
	}
	sums := map[string]map[string]cellSum{}
	closedMonths := map[string]bool{}
	for _, c := range closed {
		m := c.Month.Format("2006-01")
		if sums[m] == nil {
			sums[m] = map[string]cellSum{}
		}
		sums[m][c.Cluster] = c
	}
	var done []time.Time
	if err := db.Raw("SELECT DISTINCT month FROM outcome_months WHERE month BETWEEN ? AND ?", first.date(), last.date()).Scan(&done).Error; err != nil {
		return out, fmt.Errorf("closed months: %w", err)
	}
	for _, d := range done {
		closedMonths[d.Format("2006-01")] = true
	}
	// Months not closed yet: the same sums and rules as a PM's live month,
	// over the unit's consenting cases at once.
	var consenting []struct {
		ID      string
		Cluster string
	}
	if err := db.Raw("SELECT c.id, c.cluster FROM cases c WHERE c.unit_id = ? AND "+reportingCases, unitID).Scan(&consenting).Error; err != nil {
		return out, fmt.Errorf("consenting cases: %w", err)
	}
	cluster := make(map[string]string, len(consenting))
	for _, c := range consenting {
		cluster[c.ID] = c.Cluster
	}
	set := s.settings()
	for m := first; !last.before(m); m = m.next() {
		if closedMonths[m.String()] || len(cluster) == 0 {
			continue
		}
		rows, err := sumMonthOf(ctx, db, m, "unit", unitID)
		if err != nil {
			return out, err
		}
		asOf := m.end()
		if now.Before(asOf) {
			asOf = now
		}
		cells := map[string]cellSum{}
		for _, b := range rows {
			cl, ok := cluster[b.CaseID]
			if !ok {
				continue
			}
			o := derive(m, b, b.carried(), set, asOf)
			c := cells[cl]
			c.Month, c.Cluster = m.date(), cl
			c.PM++
			c.Sales += int64(o.AttributedSalesIDR)
			c.Net += int64(o.NetIncomeIDR)
			c.Orders += int64(o.OrdersCompleted)
			c.AtMW += int64(o.mwBits & 1)
			c.AbovePL += int64(o.plBits & 1)
			cells[cl] = c
		}
		sums[m.String()] = cells
	}
	for m := first; !last.before(m); m = m.next() {
		out.Items = append(out.Items, protectMonth(m.String(), sums[m.String()], closedMonths[m.String()])...)
	}
	return out, nil
}

// protectMonth makes the published cells of one month: each cluster and
// the total. A count of people is shown only when it is 0 or at least
// MinCell and so is its complement in the cell; where one cluster would be
// hidden alone, the next smallest is hidden too, so the total cannot give
// it away by subtraction.
func protectMonth(month string, sums map[string]cellSum, locked bool) []UnitCell {
	names := make([]string, 0, len(clusters)+1)
	for _, c := range clusters {
		names = append(names, string(c))
	}
	var total cellSum
	cells := make([]cellSum, len(clusters))
	for i, n := range names {
		cells[i] = sums[n]
		cells[i].Cluster = n
		total.PM += cells[i].PM
		total.Sales += cells[i].Sales
		total.Net += cells[i].Net
		total.Orders += cells[i].Orders
		total.AtMW += cells[i].AtMW
		total.AbovePL += cells[i].AbovePL
	}
	total.Cluster = AllClusters
	names = append(names, AllClusters)
	cells = append(cells, total)

	small := func(n int64) bool { return n > 0 && n < MinCell }
	// hidden[i] hides the whole cell; the sub-counts are protected apart.
	hidden := protect(cells, func(c cellSum) int64 { return c.PM }, func(c cellSum) bool { return small(c.PM) }, nil)
	mw := protect(cells, func(c cellSum) int64 { return c.AtMW }, func(c cellSum) bool { return small(c.AtMW) || small(c.PM-c.AtMW) }, hidden)
	pl := protect(cells, func(c cellSum) int64 { return c.AbovePL }, func(c cellSum) bool { return small(c.AbovePL) || small(c.PM-c.AbovePL) }, hidden)

	out := make([]UnitCell, len(cells))
	for i, c := range cells {
		u := UnitCell{Month: month, Cluster: names[i], Locked: locked, Suppressed: hidden[i]}
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
			v.Add("to", "bulan YYYY-MM")
		}
		last = monthSpan{t}
		if from == "" {
			first = monthSpan{t.AddDate(0, -11, 0)}
		}
	}
	if from != "" {
		f, ok := ParseMonth(from)
		if !ok {
			v.Add("from", "bulan YYYY-MM")
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
		return first, last, domain.Invalid("from", "paling banyak %d bulan sekali minta", maxOutcomeMonths)
	}
	return first, last, nil
}

// unitTable is the aggregates as rows of text for the exports; a
// suppressed number is an empty cell.
func unitTable(u UnitOutcomes) [][]any {
	rows := [][]any{{"month", "cluster", "pm", "attributed_sales_idr", "net_income_idr", "orders_completed",
		"pm_at_min_wage", "pm_above_poverty_line", "suppressed", "locked"}}
	num := func(p *int64) any {
		if p == nil {
			return ""
		}
		return *p
	}
	for _, c := range u.Items {
		rows = append(rows, []any{c.Month, c.Cluster, num(c.PM), num(c.AttributedSalesIDR), num(c.NetIncomeIDR), num(c.OrdersCompleted),
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
