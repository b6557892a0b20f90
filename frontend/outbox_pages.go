package frontend

import (
	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
)

// outboxPage shows admins the messages kept because no SMTP server is set (or
// that failed): order confirmations, break-glass notices.
func (p *Pages) outboxPage(c *fiber.Ctx) error {
	actor := api.Actor(c)
	msgs, err := p.outbox.Kept(c.UserContext(), actor, 100)
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "outbox", "outbox.title", map[string]any{"Messages": msgs}, nil)
}
