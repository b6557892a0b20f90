package frontend

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
)

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
	actor := api.Actor(c)
	ctx := c.UserContext()
	lang := language(c)
	from, to := strings.Clone(c.Query("from")), strings.Clone(c.Query("to"))
	if from == "" && to == "" {
		from = time.Now().In(domain.Jakarta).AddDate(0, -5, 0).Format("2006-01")
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
		actor := api.Actor(c)
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
	actor := api.Actor(c)
	body, err := p.cases.CaseOutcomesCSV(c.UserContext(), actor, strings.Clone(c.Params("id")), strings.Clone(c.Query("from")), strings.Clone(c.Query("to")))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="hasil-per-kasus.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}
