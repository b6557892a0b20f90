package frontend

import (
	"slices"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
)

// TestMenuFollowsTheAccessRules: each actor's menu holds the pages the
// access rules let them use, and nothing else: a buyer no seller link, a
// pendamping the PM's pages only while a delegation holds.
func TestMenuFollowsTheAccessRules(t *testing.T) {
	now := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
	valid := []access.Delegation{{CaseID: "c1", Scopes: []access.Scope{access.ScopeListings, access.ScopeEarnings}, ExpiresAt: now.Add(time.Hour)}}
	expired := []access.Delegation{{CaseID: "c1", Scopes: access.Scopes, ExpiresAt: now.Add(-time.Second)}}
	for _, tt := range []struct {
		name      string
		actor     access.Actor
		want, not []string // links (href=key) that must and must not be there
	}{
		{"buyer", access.Actor{UserID: "b", Role: access.Buyer},
			[]string{"/akun/pesanan=nav.myorders", "/akun=nav.account"},
			[]string{"/jual", "/jual/pesanan", "/jual/pendapatan", "/staf/kasus", "/staf/pesanan", "/admin/referensi"}},
		{"seller", access.Actor{UserID: "s", Role: access.Seller, UnitID: "A"},
			[]string{"/jual=nav.sell", "/jual/pesanan=nav.sellorders", "/jual/pendapatan=earnings.nav"},
			[]string{"/staf/kasus", "/staf/kasir", "/admin/referensi"}},
		{"pendamping under a delegation", access.Actor{UserID: "p", Role: access.Pendamping, UnitID: "A", Delegations: valid},
			[]string{"/jual=nav.sell.pm", "/jual/pendapatan=nav.earnings.pm"},
			[]string{"/jual/pesanan", "/staf/kasus", "/staf/pesanan"}}, // no orders scope
		{"pendamping whose delegation expired", access.Actor{UserID: "p", Role: access.Pendamping, UnitID: "A", Delegations: expired},
			[]string{"/akun=nav.account"}, []string{"/jual", "/jual/pesanan", "/jual/pendapatan"}},
		{"staff", access.Actor{UserID: "st", Role: access.Staff, UnitID: "A"},
			[]string{"/jual=nav.sell.unit", "/staf/kasus=nav.caseload", "/staf/pesanan=nav.stafforders", "/staf/kasir=pos.title",
				"/staf/pembayaran=nav.payouts", "/staf/tinjauan=nav.review", "/staf/pengguna=nav.users", "/staf/dasbor=nav.dashboard"},
			[]string{"/staf/persetujuan", "/jual/pendapatan", "/admin/referensi"}},
		{"supervisor", access.Actor{UserID: "su", Role: access.Supervisor, UnitID: "A"},
			[]string{"/staf/persetujuan=nav.approvals", "/staf/kasus=nav.caseload", "/staf/pesanan=nav.stafforders"},
			[]string{"/jual/pendapatan", "/admin/pesan"}},
		{"admin", access.Actor{UserID: "ad", Role: access.Admin},
			[]string{"/admin/referensi=nav.reference", "/admin/pesan=nav.outbox"},
			[]string{"/jual", "/staf/kasus", "/staf/pesanan", "/staf/pengguna"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			hrefs := map[string]bool{}
			for _, l := range menuFor(tt.actor, "/akun", now).Links() {
				got, hrefs[l.Href] = append(got, l.Href+"="+l.Key), true
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %s in %v", w, got)
				}
			}
			for _, n := range tt.not {
				if hrefs[n] {
					t.Errorf("%s should not be in %v", n, got)
				}
			}
		})
	}
	if m := menuFor(access.Actor{}, "/", now); len(m.Groups) != 0 {
		t.Fatalf("a visitor's menu: %+v", m)
	}
	// The page shown is marked, and each group is a folded group of its own.
	m := menuFor(access.Actor{UserID: "st", Role: access.Staff, UnitID: "A"}, "/staf/kasir?q=kopi", now)
	var current []string
	for _, l := range m.Links() {
		if l.Current {
			current = append(current, l.Href)
		}
	}
	if !slices.Equal(current, []string{"/staf/kasir"}) || len(m.Groups) != 3 || !m.Groups[2].Logout {
		t.Fatalf("staff menu: current %v, groups %+v", current, m.Groups)
	}
}
