package notify

import (
	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
)

// Routes mounts GET /notifications (admin): the messages kept because no
// SMTP server is set, or that failed, newest first.
func Routes(r fiber.Router, o *Outbox) {
	r.Get("/notifications", func(c *fiber.Ctx) error {
		msgs, err := o.Kept(c.UserContext(), access.ActorFrom(c.UserContext()), 100)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"items": msgs})
	})
}
