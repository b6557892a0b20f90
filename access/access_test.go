package access

import (
	"errors"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/domain"
)

func TestCan(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var (
		staffA      = Actor{UserID: "s1", Role: Staff, UnitID: "A"}
		staffA2     = Actor{UserID: "s2", Role: Staff, UnitID: "A"}
		staffB      = Actor{UserID: "s3", Role: Staff, UnitID: "B"}
		supA        = Actor{UserID: "sup", Role: Supervisor, UnitID: "A", Network: []string{"L"}}
		lksL        = Actor{UserID: "lm", Role: LKSManager, UnitID: "L"}
		admin       = Actor{UserID: "ad", Role: Admin}
		seller      = Actor{UserID: "se", Role: Seller, UnitID: "A"}
		buyer       = Actor{UserID: "bu", Role: Buyer}
		nobody      = Actor{}
		delegated   = Actor{UserID: "p1", Role: Pendamping, Delegations: []Delegation{{CaseID: "c1", Scopes: []Scope{ScopeListings}, ExpiresAt: now.Add(time.Hour)}}}
		expired     = Actor{UserID: "p2", Role: Pendamping, Delegations: []Delegation{{CaseID: "c1", Scopes: []Scope{ScopeListings}, ExpiresAt: now.Add(-time.Second)}}}
		audited     = Resource{UnitID: "A", CaseID: "c1", Sensitivity: TierAudited, AssignedStaffID: "s1"}
		protected   = Resource{UnitID: "A", CaseID: "c2", Sensitivity: TierProtected, AssignedStaffID: "s1"}
		closed      = Resource{UnitID: "A", CaseID: "c3", Sensitivity: TierClosed, AssignedStaffID: "s1"}
		lksCase     = Resource{UnitID: "L", CaseID: "c4", Sensitivity: TierAudited}
		listingsC1  = Resource{UnitID: "A", CaseID: "c1", Scope: ScopeListings}
		earningsC1  = Resource{UnitID: "A", CaseID: "c1", Scope: ScopeEarnings}
		sellersShop = Resource{UnitID: "A", CaseID: "c9", OwnerID: "se", Scope: ScopeListings}
		// A shop recorded with a pendamping as its owner (before migration
		// 00022 moved them): owning it gives the pendamping nothing.
		pendampingsShop = Resource{UnitID: "A", CaseID: "c9", OwnerID: "p2", Scope: ScopeEarnings}
	)
	tests := []struct {
		name   string
		actor  Actor
		action Action
		res    Resource
		want   error // nil, ErrUnauthorized, ErrNotFound or ErrForbidden
	}{
		{"anonymous is unauthorized", nobody, ReadCase, audited, domain.ErrUnauthorized},
		{"unknown action is denied", admin, Action("case.delete"), audited, domain.ErrForbidden},
		{"admin creates units", admin, CreateUnit, Resource{}, nil},
		{"staff cannot create units", staffA, CreateUnit, Resource{}, domain.ErrForbidden},
		{"staff create a seller in their unit", staffA, CreateUser, Resource{UnitID: "A", Role: Seller}, nil},
		{"staff cannot create staff", staffA, CreateUser, Resource{UnitID: "A", Role: Staff}, domain.ErrForbidden},
		{"supervisor creates staff", supA, CreateUser, Resource{UnitID: "A", Role: Staff}, nil},
		{"supervisor cannot create supervisors", supA, CreateUser, Resource{UnitID: "A", Role: Supervisor}, domain.ErrForbidden},
		{"staff of another unit learn nothing", staffB, CreateUser, Resource{UnitID: "A", Role: Seller}, domain.ErrNotFound},
		{"seller cannot create users", seller, CreateUser, Resource{UnitID: "A", Role: Seller}, domain.ErrForbidden},
		{"staff read an audited case of their unit", staffA2, ReadCase, audited, nil},
		{"staff of another Balai get 404", staffB, ReadCase, audited, domain.ErrNotFound},
		{"protected: assigned staff", staffA, ReadCase, protected, nil},
		{"protected: other staff of the unit", staffA2, ReadCase, protected, domain.ErrForbidden},
		{"protected: supervisor", supA, ReadCase, protected, nil},
		{"closed: assigned staff", staffA, ReadCase, closed, nil},
		{"closed: not even the supervisor", supA, ReadCase, closed, domain.ErrForbidden},
		{"supervisor sees the LKS network", supA, ReadCase, lksCase, nil},
		{"staff do not see the LKS network", staffA, ReadCase, lksCase, domain.ErrNotFound},
		{"sensitive: assigned staff", staffA, ReadCaseSensitive, audited, nil},
		{"sensitive: other staff", staffA2, ReadCaseSensitive, audited, domain.ErrForbidden},
		{"pendamping never reads cases", delegated, ReadCase, audited, domain.ErrNotFound},
		{"lks manager never reads cases", lksL, ReadCase, lksCase, domain.ErrNotFound},
		{"buyer never reads cases", buyer, ReadCase, audited, domain.ErrNotFound},
		{"delegated pendamping acts within scope", delegated, ActForPM, listingsC1, nil},
		{"delegated pendamping outside scope", delegated, ActForPM, earningsC1, domain.ErrNotFound},
		{"expired delegation", expired, ActForPM, listingsC1, domain.ErrNotFound},
		{"seller acts on own shop", seller, ActForPM, sellersShop, nil},
		{"seller cannot act for another PM", seller, ActForPM, listingsC1, domain.ErrNotFound},
		{"lks manager acts in own LKS", lksL, ActForPM, Resource{UnitID: "L", CaseID: "c4"}, nil},
		{"staff act for PM of their unit", staffA2, ActForPM, listingsC1, nil},
		{"pendamping owning a shop needs a delegation all the same", expired, ActForPM, pendampingsShop, domain.ErrNotFound},
		{"staff manage delegations of their unit", staffA, ManageDelegations, audited, nil},
		{"staff of another unit cannot", staffB, ManageDelegations, audited, domain.ErrNotFound},
		{"closed case: its caseworker manages delegations", staffA, ManageDelegations, closed, nil},
		{"closed case: uncleared staff do not", staffA2, ManageDelegations, closed, domain.ErrForbidden},
		{"closed case: nor an uncleared supervisor", supA, ManageDelegations, closed, domain.ErrForbidden},
		{"closed case: named staff do", staffA2, ManageDelegations, Resource{UnitID: "A", CaseID: "c3", Sensitivity: TierClosed, AssignedStaffID: "s1", Cleared: true}, nil},
		{"protected case: other staff do not", staffA2, ManageDelegations, protected, domain.ErrForbidden},
	}
	for _, tt := range tests {
		err := Can(tt.actor, tt.action, tt.res, now)
		switch {
		case tt.want == nil && err != nil:
			t.Errorf("%s: Can = %v, want allowed", tt.name, err)
		case tt.want != nil && !errors.Is(err, tt.want):
			t.Errorf("%s: Can = %v, want %v", tt.name, err, tt.want)
		}
	}
}
