package frontend

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
)

// staffStatuses are the filters of the staff orders page, in the order
// work arrives.
var staffStatuses = []orders.Status{orders.PendingPayment, orders.Paid, orders.Shipped, orders.Delivered,
	orders.Completed, orders.PartiallyRefunded, orders.Refunded, orders.Cancelled}

// staffDone are the flash messages a finished staff action may ask for.
var staffDone = []string{"confirmed", "cancelled", "refunded"}

// staffOrders lists the orders of the shops of the staff member's units,
// newest first, filtered by status, with what staff can do to each.
func (p *Pages) staffOrders(c *fiber.Ctx) error {
	return p.staffOrdersPage(c, fiber.StatusOK, doneFlash(c, "stafforders.done.", staffDone))
}

func (p *Pages) staffOrdersPage(c *fiber.Ctx, status int, v *view) error {
	actor := api.Actor(c)
	filter := orders.Status(c.Query("status"))
	if !slices.Contains(staffStatuses, filter) {
		filter = ""
	}
	list, err := p.orders.StaffOrders(c.UserContext(), actor, filter, domain.Page{Limit: 50, Cursor: strings.Clone(c.Query("cursor"))})
	if err != nil {
		return err
	}
	d := map[string]any{"Orders": list.Items, "Next": list.NextCursor, "Filter": filter, "Statuses": staffStatuses}
	return p.render(c, status, "staff_orders", "stafforders.title", d, v)
}

// staffOrdersAfter goes back to the list after a staff action: with a
// message when it worked, or the list again with why it did not.
func (p *Pages) staffOrdersAfter(c *fiber.Ctx, err error, done string) error {
	if err == nil {
		back := "/staf/pesanan?ok=" + done
		if s := c.FormValue("status"); s != "" {
			back += "&status=" + url.QueryEscape(s)
		}
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	return p.again(c, err, marks{none: true}, func(status int, v *view) error { return p.staffOrdersPage(c, status, v) })
}

// confirmTransfer records a bank transfer that staff found on the
// statement under the reference they type.
func (p *Pages) confirmTransfer(c *fiber.Ctx) error {
	actor := api.Actor(c)
	_, err := p.orders.ConfirmTransfer(c.UserContext(), actor, strings.Clone(c.Params("id")), c.FormValue("reference"))
	return p.staffOrdersAfter(c, err, "confirmed")
}

func (p *Pages) staffCancel(c *fiber.Ctx) error {
	actor := api.Actor(c)
	_, err := p.orders.MoveOrder(c.UserContext(), actor, strings.Clone(c.Params("id")), orders.Move{Event: orders.Cancel, Reason: c.FormValue("reason"), FormToken: formToken(c)})
	return p.staffOrdersAfter(c, err, "cancelled")
}

// staffRefund gives back part of an order (an amount) or all that is left
// (no amount).
func (p *Pages) staffRefund(c *fiber.Ctx) error {
	actor := api.Actor(c)
	m := orders.Move{Event: orders.Refund, Reason: c.FormValue("reason"), FormToken: formToken(c)}
	if raw := strings.TrimSpace(c.FormValue("amount_idr")); raw != "" {
		n, perr := parseRupiah(raw)
		if perr != nil || n <= 0 {
			return p.staffOrdersAfter(c, domain.Invalid("amount_idr", "stafforders.badamount"), "")
		}
		m.AmountIDR = n
	}
	_, err := p.orders.MoveOrder(c.UserContext(), actor, strings.Clone(c.Params("id")), m)
	return p.staffOrdersAfter(c, err, "refunded")
}

// storeMethods are how a buyer at the counter may pay.
var storeMethods = []string{"cash", "qris", "bank_transfer"}

// posForm is the point-of-sale form as typed: quantity per product.
type posForm struct {
	Method     string
	Quantities map[string]string
}

// pointOfSale is the counter of the Sentra: what is in stock, a quantity
// for each, how it was paid; after a sale (?sale=), its receipt.
func (p *Pages) pointOfSale(c *fiber.Ctx) error {
	id := c.Query("sale")
	if id == "" {
		return p.posPage(c, fiber.StatusOK, posForm{Method: "cash"}, nil, nil)
	}
	actor := api.Actor(c)
	g, err := p.orders.ReadSale(c.UserContext(), actor, strings.Clone(id))
	if err != nil {
		return err
	}
	method := strings.Clone(c.Query("method"))
	if !slices.Contains(storeMethods, method) {
		method = "cash"
	}
	return p.posPage(c, fiber.StatusOK, posForm{Method: method}, &g, &view{Flash: translate(language(c), "pos.recorded", g.PaymentRef)})
}

func (p *Pages) posPage(c *fiber.Ctx, status int, f posForm, sale *orders.GroupView, v *view) error {
	actor := api.Actor(c)
	shelf, err := p.catalog.StoreShelf(c.UserContext(), actor)
	if err != nil {
		return err
	}
	return p.render(c, status, "pos", "pos.title", map[string]any{"Shelf": shelf, "Form": f, "Sale": sale, "Methods": storeMethods}, v)
}

// recordSale records an in-store sale: paid at once, handed over, completed.
func (p *Pages) recordSale(c *fiber.Ctx) error {
	actor := api.Actor(c)
	f := posForm{Method: c.FormValue("payment_method"), Quantities: map[string]string{}}
	in := orders.SaleInput{PaymentMethod: f.Method, FormToken: formToken(c)}
	bad := false
	c.Request().PostArgs().VisitAll(func(k, val []byte) {
		id, isQty := strings.CutPrefix(string(k), "qty.")
		raw := strings.TrimSpace(string(val))
		if !isQty || raw == "" || raw == "0" {
			return
		}
		f.Quantities[id] = raw
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			bad = true
			return
		}
		in.Items = append(in.Items, orders.Item{ProductID: id, Quantity: n})
	})
	lang := language(c)
	if bad {
		return p.posPage(c, fiber.StatusUnprocessableEntity, f, nil, &view{FormError: translate(lang, "pos.badqty")})
	}
	if len(in.Items) == 0 {
		return p.posPage(c, fiber.StatusUnprocessableEntity, f, nil, &view{FormError: translate(lang, "pos.empty")})
	}
	g, err := p.orders.RecordSale(c.UserContext(), actor, in)
	if err != nil {
		return p.again(c, err, marks{none: true}, func(status int, v *view) error { return p.posPage(c, status, f, nil, v) })
	}
	// The receipt is a page of its own: reloading it records nothing, and
	// the form sent again is answered with this sale (its token).
	return c.Redirect("/staf/kasir?sale="+g.ID+"&method="+url.QueryEscape(f.Method), fiber.StatusSeeOther)
}
