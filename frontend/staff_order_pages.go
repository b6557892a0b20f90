package frontend

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/catalog"
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

// staffOrder is an order of a shop whose orders the actor works on, and
// the shop's name; anyone else learns nothing of it.
func (p *Pages) staffOrder(c *fiber.Ctx) (orders.Order, string, error) {
	actor := api.Actor(c)
	o, err := p.orders.ReadOrder(c.UserContext(), actor, "", strings.Clone(c.Params("id")))
	if err != nil {
		return o, "", err
	}
	sh, err := p.catalog.ShopOf(c.UserContext(), o.ShopID)
	if err != nil {
		return o, "", err
	}
	if err := access.Can(actor, access.ManageOrders, access.Resource{UnitID: sh.UnitID}, p.now()); err != nil {
		return o, "", err
	}
	return o, sh.DisplayName, nil
}

// staffStep is the page that asks staff to confirm a cancellation or a
// refund before it is done: what happens to which order, and the button.
type staffStep struct {
	Order   orders.Order
	Shop    string
	Filter  string
	Allowed bool
	// The refund as typed: Amount empty refunds all that is left; Checked
	// says the first step's form was sent and the second step is shown.
	Amount  string
	Reason  string
	Checked bool
	Refund  domain.IDR
}

func (p *Pages) stepData(c *fiber.Ctx, event orders.Event) (staffStep, error) {
	o, shop, err := p.staffOrder(c)
	if err != nil {
		return staffStep{}, err
	}
	filter := c.Query("status", c.FormValue("status"))
	if !slices.Contains(staffStatuses, orders.Status(filter)) {
		filter = ""
	}
	return staffStep{Order: o, Shop: shop, Filter: filter, Allowed: o.Status.Allows(event, orders.Staff)}, nil
}

// staffCancelForm asks before an order is cancelled.
func (p *Pages) staffCancelForm(c *fiber.Ctx) error {
	d, err := p.stepData(c, orders.Cancel)
	if err != nil {
		return err
	}
	d.Reason = c.Query("reason")
	return p.render(c, fiber.StatusOK, "staff_cancel", "stafforders.cancel_title", d, nil)
}

func (p *Pages) staffCancel(c *fiber.Ctx) error {
	actor := api.Actor(c)
	_, err := p.orders.MoveOrder(c.UserContext(), actor, strings.Clone(c.Params("id")), orders.Move{Event: orders.Cancel, Reason: c.FormValue("reason"), FormToken: formToken(c)})
	if err == nil {
		return p.staffOrdersAfter(c, nil, "cancelled")
	}
	return p.again(c, err, marks{none: true}, func(status int, v *view) error {
		d, derr := p.stepData(c, orders.Cancel)
		if derr != nil {
			return derr
		}
		d.Reason = c.FormValue("reason")
		return p.render(c, status, "staff_cancel", "stafforders.cancel_title", d, v)
	})
}

// staffRefundForm is a refund in two steps: the amount and the reason,
// then (?periksa=1) what will be given back, to confirm.
func (p *Pages) staffRefundForm(c *fiber.Ctx) error {
	d, err := p.stepData(c, orders.Refund)
	if err != nil {
		return err
	}
	d.Amount, d.Reason = strings.TrimSpace(c.Query("amount_idr")), strings.TrimSpace(c.Query("reason"))
	if c.Query("periksa") == "" || !d.Allowed {
		return p.render(c, fiber.StatusOK, "staff_refund", "stafforders.refund_title", d, nil)
	}
	if err := refundOf(&d); err != nil {
		return p.again(c, err, marks{}, p.pageOf(c, "staff_refund", "stafforders.refund_title", d))
	}
	d.Checked = true
	return p.render(c, fiber.StatusOK, "staff_refund", "stafforders.refund_title", d, nil)
}

// refundOf checks a refund as typed and works out its amount: all that is
// left when none is given.
func refundOf(d *staffStep) error {
	v := &domain.ValidationError{}
	left := d.Order.TotalIDR - d.Order.RefundedIDR
	d.Refund = left
	if d.Amount != "" {
		n, err := domain.ParseIDR(d.Amount)
		switch {
		case err != nil || n <= 0:
			v.Add("amount_idr", "stafforders.badamount")
		case n > left:
			v.Add("amount_idr", "stafforders.toomuch", rupiah(left))
		default:
			d.Refund = n
		}
	}
	if d.Reason == "" {
		v.Add("reason", "orders.refund.reason")
	}
	return v.Err()
}

