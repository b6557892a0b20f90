// Package access is the policy layer: who may do what to which resource.
// Every handler and page asks Can before acting; anything not granted by a
// rule below is denied.
package access

import (
	"fmt"
	"slices"
	"time"

	"github.com/sentrakreasi/atensi/domain"
)

// Role is what a user is on the platform.
type Role string

// The roles of DOMAIN.md.
const (
	Admin      Role = "admin"
	Staff      Role = "staff"      // pekerja sosial of a Balai or LKS
	Supervisor Role = "supervisor" // head of a Balai or of a team
	LKSManager Role = "lks_manager"
	Pendamping Role = "pendamping" // PSM/TKSK acting for a PM under a delegation
	Seller     Role = "seller"
	Buyer      Role = "buyer"
)

// Roles lists every role, for validation.
var Roles = []Role{Admin, Staff, Supervisor, LKSManager, Pendamping, Seller, Buyer}

// WorksForUnit tells whether the role always belongs to a unit.
func (r Role) WorksForUnit() bool { return r == Staff || r == Supervisor || r == LKSManager }

// Scope is what a delegation lets a pendamping do for a PM.
type Scope string

// The delegation scopes.
const (
	ScopeListings Scope = "listings"
	ScopeOrders   Scope = "orders"
	ScopeShipping Scope = "shipping"
	ScopeEarnings Scope = "earnings"
)

// Scopes lists every delegation scope.
var Scopes = []Scope{ScopeListings, ScopeOrders, ScopeShipping, ScopeEarnings}

// Delegation is a pendamping's active right to act for the PM of a case.
type Delegation struct {
	ID        string
	CaseID    string
	Scopes    []Scope
	ExpiresAt time.Time
}

// Actor is who makes a request. The zero Actor is an anonymous visitor.
type Actor struct {
	UserID string
	Name   string
	Role   Role
	UnitID string
	// Network is the units this actor's unit oversees besides itself: the
	// LKS in a Balai's network.
	Network []string
	// Delegations are a pendamping's unrevoked delegations, loaded with the
	// session; Can checks their expiry against the clock on every call.
	Delegations []Delegation
}

// Anonymous tells whether nobody is logged in.
func (a Actor) Anonymous() bool { return a.UserID == "" }

// Action names something an actor may try.
type Action string

// The actions the rules know.
const (
	CreateUnit        Action = "unit.create"
	ReadUnit          Action = "unit.read"
	CreateUser        Action = "user.create"
	ListUsers         Action = "user.list"
	IssuePasswordLink Action = "user.reset_password"
	CreateCase        Action = "case.create"
	ReadCase          Action = "case.read"
	ReadCaseSensitive Action = "case.read_sensitive"
	ReadCaseAccessLog Action = "case.read_access_log"
	NameCaseStaff     Action = "case.name_staff"  // a supervisor names who may open a closed case
	AssignCase        Action = "case.assign"      // a supervisor gives a case to a caseworker
	BreakGlass        Action = "case.break_glass" // an emergency read of a closed case, with a reason
	ManageDelegations Action = "delegation.manage"
	ActForPM          Action = "pm.act" // a write or read done for a PM; needs Resource.Scope
	CreateShop        Action = "shop.create"
	ReviewProduct     Action = "product.review"
	ManageOrders      Action = "order.manage" // staff work on the orders of their unit's shops
	RecordSale        Action = "sale.record"  // an in-store sale at the unit's Sentra
	CheckLedger       Action = "ledger.check"
	ReadOutbox        Action = "outbox.read"             // messages kept when no SMTP server is set
	ManagePayouts     Action = "payout.manage"           // routes, draft batches, paying lines, for staff of the unit
	ApprovePayouts    Action = "payout.approve"          // the checker: confirms routes and approves batches
	RecordCaseEntry   Action = "case.record_entry"       // services, income, household size on a case
	ReadOutcomes      Action = "case.read_outcomes"      // a PM's monthly indicators
	ReadUnitOutcomes  Action = "unit.read_outcomes"      // aggregates of a unit, small cells suppressed
	ManageReference   Action = "reference.manage"        // minimum wages and poverty lines
	RecomputeMonth    Action = "outcomes.recompute"      // a new version of a closed month, with a reason
	ApproveGraduation Action = "case.approve_graduation" // the checker of a proposed graduation
	// SetReceivingAccount names the bank account buyers of a unit's shops
	// transfer to: money arriving there is what staff confirm, so only the
	// head of the unit (or an admin) may point it elsewhere.
	SetReceivingAccount Action = "unit.receiving_account"
	// EditShopSettings sets a shop's courier fee and pick-up place. The
	// place must be the institution's or a pick-up point, never a PM's home
	// (DOMAIN.md rule 4), so the unit's staff set it, and an LKS manager
	// for the LKS's own shops; not the PM or a pendamping.
	EditShopSettings Action = "shop.settings"
	ReadEarnings     Action = "earnings.read" // a seller's own earnings, or a PM's through a delegation
)

