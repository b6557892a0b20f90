package frontend

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
)

// The outcome chart's month width and bar: twelve months fit a phone.
const (
	outcomeGroup = 36
	outcomeBar   = 20
)

// incomeKinds are the kinds of other income staff record.
var incomeKinds = []string{"wage", "business", "bansos", "other"}

// outcomeRow is one month of a case's indicators, with what the table shows.
type outcomeRow struct {
	cases.Outcome
	Name        string
	MinWage     string // the ratio, written for the reader's language
	PovertyLine string
	// The month's minimum wage and the household's poverty line (per
	// capita x household size), written out; a dash where none applies.
	MinimumWage, PovertyNeed string
	// The activity table: listings, the share of courier orders shipped on
	// time and of orders a pendamping helped with; a dash where unknown.
	Listings, OnTime, Assisted string
}

// outcomeLine is a reference line across one month of the chart.
type outcomeLine struct{ X1, X2, Y int }

// outcomeChart is the SVG chart of a PM's monthly independent income
// against the minimum wage and the household's poverty line, drawn on the
// server; the table under it has the same numbers.
type outcomeChart struct {
	Width, Height int
	Left, Right   int
	Base          int
	Bars          []chartBarShape
	MinWage       []outcomeLine
	Poverty       []outcomeLine
	Ticks         []chartTick
	Labels        []chartLabel
	First, Last   string
}

type serviceForm struct{ Component, Date, Note string }

type incomeForm struct {
	Month, Amount, Kind, Note string
	Verified                  bool
}

type householdForm struct{ FromMonth, Size string }

// caseOutcomes is the case page's section on economic independence, with
// the forms that add to it.
type caseOutcomes struct {
	Months      []outcomeRow
	Chart       *outcomeChart
	Components  []cases.Component
	IncomeKinds []string
	Service     serviceForm
	Income      incomeForm
	Household   householdForm
	Assessment  assessmentForm
	Guardian    guardianForm
	Today       string
	// Graduation is the PM's graduation reviews, newest first; Proposed
	// says one waits for a supervisor.
	Graduation []graduationRow
	Proposed   bool
	ClosedOn   string // the day the case ended, empty while it is open
}

// graduationRow is a graduation review as the case page lists it.
type graduationRow struct {
	cases.GraduationReview
	When string
}

// outcomesOf reads a case's last 12 months for the case page.
func (p *Pages) outcomesOf(c *fiber.Ctx, actor access.Actor, id string) (*caseOutcomes, error) {
	months, err := p.cases.Outcomes(c.UserContext(), actor, id, "", "")
	if err != nil {
		return nil, err
	}
	lang := language(c)
	now := time.Now().In(jakarta)
	o := &caseOutcomes{Components: cases.Components, IncomeKinds: incomeKinds, Today: now.Format(time.DateOnly),
		Service: serviceForm{Date: now.Format(time.DateOnly)}, Income: incomeForm{Month: now.Format("2006-01"), Kind: "wage"},
		Household: householdForm{FromMonth: now.Format("2006-01")}}
	for i := len(months) - 1; i >= 0; i-- { // the table: newest first
		o.Months = append(o.Months, outcomeRowOf(lang, months[i]))
	}
	if n := len(months); n > 0 {
		o.Household.Size = strconv.Itoa(months[n-1].HouseholdSize)
	}
	o.Chart = buildOutcomeChart(lang, months)
	reviews, err := p.cases.GraduationReviews(c.UserContext(), actor, id)
	if err != nil {
		return nil, err
	}
	for _, r := range reviews {
		o.Graduation = append(o.Graduation, graduationRow{GraduationReview: r, When: r.ReviewedAt.In(jakarta).Format("2006-01-02")})
		o.Proposed = o.Proposed || r.Status == cases.GraduationProposed
	}
	return o, nil
}

