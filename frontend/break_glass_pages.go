package frontend

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// closedCase answers a closed case refused to a colleague of its unit: why,
// and how to open it in an emergency.
func (p *Pages) closedCase(c *fiber.Ctx, status int, reason string, v *view) error {
	return p.render(c, status, "case_closed", "breakglass.title", map[string]any{"ID": c.Params("id"), "Reason": reason}, v)
}

// breakGlass opens a closed case for an hour with a reason, which the
// unit's supervisors receive at once.
func (p *Pages) breakGlass(c *fiber.Ctx) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	id := strings.Clone(c.Params("id"))
	reason := c.FormValue("reason")
	if _, err := p.cases.BreakGlass(c.UserContext(), actor, id, reason); err != nil {
		fields, other := formErrors(c, err)
		if other != nil {
			return other
		}
		return p.closedCase(c, fiber.StatusUnprocessableEntity, reason, &view{Errors: fields})
	}
	return c.Redirect("/staf/kasus/"+id+"?ok=breakglass", fiber.StatusSeeOther)
}
