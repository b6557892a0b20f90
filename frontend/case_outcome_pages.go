package frontend

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/api"
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
	// WageSource says which minimum wage that is: "UMK 2025, provisional".
	WageSource string
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
	now := time.Now().In(domain.Jakarta)
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
		o.Graduation = append(o.Graduation, graduationRow{GraduationReview: r, When: r.ReviewedAt.In(domain.Jakarta).Format("2006-01-02")})
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
	if m.MinimumWageYear != nil {
		kind := "outcomes.wage." + m.MinimumWageKind // umk or ump
		r.WageSource = translate(lang, kind, *m.MinimumWageYear)
		if m.MinimumWageProvisional {
			r.WageSource = translate(lang, "outcomes.wage.provisional", r.WageSource)
		}
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

// caseEntry handles the case page's forms: it posts to the service and
// goes back to the case page, or shows it again with the form's errors
// (its fields as prefix.field).
func (p *Pages) caseEntry(prefix string, save func(c *fiber.Ctx, actor access.Actor, id string) error, keep func(c *fiber.Ctx, o *caseOutcomes)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		actor := api.Actor(c)
		id := strings.Clone(c.Params("id"))
		serr := save(c, actor, id)
		if serr == nil {
			return c.Redirect("/staf/kasus/"+id+"?ok="+prefix+"#hasil", fiber.StatusSeeOther)
		}
		return p.again(c, serr, marks{prefix: prefix}, func(status int, v *view) error {
			d, err := p.caseData(c, actor, id, false)
			if err != nil {
				return err
			}
			keep(c, d.Outcomes)
			return p.render(c, status, "case", "case.title", d, v)
		})
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
		amount, err := domain.ParseIDR(f.Amount)
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
