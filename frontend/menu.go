package frontend

import (
	"strings"
	"time"

	"github.com/sentrakreasi/atensi/access"
)

// menuLink is one entry of the site menu; Key is its catalogue text.
type menuLink struct {
	Href, Key string
	Current   bool
}

// menuGroup is a folded group of the menu (a <details> on the page).
type menuGroup struct {
	Key   string // its summary's catalogue text
	Links []menuLink
	// Logout puts the log-out button after the links (the account group).
	Logout bool
}

// menu is what the header offers the actor, built once per request from
// the access rules: a link is there when the actor may do what its page
// does, never because of the name of a role.
type menu struct {
	Groups []menuGroup
}

// menuItem is a link shown when may says the actor may use its page.
type menuItem struct {
	href string
	key  func(m menuContext) string
	may  func(m menuContext) bool
}

// menuContext asks the access rules about the actor's own things: their
// unit, the shops they own, the PM whose delegations they hold.
type menuContext struct {
	actor access.Actor
	now   time.Time
}

func (m menuContext) can(action access.Action, res access.Resource) bool {
	return access.Can(m.actor, action, res, m.now) == nil
}

// unit is the actor's own unit as a resource; nobody's when they have none.
func (m menuContext) unit(action access.Action) bool {
	return m.actor.UnitID != "" && m.can(action, access.Resource{UnitID: m.actor.UnitID})
}

// owns says the actor sells in their own name: a shop they own would let them act.
func (m menuContext) owns(scope access.Scope) bool {
	return m.can(access.ActForPM, access.Resource{OwnerID: m.actor.UserID, Scope: scope})
}

// delegated says the actor holds a delegation in force that covers scope.
func (m menuContext) delegated(scope access.Scope) bool {
	for _, d := range m.actor.Delegations {
		if m.can(access.ActForPM, access.Resource{CaseID: d.CaseID, Scope: scope}) {
			return true
		}
	}
	return false
}

// forShops says the actor works on the shops of their unit (staff, an LKS manager).
func (m menuContext) forShops(scope access.Scope) bool {
	return m.actor.UnitID != "" && m.can(access.ActForPM, access.Resource{UnitID: m.actor.UnitID, Scope: scope})
}

func (m menuContext) actsFor(scope access.Scope) bool {
	return m.owns(scope) || m.delegated(scope) || m.forShops(scope)
}

// whose picks a link's words by whose shop it is: the actor's own, a
// delegating PM's, or the unit's.
func whose(own, pm, unit string, scope access.Scope) func(menuContext) string {
	return func(m menuContext) string {
		switch {
		case m.owns(scope):
			return own
		case m.delegated(scope):
			return pm
		}
		return unit
	}
}

func key(k string) func(menuContext) string { return func(menuContext) string { return k } }

func unitMay(a access.Action) func(menuContext) bool {
	return func(m menuContext) bool { return m.unit(a) }
}

func always(menuContext) bool { return true }

// menuGroups are the menu's groups in the order shown, each with its links.
var menuGroups = []struct {
	key    string
	logout bool
	items  []menuItem
}{
	{key: "nav.group.shop", items: []menuItem{
		{"/jual", whose("nav.sell", "nav.sell.pm", "nav.sell.unit", access.ScopeListings),
			func(m menuContext) bool { return m.actsFor(access.ScopeListings) }},
		{"/jual/pesanan", key("nav.sellorders"), func(m menuContext) bool { return m.actsFor(access.ScopeOrders) }},
		{"/jual/pendapatan", whose("earnings.nav", "nav.earnings.pm", "earnings.nav", access.ScopeEarnings), func(m menuContext) bool {
			return m.can(access.ReadEarnings, access.Resource{}) && (m.owns(access.ScopeEarnings) || m.delegated(access.ScopeEarnings))
		}},
	}},
	{key: "nav.group.staff", items: []menuItem{
		{"/staf/kasus", key("nav.caseload"), unitMay(access.CreateCase)},
		{"/staf/kasus/baru", key("nav.newcase"), unitMay(access.CreateCase)},
		{"/staf/dasbor", key("nav.dashboard"), unitMay(access.ReadUnitOutcomes)},
		{"/staf/pesanan", key("nav.stafforders"), unitMay(access.ManageOrders)},
		{"/staf/kasir", key("pos.title"), unitMay(access.RecordSale)},
		{"/staf/pembayaran", key("nav.payouts"), unitMay(access.ManagePayouts)},
		{"/staf/persetujuan", key("nav.approvals"), unitMay(access.ApprovePayouts)},
		{"/staf/tinjauan", key("nav.review"), unitMay(access.ReviewProduct)},
		{"/staf/pengguna", key("nav.users"), unitMay(access.ListUsers)},
		{"/staf/rekening-penerimaan", key("nav.receiving"), func(m menuContext) bool {
			return m.can(access.SetReceivingAccount, access.Resource{UnitID: m.actor.UnitID})
		}},
	}},
	{key: "nav.group.admin", items: []menuItem{
		{"/admin/referensi", key("nav.reference"), func(m menuContext) bool { return m.can(access.ManageReference, access.Resource{}) }},
		{"/admin/pesan", key("nav.outbox"), func(m menuContext) bool { return m.can(access.ReadOutbox, access.Resource{}) }},
	}},
	{key: "nav.group.account", logout: true, items: []menuItem{
		{"/akun/pesanan", key("nav.myorders"), always},
		{"/akun", key("nav.account"), always},
	}},
}

// menuFor is the menu of actor on the page at path; a visitor's is empty
// (the header offers logging in instead).
func menuFor(actor access.Actor, path string, now time.Time) menu {
	var out menu
	if actor.Anonymous() {
		return out
	}
	path, _, _ = strings.Cut(path, "?")
	m := menuContext{actor: actor, now: now}
	for _, g := range menuGroups {
		group := menuGroup{Key: g.key, Logout: g.logout}
		for _, it := range g.items {
			if !it.may(m) {
				continue
			}
			group.Links = append(group.Links, menuLink{Href: it.href, Key: it.key(m), Current: path == it.href})
		}
		if len(group.Links) > 0 {
			out.Groups = append(out.Groups, group)
		}
	}
	return out
}

// Links lists every link of the menu.
func (m menu) Links() []menuLink {
	var out []menuLink
	for _, g := range m.Groups {
		out = append(out, g.Links...)
	}
	return out
}
