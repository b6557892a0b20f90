package frontend

import (
	"errors"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/orders"
)

type checkoutForm struct{ Name, Email, Phone, Method, Address, Payment string }

// checkoutData is the checkout page's: the cart, and what ordering it will
// charge for each shop (courier fee, pick-up place) and where a transfer
// goes, from the rates the order itself is charged at.
func (p *Pages) checkoutData(c *fiber.Ctx, f checkoutForm) (map[string]any, error) {
	cart, err := p.orders.ReadCart(c.UserContext(), cartOwner(c))
	if err != nil {
		return nil, err
	}
	preview, err := p.orders.PreviewCheckout(c.UserContext(), cart, f.Address)
	if err != nil {
		return nil, err
	}
	d := map[string]any{"Cart": cart.In(locale.For(language(c))), "Form": f, "Cards": p.orders.CardsOn(), "Preview": preview, "TransferRefused": ""}
	if preview.TransferRefused != "" {
		d["TransferRefused"] = translate(language(c), preview.TransferRefused)
	}
	return d, nil
}

func (p *Pages) checkoutForm(c *fiber.Ctx) error {
	f := checkoutForm{Method: "pickup"}
	if a := api.Actor(c); !a.Anonymous() {
		if u, err := p.accounts.User(c.UserContext(), a.UserID); err == nil {
			f.Name, f.Email = u.Name, u.Email
		}
	}
	d, err := p.checkoutData(c, f)
	if err != nil {
		return err
	}
	if len(d["Cart"].(orders.Cart).Shops) == 0 {
		return c.Redirect("/keranjang", fiber.StatusSeeOther)
	}
	return p.render(c, fiber.StatusOK, "checkout", "checkout.title", d, nil)
}

// checkout places the cart's orders, once per form: the cart is locked,
// checked out and emptied in one transaction keyed by the form's token, so
// a double tap or a reload shows the first order instead of a second.
func (p *Pages) checkout(c *fiber.Ctx) error {
	f := checkoutForm{Name: c.FormValue("buyer.name"), Email: c.FormValue("buyer.email"), Phone: c.FormValue("buyer.phone"),
		Method: c.FormValue("shipping.method"), Address: c.FormValue("shipping.address"), Payment: c.FormValue("payment_method")}
	var in orders.CheckoutInput
	in.Buyer.Name, in.Buyer.Email, in.Buyer.Phone = f.Name, f.Email, f.Phone
	in.Shipping.Method, in.Shipping.Address = f.Method, f.Address
	in.PaymentMethod = c.FormValue("payment_method")
	in.ClientIP = api.ClientAddr(c)
	in.Lang = language(c)
	g, cerr := p.orders.CheckoutCart(c.UserContext(), cartOwner(c), in, formToken(c))
	if cerr != nil {
		// The cart as it is now: it may have changed in another tab.
		show := func(status int, v *view) error {
			d, err := p.checkoutData(c, f)
			if err != nil {
				return err
			}
			itemsError(v.Errors)
			return p.render(c, status, "checkout", "checkout.title", d, v)
		}
		var rl *domain.RateLimitError
		if errors.As(cerr, &rl) { // too many unpaid checkouts: the form again, saying why
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(rl.RetryAfter.Seconds()))))
			return show(p.cfg.StatusOf(cerr), &view{FormError: translate(language(c), "checkout.toomanyunpaid")})
		}
		return p.again(c, cerr, marks{}, show)
	}
	if g.Payment.CheckoutURL != "" {
		return c.Redirect(g.Payment.CheckoutURL, fiber.StatusSeeOther)
	}
	return c.Redirect("/pesanan/"+g.ID+"?token="+url.QueryEscape(g.AccessToken), fiber.StatusSeeOther)
}

// itemsError shows a cart line's error (items[2].quantity) where the
// checkout form has room for it: the cart's one message.
func itemsError(fields map[string]string) {
	if _, set := fields["items"]; set {
		return
	}
	for k, msg := range fields {
		if strings.HasPrefix(k, "items[") {
			fields["items"] = msg
			return
		}
	}
}

// orderDone are the flash messages the order page may be sent back with.
var orderDone = []string{"cancelled"}

func (p *Pages) orderGroup(c *fiber.Ctx) error {
	g, err := p.orders.ReadGroup(c.UserContext(), api.Actor(c), strings.Clone(c.Query("token")), strings.Clone(c.Params("id")))
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "order", "order.title", map[string]any{"Group": g, "Token": c.Query("token")}, doneFlash(c, "order.done.", orderDone))
}

// orderLink is the order page's address, with the guest's private token.
func orderLink(groupID, token string) string {
	if token == "" {
		return "/pesanan/" + groupID
	}
	return "/pesanan/" + groupID + "?token=" + url.QueryEscape(token)
}

// cancelForm asks the buyer to confirm calling off an unpaid order group:
// a separate step, so one stray tap on the order page cancels nothing.
func (p *Pages) cancelForm(c *fiber.Ctx) error {
	token := strings.Clone(c.Query("token"))
	g, err := p.orders.ReadGroup(c.UserContext(), api.Actor(c), token, strings.Clone(c.Params("id")))
	if err != nil {
		return err
	}
	if !g.Unpaid() {
		return c.Redirect(orderLink(g.ID, token), fiber.StatusSeeOther)
	}
	return p.render(c, fiber.StatusOK, "order_cancel", "ordercancel.title", map[string]any{"Group": g, "Token": token}, nil)
}

