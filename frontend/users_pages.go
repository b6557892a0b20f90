package frontend

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
)

type usersData struct {
	UnitName string
	Users    []accounts.User
	Roles    []access.Role
	Form     accounts.NewUser
	Link     *linkShown
	// MayLink holds the accounts whose password link the reader may issue.
	MayLink map[string]bool
}

type linkShown struct {
	URL     string
	Expires time.Time
}

func (p *Pages) usersData(c *fiber.Ctx, actor access.Actor) (usersData, error) {
	var d usersData
	list, err := p.accounts.UnitUsers(c.UserContext(), actor, actor.UnitID, domain.Page{Limit: domain.MaxLimit})
	if err != nil {
		return d, err
	}
	d.Users = list.Items
	d.MayLink = map[string]bool{}
	now := p.now()
	for _, u := range d.Users {
		d.MayLink[u.ID] = access.Can(actor, access.IssuePasswordLink, access.Resource{UnitID: actor.UnitID, Role: u.Role}, now) == nil
	}
	if d.Roles, err = p.accounts.CreatableRoles(c.UserContext(), actor, actor.UnitID); err != nil {
		return d, err
	}
	if unit, err := p.accounts.Unit(c.UserContext(), actor.UnitID); err == nil {
		d.UnitName = unit.Name
	}
	d.Form.Role = access.Seller
	return d, nil
}

func (p *Pages) users(c *fiber.Ctx) error {
	actor := api.Actor(c)
	d, err := p.usersData(c, actor)
	if err != nil {
		return err
	}
	v := &view{}
	created := c.Query("dibuat") // after the form: the account made, if it is the unit's
	for _, u := range d.Users {
		if created != "" && u.ID == created {
			v.Flash = translate(language(c), "users.created", u.Email)
		}
	}
	return p.render(c, fiber.StatusOK, "users", "users.title", d, v)
}

func (p *Pages) createUser(c *fiber.Ctx) error {
	actor := api.Actor(c)
	// The page is the unit's: whoever may not see it may not use its form.
	d, err := p.usersData(c, actor)
	if err != nil {
		return err
	}
	in := accounts.NewUser{Name: c.FormValue("name"), Email: c.FormValue("email"), Password: c.FormValue("password"), Role: access.Role(c.FormValue("role"))}
	u, cerr := p.accounts.CreateUser(c.UserContext(), actor, in)
	if cerr != nil {
		in.Password = ""
		d.Form = in
		return p.again(c, cerr, marks{}, p.pageOf(c, "users", "users.title", d))
	}
	return c.Redirect("/staf/pengguna?dibuat="+url.QueryEscape(u.ID), fiber.StatusSeeOther)
}

func (p *Pages) passwordLink(c *fiber.Ctx) error {
	actor := api.Actor(c)
	d, err := p.usersData(c, actor)
	if err != nil {
		return err
	}
	link, err := p.accounts.IssuePasswordLink(c.UserContext(), actor, strings.Clone(c.Params("id")))
	if err != nil {
		return err
	}
	d.Link = &linkShown{URL: p.cfg.BaseURL + "/atur-ulang/" + link.Token, Expires: link.ExpiresAt}
	return p.render(c, fiber.StatusOK, "users", "users.title", d, nil)
}
