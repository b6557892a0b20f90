package notify

import (
	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
)

// Routes mounts GET /notifications (admin): the messages kept because no
// SMTP server is set, or that failed, newest first.
func Routes(r fiber.Router, o *Outbox) {
	r.Get("/notifications", func(c *fiber.Ctx) error {
		msgs, err := o.Kept(c.UserContext(), api.Actor(c), 100)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"items": msgs})
	})
}
