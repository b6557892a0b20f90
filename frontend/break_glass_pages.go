package frontend

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
)

// closedCase answers a closed case refused to a colleague of its unit: why,
// and how to open it in an emergency.
func (p *Pages) closedCase(c *fiber.Ctx, status int, reason string, v *view) error {
	return p.render(c, status, "case_closed", "breakglass.title", map[string]any{"ID": c.Params("id"), "Reason": reason}, v)
}

// breakGlass opens a closed case for an hour with a reason, which the
// unit's supervisors receive at once.
func (p *Pages) breakGlass(c *fiber.Ctx) error {
	actor := api.Actor(c)
	id := strings.Clone(c.Params("id"))
	reason := c.FormValue("reason")
	if _, err := p.cases.BreakGlass(c.UserContext(), actor, id, reason); err != nil {
		return p.again(c, err, marks{}, func(status int, v *view) error { return p.closedCase(c, status, reason, v) })
	}
	return c.Redirect("/staf/kasus/"+id+"?ok=breakglass", fiber.StatusSeeOther)
}
