package payouts

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// RouteInput is the body of PUT /shops/{id}/payout-route.
type RouteInput struct {
	PayeeKind   PayeeKind `json:"payee_kind"`
	Method      Method    `json:"method"`
	AccountName string    `json:"account_name"`
	Bank        string    `json:"bank"`
	AccountNo   string    `json:"account_no"`
}

// Route is a payout route as staff and the seller side see it. AccountNo
// is filled only for staff who asked for it (and the read is audited);
// everyone else gets the masked number. The account holder's name may be
// the PM's legal name: it is given in full only on that same request, and
// only to a reader with the right to the PM's legal name (the case audits
// it); everyone else gets it masked.
type Route struct {
	ID                string     `json:"id"`
	ShopID            string     `json:"shop_id"`
	PayeeKind         PayeeKind  `json:"payee_kind"`
	Method            Method     `json:"method"`
	AccountName       string     `json:"account_name"`
	AccountNameMasked bool       `json:"account_name_masked"`
	Bank              string     `json:"bank,omitempty"`
	AccountNoMasked   string     `json:"account_no_masked,omitempty"`
	AccountNo         string     `json:"account_no,omitempty"`
	Status            string     `json:"status"` // pending | confirmed | default
	ChangedBy         string     `json:"changed_by,omitempty"`
	ChangedAt         *time.Time `json:"changed_at,omitempty"`
	ConfirmedBy       *string    `json:"confirmed_by,omitempty"`
	ConfirmedAt       *time.Time `json:"confirmed_at,omitempty"`
}

// RouteView is GET /shops/{id}/payout-route: the route in use and a change
// waiting for confirmation, if any.
type RouteView struct {
	Current Route  `json:"current"`
	Pending *Route `json:"pending"`
}

type routeRow struct {
	ID             string
	ShopID         string
	PayeeKind      PayeeKind
	Method         Method
	AccountNameEnc []byte
	Bank           string
	AccountNoEnc   []byte
	AccountNoLast4 string `gorm:"column:account_no_last4"`
	Status         string
	ChangedBy      string
	ChangedAt      time.Time
	ConfirmedBy    *string
	ConfirmedAt    *time.Time
}

func (routeRow) TableName() string { return "payout_routes" }

func sealContext(routeID, field string) string { return "payout_route/" + routeID + "/" + field }

var accountNoPattern = regexp.MustCompile(`^[0-9]{5,30}$`)

// homeUnit is the unit whose staff look after a shop's payouts: the Balai
// whose network an LKS belongs to, else the shop's own unit.
func (s *Service) homeUnit(ctx context.Context, unitID string) (string, error) {
	u, err := s.units.Unit(ctx, unitID)
	if err != nil {
		return "", err
	}
	if u.Kind == accounts.LKS && u.ParentID != nil {
		return *u.ParentID, nil
	}
	return u.ID, nil
}

// staffForShop checks that actor may do action for a shop's payouts: staff
// of the shop's own unit or of the Balai whose network it is in.
func (s *Service) staffForShop(ctx context.Context, actor access.Actor, action access.Action, sh catalog.Shop) error {
	if access.Can(actor, action, access.Resource{UnitID: sh.UnitID}, s.now()) == nil {
		return nil
	}
	home, err := s.homeUnit(ctx, sh.UnitID)
	if err != nil {
		return err
	}
	return access.Can(actor, action, access.Resource{UnitID: home}, s.now())
}

func sellerSide(sh catalog.Shop) access.Resource {
	r := access.Resource{UnitID: sh.UnitID, OwnerID: sh.OwnerUserID, Scope: access.ScopeEarnings}
	if sh.CaseID != nil {
		r.CaseID = *sh.CaseID
	}
	return r
}

