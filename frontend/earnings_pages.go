package frontend

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
	"github.com/sentrakreasi/atensi/payouts"
)

// chartMonths is how many months the earnings chart draws: enough to see a
// trend, few enough to stay readable on a phone. The table lists them all.
const chartMonths = 6

// The earnings chart's geometry, in SVG user units (the SVG scales to the
// width of the screen, so these are proportions, not pixels).
const (
	chartLeft   = 58  // room for the amounts on the axis
	chartTop    = 12  // room above the highest label
	chartPlot   = 160 // height of the bars' area
	chartBottom = 28  // room for the months under the axis
	chartGroup  = 52  // width of one month: two bars and a gap
	chartBar    = 18
)

// balanceRow is one line of "where my money is now": the amount and why it
// is there, in plain words.
type balanceRow struct {
	Key    string // earnings.balance.<Key> and earnings.why.<Key>
	Amount domain.IDR
}

// earningsMonth is one month of the table, with its name in the reader's
// language.
type earningsMonth struct {
	ledger.Month
	Name string
}

// chartBarShape is one bar of the chart, already placed.
type chartBarShape struct {
	X, Y, W, H int
	Class      string
}

// chartTick is a line across the chart with its amount.
type chartTick struct {
	Y     int
	Label string
}

// chartLabel is a month's name under its pair of bars.
type chartLabel struct {
	X    int
	Text string
}

// earningsChart is the SVG bar chart of sales against what was paid out,
// drawn on the server: no script, and the same numbers are in the table.
type earningsChart struct {
	Width, Height int
	Left, Right   int // the axis runs from Left to Right
	Base          int // y of the zero line
	Bars          []chartBarShape
	Ticks         []chartTick
	Labels        []chartLabel
	First, Last   string // months covered, for the description
}

type earningsData struct {
	Shops   []payouts.EarningShop
	Balance []balanceRow
	// Negative is true when refunds took back money already paid out: the
	// next payout nets it, which the page explains.
	Negative bool
	Months   []earningsMonth
	Chart    *earningsChart
	// For is the PM a pendamping sees the earnings of; "" for a seller's own.
	For string
}

// earnings is "Pendapatan saya": what a seller's shops (or, for a
// pendamping, the shops of the PM who delegated their earnings) hold now and
// earned by month. The service decides who may see it and returns only
// money, never anything from the case record.
func (p *Pages) earnings(c *fiber.Ctx) error {
	actor := api.Actor(c)
	e, err := p.payouts.Earnings(c.UserContext(), actor)
	if err != nil {
		return err
	}
	lang := language(c)
	b := e.Balance
	d := earningsData{Shops: e.Shops, Negative: b.AvailableIDR < 0,
		Balance: []balanceRow{{"pending", b.PendingIDR}, {"available", b.AvailableIDR}, {"inpayout", b.InPayoutIDR},
			{"paidout", b.PaidOutIDR}, {"cash", b.CashCollectedIDR}}}
	for _, m := range e.Months {
		d.Months = append(d.Months, earningsMonth{Month: m, Name: monthName(lang, m.Month, false)})
	}
	d.Chart = buildEarningsChart(lang, e.Months)
	title := "earnings.title"
	if a := actingOf(c); a != nil {
		d.For, title = a.PMName, "nav.earnings.pm"
	}
	return p.render(c, fiber.StatusOK, "earnings", title, d, nil)
}

