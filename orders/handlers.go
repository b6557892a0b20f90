package orders

import (
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
)

// Handler serves the orders API.
type Handler struct {
	svc           *Service
	webhookSecret string
	secureCookie  bool
	log           *slog.Logger
}

// NewHandler builds the handler; webhookSecret checks Stripe's signatures;
// secureCookie marks the cart cookie Secure (https).
func NewHandler(svc *Service, webhookSecret string, secureCookie bool) *Handler {
	return &Handler{svc: svc, webhookSecret: webhookSecret, secureCookie: secureCookie, log: slog.New(slog.DiscardHandler)}
}

// LogTo sends the handler's notes (webhooks that name no order of ours) to log.
func (h *Handler) LogTo(log *slog.Logger) { h.log = log }

// WebhookRoutes mounts the payment providers' webhooks (outside /api/v1).
func (h *Handler) WebhookRoutes(r fiber.Router) {
	r.Post("/webhooks/stripe", h.stripeWebhook)
}

// stripeWebhook checks the signature over the raw body before reading
// anything; a bad one is 400 and changes nothing.
func (h *Handler) stripeWebhook(c *fiber.Ctx) error {
	if h.webhookSecret == "" || h.svc.cards == nil {
		return domain.Errorf(domain.ErrNotFound, "orders.card.off")
	}
	ev, err := webhook.ConstructEventWithOptions(c.Body(), c.Get("Stripe-Signature"), h.webhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		return domain.Errorf(domain.ErrBadRequest, "orders.webhook.signature")
	}
	e := CardEvent{ID: ev.ID, Type: string(ev.Type)}
	if ev.Data != nil {
		if id, ok := ev.Data.Object["id"].(string); ok && strings.HasPrefix(string(ev.Type), "checkout.session.") {
			e.SessionID = id
		}
		if pi, ok := ev.Data.Object["payment_intent"].(string); ok {
			e.PaymentID = pi
		}
	}
	outcome, err := h.svc.HandleCardEvent(c.UserContext(), e)
	if err != nil {
		return err // a fault worth the provider's retry: 5xx
	}
	if unknownEvent(outcome) {
		h.log.WarnContext(c.UserContext(), "stripe event names no order of ours", "event_id", e.ID, "type", e.Type,
			"session_id", e.SessionID, "payment_id", e.PaymentID, "outcome", outcome)
	}
	return c.JSON(fiber.Map{"received": true, "outcome": outcome})
}

// Routes mounts the orders API under r (/api/v1).
func (h *Handler) Routes(r fiber.Router) {
	r.Post("/checkout", h.checkout)
	r.Post("/order-groups/:id/confirm-payment", h.confirmPayment)
	r.Post("/sales", h.sale)
	r.Get("/orders/:id", h.order)
	r.Post("/orders/:id/ship", h.move(Ship))
	r.Post("/orders/:id/deliver", h.move(Deliver))
	r.Post("/orders/:id/complete", h.move(Complete))
	r.Post("/orders/:id/cancel", h.move(Cancel))
	r.Post("/orders/:id/refunds", h.move(Refund))
	r.Get("/shops/:id/orders", h.shopOrders)
	r.Get("/me/orders", h.myOrders)
	r.Get("/units/:id/orders", h.unitOrders)
	r.Get("/shops/:id/balance", h.balance)
	r.Get("/ledger/check", h.ledgerCheck)
	h.cartRoutes(r)
}

func (h *Handler) checkout(c *fiber.Ctx) error {
	var in CheckoutInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	in.ClientIP = api.ClientAddr(c)
	in.Lang = locale.FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage))
	return api.Idempotent(c, h.svc.db, "checkout", func() (int, any, error) {
		g, err := h.svc.Checkout(c.UserContext(), api.Actor(c), in)
		return fiber.StatusCreated, g, err
	})
}