func outcomeRowOf(lang string, m cases.Outcome) outcomeRow {
	r := outcomeRow{Outcome: m, Name: monthName(lang, m.Month, false), MinWage: ratioText(lang, m.MinWageRatio),
		PovertyLine: ratioText(lang, m.PovertyLineRatio)}
	r.MinimumWage, r.PovertyNeed, r.Listings = "–", "–", "–"
	if m.ActiveListings != nil {
		r.Listings = strconv.Itoa(*m.ActiveListings)
	}
	r.OnTime, r.Assisted = percentText(m.OnTimeOrders, m.ShippedOrders), percentText(m.AssistedOrders, m.OrdersCompleted)
	if m.MinimumWageIDR != nil {
		r.MinimumWage = rupiah(*m.MinimumWageIDR)
	}
	if m.PovertyLineIDR != nil && m.HouseholdSize > 0 {
		r.PovertyNeed = rupiah(*m.PovertyLineIDR * int64(m.HouseholdSize))
	}
	return r
}

// percentText writes part of whole as a whole percentage; a dash when
// there is no whole.
func percentText(part, whole int) string {
	if whole == 0 {
		return "–"
	}
	return strconv.Itoa((part*100+whole/2)/whole) + "%"
}

// ratioText writes a ratio with two decimals (0,85 or 0.85); a dash when
// no reference figure applies.
func ratioText(lang string, r *float64) string {
	if r == nil {
		return "–"
	}
	s := strconv.FormatFloat(*r, 'f', 2, 64)
	if lang != LangEN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// buildOutcomeChart places a bar of independent income per month, oldest
// on the left, and each month's minimum wage and household poverty line as
// short lines across it; nil when there is no month.
func buildOutcomeChart(lang string, months []cases.Outcome) *outcomeChart {
	if len(months) == 0 {
		return nil
	}
	var top domain.IDR
	for _, m := range months {
		top = max(top, m.IndependentIncomeIDR)
		if m.MinimumWageIDR != nil {
			top = max(top, domain.IDR(*m.MinimumWageIDR))
		}
		if m.PovertyLineIDR != nil {
			top = max(top, domain.IDR(*m.PovertyLineIDR*int64(m.HouseholdSize)))
		}
	}
	step := niceStep(top)
	axisMax := int64(step * 4)
	ch := &outcomeChart{Left: chartLeft, Base: chartTop + chartPlot,
		First: monthName(lang, months[0].Month, false), Last: monthName(lang, months[len(months)-1].Month, false)}
	ch.Right = chartLeft + len(months)*outcomeGroup + 4
	// A few months are drawn at the width of six, left-aligned, so a new
	// case's chart is not blown up to the width of the screen.
	ch.Width, ch.Height = max(ch.Right, chartLeft+6*outcomeGroup+4)+4, chartTop+chartPlot+chartBottom
	y := func(v int64) int {
		if v <= 0 {
			return ch.Base
		}
		return ch.Base - max(1, int(min(v, axisMax)*chartPlot/axisMax))
	}
	for i := domain.IDR(0); i <= 4; i++ {
		ch.Ticks = append(ch.Ticks, chartTick{Y: ch.Base - int(i)*chartPlot/4, Label: compactRupiah(lang, step*i)})
	}
	for i, m := range months {
		x := chartLeft + 4 + i*outcomeGroup
		top := y(int64(m.IndependentIncomeIDR))
		ch.Bars = append(ch.Bars, chartBarShape{X: x + (outcomeGroup-outcomeBar)/2, Y: top, W: outcomeBar, H: ch.Base - top, Class: "bar-income"})
		if m.MinimumWageIDR != nil {
			ch.MinWage = append(ch.MinWage, outcomeLine{X1: x, X2: x + outcomeGroup, Y: y(*m.MinimumWageIDR)})
		}
		if m.PovertyLineIDR != nil && m.HouseholdSize > 0 {
			ch.Poverty = append(ch.Poverty, outcomeLine{X1: x, X2: x + outcomeGroup, Y: y(*m.PovertyLineIDR * int64(m.HouseholdSize))})
		}
		// Every month's name when they fit, else every other one, ending on the newest.
		if len(months) <= 6 || (len(months)-1-i)%2 == 0 {
			ch.Labels = append(ch.Labels, chartLabel{X: x + outcomeGroup/2, Text: monthName(lang, m.Month, true)})
		}
	}
	return ch
}

// withOutcomes is the case page's data with the outcomes section filled.
func (p *Pages) withOutcomes(c *fiber.Ctx, actor access.Actor, d *caseData) error {
	o, err := p.outcomesOf(c, actor, d.Case.ID)
	if err != nil {
		return err
	}
	if d.Case.ClosedOn != nil {
		o.ClosedOn = *d.Case.ClosedOn
	}
	d.Outcomes = o
	return nil
}

var caseDone = []string{"service", "income", "household", "breakglass", "assessment", "guardian", "assigned", "named", "graduation"}

// caseEntry handles the case page's three forms: it posts to the service
// and goes back to the case page, or shows it again with the form's field
// errors (as prefix.field) on 422.
func (p *Pages) caseEntry(prefix string, save func(c *fiber.Ctx, actor access.Actor, id string) error, keep func(c *fiber.Ctx, o *caseOutcomes)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		actor, ok, err := requireLogin(c)
		if !ok {
			return err
		}
		id := strings.Clone(c.Params("id"))
		serr := save(c, actor, id)
		if serr == nil {
			return c.Redirect("/staf/kasus/"+id+"?ok="+prefix+"#hasil", fiber.StatusSeeOther)
		}
		fields, other := formErrors(c, serr)
		if other != nil {
			return other
		}
		d, err := p.caseData(c, actor, id, false)
		if err != nil {
			return err
		}
		keep(c, d.Outcomes)
		errs := map[string]string{}
		for k, v := range fields {
			errs[prefix+"."+k] = v
		}
		return p.render(c, fiber.StatusUnprocessableEntity, "case", "case.title", d, &view{Errors: errs, FormError: translate(language(c), "error.form")})
	}
}

