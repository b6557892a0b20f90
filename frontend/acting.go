package frontend

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
)

// actingCookie remembers which PM a pendamping who helps several works for
// now. It only chooses: every request checks the delegation again.
const actingCookie = "atensi_pm"

// actingFor is a PM a pendamping may work for: the delegation and the shop.
type actingFor struct {
	CaseID   string
	PMName   string // the name the PM's account goes by, else the shop's
	ShopName string
	Scopes   []access.Scope
	Expires  time.Time
}

// acting is shown on every page a pendamping opens under a delegation:
// whose shop it is, what they may do there and until when, and the other
// PM they may switch to.
type acting struct {
	actingFor
	Others []actingFor
}

// onBehalf guards the seller pages. For someone who holds delegations in
// force it picks the PM they work for (the remembered one while its
// delegation holds, else the first) and narrows the request's actor to that
// one delegation, so each page shows that PM's shops only and says so.
// The PM themself, staff and anyone without a delegation pass unchanged.
func (p *Pages) onBehalf(c *fiber.Ctx) error {
	actor := api.Actor(c)
	choices, err := p.actingChoices(c, actor)
	if err != nil {
		return err
	}
	if len(choices) == 0 {
		return c.Next()
	}
	at := slices.IndexFunc(choices, func(a actingFor) bool { return a.CaseID == c.Cookies(actingCookie) })
	at = max(at, 0)
	a := acting{actingFor: choices[at], Others: slices.Delete(slices.Clone(choices), at, at+1)}
	narrowed := actor
	narrowed.Delegations = slices.DeleteFunc(slices.Clone(actor.Delegations), func(d access.Delegation) bool { return d.CaseID != a.CaseID })
	c.SetUserContext(access.WithActor(c.UserContext(), narrowed))
	c.Locals(actingKey{}, &a)
	return c.Next()
}

type actingKey struct{}

// actingOf is the delegation the request is done under, or nil.
func actingOf(c *fiber.Ctx) *acting {
	a, _ := c.Locals(actingKey{}).(*acting)
	return a
}

// actingChoices are the PM actor may act for now, by shop name: each
// delegation the access rules let them use for at least one scope, with
// the scopes that hold, and the PM's open shop.
func (p *Pages) actingChoices(c *fiber.Ctx, actor access.Actor) ([]actingFor, error) {
	if len(actor.Delegations) == 0 {
		return nil, nil
	}
	shops, err := p.catalog.DelegatedShops(c.UserContext(), actor)
	if err != nil {
		return nil, err
	}
	now := p.now()
	var out []actingFor
	for _, sh := range shops {
		if sh.CaseID == nil || slices.ContainsFunc(out, func(a actingFor) bool { return a.CaseID == *sh.CaseID }) {
			continue
		}
		for _, d := range actor.Delegations {
			if d.CaseID != *sh.CaseID {
				continue
			}
			a := actingFor{CaseID: d.CaseID, ShopName: sh.DisplayName, PMName: sh.DisplayName, Expires: d.ExpiresAt}
			for _, s := range d.Scopes {
				if access.Can(actor, access.ActForPM, access.Resource{CaseID: d.CaseID, Scope: s}, now) == nil {
					a.Scopes = append(a.Scopes, s)
				}
			}
			if len(a.Scopes) == 0 {
				continue
			}
			if u, err := p.accounts.User(c.UserContext(), sh.OwnerUserID); err == nil && strings.TrimSpace(u.Name) != "" {
				a.PMName = u.Name
			}
			out = append(out, a)
			break
		}
	}
	return out, nil
}

// switchActing remembers the PM a pendamping chose to work for, after
// checking that a delegation for them holds now; then back to the page.
func (p *Pages) switchActing(c *fiber.Ctx) error {
	actor := api.Actor(c)
	choices, err := p.actingChoices(c, actor)
	if err != nil {
		return err
	}
	caseID := c.FormValue("case_id")
	if !slices.ContainsFunc(choices, func(a actingFor) bool { return a.CaseID == caseID }) {
		// Expired, revoked or never given: nothing to choose.
		return fmt.Errorf("delegation for %q: %w", caseID, domain.ErrNotFound)
	}
	c.Cookie(&fiber.Cookie{Name: actingCookie, Value: strings.Clone(caseID), Path: "/jual", HTTPOnly: true, Secure: p.cfg.Secure,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: p.now().AddDate(0, 1, 0)})
	back := "/jual"
	if next, ok := localPath(c.FormValue("next")); ok && strings.HasPrefix(next, "/jual") {
		back = next
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
