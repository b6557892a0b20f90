package cases

import (
	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/api"
)

// Handler serves the cases API.
type Handler struct{ svc *Service }

// NewHandler builds the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Routes mounts the cases API under r (/api/v1).
func (h *Handler) Routes(r fiber.Router) {
	r.Post("/cases", h.create)
	r.Get("/cases/:id", h.read)
	r.Get("/cases/:id/events", h.events)
	r.Get("/cases/:id/access-log", h.accessLog)
	r.Post("/cases/:id/consents", h.recordConsent)
	r.Get("/cases/:id/delegations", h.caseDelegations)
	r.Post("/delegations", h.delegate)
	r.Post("/delegations/:id/revoke", h.revoke)
	r.Get("/me/delegations", h.myDelegations)
}

func (h *Handler) create(c *fiber.Ctx) error {
	var in NewCase
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Create(c.UserContext(), access.ActorFrom(c.UserContext()), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
}

// read answers the case; ?include=sensitive adds legal name and NIK for
// readers with that right, and is audited.
func (h *Handler) read(c *fiber.Ctx) error {
	out, err := h.svc.Read(c.UserContext(), access.ActorFrom(c.UserContext()), api.Param(c, "id"), c.Query("include") == "sensitive")
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *Handler) events(c *fiber.Ctx) error {
	page, err := api.Page(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Events(c.UserContext(), access.ActorFrom(c.UserContext()), api.Param(c, "id"), page)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *Handler) accessLog(c *fiber.Ctx) error {
	out, err := h.svc.AccessLog(c.UserContext(), access.ActorFrom(c.UserContext()), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h *Handler) recordConsent(c *fiber.Ctx) error {
	var in ConsentInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.RecordConsent(c.UserContext(), access.ActorFrom(c.UserContext()), api.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
}

func (h *Handler) caseDelegations(c *fiber.Ctx) error {
	out, err := h.svc.CaseDelegations(c.UserContext(), access.ActorFrom(c.UserContext()), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h *Handler) delegate(c *fiber.Ctx) error {
	var in NewDelegation
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Delegate(c.UserContext(), access.ActorFrom(c.UserContext()), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
}

func (h *Handler) revoke(c *fiber.Ctx) error {
	out, err := h.svc.Revoke(c.UserContext(), access.ActorFrom(c.UserContext()), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *Handler) myDelegations(c *fiber.Ctx) error {
	out, err := h.svc.MyDelegations(c.UserContext(), access.ActorFrom(c.UserContext()))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}
