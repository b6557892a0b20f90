package cases

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
)

// ComputationVersion names the rules in this file. A change to how an
// indicator is computed bumps it, so every snapshot says which rules made it.
// 2: active listings are counted.
// 3: a regency's latest UMK comes before the province's UMP, even from an
// earlier year (a province's new UMP is decreed weeks before its UMKs).
const ComputationVersion = 3

// OutcomeSettings are the tunable rules of the indicators.
type OutcomeSettings struct {
	// GraduationMonths is how many months in a row at or above the minimum
	// wage raise "graduation assessment due" (DOMAIN.md: 6).
	GraduationMonths int
	// NoSaleDays is how long without a sale raises no_sale_60d.
	NoSaleDays int
}

// DefaultOutcomeSettings are the rules of DOMAIN.md.
var DefaultOutcomeSettings = OutcomeSettings{GraduationMonths: 6, NoSaleDays: 60}

// SetOutcomeSettings replaces the indicator settings (before serving).
func (s *Service) SetOutcomeSettings(o OutcomeSettings) { s.outcomeSettings = &o }

func (s *Service) settings() OutcomeSettings {
	if s.outcomeSettings != nil {
		return *s.outcomeSettings
	}
	return DefaultOutcomeSettings
}

// Outcome is one month of a PM's economic independence (DOMAIN.md
// "Economic independence: the indicators"). Amounts are whole rupiah;
// ratios are nil when no reference figure applies.
type Outcome struct {
	Month                  string     `json:"month"`
	AttributedSalesIDR     domain.IDR `json:"attributed_sales_idr"`
	RefundsIDR             domain.IDR `json:"refunds_idr"`
	NetIncomeIDR           domain.IDR `json:"net_income_idr"`
	NetIncomeVerifiedIDR   domain.IDR `json:"net_income_verified_idr"`
	OtherIncomeIDR         domain.IDR `json:"other_income_idr"`
	OtherIncomeVerifiedIDR domain.IDR `json:"other_income_verified_idr"`
	BansosIDR              domain.IDR `json:"bansos_idr"`
	IndependentIncomeIDR   domain.IDR `json:"independent_income_idr"`
	HouseholdSize          int        `json:"household_size"`
	MinimumWageIDR         *int64     `json:"minimum_wage_idr"`
	MinimumWageID          *int64     `json:"minimum_wage_id,string"`
	// MinimumWageYear and MinimumWageKind (umk or ump) say which figure
	// the month was measured against; Provisional, that it is from an
	// earlier year than the month because the month's own is not set yet.
	MinimumWageYear        *int     `json:"minimum_wage_year"`
	MinimumWageKind        string   `json:"minimum_wage_kind,omitempty"`
	MinimumWageProvisional bool     `json:"minimum_wage_provisional"`
	PovertyLineIDR         *int64   `json:"poverty_line_idr"`
	PovertyLineID          *int64   `json:"poverty_line_id,string"`
	MinWageRatio           *float64 `json:"min_wage_ratio"`
	PovertyLineRatio       *float64 `json:"poverty_line_ratio"`
	StreakMonths           int      `json:"streak_months"` // at or above the minimum wage
	PovertyStreakMonths    int      `json:"poverty_line_streak_months"`
	MinWageMonths6         int      `json:"min_wage_months_6"`
	MinWageMonths12        int      `json:"min_wage_months_12"`
	PovertyMonths6         int      `json:"poverty_line_months_6"`
	PovertyMonths12        int      `json:"poverty_line_months_12"`
	OrdersCompleted        int      `json:"orders_completed"`
	// ActiveListings are the PM's products on sale: now for a live month,
	// at the close for a closed one; nil for a month closed before they
	// were counted.
	ActiveListings     *int `json:"active_listings"`
	UniqueBuyers       int  `json:"unique_buyers"`
	RepeatBuyers       int  `json:"repeat_buyers"`
	AssistedOrders     int  `json:"assisted_orders"`
	ShippedOrders      int  `json:"shipped_orders"`
	OnTimeOrders       int  `json:"on_time_orders"`
	GraduationDue      bool `json:"graduation_due"`
	NoSaleDue          bool `json:"no_sale_60d"`
	Locked             bool `json:"locked"`
	Version            int  `json:"version,omitempty"`
	ComputationVersion int  `json:"computation_version"`

	caseID      string
	mwBits      int
	plBits      int
	lastSaleAt  *time.Time
	noSaleSince *time.Time
}