// staffRefund gives back part of an order (an amount) or all that is left
// (no amount), once staff confirmed it on the second step.
func (p *Pages) staffRefund(c *fiber.Ctx) error {
	actor := api.Actor(c)
	m := orders.Move{Event: orders.Refund, Reason: c.FormValue("reason"), FormToken: formToken(c)}
	var err error
	if raw := strings.TrimSpace(c.FormValue("amount_idr")); raw != "" {
		n, perr := domain.ParseIDR(raw)
		if perr != nil || n <= 0 {
			err = domain.Invalid("amount_idr", "stafforders.badamount")
		}
		m.AmountIDR = n
	}
	if err == nil {
		_, err = p.orders.MoveOrder(c.UserContext(), actor, strings.Clone(c.Params("id")), m)
	}
	if err == nil {
		return p.staffOrdersAfter(c, nil, "refunded")
	}
	return p.again(c, err, marks{}, func(status int, v *view) error {
		d, derr := p.stepData(c, orders.Refund)
		if derr != nil {
			return derr
		}
		d.Amount, d.Reason = strings.TrimSpace(c.FormValue("amount_idr")), strings.TrimSpace(c.FormValue("reason"))
		return p.render(c, status, "staff_refund", "stafforders.refund_title", d, v)
	})
}

// storeMethods are how a buyer at the counter may pay.
var storeMethods = []string{"cash", "qris", "bank_transfer"}

// tillResults is how many products a till search shows: a short list to
// pick from on a phone, narrowed by typing more.
const tillResults = 12

// posForm is the till's sale as typed: the search, a quantity per product,
// how it is paid and the cash handed over.
type posForm struct {
	Query      string
	Method     string
	Tendered   string
	Quantities map[string]string
}

// tillLine is a product of the sale with what it adds to the total.
type tillLine struct {
	catalog.ShelfItem
	Quantity int
	TotalIDR domain.IDR
}

// tillData is the till page: the sale so far, the products found, the
// running total and, for cash, the change.
type tillData struct {
	Form    posForm
	Methods []string
	Sale    *orders.GroupView // the receipt of the sale just recorded
	Lines   []tillLine        // in the sale
	Found   []catalog.ShelfItem
	Total   domain.IDR
	// Tendered is the cash handed over (0: not typed); Change is what goes
	// back, Short what is missing: of the sale being typed, and of the
	// receipt's sale (Sale...).
	Tendered, Change, Short             domain.IDR
	SaleTendered, SaleChange, SaleShort domain.IDR
}

// posFormOf reads the till's form from the query (a GET after a search)
// or the posted body.
func posFormOf(args *fasthttp.Args) (posForm, bool) {
	f := posForm{Query: strings.TrimSpace(string(args.Peek("q"))), Method: string(args.Peek("method")),
		Tendered: strings.TrimSpace(string(args.Peek("tendered"))), Quantities: map[string]string{}}
	if m := string(args.Peek("payment_method")); m != "" {
		f.Method = m
	}
	if !slices.Contains(storeMethods, f.Method) {
		f.Method = "cash"
	}
	bad := false
	args.VisitAll(func(k, val []byte) {
		id, isQty := strings.CutPrefix(string(k), "qty.")
		raw := strings.TrimSpace(string(val))
		if !isQty || raw == "" || raw == "0" || !domain.ValidID(id) {
			return
		}
		f.Quantities[id] = raw
		if n, err := strconv.Atoi(raw); err != nil || n < 0 {
			bad = true
		}
	})
	return f, bad
}

// pointOfSale is the counter of the Sentra: search the shelf, the sale so
// far with its running total and change; after a sale (?sale=), its receipt.
func (p *Pages) pointOfSale(c *fiber.Ctx) error {
	f, bad := posFormOf(c.Request().URI().QueryArgs())
	var sale *orders.GroupView
	v := &view{}
	if id := c.Query("sale"); id != "" {
		g, err := p.orders.ReadSale(c.UserContext(), api.Actor(c), strings.Clone(id))
		if err != nil {
			return err
		}
		sale, f.Quantities, f.Query = &g, map[string]string{}, ""
		v.Flash = translate(language(c), "pos.recorded", g.PaymentRef)
	}
	if bad {
		v.FormError = translate(language(c), "pos.badqty")
	}
	return p.posPage(c, fiber.StatusOK, f, sale, v)
}