func (h *Handler) sale(c *fiber.Ctx) error {
	var in SaleInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	return api.Idempotent(c, h.svc.db, "sale", func() (int, any, error) {
		g, err := h.svc.RecordSale(c.UserContext(), api.Actor(c), in)
		return fiber.StatusCreated, g, err
	})
}

func (h *Handler) confirmPayment(c *fiber.Ctx) error {
	var in struct {
		Reference string `json:"reference"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	g, err := h.svc.ConfirmTransfer(c.UserContext(), api.Actor(c), api.Param(c, "id"), in.Reference)
	if err != nil {
		return err
	}
	return c.JSON(g.In(reader(c)))
}

// orderToken is a guest's private order link token, sent as ?token= or
// the X-Order-Token header.
func orderToken(c *fiber.Ctx) string {
	if t := c.Get("X-Order-Token"); t != "" {
		return t
	}
	return c.Query("token")
}

func (h *Handler) order(c *fiber.Ctx) error {
	o, err := h.svc.ReadOrder(c.UserContext(), api.Actor(c), orderToken(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(o.In(reader(c)))
}

// reader is the printer of the API caller's language (Accept-Language).
func reader(c *fiber.Ctx) *locale.Printer {
	return locale.For(locale.FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage)))
}

// listIn words a list's orders in the caller's language.
func listIn(c *fiber.Ctx, list domain.List[Order]) domain.List[Order] {
	p := reader(c)
	for i, o := range list.Items {
		list.Items[i] = o.In(p)
	}
	return list
}

func (h *Handler) move(e Event) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in struct {
			Carrier    string     `json:"carrier"`
			TrackingNo string     `json:"tracking_no"`
			AmountIDR  domain.IDR `json:"amount_idr"`
			Reason     string     `json:"reason"`
		}
		if len(c.Body()) > 0 {
			if err := api.Decode(c, &in); err != nil {
				return err
			}
		}
		m := Move{Event: e, Token: orderToken(c), Carrier: in.Carrier, TrackingNo: in.TrackingNo, AmountIDR: in.AmountIDR, Reason: in.Reason}
		run := func() (int, any, error) {
			o, err := h.svc.MoveOrder(c.UserContext(), api.Actor(c), api.Param(c, "id"), m)
			return fiber.StatusOK, o.In(reader(c)), err
		}
		if e == Refund {
			return api.Idempotent(c, h.svc.db, "refund:"+api.Param(c, "id"), run)
		}
		status, body, err := run()
		if err != nil {
			return err
		}
		return c.Status(status).JSON(body)
	}
}

func (h *Handler) shopOrders(c *fiber.Ctx) error {
	page, err := api.Page(c)
	if err != nil {
		return err
	}
	list, err := h.svc.ShopOrders(c.UserContext(), api.Actor(c), api.Param(c, "id"), page)
	if err != nil {
		return err
	}
	return c.JSON(listIn(c, list))
}

func (h *Handler) myOrders(c *fiber.Ctx) error {
	page, err := api.Page(c)
	if err != nil {
		return err
	}
	list, err := h.svc.MyOrders(c.UserContext(), api.Actor(c), page)
	if err != nil {
		return err
	}
	return c.JSON(listIn(c, list))
}

func (h *Handler) unitOrders(c *fiber.Ctx) error {
	page, err := api.Page(c)
	if err != nil {
		return err
	}
	list, err := h.svc.UnitOrders(c.UserContext(), api.Actor(c), api.Param(c, "id"), Status(c.Query("status")), page)
	if err != nil {
		return err
	}
	return c.JSON(listIn(c, list))
}

func (h *Handler) balance(c *fiber.Ctx) error {
	b, err := h.svc.ShopBalance(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(b)
}

func (h *Handler) ledgerCheck(c *fiber.Ctx) error {
	actor := api.Actor(c)
	if err := access.Can(actor, access.CheckLedger, access.Resource{}, h.svc.now()); err != nil {
		return err
	}
	res, err := h.svc.CheckLedger(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(res)
}