// SetRoute records a new payout route for a shop (staff of the unit). It
// waits for a supervisor's confirmation before any batch uses it, and the
// change goes into the PM's case record.
func (s *Service) SetRoute(ctx context.Context, actor access.Actor, shopID string, in RouteInput) (RouteView, error) {
	sh, err := s.shops.ShopOf(ctx, shopID)
	if err != nil {
		return RouteView{}, err
	}
	if err := s.staffForShop(ctx, actor, access.ManagePayouts, sh); err != nil {
		return RouteView{}, err
	}
	v := &domain.ValidationError{}
	in.AccountName = strings.Join(strings.Fields(in.AccountName), " ")
	in.Bank = strings.Join(strings.Fields(in.Bank), " ")
	in.AccountNo = strings.NewReplacer(" ", "", "-", "", ".", "").Replace(in.AccountNo)
	switch in.PayeeKind {
	case PayeePM, PayeeGuardian, PayeeLKS:
	default:
		v.Add("payee_kind", "payouts.route.payee")
	}
	if in.PayeeKind == PayeePM && sh.Kind == catalog.WorkshopShop {
		v.Add("payee_kind", "payouts.route.workshop")
	}
	if l := utf8.RuneCountInString(in.AccountName); l < 2 || l > 120 {
		v.Add("account_name", "payouts.route.name")
	}
	switch in.Method {
	case Cash:
		in.Bank, in.AccountNo = "", ""
	case BankTransfer, EWallet:
		if in.Bank == "" || utf8.RuneCountInString(in.Bank) > 80 {
			v.Add("bank", "payouts.route.bank")
		}
		if !accountNoPattern.MatchString(in.AccountNo) {
			v.Add("account_no", "payouts.route.account")
		}
	default:
		v.Add("method", "payouts.method.invalid")
	}
	if err := v.Err(); err != nil {
		return RouteView{}, err
	}
	now := s.now().UTC()
	row := routeRow{ID: domain.NewID(), ShopID: sh.ID, PayeeKind: in.PayeeKind, Method: in.Method, Bank: in.Bank,
		Status: "pending", ChangedBy: actor.UserID, ChangedAt: now}
	row.AccountNameEnc = s.vault.Seal(in.AccountName, sealContext(row.ID, "account_name"))
	if in.AccountNo != "" {
		row.AccountNoEnc = s.vault.Seal(in.AccountNo, sealContext(row.ID, "account_no"))
		row.AccountNoLast4 = in.AccountNo[len(in.AccountNo)-4:]
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		db := tx.DB.WithContext(ctx)
		// A newer change replaces one still waiting: only the latest is confirmed.
		if err := db.Model(&routeRow{}).Where("shop_id = ? AND status = 'pending'", sh.ID).Update("status", "superseded").Error; err != nil {
			return fmt.Errorf("supersede route: %w", err)
		}
		if err := db.Create(&row).Error; err != nil {
			return fmt.Errorf("create route: %w", err)
		}
		if sh.CaseID != nil {
			data := map[string]any{"shop_id": sh.ID, "payee_kind": row.PayeeKind, "method": row.Method, "bank": row.Bank,
				"account_no_last4": row.AccountNoLast4, "status": "pending"}
			if err := cases.AppendEvent(ctx, tx.DB, *sh.CaseID, "payout_route_changed", now, actor, data); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, OnBehalfOf: deref(sh.CaseID), Action: "payout_route.change",
			ResourceKind: "shop", ResourceID: sh.ID, Detail: map[string]any{"route_id": row.ID, "method": row.Method, "payee_kind": row.PayeeKind}})
	})
	if err != nil {
		return RouteView{}, err
	}
	return s.readRoute(ctx, actor, sh, false, false)
}

// ConfirmInput is the body of POST /shops/{id}/payout-route/confirm.
type ConfirmInput struct {
	// RouteID is the pending change the supervisor was shown.
	RouteID string `json:"route_id"`
}