// monthSpan is a calendar month in Asia/Jakarta.
type monthSpan struct{ start time.Time }

func monthOf(t time.Time) monthSpan {
	t = t.In(domain.Jakarta)
	return monthSpan{time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, domain.Jakarta)}
}

func (m monthSpan) end() time.Time          { return m.start.AddDate(0, 1, 0) }
func (m monthSpan) next() monthSpan         { return monthSpan{m.start.AddDate(0, 1, 0)} }
func (m monthSpan) prev() monthSpan         { return monthSpan{m.start.AddDate(0, -1, 0)} }
func (m monthSpan) String() string          { return m.start.Format("2006-01") }
func (m monthSpan) date() time.Time         { return dateOf(m.start) }
func (m monthSpan) before(o monthSpan) bool { return m.start.Before(o.start) }

// baseRow is what SQL sums for one case and month, with the state carried
// from the previous month's snapshot when there is one.
type baseRow struct {
	CaseID         string
	Sales          int64
	Refunds        int64
	Paid           int64
	Orders         int
	Assisted       int
	Shipped        int
	OnTime         int
	LastSale       *time.Time
	ShopOpened     *time.Time
	UniqueBuyers   int
	RepeatBuyers   int
	Other          int64
	OtherVerified  int64
	Bansos         int64
	HouseholdSize  int
	MwID           *int64
	MwIDR          *int64
	PlID           *int64
	PlIDR          *int64
	PrevFound      bool
	PrevMwStreak   int
	PrevPlStreak   int
	PrevMwBits     int
	PrevPlBits     int
	PrevLastSale   *time.Time
	PrevNoSaleSnce *time.Time `gorm:"column:prev_no_sale_since"`
	// Listings is the PM's active listings, counted by the catalog.
	Listings *int `gorm:"-"`
}

// baseSQL sums one month for a set of cases in one statement: the month's
// case events (sales, refunds, payouts by type), the latest income entry
// per kind, the household size in force, the reference rows in force, and
// the previous month's latest snapshot. /*case*/ narrows it to one case.
// referenceCTEs picks, for the places of the cases in c, the minimum wage
// and the poverty line in force: the one rule for reference rows.
const referenceCTEs = `
places AS (SELECT DISTINCT province_code, regency_code FROM c),
mw AS (
    SELECT p.province_code, p.regency_code, w.id, w.amount_idr FROM places p
    LEFT JOIN LATERAL (
        -- The regency's latest UMK not after the year, else the province's
        -- latest UMP: a regency's UMK is usually far above its province's
        -- UMP, so a new year's UMP decreed before the UMKs must not halve
        -- the threshold meanwhile (the earlier UMK is shown as provisional).
        SELECT w.id, w.amount_idr FROM minimum_wages w
        WHERE w.province_code = p.province_code AND w.regency_code IN ('', p.regency_code) AND w.year <= @year
        ORDER BY (w.regency_code <> '') DESC, w.year DESC, w.id DESC LIMIT 1) w ON true
),
pl AS (
    SELECT p.province_code, l.id, l.amount_idr FROM (SELECT DISTINCT province_code FROM places) p
    LEFT JOIN LATERAL (
        -- The province's latest period not after the month, else Indonesia's.
        SELECT l.id, l.amount_idr FROM poverty_lines l
        WHERE l.province_code IN (p.province_code, '00') AND l.period <= @period
        ORDER BY (l.province_code = p.province_code) DESC, l.period DESC, l.id DESC LIMIT 1) l ON true
)`

// incomeCTEs are the latest other income per kind and the household
// size in force for the month.
const incomeCTEs = `
inc AS (
    SELECT i.case_id,
        sum(i.amount_idr) FILTER (WHERE i.kind <> 'bansos') AS other,
        sum(i.amount_idr) FILTER (WHERE i.kind <> 'bansos' AND i.verified) AS other_verified,
        sum(i.amount_idr) FILTER (WHERE i.kind = 'bansos') AS bansos
    FROM (SELECT DISTINCT ON (case_id, kind) case_id, kind, amount_idr, verified FROM case_incomes i
          WHERE i.month = @month /*case i.case_id*/ ORDER BY case_id, kind, id DESC) i
    GROUP BY i.case_id
),
hh AS (
    SELECT DISTINCT ON (h.case_id) h.case_id, h.size FROM case_household_sizes h
    WHERE h.from_month <= @month /*case h.case_id*/ ORDER BY h.case_id, h.from_month DESC, h.id DESC
)`

