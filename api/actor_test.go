package api_test

import (
	"io"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/api"
)

// TestActorIsWhomTheSessionNamed: a handler reads the actor the
// authentication middleware put into the request's context, and an
// anonymous request reads the anonymous actor.
func TestActorIsWhomTheSessionNamed(t *testing.T) {
	app := fiber.New()
	app.Use(func(c *fiber.Ctx) error {
		if c.Get("X-Test-User") != "" {
			c.SetUserContext(access.WithActor(c.UserContext(), access.Actor{UserID: c.Get("X-Test-User"), Role: access.Staff}))
		}
		return c.Next()
	})
	app.Get("/", func(c *fiber.Ctx) error {
		a := api.Actor(c)
		if a.Anonymous() {
			return c.SendString("anonymous")
		}
		return c.SendString(a.UserID + " " + string(a.Role))
	})
	for user, want := range map[string]string{"u-1": "u-1 staff", "": "anonymous"} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("X-Test-User", user)
		resp, err := app.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if string(body) != want {
			t.Errorf("user %q: handler saw %q, want %q", user, body, want)
		}
	}
}
