package frontend

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/regions"
)

type wageForm struct{ Year, ProvinceCode, RegencyCode, Amount, Source string }

type povertyForm struct{ Period, ProvinceCode, Amount, Source string }

type referenceData struct {
	Wages   []cases.MinimumWage
	Lines   []cases.PovertyLine
	Wage    wageForm
	Poverty povertyForm
	// Provinces are the forms' lists; Names names the tables' codes.
	Provinces []regions.Province
	Names     map[string]string
}

var referenceDone = []string{"wage", "poverty"}

// reference is the admin's page of minimum wages and poverty lines: the
// rows in force with their source, and forms to add one (a correction is a
// new row).
func (p *Pages) reference(c *fiber.Ctx) error {
	return p.renderReference(c, fiber.StatusOK, referenceData{Wage: wageForm{Year: strconv.Itoa(time.Now().In(domain.Jakarta).Year())}},
		doneFlash(c, "reference.done.", referenceDone))
}

func (p *Pages) renderReference(c *fiber.Ctx, status int, d referenceData, v *view) error {
	actor := api.Actor(c)
	if err := p.cases.MayManageReference(actor); err != nil {
		return err
	}
	ctx := c.UserContext()
	var err error
	if d.Wages, err = p.cases.MinimumWages(ctx, cases.ReferenceFilter{}); err != nil {
		return err
	}
	if d.Lines, err = p.cases.PovertyLines(ctx, cases.ReferenceFilter{}); err != nil {
		return err
	}
	if d.Provinces, err = p.cases.Regions().Provinces(ctx); err != nil {
		return err
	}
	if d.Names, err = p.cases.Regions().Names(ctx); err != nil {
		return err
	}
	return p.render(c, status, "reference", "reference.title", d, v)
}

// referenceFailed shows the page again with one form's errors.
func (p *Pages) referenceFailed(c *fiber.Ctx, prefix string, d referenceData, err error) error {
	return p.again(c, err, marks{prefix: prefix}, func(status int, v *view) error { return p.renderReference(c, status, d, v) })
}

func (p *Pages) addWage(c *fiber.Ctx) error {
	actor := api.Actor(c)
	f := wageForm{Year: c.FormValue("wage.year"), ProvinceCode: strings.TrimSpace(c.FormValue("wage.province_code")),
		RegencyCode: strings.TrimSpace(c.FormValue("wage.regency_code")), Amount: c.FormValue("wage.amount_idr"), Source: c.FormValue("wage.source")}
	d := referenceData{Wage: f}
	year, _ := strconv.Atoi(strings.TrimSpace(f.Year))
	amount, aerr := domain.ParseIDR(f.Amount)
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
	actor := api.Actor(c)
	f := povertyForm{Period: strings.TrimSpace(c.FormValue("poverty.period")), ProvinceCode: strings.TrimSpace(c.FormValue("poverty.province_code")),
		Amount: c.FormValue("poverty.amount_idr"), Source: c.FormValue("poverty.source")}
	d := referenceData{Poverty: f, Wage: wageForm{Year: strconv.Itoa(time.Now().In(domain.Jakarta).Year())}}
	amount, aerr := domain.ParseIDR(f.Amount)
	if aerr != nil {
		amount = 0
	}
	if _, err := p.cases.AddPovertyLine(c.UserContext(), actor, cases.NewPovertyLine{Period: f.Period, ProvinceCode: f.ProvinceCode,
		AmountIDR: amount, Source: f.Source}); err != nil {
		return p.referenceFailed(c, "poverty", d, err)
	}
	return c.Redirect("/admin/referensi?ok=poverty", fiber.StatusSeeOther)
}
