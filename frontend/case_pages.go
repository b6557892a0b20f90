package frontend

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/regions"
)

type caseForm struct {
	LegalName, NIK, BirthDate, Sex, ProvinceCode, RegencyCode, Household, Cluster, Pillar, GivenBy string
	Victim                                                                                         bool
	Consents                                                                                       map[string]bool
}

type caseFormData struct {
	Form      caseForm
	Clusters  []string
	Pillars   []string
	Purposes  []string
	Provinces []regions.Province // the province and regency lists
}

func (p *Pages) newCaseData(c *fiber.Ctx, f caseForm) (caseFormData, error) {
	provinces, err := p.cases.Regions().Provinces(c.UserContext())
	return caseFormData{Form: f,
		Clusters:  []string{"disabilitas", "lansia", "anak", "napza", "tuna_sosial_tppo"},
		Pillars:   []string{"komunitas", "keluarga", "residensial"},
		Purposes:  []string{"case_management", "marketplace_selling", "data_bridge_to_case_record", "aggregate_reporting", "public_promotion"},
		Provinces: provinces}, err
}

func (p *Pages) newCaseForm(c *fiber.Ctx) error {
	f := caseForm{Sex: "female", GivenBy: "self", Household: "1", Consents: map[string]bool{"case_management": true}}
	d, err := p.newCaseData(c, f)
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "case_new", "case.new", d, nil)
}

func (p *Pages) createCase(c *fiber.Ctx) error {
	actor := api.Actor(c)
	f := caseForm{LegalName: c.FormValue("beneficiary.legal_name"), NIK: c.FormValue("beneficiary.nik"), BirthDate: c.FormValue("beneficiary.birth_date"),
		Sex: c.FormValue("beneficiary.sex"), ProvinceCode: c.FormValue("beneficiary.province_code"), RegencyCode: c.FormValue("beneficiary.regency_code"),
		Household: c.FormValue("beneficiary.household_size"), Cluster: c.FormValue("cluster"), Pillar: c.FormValue("pillar"),
		GivenBy: c.FormValue("given_by"), Victim: c.FormValue("victim") == "1", Consents: map[string]bool{}}
	in := cases.NewCase{Cluster: cases.Cluster(f.Cluster), Pillar: f.Pillar, UnitID: actor.UnitID, Victim: f.Victim,
		Beneficiary: cases.NewBeneficiary{LegalName: f.LegalName, NIK: f.NIK, BirthDate: f.BirthDate, Sex: f.Sex,
			ProvinceCode: f.ProvinceCode, RegencyCode: f.RegencyCode}}
	in.Beneficiary.HouseholdSize, _ = strconv.Atoi(f.Household)
	args := c.Request().PostArgs()
	for _, v := range args.PeekMulti("consent") {
		purpose := string(v)
		f.Consents[purpose] = true
		in.Consents = append(in.Consents, cases.ConsentInput{Purpose: cases.Purpose(purpose), GivenBy: f.GivenBy})
	}
	created, err := p.cases.Create(c.UserContext(), actor, in)
	if err != nil {
		f.NIK = "" // never echo a NIK back into a page
		d, derr := p.newCaseData(c, f)
		if derr != nil {
			return derr
		}
		return p.again(c, err, marks{}, p.pageOf(c, "case_new", "case.new", d))
	}
	return c.Redirect("/staf/kasus/"+created.ID, fiber.StatusSeeOther)
}

type caseData struct {
	Case          cases.Case
	Events        []cases.Event
	Delegations   []cases.Delegation
	Pendamping    []accounts.User
	Names         map[string]string
	Scopes        []access.Scope
	DefaultExpiry string
	Outcomes      *caseOutcomes // economic independence and its forms (case_outcome_pages.go)
	// Guardian and Assessments are opened with the identity only: each
	// opening is audited, so a plain visit of the page does not.
	Guardian    *cases.Guardian
	Assessments []cases.Assessment
	Relations   []string
	// Staff are the unit's caseworkers a supervisor may give the case to
	// (or name for a closed case), when MayAssign; Assignee is the one who
	// has it.
	Staff     []accounts.User
	MayAssign bool
	Assignee  string
}

