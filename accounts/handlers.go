package accounts

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
)

// SessionCookie carries the session token for the web pages. The JSON API
// takes only bearer tokens, so a forged cross-site form can never use it.
const SessionCookie = "atensi_session"

// Handler serves the accounts API.
type Handler struct {
	svc          *Service
	secureCookie bool
}

// NewHandler builds the handler; secureCookie marks the cookie Secure (https).
func NewHandler(svc *Service, secureCookie bool) *Handler {
	return &Handler{svc: svc, secureCookie: secureCookie}
}

// Routes mounts the accounts API under r (/api/v1).
func (h *Handler) Routes(r fiber.Router) {
	r.Post("/auth/login", h.login)
	r.Post("/auth/register", h.register)
	r.Post("/auth/logout", h.logout)
	r.Post("/auth/password", h.changePassword)
	r.Post("/auth/password-reset", h.redeemPasswordLink)
	r.Get("/me", h.me)
	r.Post("/units", api.Create(h.svc.CreateUnit))
	r.Get("/units/:id", api.Read(h.svc.ReadUnit))
	r.Patch("/units/:id", h.updateUnit)
	r.Put("/units/:id/receiving-account", api.Change(h.svc.SetReceivingAccount))
	r.Get("/units/:id/users", api.Paged(h.svc.UnitUsers))
	r.Post("/users", h.createUser)
	r.Post("/users/:id/password-link", h.issuePasswordLink)
}

type me struct {
	ID     string      `json:"id"`
	Name   string      `json:"name"`
	Email  string      `json:"email"`
	Role   access.Role `json:"role"`
	UnitID *string     `json:"unit_id,omitempty"`
}

func meOf(u User) me {
	return me{ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, UnitID: u.UnitID}
}

// ClientOf describes the caller for login records and throttling.
func ClientOf(c *fiber.Ctx) Client {
	return Client{IP: api.ClientAddr(c), UserAgent: string(c.Request().Header.UserAgent())}
}

func (h *Handler) login(c *fiber.Ctx) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	token, u, err := h.svc.Login(c.UserContext(), in.Email, in.Password, ClientOf(c))
	if err != nil {
		return err
	}
	h.setCookie(c, token, u.Role)
	return c.JSON(fiber.Map{"token": token, "user": meOf(u)})
}

func (h *Handler) setCookie(c *fiber.Ctx, token string, role access.Role) {
	c.Cookie(SessionCookieFor(token, role, h.secureCookie))
}

// SessionCookieFor is the page session cookie for a token: HttpOnly, SameSite
// Lax, Secure over https, living as long as the role's sessions.
func SessionCookieFor(token string, role access.Role, secure bool) *fiber.Cookie {
	_, absolute := lifetime(role)
	return &fiber.Cookie{Name: SessionCookie, Value: token, Path: "/", HTTPOnly: true, Secure: secure,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(absolute)}
}

func (h *Handler) register(c *fiber.Ctx) error {
	var in struct {
		Name     string `json:"name"`
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	lang := locale.FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage))
	if _, err := h.svc.Register(c.UserContext(), NewUser{Name: in.Name, Email: in.Email, Password: in.Password, Lang: lang}); err != nil {
		return err
	}
	// The same answer whether the account was made or the email already had
	// one (its owner was mailed): nobody learns who has an account here.
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"email": strings.ToLower(strings.TrimSpace(in.Email)),
		"detail": locale.For(lang).Text("accounts.register.done")})
}

func (h *Handler) logout(c *fiber.Ctx) error {
	token, ok := BearerToken(c)
	if !ok {
		return domain.ErrUnauthorized
	}
	if err := h.svc.Logout(c.UserContext(), token); err != nil {
		return err
	}
	c.ClearCookie(SessionCookie)
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) changePassword(c *fiber.Ctx) error {
	actor := api.Actor(c)
	if actor.Anonymous() {
		return domain.ErrUnauthorized
	}
	var in struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	token, err := h.svc.ChangePassword(c.UserContext(), actor, in.CurrentPassword, in.NewPassword, ClientOf(c))
	if err != nil {
		return err
	}
	h.setCookie(c, token, actor.Role)
	return c.JSON(fiber.Map{"token": token})
}

func (h *Handler) redeemPasswordLink(c *fiber.Ctx) error {
	var in struct {
		Token    string `json:"token"`
		Password string `json:"password"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	if err := h.svc.RedeemPasswordLink(c.UserContext(), in.Token, in.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) me(c *fiber.Ctx) error {
	actor := api.Actor(c)
	if actor.Anonymous() {
		return domain.ErrUnauthorized
	}
	u, err := h.svc.User(c.UserContext(), actor.UserID)
	if err != nil {
		return err
	}
	return c.JSON(meOf(u))
}

// updateUnit changes a unit's settings; today only whether products need review.
func (h *Handler) updateUnit(c *fiber.Ctx) error {
	var in struct {
		PublishWithoutReview *bool `json:"publish_without_review"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	if in.PublishWithoutReview == nil {
		return domain.Invalid("publish_without_review", "accounts.publish.required")
	}
	u, err := h.svc.SetPublishWithoutReview(c.UserContext(), api.Actor(c), api.Param(c, "id"), *in.PublishWithoutReview)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (h *Handler) createUser(c *fiber.Ctx) error {
	var in NewUser
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	u, err := h.svc.CreateUser(c.UserContext(), api.Actor(c), in)
	if err != nil {
		return err
	}
	return api.Created(c, meOf(u))
}

func (h *Handler) issuePasswordLink(c *fiber.Ctx) error {
	link, err := h.svc.IssuePasswordLink(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return api.Created(c, link)
}

// BearerToken is the token of an `Authorization: Bearer` header.
func BearerToken(c *fiber.Ctx) (string, bool) {
	h := c.Get(fiber.HeaderAuthorization)
	const prefix = "Bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	return h[len(prefix):], true
}
