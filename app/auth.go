package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
)

// startsSession are the API paths whose POST needs no session and ignores a
// bearer token, valid or not.
var startsSession = map[string]bool{
	"/api/v1/auth/login":          true,
	"/api/v1/auth/register":       true,
	"/api/v1/auth/password-reset": true,
}

// authenticate puts the request's actor into its context. The API reads
// only the bearer token and pages only the session cookie, so a cookie can
// never be replayed against the API by a cross-site form. A token that is
// presented but not valid is a 401 on the API; on a page it just means
// "not logged in".
func (a *App) authenticate(c *fiber.Ctx) error {
	ctx := api.WithReplays(audit.WithRequestID(c.UserContext(), requestID(c)), a.replays)
	c.SetUserContext(ctx)
	var token string
	isAPI := strings.HasPrefix(c.Path(), "/api/")
	switch {
	case c.Method() == fiber.MethodPost && startsSession[c.Path()]:
		// A client whose token ran out must still be able to log in again
		// with the stale header attached.
	case isAPI:
		token, _ = accounts.BearerToken(c)
	default:
		token = c.Cookies(accounts.SessionCookie)
	}
	if token == "" {
		return c.Next()
	}
	actor, err := a.accounts.Authenticate(ctx, token)
	if err != nil {
		if isAPI || !errors.Is(err, domain.ErrUnauthorized) {
			return err
		}
		return c.Next()
	}
	if actor.Role == access.Pendamping {
		// Loaded on every request, so a revoked delegation stops working at once.
		if actor.Delegations, err = a.cases.ActiveDelegations(ctx, actor.UserID); err != nil {
			return err
		}
	}
	c.SetUserContext(access.WithActor(ctx, actor))
	return c.Next()
}