func (p *Pages) posPage(c *fiber.Ctx, status int, f posForm, sale *orders.GroupView, v *view) error {
	actor := api.Actor(c)
	d := tillData{Form: f, Methods: storeMethods, Sale: sale}
	ids := make([]string, 0, len(f.Quantities))
	for id := range f.Quantities {
		ids = append(ids, id)
	}
	chosen, err := p.catalog.FindOnShelf(c.UserContext(), actor, catalog.ShelfQuery{IDs: ids})
	if err != nil {
		return err
	}
	for _, it := range chosen {
		n, _ := strconv.Atoi(f.Quantities[it.ID])
		if n <= 0 {
			continue
		}
		l := tillLine{ShelfItem: it, Quantity: n, TotalIDR: it.PriceIDR * domain.IDR(n)}
		d.Lines, d.Total = append(d.Lines, l), d.Total+l.TotalIDR
	}
	found, err := p.catalog.FindOnShelf(c.UserContext(), actor, catalog.ShelfQuery{Query: f.Query, Limit: tillResults + len(d.Lines)})
	if err != nil {
		return err
	}
	for _, it := range found {
		if _, in := f.Quantities[it.ID]; !in && len(d.Found) < tillResults {
			d.Found = append(d.Found, it)
		}
	}
	if sale != nil {
		// The cash was for the sale recorded; the next sale starts afresh.
		d.SaleTendered, d.SaleChange, d.SaleShort = changeOf(f.Tendered, sale.TotalIDR)
		d.Form.Tendered = ""
	} else {
		d.Tendered, d.Change, d.Short = changeOf(f.Tendered, d.Total)
	}
	return p.render(c, status, "pos", "pos.title", d, v)
}

// changeOf reads the cash handed over for total: what was given, the
// change, or what is still missing (all 0 when nothing readable was typed).
func changeOf(tendered string, total domain.IDR) (given, change, short domain.IDR) {
	n, err := domain.ParseIDR(tendered)
	if err != nil || n <= 0 {
		return 0, 0, 0
	}
	if n >= total {
		return n, n - total, 0
	}
	return n, 0, total - n
}

// tillQuery is the till page's query keeping what was typed (never the
// form's tokens).
func tillQuery(f posForm) string {
	q := url.Values{}
	if f.Query != "" {
		q.Set("q", f.Query)
	}
	for id, n := range f.Quantities {
		q.Set("qty."+id, n)
	}
	q.Set("method", f.Method)
	if f.Tendered != "" {
		q.Set("tendered", f.Tendered)
	}
	return q.Encode()
}

// recordSale records an in-store sale: paid at once, handed over,
// completed. The form's other buttons (search, update the total) only go
// back to the till with what was typed.
func (p *Pages) recordSale(c *fiber.Ctx) error {
	actor := api.Actor(c)
	f, bad := posFormOf(c.Request().PostArgs())
	if do := c.FormValue("do"); do == "search" || do == "update" {
		return c.Redirect("/staf/kasir?"+tillQuery(f), fiber.StatusSeeOther)
	}
	lang := language(c)
	if bad {
		return p.posPage(c, fiber.StatusUnprocessableEntity, f, nil, &view{FormError: translate(lang, "pos.badqty")})
	}
	in := orders.SaleInput{PaymentMethod: f.Method, FormToken: formToken(c)}
	for id, raw := range f.Quantities {
		n, _ := strconv.Atoi(raw)
		in.Items = append(in.Items, orders.Item{ProductID: id, Quantity: n})
	}
	slices.SortFunc(in.Items, func(a, b orders.Item) int { return strings.Compare(a.ProductID, b.ProductID) })
	if len(in.Items) == 0 {
		return p.posPage(c, fiber.StatusUnprocessableEntity, f, nil, &view{FormError: translate(lang, "pos.empty")})
	}
	g, err := p.orders.RecordSale(c.UserContext(), actor, in)
	if err != nil {
		return p.again(c, err, marks{none: true}, func(status int, v *view) error { return p.posPage(c, status, f, nil, v) })
	}
	// The receipt is a page of its own: reloading it records nothing, and
	// the form sent again is answered with this sale (its token).
	done := posForm{Method: f.Method, Tendered: f.Tendered}
	return c.Redirect("/staf/kasir?sale="+url.QueryEscape(g.ID)+"&"+tillQuery(done), fiber.StatusSeeOther)
}