// ConfirmRoute makes a shop's pending route the one in use: a supervisor
// of the unit who is not the person who made the change, naming the change
// they were shown. A change replaced meanwhile (staff may swap the account
// for one with the same holder and last four digits) is a conflict, and
// nothing moves; confirming the same change again answers the route view.
func (s *Service) ConfirmRoute(ctx context.Context, actor access.Actor, shopID string, in ConfirmInput) (RouteView, error) {
	sh, err := s.shops.ShopOf(ctx, shopID)
	if err != nil {
		return RouteView{}, err
	}
	if err := s.staffForShop(ctx, actor, access.ApprovePayouts, sh); err != nil {
		return RouteView{}, err
	}
	in.RouteID = strings.TrimSpace(in.RouteID)
	if in.RouteID == "" {
		return RouteView{}, domain.Invalid("route_id", "payouts.route.confirmid")
	}
	if !domain.ValidID(in.RouteID) {
		return RouteView{}, domain.Invalid("route_id", "payouts.route.unknown")
	}
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		db := tx.DB.WithContext(ctx)
		var row routeRow
		err := db.Clauses(clause.Locking{Strength: "UPDATE"}).Where("shop_id = ? AND status = 'pending'", sh.ID).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			var done routeRow
			if db.Where("id = ? AND shop_id = ? AND status = 'confirmed' AND confirmed_by = ?", in.RouteID, sh.ID, actor.UserID).Take(&done).Error == nil {
				return nil // a repeat of this supervisor's confirmation
			}
			return domain.Errorf(domain.ErrConflict, "payouts.route.nopending")
		}
		if err != nil {
			return fmt.Errorf("pending route: %w", err)
		}
		if row.ChangedBy == actor.UserID {
			return domain.Errorf(domain.ErrForbidden, "payouts.route.othersupervisor")
		}
		if row.ID != in.RouteID {
			return domain.Errorf(domain.ErrConflict, "payouts.route.replaced")
		}
		if err := db.Model(&routeRow{}).Where("shop_id = ? AND status = 'confirmed'", sh.ID).Update("status", "superseded").Error; err != nil {
			return fmt.Errorf("supersede route: %w", err)
		}
		if err := db.Model(&routeRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"status": "confirmed", "confirmed_by": actor.UserID, "confirmed_at": now}).Error; err != nil {
			return fmt.Errorf("confirm route: %w", err)
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, OnBehalfOf: deref(sh.CaseID), Action: "payout_route.confirm",
			ResourceKind: "shop", ResourceID: sh.ID, Detail: map[string]any{"route_id": row.ID}})
	})
	if err != nil {
		return RouteView{}, err
	}
	return s.readRoute(ctx, actor, sh, false, false)
}

// ReadRoute answers a shop's payout route: to staff of the unit, with the
// full account number only when asked for (and audited) and the holder's
// name in full on that request only with the right to the PM's legal name;
// to the seller side (the seller, or a pendamping with the earnings scope)
// masked.
func (s *Service) ReadRoute(ctx context.Context, actor access.Actor, shopID string, full bool) (RouteView, error) {
	sh, err := s.shops.ShopOf(ctx, shopID)
	if err != nil {
		return RouteView{}, err
	}
	if err := s.staffForShop(ctx, actor, access.ManagePayouts, sh); err == nil {
		return s.readRoute(ctx, actor, sh, true, full)
	}
	if full {
		return RouteView{}, domain.Errorf(domain.ErrForbidden, "payouts.route.fullnumber")
	}
	if err := access.Can(actor, access.ActForPM, sellerSide(sh), s.now()); err != nil {
		return RouteView{}, err
	}
	return s.readRoute(ctx, actor, sh, false, false)
}