// reviewGraduation records the caseworker's graduation review from the
// case page: continue, or propose graduation to a supervisor.
func (p *Pages) reviewGraduation() fiber.Handler {
	return p.caseEntry("graduation", func(c *fiber.Ctx, actor access.Actor, id string) error {
		_, err := p.cases.ReviewGraduation(c.UserContext(), actor, id, cases.NewGraduationReview{Decision: cases.GraduationDecision(c.FormValue("graduation.decision"))})
		return err
	}, func(*fiber.Ctx, *caseOutcomes) {})
}

func (p *Pages) recordService() fiber.Handler {
	form := func(c *fiber.Ctx) serviceForm {
		return serviceForm{Component: c.FormValue("service.component"), Date: c.FormValue("service.date"), Note: c.FormValue("service.note")}
	}
	return p.caseEntry("service", func(c *fiber.Ctx, actor access.Actor, id string) error {
		f := form(c)
		_, err := p.cases.RecordService(c.UserContext(), actor, id, cases.NewServiceEntry{Component: cases.Component(f.Component), Date: f.Date, Note: f.Note})
		return err
	}, func(c *fiber.Ctx, o *caseOutcomes) { o.Service = form(c) })
}

func (p *Pages) recordIncome() fiber.Handler {
	form := func(c *fiber.Ctx) incomeForm {
		return incomeForm{Month: c.FormValue("income.month"), Amount: c.FormValue("income.amount_idr"), Kind: c.FormValue("income.kind"),
			Note: c.FormValue("income.note"), Verified: c.FormValue("income.verified") == "1"}
	}
	return p.caseEntry("income", func(c *fiber.Ctx, actor access.Actor, id string) error {
		f := form(c)
		amount, err := parseRupiah(f.Amount)
		if err != nil {
			return domain.Invalid("amount_idr", "outcomes.badamount")
		}
		_, err = p.cases.RecordIncome(c.UserContext(), actor, id, cases.NewIncome{Month: f.Month, AmountIDR: amount,
			Kind: cases.IncomeKind(f.Kind), Verified: f.Verified, Note: f.Note})
		return err
	}, func(c *fiber.Ctx, o *caseOutcomes) { o.Income = form(c) })
}