// Resource describes the thing acted on, as far as the rules need to know.
type Resource struct {
	UnitID string // the unit the resource belongs to
	// CaseID is the PM case the resource belongs to, for delegations.
	CaseID string
	// OwnerID is the user who owns the resource (a seller's shop).
	OwnerID string
	// Sensitivity and AssignedStaffID describe a case; Cleared says the
	// actor was named for a closed case or holds an open break-glass grant.
	Sensitivity     string
	AssignedStaffID string
	Cleared         bool
	// Role is the role of a user being created or acted on.
	Role Role
	// Scope is the delegation scope an ActForPM needs.
	Scope Scope
}

// Can says whether actor may do action on res at time now: nil when allowed,
// else an error wrapping domain.ErrUnauthorized (nobody logged in),
// ErrNotFound (the actor may not even know the resource exists) or
// ErrForbidden (the actor sees it but may not do this).
func Can(actor Actor, action Action, res Resource, now time.Time) error {
	rule, ok := rules[action]
	if !ok {
		return fmt.Errorf("%s: no rule: %w", action, domain.ErrForbidden)
	}
	if actor.Anonymous() {
		return fmt.Errorf("%s: %w", action, domain.ErrUnauthorized)
	}
	if err := rule(actor, res, now); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	return nil
}

type rule func(a Actor, r Resource, now time.Time) error

var rules = map[Action]rule{
	CreateUnit: func(a Actor, _ Resource, _ time.Time) error { return roleIn(a, Admin) },
	ReadUnit: func(a Actor, r Resource, _ time.Time) error {
		if a.Role == Admin || a.sees(r.UnitID) {
			return nil
		}
		return domain.ErrNotFound
	},
	CreateUser: func(a Actor, r Resource, _ time.Time) error {
		if a.Role == Admin {
			return nil
		}
		if !a.Role.WorksForUnit() || a.Role == LKSManager {
			return domain.ErrForbidden
		}
		if !a.sees(r.UnitID) {
			return domain.ErrNotFound
		}
		// Staff open accounts for the people they serve; only a supervisor
		// adds colleagues, and nobody but an admin makes a supervisor.
		creatable := []Role{Seller, Pendamping, LKSManager}
		if a.Role == Supervisor {
			creatable = append(creatable, Staff)
		}
		if !slices.Contains(creatable, r.Role) {
			return domain.ErrForbidden
		}
		return nil
	},
	ListUsers: func(a Actor, r Resource, now time.Time) error {
		if a.Role == Admin {
			return nil
		}
		return staffOfUnit(a, r, now)
	},
	IssuePasswordLink: func(a Actor, r Resource, now time.Time) error {
		if a.Role == Admin {
			return nil
		}
		if err := staffOfUnit(a, r, now); err != nil {
			return err
		}
		if r.Role != Seller && r.Role != Pendamping && r.Role != LKSManager {
			return domain.ErrForbidden
		}
		return nil
	},
	CreateCase:        staffOfUnit,
	ReadCase:          readCase,
	ReadCaseAccessLog: readCase,
	// Entries and indicators are part of the case: whoever may open the
	// case (its tier respected) may read and add them.
	RecordCaseEntry:  readCase,
	ReadOutcomes:     readCase,
	ReadUnitOutcomes: staffOfUnit,
	ManageReference:  func(a Actor, _ Resource, _ time.Time) error { return roleIn(a, Admin) },
	RecomputeMonth:   func(a Actor, _ Resource, _ time.Time) error { return roleIn(a, Admin) },
	ReadCaseSensitive: func(a Actor, r Resource, now time.Time) error {
		if err := readCase(a, r, now); err != nil {
			return err
		}
		// Legal name and NIK: the caseworker who owns the case and supervisors.
		if a.Role == Supervisor || r.AssignedStaffID == a.UserID {
			return nil
		}
		return domain.ErrForbidden
	},
	// Who may open the case (its tier and clearance respected) manages
	// its delegations: listing them tells which pendamping works for the PM.
	ManageDelegations: readCase,
	NameCaseStaff:     supervisorOfUnit,
	AssignCase:        supervisorOfUnit,
	// A supervisor who may open the case decides its graduation; that the
	// proposer never decides is the cases service's rule: it needs the review.
	ApproveGraduation: func(a Actor, r Resource, now time.Time) error {
		if err := readCase(a, r, now); err != nil {
			return err
		}
		return roleIn(a, Supervisor)
	},
	// Any staff of the unit may break the glass of a closed case; what
	// keeps it rare is the reason, the audit and the supervisors' notice.
	BreakGlass: func(a Actor, r Resource, now time.Time) error {
		if err := staffOfUnit(a, r, now); err != nil {
			return err
		}
		if r.Sensitivity != TierClosed {
			return domain.Errorf(domain.ErrConflict, "access.breakglass.closedonly")
		}
		return nil
	},
	// Staff open a PM's shop; an LKS manager opens the workshop shop of their LKS.
	CreateShop: func(a Actor, r Resource, now time.Time) error {
		if a.Role == LKSManager && r.UnitID == a.UnitID && r.CaseID == "" {
			return nil
		}
		return staffOfUnit(a, r, now)
	},
	SetReceivingAccount: func(a Actor, r Resource, now time.Time) error {
		if a.Role == Admin {
			return nil
		}
		return supervisorOfUnit(a, r, now)
	},
	EditShopSettings: func(a Actor, r Resource, now time.Time) error {
		if a.Role == LKSManager && r.UnitID != "" && r.UnitID == a.UnitID {
			return nil
		}
		return staffOfUnit(a, r, now)
	},
	ReviewProduct: staffOfUnit,
	ManageOrders:  staffOfUnit,
	RecordSale:    staffOfUnit,
	CheckLedger:   func(a Actor, _ Resource, _ time.Time) error { return roleIn(a, Admin) },
	// Earnings are a seller's page: the shops they own, or for a pendamping
	// those of the PM whose earnings they were delegated (the payouts
	// service narrows it to the delegations' earnings scope).
	ReadEarnings:  func(a Actor, _ Resource, _ time.Time) error { return roleIn(a, Seller, Pendamping) },
	ReadOutbox:    func(a Actor, _ Resource, _ time.Time) error { return roleIn(a, Admin) },
	ManagePayouts: staffOfUnit,
	// Only a supervisor approves; other staff of the unit see the batch but
	// may not, and anyone else learns nothing. That the maker of a batch
	// never approves it is the payouts service's rule: it needs the batch.
	ApprovePayouts: func(a Actor, r Resource, now time.Time) error {
		if err := staffOfUnit(a, r, now); err != nil {
			return err
		}
		return roleIn(a, Supervisor)
	},
	ActForPM: func(a Actor, r Resource, now time.Time) error {
		switch {
		case a.Role == Staff || a.Role == Supervisor:
			return staffOfUnit(a, r, now)
		case a.Role == LKSManager && a.UnitID == r.UnitID:
			return nil
		// Only a seller owns a shop (the PM's own account, or a guardian's):
		// a pendamping acts through a delegation, its scopes, expiry and
		// revocation, never as an owner.
		case a.Role == Seller && r.OwnerID != "" && r.OwnerID == a.UserID:
			return nil
		case a.Role == Pendamping && a.DelegatedFor(r.CaseID, r.Scope, now):
			return nil
		}
		return domain.ErrNotFound
	},
}

