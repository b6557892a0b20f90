package frontend

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/cases"
)

type assessmentForm struct{ Date, Note string }

type guardianForm struct{ Relation, Name, Phone string }

// recordAssessment seals a social worker's assessment into the case.
func (p *Pages) recordAssessment() fiber.Handler {
	form := func(c *fiber.Ctx) assessmentForm {
		return assessmentForm{Date: c.FormValue("assessment.date"), Note: c.FormValue("assessment.note")}
	}
	return p.caseEntry("assessment", func(c *fiber.Ctx, actor access.Actor, id string) error {
		f := form(c)
		_, err := p.cases.RecordAssessment(c.UserContext(), actor, id, cases.NewAssessment{Date: f.Date, Note: f.Note})
		return err
	}, func(c *fiber.Ctx, o *caseOutcomes) { o.Assessment = form(c) })
}

// setGuardian records who the PM's guardian is now.
func (p *Pages) setGuardian() fiber.Handler {
	form := func(c *fiber.Ctx) guardianForm {
		return guardianForm{Relation: c.FormValue("guardian.relation"), Name: c.FormValue("guardian.name"), Phone: c.FormValue("guardian.phone")}
	}
	return p.caseEntry("guardian", func(c *fiber.Ctx, actor access.Actor, id string) error {
		f := form(c)
		return p.cases.SetGuardian(c.UserContext(), actor, id, cases.GuardianInput{Relation: f.Relation, Name: f.Name, Phone: f.Phone})
	}, func(c *fiber.Ctx, o *caseOutcomes) { o.Guardian = form(c) })
}

// caseStaff is a supervisor's change of who works on a case: assign gives
// it to a caseworker; name lets a colleague open a closed case.
func (p *Pages) caseStaff(name bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		actor := api.Actor(c)
		id, userID := strings.Clone(c.Params("id")), c.FormValue("user_id")
		var err error
		done := "assigned"
		if name {
			done, err = "named", p.cases.NameStaff(c.UserContext(), actor, id, userID)
		} else {
			err = p.cases.Assign(c.UserContext(), actor, id, userID)
		}
		if err != nil {
			return err
		}
		return c.Redirect("/staf/kasus/"+id+"?ok="+done, fiber.StatusSeeOther)
	}
}