func (p *Pages) recordHousehold() fiber.Handler {
	form := func(c *fiber.Ctx) householdForm {
		return householdForm{FromMonth: c.FormValue("household.from_month"), Size: c.FormValue("household.size")}
	}
	return p.caseEntry("household", func(c *fiber.Ctx, actor access.Actor, id string) error {
		f := form(c)
		size, err := strconv.Atoi(strings.TrimSpace(f.Size))
		if err != nil {
			return domain.Invalid("size", "outcomes.badsize")
		}
		_, err = p.cases.RecordHouseholdSize(c.UserContext(), actor, id, cases.NewHouseholdSize{FromMonth: f.FromMonth, Size: size})
		return err
	}, func(c *fiber.Ctx, o *caseOutcomes) { o.Household = form(c) })
}

// caseFlash is the message after one of the case page's forms.
func caseFlash(c *fiber.Ctx) *view { return doneFlash(c, "outcomes.done.", caseDone) }

// caseloadRow is one case of "Kasus saya".
type caseloadRow struct {
	cases.CaseloadItem
	Current     *outcomeRow
	Spark       *sparkline
	Unconfirmed bool // a payout to an LKS or guardian not acknowledged by the PM
	Mine        bool
}

// sparkline is a tiny decorative line of the months' independent income;
// the numbers are in the row's text.
type sparkline struct {
	Width, Height int
	Points        string
	MinWageY      int
	HasMinWage    bool
}

const (
	sparkWidth  = 72
	sparkHeight = 22
)

func buildSparkline(months []cases.Outcome) *sparkline {
	if len(months) < 2 {
		return nil
	}
	var top int64 = 1
	var mw int64
	for _, m := range months {
		top = max(top, int64(m.IndependentIncomeIDR))
		if m.MinimumWageIDR != nil {
			mw = *m.MinimumWageIDR
		}
	}
	top = max(top, mw)
	s := &sparkline{Width: sparkWidth, Height: sparkHeight}
	y := func(v int64) int { return sparkHeight - 2 - int(max(v, 0)*(sparkHeight-4)/top) }
	var pts []string
	for i, m := range months {
		x := 1 + i*(sparkWidth-2)/(len(months)-1)
		pts = append(pts, fmt.Sprintf("%d,%d", x, y(int64(m.IndependentIncomeIDR))))
	}
	s.Points = strings.Join(pts, " ")
	if mw > 0 {
		s.HasMinWage, s.MinWageY = true, y(mw)
	}
	return s
}

// caseload is "Kasus saya": the open cases of the staff member's unit they
// may open, each with this month's ratios, the streak, a sparkline and
// what needs attention.
func (p *Pages) caseload(c *fiber.Ctx) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	ctx := c.UserContext()
	items, err := p.cases.Caseload(ctx, actor, actor.UnitID)
	if err != nil {
		return err
	}
	flagged, err := p.payouts.Flagged(ctx, actor, actor.UnitID)
	if err != nil {
		return err
	}
	unconfirmed := map[string]bool{}
	for _, l := range flagged {
		for _, s := range l.Shares {
			unconfirmed[s.CaseID] = true
		}
	}
	lang := language(c)
	rows := make([]caseloadRow, 0, len(items))
	for _, it := range items {
		r := caseloadRow{CaseloadItem: it, Spark: buildSparkline(it.Months), Unconfirmed: unconfirmed[it.ID],
			Mine: it.AssignedStaffID != nil && *it.AssignedStaffID == actor.UserID}
		if cur := it.Current(); cur != nil {
			row := outcomeRowOf(lang, *cur)
			r.Current = &row
		}
		rows = append(rows, r)
	}
	// The caseworker's own cases first, then the rest of the unit's.
	slices.SortStableFunc(rows, func(a, b caseloadRow) int {
		switch {
		case a.Mine == b.Mine:
			return 0
		case a.Mine:
			return -1
		}
		return 1
	})
	month := monthName(lang, time.Now().In(jakarta).Format("2006-01"), false)
	return p.render(c, fiber.StatusOK, "caseload", "caseload.title", map[string]any{"Rows": rows, "Month": month}, nil)
}

// dashboardUnit is one unit's aggregates on the dashboard.
type dashboardUnit struct {
	ID, Name string
	Months   []dashboardMonth
	Query    string // from and to, for the downloads
}