const baseSQL = `
WITH c AS (
    SELECT c.id AS case_id, b.province_code, b.regency_code, b.household_size
    FROM cases c JOIN beneficiaries b ON b.id = c.beneficiary_id
    WHERE c.opened_on < @month_end AND (c.closed_on IS NULL OR c.closed_on >= @month) /*case c.id*/
),
` + referenceCTEs + `,
ev AS (
    SELECT e.case_id,
        sum(e.attributed_idr) FILTER (WHERE e.type = 'sale_completed') AS sales,
        sum(e.attributed_idr) FILTER (WHERE e.type = 'refund') AS refunds,
        sum((e.data->>'amount_idr')::bigint) FILTER (WHERE e.type = 'payout_paid') AS paid,
        count(*) FILTER (WHERE e.type = 'sale_completed') AS orders,
        count(*) FILTER (WHERE e.type = 'sale_completed' AND (e.data->>'assisted')::boolean) AS assisted,
        count(*) FILTER (WHERE e.type = 'sale_completed' AND e.data->>'shipped_on_time' IS NOT NULL) AS shipped,
        count(*) FILTER (WHERE e.type = 'sale_completed' AND (e.data->>'shipped_on_time')::boolean) AS on_time,
        max(e.occurred_at) FILTER (WHERE e.type = 'sale_completed') AS last_sale,
        min(e.occurred_at) FILTER (WHERE e.type = 'shop_opened') AS shop_opened
    FROM case_events e
    WHERE e.type IN ('sale_completed', 'refund', 'payout_paid', 'shop_opened')
      AND e.occurred_at >= @start AND e.occurred_at < @end /*case e.case_id*/
    GROUP BY e.case_id
),
bought AS (
    SELECT e.case_id, e.data->>'buyer_hash' AS h, count(*) AS n
    FROM case_events e
    WHERE e.type = 'sale_completed' AND e.occurred_at >= @start AND e.occurred_at < @end AND e.data->>'buyer_hash' IS NOT NULL /*case e.case_id*/
    GROUP BY 1, 2
),
buyers AS (
    -- A repeat buyer bought from this PM more than once, this month or before.
    SELECT b.case_id, count(*) AS unique_buyers,
        count(*) FILTER (WHERE b.n > 1 OR EXISTS (SELECT 1 FROM case_events p
            WHERE p.type = 'sale_completed' AND p.case_id = b.case_id AND p.data->>'buyer_hash' = b.h AND p.occurred_at < @start)) AS repeat_buyers
    FROM bought b GROUP BY b.case_id
),
` + incomeCTEs + `,
prev AS (
    SELECT DISTINCT ON (s.case_id) s.* FROM outcome_snapshots s
    WHERE s.month = @prev_month /*case s.case_id*/ ORDER BY s.case_id, s.version DESC
)
SELECT c.case_id,
    coalesce(ev.sales, 0) AS sales, coalesce(ev.refunds, 0) AS refunds, coalesce(ev.paid, 0) AS paid,
    coalesce(ev.orders, 0) AS orders, coalesce(ev.assisted, 0) AS assisted, coalesce(ev.shipped, 0) AS shipped,
    coalesce(ev.on_time, 0) AS on_time, ev.last_sale, ev.shop_opened,
    coalesce(buyers.unique_buyers, 0) AS unique_buyers, coalesce(buyers.repeat_buyers, 0) AS repeat_buyers,
    coalesce(inc.other, 0) AS other, coalesce(inc.other_verified, 0) AS other_verified, coalesce(inc.bansos, 0) AS bansos,
    coalesce(hh.size, c.household_size) AS household_size,
    mw.id AS mw_id, mw.amount_idr AS mw_idr, pl.id AS pl_id, pl.amount_idr AS pl_idr,
    prev.case_id IS NOT NULL AS prev_found,
    coalesce(prev.min_wage_streak, 0) AS prev_mw_streak, coalesce(prev.poverty_line_streak, 0) AS prev_pl_streak,
    coalesce(prev.min_wage_bits, 0) AS prev_mw_bits, coalesce(prev.poverty_line_bits, 0) AS prev_pl_bits,
    prev.last_sale_at AS prev_last_sale, prev.no_sale_since AS prev_no_sale_since
FROM c
LEFT JOIN ev ON ev.case_id = c.case_id
LEFT JOIN buyers ON buyers.case_id = c.case_id
LEFT JOIN inc ON inc.case_id = c.case_id
LEFT JOIN hh ON hh.case_id = c.case_id
LEFT JOIN mw ON mw.province_code = c.province_code AND mw.regency_code = c.regency_code
LEFT JOIN pl ON pl.province_code = c.province_code
LEFT JOIN prev ON prev.case_id = c.case_id
ORDER BY c.case_id`

