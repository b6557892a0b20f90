package frontend

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/payouts"
)

// The choices of the payout route form, in the order a person reads them.
var (
	routePayees  = []payouts.PayeeKind{payouts.PayeePM, payouts.PayeeGuardian, payouts.PayeeLKS}
	routeMethods = []payouts.Method{payouts.BankTransfer, payouts.EWallet, payouts.Cash}
)

// routeDone are the flash messages the payout route page may be sent back with.
var routeDone = []string{"set", "confirmed"}

// routeForm is the payout route form as typed. The account number is never
// filled back in from the stored route: it is only ever shown on request.
type routeForm struct {
	PayeeKind, Method, AccountName, Bank, AccountNo string
}

// routeShown is a route with the names of the people who changed and
// confirmed it.
type routeShown struct {
	payouts.Route
	ChangedByName, ConfirmedByName string
	Last4                          string // of the masked account number
}

type payoutRouteData struct {
	ShopID, ShopName string
	Current          routeShown
	Pending          *routeShown
	// Full is true when the full account numbers were asked for (and the
	// read was audited by the service).
	Full bool
	// HasNumber is true when a route holds an account number to show.
	HasNumber bool
	// Staff may change the route; a checker may also confirm a change
	// (payouts.RouteRights), and Confirming is set when there is one this
	// checker may confirm.
	Staff, Checker, Confirming bool
	Form                       routeForm
	Payees                     []payouts.PayeeKind
	Methods                    []payouts.Method
}

// payoutRoute shows where a shop's money goes (staff of the unit): the route
// in use, a change waiting for a supervisor, and the form to change it.
func (p *Pages) payoutRoute(c *fiber.Ctx) error {
	return p.payoutRoutePage(c, fiber.StatusOK, nil, c.Query("rekening") == "lengkap", doneFlash(c, "payroute.done.", routeDone))
}

// payoutRoutePage renders the page; form is what was typed when a change
// failed, nil to start from the route in use.
func (p *Pages) payoutRoutePage(c *fiber.Ctx, status int, form *routeForm, full bool, v *view) error {
	actor := api.Actor(c)
	ctx := c.UserContext()
	shopID := strings.Clone(c.Params("id"))
	rv, err := p.payouts.ReadRoute(ctx, actor, shopID, full)
	if err != nil {
		return err
	}
	may, err := p.payouts.RouteRightsOf(ctx, actor, shopID)
	if err != nil {
		return err
	}
	// A checker who may confirm sees the new account number beside the
	// current one before confirming (an audited read): a swap for another
	// account with the same holder and last four digits shows. Their own
	// change is for another to confirm.
	confirming := may.Confirm && rv.Pending != nil && rv.Pending.ChangedBy != actor.UserID
	if confirming && !full {
		full = true
		if rv, err = p.payouts.ReadRoute(ctx, actor, shopID, true); err != nil {
			return err
		}
	}
	sh, err := p.catalog.ShopOf(ctx, shopID)
	if err != nil {
		return err
	}
	d := payoutRouteData{ShopID: sh.ID, ShopName: sh.DisplayName, Full: full, Current: p.routeShown(ctx, rv.Current),
		Staff: may.Change, Checker: may.Confirm, Confirming: confirming, Payees: routePayees, Methods: routeMethods}
	d.HasNumber = rv.Current.AccountNoMasked != ""
	if rv.Pending != nil {
		pending := p.routeShown(ctx, *rv.Pending)
		d.Pending = &pending
		d.HasNumber = d.HasNumber || rv.Pending.AccountNoMasked != ""
	}
	if form != nil {
		d.Form = *form
	} else {
		cur := rv.Current
		d.Form = routeForm{PayeeKind: string(cur.PayeeKind), Method: string(cur.Method), Bank: cur.Bank}
		if d.Staff && !cur.AccountNameMasked {
			d.Form.AccountName = cur.AccountName // only a name shown in full is filled back in
		}
	}
	return p.render(c, status, "payout_route", "payroute.title", d, v)
}

// routeShown names who changed and confirmed a route; a name that cannot
// be read is left out rather than failing the page.
func (p *Pages) routeShown(ctx context.Context, r payouts.Route) routeShown {
	out := routeShown{Route: r, Last4: strings.TrimPrefix(r.AccountNoMasked, "••••")}
	name := func(id string) string {
		if id == "" {
			return ""
		}
		u, err := p.accounts.User(ctx, id)
		if err != nil {
			return ""
		}
		return u.Name
	}
	out.ChangedByName = name(r.ChangedBy)
	if r.ConfirmedBy != nil {
		out.ConfirmedByName = name(*r.ConfirmedBy)
	}
	return out
}

// setPayoutRoute records a new route. It waits for a supervisor's
// confirmation before any payout uses it (the service's rule).
func (p *Pages) setPayoutRoute(c *fiber.Ctx) error {
	actor := api.Actor(c)
	f := routeForm{PayeeKind: c.FormValue("payee_kind"), Method: c.FormValue("method"), AccountName: c.FormValue("account_name"),
		Bank: c.FormValue("bank"), AccountNo: c.FormValue("account_no")}
	shopID := strings.Clone(c.Params("id"))
	_, err := p.payouts.SetRoute(c.UserContext(), actor, shopID, payouts.RouteInput{PayeeKind: payouts.PayeeKind(f.PayeeKind),
		Method: payouts.Method(f.Method), AccountName: f.AccountName, Bank: f.Bank, AccountNo: f.AccountNo})
	if err != nil {
		return p.again(c, err, marks{}, func(status int, v *view) error { return p.payoutRoutePage(c, status, &f, false, v) })
	}
	return c.Redirect("/staf/toko/"+shopID+"/pembayaran?ok=set", fiber.StatusSeeOther)
}

// confirmPayoutRoute makes the waiting change the route in use: a
// supervisor who did not make the change. A refusal is told on the page.
func (p *Pages) confirmPayoutRoute(c *fiber.Ctx) error {
	actor := api.Actor(c)
	shopID := strings.Clone(c.Params("id"))
	_, err := p.payouts.ConfirmRoute(c.UserContext(), actor, shopID, payouts.ConfirmInput{RouteID: c.FormValue("route_id")})
	lang := language(c)
	switch {
	case err == nil:
		return c.Redirect("/staf/toko/"+shopID+"/pembayaran?ok=confirmed", fiber.StatusSeeOther)
	case errors.Is(err, domain.ErrForbidden):
		// Staff who are not supervisors, and the supervisor who made the change.
		return p.payoutRoutePage(c, p.cfg.StatusOf(err), nil, false, &view{FormError: translate(lang, "payroute.confirm.forbidden")})
	case errors.Is(err, domain.ErrConflict), errors.Is(err, domain.ErrInvalid):
		// Replaced since the page was opened (or nothing named): the page
		// shows the change waiting now, to be checked again.
		key := "payroute.confirm.stale"
		if rv, rerr := p.payouts.ReadRoute(c.UserContext(), actor, shopID, false); rerr == nil && rv.Pending == nil {
			key = "payroute.confirm.nothing"
		}
		return p.payoutRoutePage(c, p.cfg.StatusOf(err), nil, false, &view{FormError: translate(lang, key)})
	}
	return err
}
