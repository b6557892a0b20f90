package catalog

import (
	"errors"
	"io"
	"regexp"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/domain"
)

var mediaName = regexp.MustCompile(`^[0-9a-f]{64}\.(webp|jpg)$`)

// MediaRoutes serves the photo variants at /media/img/:name: only
// content-addressed keys, so the answer for a name never changes and may be
// cached forever, by browsers and by a CDN in front.
func MediaRoutes(r fiber.Router, s *Service) {
	r.Get("/media/img/:name", func(c *fiber.Ctx) error {
		name := c.Params("name")
		if !mediaName.MatchString(name) {
			return domain.ErrNotFound
		}
		etag := `"` + name[:64] + `"`
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		c.Set(fiber.HeaderETag, etag)
		if c.Get(fiber.HeaderIfNoneMatch) == etag {
			return c.SendStatus(fiber.StatusNotModified)
		}
		body, info, err := s.objects.Get(c.UserContext(), "img/"+name)
		if err != nil {
			if errors.Is(err, domain.ErrNotFound) {
				c.Set(fiber.HeaderCacheControl, "no-store")
			}
			return err
		}
		defer body.Close()
		b, err := io.ReadAll(body)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, info.ContentType)
		return c.Send(b)
	})
}