// cancelGroup calls the unpaid group off, once per form (a double tap or a
// reload answers the group as the first left it), and goes back to it.
func (p *Pages) cancelGroup(c *fiber.Ctx) error {
	token := strings.Clone(c.FormValue("token"))
	id := strings.Clone(c.Params("id"))
	g, err := p.orders.CancelGroup(c.UserContext(), api.Actor(c), token, id, formToken(c))
	if err != nil {
		return p.again(c, err, marks{none: true}, func(status int, v *view) error {
			g, rerr := p.orders.ReadGroup(c.UserContext(), api.Actor(c), token, id)
			if rerr != nil {
				return rerr
			}
			return p.render(c, status, "order", "order.title", map[string]any{"Group": g, "Token": token}, v)
		})
	}
	back := orderLink(g.ID, token)
	if strings.Contains(back, "?") {
		return c.Redirect(back+"&ok=cancelled", fiber.StatusSeeOther)
	}
	return c.Redirect(back+"?ok=cancelled", fiber.StatusSeeOther)
}

type shopOrders struct {
	Shop catalog.Shop
	// ToDo are the orders the shop still works on (unpaid, to ship or
	// hand over, on their way); Finished the rest, newest first.
	ToDo, Finished []sellOrder
}

// sellOrder is an order as its shop's card shows it.
type sellOrder struct {
	orders.Order
	// BuyerFirst is the buyer's first name: enough to call out at the
	// counter or match a parcel, no more.
	BuyerFirst string
}

// sellDone are the flash messages a finished move may ask for: pickup
// orders are made ready and picked up, not shipped and delivered.
var sellDone = []string{string(orders.Ship), string(orders.Deliver), "ready", "pickedup"}

// sellOrders lists the orders of the shops the actor sells for, newest first.
func (p *Pages) sellOrders(c *fiber.Ctx) error {
	return p.sellOrdersPage(c, fiber.StatusOK, nil, doneFlash(c, "sellorders.done.", sellDone))
}

func (p *Pages) sellOrdersPage(c *fiber.Ctx, status int, failed *shipForm, v *view) error {
	actor := api.Actor(c)
	shops, err := p.catalog.ShopsFor(c.UserContext(), actor)
	if err != nil {
		return err
	}
	var d []shopOrders
	for _, sh := range shops {
		list, err := p.orders.ShopOrders(c.UserContext(), actor, sh.ID, domain.Page{Limit: 50})
		if err != nil {
			continue // a shop of the unit whose orders this actor may not see
		}
		so := shopOrders{Shop: sh}
		for _, o := range list.Items {
			first, _, _ := strings.Cut(strings.TrimSpace(o.Shipping.Name), " ")
			item := sellOrder{Order: o, BuyerFirst: first}
			switch o.Status {
			case orders.PendingPayment, orders.Paid, orders.Shipped:
				so.ToDo = append(so.ToDo, item)
			default:
				so.Finished = append(so.Finished, item)
			}
		}
		d = append(d, so)
	}
	return p.render(c, status, "sell_orders", "sellorders.title", map[string]any{"Shops": d, "Failed": failed}, v)
}

// shipForm is the ship form of one order answered again: what was typed,
// and the fields to mark.
type shipForm struct {
	OrderID, Carrier, TrackingNo string
}

// moveOrder ships or delivers an order from the incoming orders page; a
// move refused for what was typed (a courier order without a tracking
// number) shows the page again with that order's fields marked.
func (p *Pages) moveOrder(e orders.Event) fiber.Handler {
	return func(c *fiber.Ctx) error {
		actor := api.Actor(c)
		id := strings.Clone(c.Params("id"))
		m := orders.Move{Event: e, Carrier: c.FormValue("carrier"), TrackingNo: c.FormValue("tracking_no"), FormToken: formToken(c)}
		o, merr := p.orders.MoveOrder(c.UserContext(), actor, id, m)
		if merr == nil {
			done := string(e)
			if o.Shipping.Method == "pickup" {
				done = map[orders.Event]string{orders.Ship: "ready", orders.Deliver: "pickedup"}[e]
			}
			return c.Redirect("/jual/pesanan?ok="+done, fiber.StatusSeeOther)
		}
		return p.again(c, merr, marks{}, func(status int, v *view) error {
			var f *shipForm // the order's fields to mark, when the move was refused for them
			if v.Errors != nil {
				f = &shipForm{OrderID: id, Carrier: m.Carrier, TrackingNo: m.TrackingNo}
			}
			return p.sellOrdersPage(c, status, f, v)
		})
	}
}

// myOrders is a buyer's order history, newest first.
func (p *Pages) myOrders(c *fiber.Ctx) error {
	actor := api.Actor(c)
	list, err := p.orders.MyOrders(c.UserContext(), actor, domain.Page{Limit: 50, Cursor: strings.Clone(c.Query("cursor"))})
	if err != nil {
		return err
	}
	u, err := p.accounts.User(c.UserContext(), actor.UserID)
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "my_orders", "myorders.title", map[string]any{"Orders": list.Items, "Next": list.NextCursor,
		"Unverified": u.EmailVerifiedAt == nil}, nil)
}

// buyerMove lets the buyer (account or private link) move an order, such as
// confirming it received, and go back to the order.
func (p *Pages) buyerMove(e orders.Event) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token := c.FormValue("token")
		o, err := p.orders.MoveOrder(c.UserContext(), api.Actor(c), strings.Clone(c.Params("order")), orders.Move{Event: e, Token: token, FormToken: formToken(c)})
		if err != nil {
			return err
		}
		return c.Redirect(orderLink(o.GroupID, token), fiber.StatusSeeOther)
	}
}