// baseSQLFor narrows baseSQL to one case (by "case"), the cases of one
// unit (by "unit"), or leaves it over every case.
func baseSQLFor(by string) string {
	q := baseSQL
	for _, col := range []string{"c.id", "e.case_id", "i.case_id", "h.case_id", "s.case_id"} {
		repl := ""
		switch {
		case by == "case":
			repl = "AND " + col + " = @case"
		case by == "unit" && col == "c.id":
			// The other parts are joined to c: they may sum other units'
			// cases of the month, which the join then drops.
			repl = "AND c.unit_id = @unit"
		}
		q = strings.ReplaceAll(q, "/*case "+col+"*/", repl)
	}
	return q
}

// sumMonth runs baseSQL for month m over one case (caseID) or all cases.
func sumMonth(ctx context.Context, db *gorm.DB, m monthSpan, caseID string) ([]baseRow, error) {
	if caseID != "" {
		return sumMonthOf(ctx, db, m, "case", caseID)
	}
	return sumMonthOf(ctx, db, m, "", "")
}

// sumMonthOf runs baseSQL for month m narrowed by ("case", "unit" or "") to id.
func sumMonthOf(ctx context.Context, db *gorm.DB, m monthSpan, by, id string) ([]baseRow, error) {
	args := map[string]any{
		"month": m.date(), "month_end": m.next().date(), "prev_month": m.prev().date(),
		"start": m.start.UTC(), "end": m.end().UTC(), "year": m.start.Year(), "period": m.String(),
	}
	if by != "" {
		args[by] = id
	}
	var rows []baseRow
	if err := db.WithContext(ctx).Raw(baseSQLFor(by), args).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("sum month %s: %w", m, err)
	}
	return rows, nil
}

// carried is what one month passes to the next: streaks, the last 12
// months' threshold bits, and the no-sale clock.
type carried struct {
	mwStreak, plStreak int
	mwBits, plBits     int
	lastSale           *time.Time
	noSaleSince        *time.Time
}

func (b baseRow) carried() *carried {
	if !b.PrevFound {
		return nil
	}
	return &carried{mwStreak: b.PrevMwStreak, plStreak: b.PrevPlStreak, mwBits: b.PrevMwBits, plBits: b.PrevPlBits,
		lastSale: b.PrevLastSale, noSaleSince: b.PrevNoSaleSnce}
}

func (o Outcome) carried() *carried {
	return &carried{mwStreak: o.StreakMonths, plStreak: o.PovertyStreakMonths, mwBits: o.mwBits, plBits: o.plBits,
		lastSale: o.lastSaleAt, noSaleSince: o.noSaleSince}
}

const twelveMonths = 1<<12 - 1