func (p *Pages) caseData(c *fiber.Ctx, actor access.Actor, id string, identity bool) (caseData, error) {
	ctx := c.UserContext()
	cs, err := p.cases.Read(ctx, actor, id, identity)
	if err != nil {
		return caseData{}, err
	}
	d := caseData{Case: cs, Scopes: access.Scopes, Names: map[string]string{}, Relations: cases.GuardianRelations,
		DefaultExpiry: time.Now().In(domain.Jakarta).AddDate(0, 6, 0).Format(time.DateOnly)}
	events, err := p.cases.Events(ctx, actor, id, domain.Page{Limit: 50})
	if err != nil {
		return d, err
	}
	d.Events = events.Items
	if d.Delegations, err = p.cases.CaseDelegations(ctx, actor, id); err != nil {
		return d, err
	}
	users, err := p.accounts.UnitUsers(ctx, actor, cs.UnitID, domain.Page{Limit: domain.MaxLimit})
	if err != nil {
		return d, err
	}
	for _, u := range users.Items {
		d.Names[u.ID] = u.Name
		switch u.Role {
		case access.Pendamping:
			d.Pendamping = append(d.Pendamping, u)
		case access.Staff, access.Supervisor:
			d.Staff = append(d.Staff, u)
		}
	}
	if cs.AssignedStaffID != nil {
		d.Assignee = d.Names[*cs.AssignedStaffID]
	}
	if d.MayAssign, err = p.cases.MayAssign(ctx, actor, id); err != nil {
		return d, err
	}
	if identity {
		if d.Guardian, err = p.cases.ReadGuardian(ctx, actor, id); err != nil {
			return d, err
		}
		if d.Assessments, err = p.cases.Assessments(ctx, actor, id); err != nil {
			return d, err
		}
	}
	return d, p.withOutcomes(c, actor, &d)
}

func (p *Pages) casePage(c *fiber.Ctx) error {
	actor := api.Actor(c)
	d, err := p.caseData(c, actor, strings.Clone(c.Params("id")), c.Query("identitas") == "1")
	if errors.Is(err, cases.ErrClosedCase) {
		return p.closedCase(c, p.cfg.StatusOf(err), "", nil)
	}
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "case", "case.title", d, caseFlash(c))
}

func (p *Pages) delegate(c *fiber.Ctx) error {
	actor := api.Actor(c)
	id := strings.Clone(c.Params("id"))
	in := cases.NewDelegation{PendampingID: c.FormValue("pendamping_user_id"), CaseID: id}
	for _, v := range c.Request().PostArgs().PeekMulti("scopes") {
		in.Scopes = append(in.Scopes, access.Scope(v))
	}
	if day, err := time.ParseInLocation(time.DateOnly, c.FormValue("expires_at"), domain.Jakarta); err == nil {
		in.ExpiresAt = day.Add(24*time.Hour - time.Second) // to the end of that day
	}
	if _, err := p.cases.Delegate(c.UserContext(), actor, in); err != nil {
		d, derr := p.caseData(c, actor, id, false)
		if derr != nil {
			return derr
		}
		return p.again(c, err, marks{}, p.pageOf(c, "case", "case.title", d))
	}
	return c.Redirect("/staf/kasus/"+id, fiber.StatusSeeOther)
}

func (p *Pages) revoke(c *fiber.Ctx) error {
	actor := api.Actor(c)
	d, err := p.cases.Revoke(c.UserContext(), actor, strings.Clone(c.Params("id")))
	if err != nil {
		return err
	}
	return c.Redirect("/staf/kasus/"+d.CaseID, fiber.StatusSeeOther)
}
