package frontend

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/payouts"
)

// approvals is the supervisor's queue: payout drafts and proposed
// graduations of the unit and its network. Other staff of the unit see it
// too, but only a supervisor who is not the maker may decide.
func (p *Pages) approvals(c *fiber.Ctx) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	data, err := p.approvalsData(c, actor)
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "approvals", "nav.approvals", data, doneFlash(c, "graduation.done.", []string{"approved", "rejected"}))
}

func (p *Pages) approvalsData(c *fiber.Ctx, actor access.Actor) (map[string]any, error) {
	list, err := p.payouts.UnitBatches(c.UserContext(), actor, actor.UnitID, domain.Page{Limit: 100})
	if err != nil {
		return nil, err
	}
	var drafts []payouts.Batch
	for _, b := range list.Items {
		if b.Status == payouts.Draft {
			drafts = append(drafts, b)
		}
	}
	graduations, err := p.cases.ProposedGraduations(c.UserContext(), actor)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Batches": drafts, "Graduations": graduations}, nil
}

// decideGraduation is a supervisor's approval or rejection of a proposed
// graduation; a rejection without a reason shows the queue again with the
// error at that proposal's field.
func (p *Pages) decideGraduation(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		actor, ok, err := requireLogin(c)
		if !ok {
			return err
		}
		review, perr := strconv.ParseInt(c.Params("review"), 10, 64)
		if perr != nil {
			return domain.ErrNotFound
		}
		field := "reason-" + strconv.FormatInt(review, 10) // one reason field per proposal on the page
		_, derr := p.cases.DecideGraduation(c.UserContext(), actor, strings.Clone(c.Params("case")), review, approve, c.FormValue(field))
		if derr == nil {
			done := "rejected"
			if approve {
				done = "approved"
			}
			return c.Redirect("/staf/persetujuan?ok="+done, fiber.StatusSeeOther)
		}
		fields, other := formErrors(c, derr)
		if other != nil {
			return other
		}
		data, err := p.approvalsData(c, actor)
		if err != nil {
			return err
		}
		data[field] = c.FormValue(field)
		return p.render(c, fiber.StatusUnprocessableEntity, "approvals", "nav.approvals", data,
			&view{Errors: map[string]string{field: fields["reason"]}, FormError: translate(language(c), "error.form")})
	}
}