// derive turns a month's sums and the previous month's state into the
// month's indicators. It is the only place the rules of DOMAIN.md live:
// the live month and the monthly close both use it. asOf is when the
// month is looked at (its end once it is over), for the no-sale clock.
func derive(m monthSpan, b baseRow, prev *carried, set OutcomeSettings, asOf time.Time) Outcome {
	if prev == nil {
		prev = &carried{}
	}
	o := Outcome{Month: m.String(), caseID: b.CaseID, ComputationVersion: ComputationVersion,
		AttributedSalesIDR: domain.IDR(b.Sales), RefundsIDR: domain.IDR(b.Refunds),
		// Platform fees default to 0 and seller-borne costs are not recorded
		// yet: NMI is what was attributed less what was refunded.
		NetIncomeIDR: domain.IDR(b.Sales + b.Refunds), NetIncomeVerifiedIDR: domain.IDR(b.Paid),
		OtherIncomeIDR: domain.IDR(b.Other), OtherIncomeVerifiedIDR: domain.IDR(b.OtherVerified), BansosIDR: domain.IDR(b.Bansos),
		HouseholdSize: b.HouseholdSize, MinimumWageID: b.MwID, MinimumWageIDR: b.MwIDR, PovertyLineID: b.PlID, PovertyLineIDR: b.PlIDR,
		OrdersCompleted: b.Orders, ActiveListings: b.Listings, UniqueBuyers: b.UniqueBuyers, RepeatBuyers: b.RepeatBuyers,
		AssistedOrders: b.Assisted, ShippedOrders: b.Shipped, OnTimeOrders: b.OnTime}
	// Bansos is stored but never independent income (DOMAIN.md).
	ii := b.Sales + b.Refunds + b.Other
	o.IndependentIncomeIDR = domain.IDR(ii)
	mwMet, plMet := false, false
	if b.MwIDR != nil && *b.MwIDR > 0 {
		o.MinWageRatio = ratio(ii, *b.MwIDR)
		mwMet = ii >= *b.MwIDR // integers: no rounding decides the exit test
	}
	if b.PlIDR != nil && *b.PlIDR > 0 && b.HouseholdSize > 0 {
		need := *b.PlIDR * int64(b.HouseholdSize)
		o.PovertyLineRatio = ratio(ii, need)
		plMet = ii >= need
	}
	o.mwBits = (prev.mwBits<<1 | bit(mwMet)) & twelveMonths
	o.plBits = (prev.plBits<<1 | bit(plMet)) & twelveMonths
	if mwMet {
		o.StreakMonths = prev.mwStreak + 1
	}
	if plMet {
		o.PovertyStreakMonths = prev.plStreak + 1
	}
	o.MinWageMonths6, o.MinWageMonths12 = bits.OnesCount(uint(o.mwBits&0x3f)), bits.OnesCount(uint(o.mwBits))
	o.PovertyMonths6, o.PovertyMonths12 = bits.OnesCount(uint(o.plBits&0x3f)), bits.OnesCount(uint(o.plBits))
	// Raised when the streak reaches the setting, so once per streak; a dip
	// resets the streak and a new one may raise it again.
	o.GraduationDue = set.GraduationMonths > 0 && o.StreakMonths == set.GraduationMonths

	// The no-sale clock runs from the last sale, or from the shop's opening
	// before any sale; it rings once per silence.
	o.lastSaleAt = latest(prev.lastSale, b.LastSale)
	ref := o.lastSaleAt
	if ref == nil {
		ref = b.ShopOpened
	}
	o.noSaleSince = prev.noSaleSince
	if ref != nil && set.NoSaleDays > 0 && !asOf.Before(ref.AddDate(0, 0, set.NoSaleDays)) &&
		(prev.noSaleSince == nil || !prev.noSaleSince.Equal(*ref)) {
		o.NoSaleDue = true
		r := *ref
		o.noSaleSince = &r
	}
	if b.ShopOpened != nil && o.lastSaleAt == nil {
		// Keep the opening as the clock's start for later months.
		o.lastSaleAt = b.ShopOpened
	}
	return o
}

func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

func latest(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil || a.After(*b):
		return a
	}
	return b
}

func ratio(num, den int64) *float64 {
	r := math.Round(float64(num)/float64(den)*10000) / 10000
	return &r
}

// maxOutcomeMonths bounds one outcomes request.
const maxOutcomeMonths = 36

