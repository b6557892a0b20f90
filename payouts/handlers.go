package payouts

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
)

// Handler serves the payouts API.
type Handler struct {
	svc *Service
}

// NewHandler builds the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Routes mounts the payouts API under r (/api/v1).
func (h *Handler) Routes(r fiber.Router) {
	r.Get("/shops/:id/payout-route", h.readRoute)
	r.Put("/shops/:id/payout-route", api.Change(h.svc.SetRoute))
	r.Post("/shops/:id/payout-route/confirm", h.confirmRoute)
	r.Post("/shops/:id/cash-sales", h.sellerCash)
	r.Post("/payout-batches", h.draft)
	// The exports first: ":id" alone would take "x.csv" as the id.
	r.Get("/payout-batches/:id.xlsx", h.exportXLSX)
	r.Get("/payout-batches/:id.csv", h.exportCSV)
	r.Get("/payout-batches/:id", api.Read(h.svc.ReadBatch))
	r.Post("/payout-batches/:id/approve", api.Read(h.svc.Approve))
	r.Post("/payout-batches/:id/cancel", api.Read(h.svc.Cancel))
	r.Post("/payout-batches/:id/lines/:line/paid", h.paid)
	r.Post("/payout-batches/:id/lines/:line/received", h.received)
	r.Post("/payout-batches/:id/lines/:line/proof", h.attachProof)
	r.Get("/payout-batches/:id/lines/:line/proof", h.proof)
	r.Get("/units/:id/payout-batches", api.Paged(h.svc.UnitBatches))
	r.Get("/units/:id/payout-lines/flagged", h.flagged)
	r.Get("/me/earnings", h.earnings)
}

func (h *Handler) readRoute(c *fiber.Ctx) error {
	v, err := h.svc.ReadRoute(c.UserContext(), api.Actor(c), api.Param(c, "id"), c.Query("include") == "account_no")
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) confirmRoute(c *fiber.Ctx) error {
	var in ConfirmInput
	// No body at all is a missing route_id, told after who asks is checked.
	if len(c.Body()) > 0 {
		if err := api.Decode(c, &in); err != nil {
			return err
		}
	}
	v, err := h.svc.ConfirmRoute(c.UserContext(), api.Actor(c), api.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) sellerCash(c *fiber.Ctx) error {
	var in CashInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	return api.Idempotent(c, h.svc.db, "seller_cash:"+api.Param(c, "id"), func() (int, any, error) {
		b, err := h.svc.RecordSellerCash(c.UserContext(), api.Actor(c), api.Param(c, "id"), in)
		return fiber.StatusCreated, b, err
	})
}

func (h *Handler) draft(c *fiber.Ctx) error {
	var in DraftInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	return api.Idempotent(c, h.svc.db, "payout_draft", func() (int, any, error) {
		b, err := h.svc.Draft(c.UserContext(), api.Actor(c), in)
		return fiber.StatusCreated, b, err
	})
}

func (h *Handler) exportCSV(c *fiber.Ctx) error {
	b, err := h.svc.ExportCSV(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return api.SendFile(c, b, "text/csv; charset=utf-8", "payout-"+api.Param(c, "id")+".csv")
}

func (h *Handler) exportXLSX(c *fiber.Ctx) error {
	b, err := h.svc.ExportXLSX(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return api.SendFile(c, b, api.XLSX, "payout-"+api.Param(c, "id")+".xlsx")
}

func (h *Handler) paid(c *fiber.Ctx) error {
	var in PaidInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	id, line := api.Param(c, "id"), api.Param(c, "line")
	return api.Idempotent(c, h.svc.db, "payout_paid:"+line, func() (int, any, error) {
		l, err := h.svc.MarkPaid(c.UserContext(), api.Actor(c), id, line, in)
		if l.AwaitingSecond {
			return fiber.StatusAccepted, l, err // recorded, not paid: a second person must record it too
		}
		return fiber.StatusOK, l, err
	})
}

func (h *Handler) received(c *fiber.Ctx) error {
	l, err := h.svc.Received(c.UserContext(), api.Actor(c), api.Param(c, "id"), api.Param(c, "line"))
	if err != nil {
		return err
	}
	return c.JSON(l)
}

func (h *Handler) attachProof(c *fiber.Ctx) error {
	var body io.Reader // nil when no file came: the service says so after checking who asks
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return domain.Invalid("file", "field.photo.unreadable")
		}
		defer f.Close()
		body = f
	}
	l, err := h.svc.AttachProof(c.UserContext(), api.Actor(c), api.Param(c, "id"), api.Param(c, "line"), body)
	if err != nil {
		return err
	}
	return api.Created(c, l)
}

// proof sends staff on to a presigned link that works for a few minutes.
func (h *Handler) proof(c *fiber.Ctx) error {
	url, err := h.svc.ProofLink(c.UserContext(), api.Actor(c), api.Param(c, "id"), api.Param(c, "line"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(url, fiber.StatusSeeOther)
}

func (h *Handler) flagged(c *fiber.Ctx) error {
	lines, err := h.svc.Flagged(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": lines, "receipt_days": h.svc.settings.ReceiptDays})
}

func (h *Handler) earnings(c *fiber.Ctx) error {
	e, err := h.svc.Earnings(c.UserContext(), api.Actor(c))
	if err != nil {
		return err
	}
	return c.JSON(e)
}