// buildEarningsChart places the bars of the last chartMonths months, oldest
// on the left; nil when there is nothing to draw.
func buildEarningsChart(lang string, months []ledger.Month) *earningsChart {
	if len(months) == 0 {
		return nil
	}
	recent := chartWindow(months)
	var top domain.IDR
	for _, m := range recent {
		top = max(top, m.SalesIDR, m.PaidOutIDR)
	}
	step := niceStep(top)
	axisMax := step * 4
	ch := &earningsChart{Left: chartLeft, Base: chartTop + chartPlot,
		First: monthName(lang, recent[0].Month, false), Last: monthName(lang, recent[len(recent)-1].Month, false)}
	ch.Right = chartLeft + len(recent)*chartGroup + 4
	ch.Width, ch.Height = ch.Right+4, chartTop+chartPlot+chartBottom
	height := func(v domain.IDR) int {
		if v <= 0 {
			return 0
		}
		return max(1, int(int64(v)*chartPlot/int64(axisMax))) // a sale, however small, shows
	}
	for i := domain.IDR(0); i <= 4; i++ {
		ch.Ticks = append(ch.Ticks, chartTick{Y: ch.Base - int(i)*chartPlot/4, Label: compactRupiah(lang, step*i)})
	}
	for i, m := range recent {
		x := chartLeft + 6 + i*chartGroup
		hs, hp := height(m.SalesIDR), height(m.PaidOutIDR)
		ch.Bars = append(ch.Bars,
			chartBarShape{X: x, Y: ch.Base - hs, W: chartBar, H: hs, Class: "bar-sales"},
			chartBarShape{X: x + chartBar + 2, Y: ch.Base - hp, W: chartBar, H: hp, Class: "bar-paid"})
		ch.Labels = append(ch.Labels, chartLabel{X: x + chartBar + 1, Text: monthName(lang, m.Month, true)})
	}
	return ch
}

// chartWindow is the chartMonths calendar months up to the newest month
// with money, oldest first; a month without any is there as zero, so the
// bars keep their width and a quiet month is seen as one.
func chartWindow(months []ledger.Month) []ledger.Month {
	byMonth := map[string]ledger.Month{}
	for _, m := range months {
		byMonth[m.Month] = m
	}
	last, err := time.Parse("2006-01", months[0].Month) // months come newest first
	if err != nil {
		out := slices.Clone(months[:min(len(months), chartMonths)])
		slices.Reverse(out)
		return out
	}
	out := make([]ledger.Month, 0, chartMonths)
	for i := chartMonths - 1; i >= 0; i-- {
		ym := last.AddDate(0, -i, 0).Format("2006-01")
		m, ok := byMonth[ym]
		if !ok {
			m = ledger.Month{Month: ym}
		}
		out = append(out, m)
	}
	return out
}

// niceStep is a round amount for a quarter of the axis, so that four steps
// reach at least top: 1, 2, 2.5 or 5 times a power of ten.
func niceStep(top domain.IDR) domain.IDR {
	if top <= 0 {
		return 1000
	}
	raw := (int64(top) + 3) / 4
	pow := int64(1)
	for pow*10 <= raw {
		pow *= 10
	}
	for _, f := range []int64{10, 20, 25, 50, 100} {
		if s := pow * f / 10; s >= raw {
			return domain.IDR(s)
		}
	}
	return domain.IDR(pow * 10)
}

// compactRupiah writes an axis amount short: Rp0, 250 rb, 1,5 jt (or 250k,
// 1.5m in English).
func compactRupiah(lang string, v domain.IDR) string {
	n := int64(v)
	units := []struct {
		size   int64
		id, en string
	}{{1_000_000_000, "M", "bn"}, {1_000_000, "jt", "m"}, {1_000, "rb", "k"}}
	for _, u := range units {
		if n >= u.size {
			whole, tenth := n/u.size, n%u.size*10/u.size
			num := strconv.FormatInt(whole, 10)
			sep, suffix := ",", " "+u.id
			if lang == LangEN {
				sep, suffix = ".", u.en
			}
			if tenth > 0 {
				num += sep + strconv.FormatInt(tenth, 10)
			}
			return num + suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

// monthName turns YYYY-MM into "November 2026" (or "Nov 26" when short) in
// the reader's language; anything else is shown as it came.
func monthName(lang, ym string, short bool) string {
	y, m, ok := strings.Cut(ym, "-")
	n, err := strconv.Atoi(m)
	if !ok || err != nil || n < 1 || n > 12 || len(y) != 4 {
		return ym
	}
	if short {
		return translate(lang, fmt.Sprintf("earnings.mon.%d", n)) + " " + y[2:]
	}
	return translate(lang, fmt.Sprintf("earnings.month.%d", n)) + " " + y
}