// Outcomes answers a PM's monthly indicators from from to to (YYYY-MM,
// inclusive; by default the last 12 months). Closed months come from their
// latest locked snapshot; later months are computed live from the last
// closed state. Months after the current one are left out.
func (s *Service) Outcomes(ctx context.Context, actor access.Actor, caseID, from, to string) ([]Outcome, error) {
	row, err := s.authorize(ctx, actor, access.ReadOutcomes, caseID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	start, last, err := monthRange(now, from, to)
	if err != nil {
		return nil, err
	}
	if last.before(start) {
		return []Outcome{}, nil
	}
	opened := monthOf(row.OpenedOn.Add(12 * time.Hour)) // a date: noon keeps it on its day in any zone
	if start.before(opened) {
		start = opened
	}
	locked, err := s.snapshots(ctx, row.ID, start, last)
	if err != nil {
		return nil, err
	}
	var listings *int // counted once, for the first month computed live
	out := []Outcome{}
	var prev *carried // the live chain's state, when the month before was live too
	for m := start; !last.before(m); m = m.next() {
		if o, ok := locked[m.String()]; ok {
			out = append(out, o)
			prev = o.carried()
			continue
		}
		if prev == nil && m.start.After(opened.start) {
			// The month before is neither closed nor computed: rebuild the
			// chain from the last closed month (or the opening), so streaks
			// are right even before the monthly job has run.
			if prev, err = s.chainBefore(ctx, row.ID, m, opened, now); err != nil {
				return nil, err
			}
		}
		if listings == nil {
			listed, err := s.activeListings(ctx, s.db.Gorm, []string{row.ID})
			if err != nil {
				return nil, err
			}
			n := listed[row.ID]
			listings = &n
		}
		o, err := s.liveMonth(ctx, row.ID, m, prev, listings, now)
		if err != nil {
			return nil, err
		}
		if o == nil {
			prev = nil
			continue
		}
		out = append(out, *o)
		prev = o.carried()
	}
	return out, s.wageFigures(ctx, out)
}

// wageFigures tells each month which minimum wage it used: UMK or UMP, of
// which year, and whether that year is earlier than the month's.
func (s *Service) wageFigures(ctx context.Context, months []Outcome) error {
	var ids []int64
	for _, m := range months {
		if m.MinimumWageID != nil {
			ids = append(ids, *m.MinimumWageID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []minimumWageRow
	if err := s.db.Gorm.WithContext(ctx).Select("id, year, regency_code").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return fmt.Errorf("minimum wages used: %w", err)
	}
	byID := make(map[int64]minimumWageRow, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	for i, m := range months {
		r, ok := byID[ptrOr(m.MinimumWageID)]
		if !ok {
			continue
		}
		year := r.Year
		months[i].MinimumWageYear, months[i].MinimumWageKind = &year, "ump"
		if r.RegencyCode != "" {
			months[i].MinimumWageKind = "umk"
		}
		months[i].MinimumWageProvisional = m.Month[:4] > fmt.Sprint(year)
	}
	return nil
}

func ptrOr(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// liveMonth computes month m of one case from its sums and its active
// listings; prev overrides the previous month's snapshot when that month
// was computed live.
func (s *Service) liveMonth(ctx context.Context, caseID string, m monthSpan, prev *carried, listings *int, now time.Time) (*Outcome, error) {
	rows, err := sumMonth(ctx, s.db.Gorm, m, caseID)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	rows[0].Listings = listings
	if prev == nil {
		prev = rows[0].carried()
	}
	asOf := m.end()
	if now.Before(asOf) {
		asOf = now
	}
	o := derive(m, rows[0], prev, s.settings(), asOf)
	return &o, nil
}

// chainBefore computes the state at the end of the month before m, walking
// forward from the latest closed month (or the case's opening).
func (s *Service) chainBefore(ctx context.Context, caseID string, m, opened monthSpan, now time.Time) (*carried, error) {
	lastClosed, err := monthAt(ctx, s.db.Gorm, "SELECT max(month) FROM outcome_snapshots WHERE case_id = ? AND month < ?", caseID, m.date())
	if err != nil {
		return nil, err
	}
	from := opened
	if lastClosed != nil {
		from = lastClosed.next()
	}
	if from.before(monthSpan{m.start.AddDate(0, -maxOutcomeMonths, 0)}) {
		from = monthSpan{m.start.AddDate(0, -maxOutcomeMonths, 0)}
	}
	var prev *carried
	for k := from; k.before(m); k = k.next() {
		o, err := s.liveMonth(ctx, caseID, k, prev, nil, now)
		if err != nil {
			return nil, err
		}
		if o == nil {
			prev = nil
			continue
		}
		prev = o.carried()
	}
	return prev, nil
}