type dashboardMonth struct {
	Name    string
	Locked  bool
	Cells   []dashboardCell // by cluster
	Pillars []dashboardCell // by pillar
}

// dashboardCell is a cluster's or a pillar's (or the total's) numbers,
// written out; an empty one was hidden by the service. Label is the
// catalogue key of its name.
type dashboardCell struct {
	Label, Group                          string
	PM, Sales, Net, Orders, AtMW, AbovePL string
}

func dashboardCellOf(u cases.UnitCell) dashboardCell {
	num := func(p *int64, money bool) string {
		switch {
		case p == nil:
			return ""
		case money:
			return rupiah(*p)
		}
		return strconv.FormatInt(*p, 10)
	}
	return dashboardCell{Label: u.Dimension + "." + u.Group, Group: u.Group, PM: num(u.PM, false), Sales: num(u.AttributedSalesIDR, true), Net: num(u.NetIncomeIDR, true),
		Orders: num(u.OrdersCompleted, false), AtMW: num(u.PMAtMinWage, false), AbovePL: num(u.PMAbovePovertyLine, false)}
}

// dashboard is the unit's aggregates by month, by cluster and by pillar; a supervisor
// also sees the LKS of their Balai's network. Small cells are hidden by
// the service, and the page says why.
func (p *Pages) dashboard(c *fiber.Ctx) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	ctx := c.UserContext()
	lang := language(c)
	from, to := strings.Clone(c.Query("from")), strings.Clone(c.Query("to"))
	if from == "" && to == "" {
		from = time.Now().In(jakarta).AddDate(0, -5, 0).Format("2006-01")
	}
	var units []dashboardUnit
	for _, id := range append([]string{actor.UnitID}, actor.Network...) {
		agg, err := p.cases.UnitOutcomes(ctx, actor, id, from, to)
		if err != nil {
			return err
		}
		u := dashboardUnit{ID: id, Name: id, Query: "?from=" + agg.From + "&to=" + agg.To}
		if unit, err := p.accounts.Unit(ctx, id); err == nil {
			u.Name = unit.Name
		}
		// Newest month first, each month's cells in the service's order.
		for i := len(agg.Items) - 1; i >= 0; {
			m := agg.Items[i].Month
			j := i
			for j >= 0 && agg.Items[j].Month == m {
				j--
			}
			dm := dashboardMonth{Name: monthName(lang, m, false), Locked: agg.Items[i].Locked}
			for _, cell := range agg.Items[j+1 : i+1] {
				if cell.Dimension == cases.ByPillar {
					dm.Pillars = append(dm.Pillars, dashboardCellOf(cell))
				} else {
					dm.Cells = append(dm.Cells, dashboardCellOf(cell))
				}
			}
			u.Months = append(u.Months, dm)
			i = j
		}
		units = append(units, u)
		from, to = agg.From, agg.To
	}
	return p.render(c, fiber.StatusOK, "dashboard", "dashboard.title",
		map[string]any{"Units": units, "From": from, "To": to, "MinCell": cases.MinCell}, nil)
}

// dashboardExport downloads a unit's aggregates as csv or xlsx.
func (p *Pages) dashboardExport(format string) fiber.Handler {
	export, ct := cases.UnitOutcomesCSV, "text/csv; charset=utf-8"
	if format == "xlsx" {
		export, ct = cases.UnitOutcomesXLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return func(c *fiber.Ctx) error {
		actor, ok, err := requireLogin(c)
		if !ok {
			return err
		}
		id := strings.Clone(c.Params("id"))
		agg, err := p.cases.UnitOutcomes(c.UserContext(), actor, id, strings.Clone(c.Query("from")), strings.Clone(c.Query("to")))
		if err != nil {
			return err
		}
		body, err := export(agg)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, ct)
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="hasil-`+agg.From+`-`+agg.To+`.`+format+`"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(body)
	}
}

// caseOutcomesExport downloads the per-case export for the ministry's
// case-management system: closed months of the unit's PM who consented to
// the data bridge, by case number only.
func (p *Pages) caseOutcomesExport(c *fiber.Ctx) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	body, err := p.cases.CaseOutcomesCSV(c.UserContext(), actor, strings.Clone(c.Params("id")), strings.Clone(c.Query("from")), strings.Clone(c.Query("to")))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="hasil-per-kasus.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}