// DelegatedFor tells whether a pendamping holds an unexpired delegation for
// the case that covers scope.
func (a Actor) DelegatedFor(caseID string, scope Scope, now time.Time) bool {
	if caseID == "" {
		return false
	}
	for _, d := range a.Delegations {
		if d.CaseID == caseID && now.Before(d.ExpiresAt) && slices.Contains(d.Scopes, scope) {
			return true
		}
	}
	return false
}

// sees tells whether unit is the actor's own unit or one its unit oversees.
func (a Actor) sees(unitID string) bool {
	return unitID != "" && (unitID == a.UnitID || slices.Contains(a.Network, unitID))
}

func roleIn(a Actor, roles ...Role) error {
	if slices.Contains(roles, a.Role) {
		return nil
	}
	return domain.ErrForbidden
}

// staffOfUnit: staff work in their own unit; a supervisor also over the LKS
// in the Balai's network. Anyone else learns nothing about the unit's things.
func staffOfUnit(a Actor, r Resource, _ time.Time) error {
	switch {
	case a.Role == Staff && r.UnitID != "" && r.UnitID == a.UnitID:
		return nil
	case a.Role == Supervisor && a.sees(r.UnitID):
		return nil
	}
	return domain.ErrNotFound
}

// supervisorOfUnit: a supervisor over the unit; its staff see but may not.
func supervisorOfUnit(a Actor, r Resource, now time.Time) error {
	if err := staffOfUnit(a, r, now); err != nil {
		return err
	}
	return roleIn(a, Supervisor)
}

// The sensitivity tiers of a case.
const (
	TierAudited   = "audited"   // any staff of the unit, every sensitive read logged
	TierProtected = "protected" // napza and children: the assigned staff and supervisors
	TierClosed    = "closed"    // trafficking and child victims: the assigned and named staff only
)

func readCase(a Actor, r Resource, now time.Time) error {
	if err := staffOfUnit(a, r, now); err != nil {
		return err
	}
	assigned := r.AssignedStaffID != "" && r.AssignedStaffID == a.UserID
	switch r.Sensitivity {
	case TierAudited:
		return nil
	case TierProtected:
		if assigned || a.Role == Supervisor {
			return nil
		}
	case TierClosed:
		if assigned || r.Cleared {
			return nil
		}
	}
	return domain.ErrForbidden
}
