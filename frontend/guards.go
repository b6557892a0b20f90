package frontend

import (
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
)

// group mounts page routes behind the same guards (logged in, ...), which
// run before each of its handlers. Every route of an unsafe method checks
// the form's CSRF token first, so no form can be mounted without it; a
// handler never checks either itself. (Fiber's own Group middleware is a
// prefix's: on "" it would run for the API too.)
type group struct {
	r      fiber.Router
	csrf   fiber.Handler
	guards []fiber.Handler
}

// with is g with more guards, which run after g's.
func (g group) with(guards ...fiber.Handler) group {
	g.guards = append(slices.Clone(g.guards), guards...)
	return g
}

func (g group) get(path string, h fiber.Handler) {
	g.r.Get(path, append(slices.Clone(g.guards), h)...)
}

func (g group) post(path string, h fiber.Handler) {
	g.r.Post(path, append(append([]fiber.Handler{g.csrf}, g.guards...), h)...)
}

// form mounts a page that shows a form (GET) and the form's submission
// (POST) on one path.
func (g group) form(path string, show, submit fiber.Handler) {
	g.get(path, show)
	g.post(path, submit)
}

// loggedIn sends a visitor to the login page, and back to this page after.
func loggedIn(c *fiber.Ctx) error {
	if api.Actor(c).Anonymous() {
		return c.Redirect("/masuk?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	return c.Next()
}
