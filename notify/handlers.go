package notify

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/storage"
)

// Routes mounts GET /notifications (admin): the messages kept because no
// SMTP server is set, or that failed, newest first.
func Routes(r fiber.Router, db *storage.DB) {
	r.Get("/notifications", func(c *fiber.Ctx) error {
		if err := access.Can(access.ActorFrom(c.UserContext()), access.ReadOutbox, access.Resource{}, time.Now()); err != nil {
			return err
		}
		msgs, err := Kept(c.UserContext(), db.Gorm, 100)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"items": msgs})
	})
}