func (s *Service) readRoute(ctx context.Context, actor access.Actor, sh catalog.Shop, staff, full bool) (RouteView, error) {
	var rows []routeRow
	if err := s.db.Gorm.WithContext(ctx).Where("shop_id = ? AND status IN ('pending', 'confirmed')", sh.ID).Find(&rows).Error; err != nil {
		return RouteView{}, fmt.Errorf("read route: %w", err)
	}
	view := RouteView{Current: defaultRoute(sh)}
	if len(rows) == 0 {
		return view, nil
	}
	names := false
	if full {
		var err error
		if names, err = s.openNames(ctx, actor, sh, "payout_account_name"); err != nil {
			return RouteView{}, err
		}
	}
	for _, r := range rows {
		out, err := s.routeOf(r, staff, full, names)
		if err != nil {
			return RouteView{}, err
		}
		if r.Status == "confirmed" {
			view.Current = out
		} else {
			view.Pending = &out
		}
	}
	if full {
		fields := []string{"account_no"}
		if names {
			fields = append(fields, "account_name")
		}
		if err := audit.Record(ctx, s.db.Gorm, audit.Entry{ActorID: actor.UserID, OnBehalfOf: deref(sh.CaseID), Action: "payout_route.read_account_no",
			ResourceKind: "shop", ResourceID: sh.ID, Detail: map[string]any{"fields": fields}}); err != nil {
			return RouteView{}, err
		}
	}
	return view, nil
}

// openNames tells whether actor may see in full what names the PM of a
// shop (what: the account holder's name, a proof photo). For a PM's shop it
// is the case's legal-name rule, tier and clearance respected, and the case
// audits the read; a workshop's payee is its LKS, which staff of the unit
// know.
func (s *Service) openNames(ctx context.Context, actor access.Actor, sh catalog.Shop, what string) (bool, error) {
	if sh.CaseID == nil {
		return s.staffForShop(ctx, actor, access.ManagePayouts, sh) == nil, nil
	}
	if s.cases == nil {
		return false, nil
	}
	return s.cases.OpenIdentity(ctx, actor, *sh.CaseID, what, map[string]any{"shop_id": sh.ID})
}

// defaultRoute is DOMAIN.md's rule with no route: the PM, or the LKS for a
// workshop shop, in cash at the Balai.
func defaultRoute(sh catalog.Shop) Route {
	r := Route{ShopID: sh.ID, PayeeKind: PayeePM, Method: Cash, Status: "default"}
	if sh.Kind == catalog.WorkshopShop {
		r.PayeeKind = PayeeLKS
	}
	return r
}

// routeOf shows a stored route: to staff with who changed it, with the
// account number when full, and with the holder's name in full when names.
func (s *Service) routeOf(r routeRow, staff, full, names bool) (Route, error) {
	out := Route{ID: r.ID, ShopID: r.ShopID, PayeeKind: r.PayeeKind, Method: r.Method, Bank: r.Bank, Status: r.Status,
		ConfirmedBy: r.ConfirmedBy, ConfirmedAt: r.ConfirmedAt}
	if r.AccountNoLast4 != "" {
		out.AccountNoMasked = "••••" + r.AccountNoLast4
	}
	name, err := s.vault.Open(r.AccountNameEnc, sealContext(r.ID, "account_name"))
	if err != nil {
		return out, fmt.Errorf("open account name: %w", err)
	}
	out.AccountName, out.AccountNameMasked = maskName(name), true
	if names {
		out.AccountName, out.AccountNameMasked = name, false
	}
	if staff {
		at := r.ChangedAt
		out.ChangedBy, out.ChangedAt = r.ChangedBy, &at
	}
	if full && r.AccountNoEnc != nil {
		if out.AccountNo, err = s.vault.Open(r.AccountNoEnc, sealContext(r.ID, "account_no")); err != nil {
			return out, fmt.Errorf("open account number: %w", err)
		}
	}
	return out, nil
}

// maskName keeps the first letter of each word: the account holder's name
// may be the PM's legal name, which only its rightful readers get back.
func maskName(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		r := []rune(w)
		words[i] = string(r[0]) + strings.Repeat("*", min(len(r)-1, 4))
	}
	return strings.Join(words, " ")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