type wageForm struct{ Year, ProvinceCode, RegencyCode, Amount, Source string }

type povertyForm struct{ Period, ProvinceCode, Amount, Source string }

type referenceData struct {
	Wages   []cases.MinimumWage
	Lines   []cases.PovertyLine
	Wage    wageForm
	Poverty povertyForm
}

var referenceDone = []string{"wage", "poverty"}

// reference is the admin's page of minimum wages and poverty lines: the
// rows in force with their source, and forms to add one (a correction is a
// new row).
func (p *Pages) reference(c *fiber.Ctx) error {
	return p.renderReference(c, fiber.StatusOK, referenceData{Wage: wageForm{Year: strconv.Itoa(time.Now().In(jakarta).Year())}},
		doneFlash(c, "reference.done.", referenceDone))
}

func (p *Pages) renderReference(c *fiber.Ctx, status int, d referenceData, v *view) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	if err := access.Can(actor, access.ManageReference, access.Resource{}, time.Now()); err != nil {
		return err
	}
	ctx := c.UserContext()
	if d.Wages, err = p.cases.MinimumWages(ctx, cases.ReferenceFilter{}); err != nil {
		return err
	}
	if d.Lines, err = p.cases.PovertyLines(ctx, cases.ReferenceFilter{}); err != nil {
		return err
	}
	return p.render(c, status, "reference", "reference.title", d, v)
}

// referenceFailed shows the page again with one form's field errors.
func (p *Pages) referenceFailed(c *fiber.Ctx, prefix string, d referenceData, err error) error {
	fields, other := formErrors(c, err)
	if other != nil {
		return other
	}
	errs := map[string]string{}
	for k, v := range fields {
		errs[prefix+"."+k] = v
	}
	return p.renderReference(c, fiber.StatusUnprocessableEntity, d, &view{Errors: errs, FormError: translate(language(c), "error.form")})
}

func (p *Pages) addWage(c *fiber.Ctx) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	f := wageForm{Year: c.FormValue("wage.year"), ProvinceCode: strings.TrimSpace(c.FormValue("wage.province_code")),
		RegencyCode: strings.TrimSpace(c.FormValue("wage.regency_code")), Amount: c.FormValue("wage.amount_idr"), Source: c.FormValue("wage.source")}
	d := referenceData{Wage: f}
	year, _ := strconv.Atoi(strings.TrimSpace(f.Year))
	amount, aerr := parseRupiah(f.Amount)
	if aerr != nil {
		amount = 0 // the service says what is wrong with it
	}
	if _, err := p.cases.AddMinimumWage(c.UserContext(), actor, cases.NewMinimumWage{Year: year, ProvinceCode: f.ProvinceCode,
		RegencyCode: f.RegencyCode, AmountIDR: amount, Source: f.Source}); err != nil {
		return p.referenceFailed(c, "wage", d, err)
	}
	return c.Redirect("/admin/referensi?ok=wage", fiber.StatusSeeOther)
}

func (p *Pages) addPovertyLine(c *fiber.Ctx) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	f := povertyForm{Period: strings.TrimSpace(c.FormValue("poverty.period")), ProvinceCode: strings.TrimSpace(c.FormValue("poverty.province_code")),
		Amount: c.FormValue("poverty.amount_idr"), Source: c.FormValue("poverty.source")}
	d := referenceData{Poverty: f, Wage: wageForm{Year: strconv.Itoa(time.Now().In(jakarta).Year())}}
	amount, aerr := parseRupiah(f.Amount)
	if aerr != nil {
		amount = 0
	}
	if _, err := p.cases.AddPovertyLine(c.UserContext(), actor, cases.NewPovertyLine{Period: f.Period, ProvinceCode: f.ProvinceCode,
		AmountIDR: amount, Source: f.Source}); err != nil {
		return p.referenceFailed(c, "poverty", d, err)
	}
	return c.Redirect("/admin/referensi?ok=poverty", fiber.StatusSeeOther)
}
