package frontend

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
)

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
	actor := api.Actor(c)
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
	month := monthName(lang, time.Now().In(domain.Jakarta).Format("2006-01"), false)
	return p.render(c, fiber.StatusOK, "caseload", "caseload.title", map[string]any{"Rows": rows, "Month": month}, nil)
}
