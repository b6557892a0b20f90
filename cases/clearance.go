package cases

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/notify"
	"github.com/sentrakreasi/atensi/storage"
)

// ErrClosedCase refuses a closed case to staff of its unit who are neither
// its caseworker nor named for it; they may break the glass.
var ErrClosedCase = &domain.Error{Kind: domain.ErrForbidden, Key: "cases.closed.forbidden"}

// staffMail words the notices to staff, who have no language setting: in
// Indonesian, the default.
var staffMail = locale.For(locale.ID)

// breakGlassFor is how long an emergency read of a closed case lasts.
const breakGlassFor = time.Hour

// Grant is an open emergency read of a closed case.
type Grant struct {
	ID        string    `json:"id"`
	CaseID    string    `json:"case_id"`
	UserID    string    `json:"user_id"`
	Reason    string    `json:"reason"`
	At        time.Time `json:"at"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (Grant) TableName() string { return "case_break_glass" }

type namedStaffRow struct {
	CaseID  string
	UserID  string
	NamedBy string
	NamedAt time.Time
}

func (namedStaffRow) TableName() string { return "case_named_staff" }

// cleared tells whether a user may open a closed case beyond being its
// caseworker: named for it, or holding an unexpired break-glass grant.
func (s *Service) cleared(ctx context.Context, caseID, userID string) (bool, error) {
	var ok bool
	err := s.db.Gorm.WithContext(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM case_named_staff WHERE case_id = ? AND user_id = ?)
		OR EXISTS (SELECT 1 FROM case_break_glass WHERE case_id = ? AND user_id = ? AND expires_at > ?)`,
		caseID, userID, caseID, userID, s.now().UTC()).Scan(&ok).Error
	if err != nil {
		return false, fmt.Errorf("case clearance: %w", err)
	}
	return ok, nil
}

// NameStaff lets a supervisor name a colleague of the unit who may open a
// closed case (UU 21/2007: a survivor's identity is told to as few people
// as the work needs). Naming twice changes nothing.
func (s *Service) NameStaff(ctx context.Context, actor access.Actor, caseID, userID string) error {
	row, err := s.authorize(ctx, actor, access.NameCaseStaff, caseID)
	if err != nil {
		return err
	}
	if row.Sensitivity != access.TierClosed {
		return domain.Errorf(domain.ErrConflict, "cases.named.closedonly")
	}
	if !domain.ValidID(userID) {
		return domain.Invalid("user_id", "cases.staff.unknown")
	}
	role, unit, err := s.people.Membership(ctx, userID)
	if err != nil || (role != access.Staff && role != access.Supervisor) || unit != row.UnitID {
		return domain.Invalid("user_id", "cases.staff.unit")
	}
	// A supervisor naming themselves opens the case to themselves with no
	// second person: like breaking the glass, the other supervisors are told.
	self := userID == actor.UserID
	var emails []string
	if self {
		if emails, err = s.people.SupervisorEmails(ctx, row.UnitID); err != nil {
			return err
		}
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		res := tx.DB.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
			Create(&namedStaffRow{CaseID: row.ID, UserID: userID, NamedBy: actor.UserID, NamedAt: now})
		if res.Error != nil {
			return fmt.Errorf("name staff: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		if err := audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: string(access.NameCaseStaff),
			ResourceKind: "case", ResourceID: row.ID, Detail: map[string]any{"user_id": userID, "self": self}}); err != nil {
			return err
		}
		// The notice names the case number and who, never the PM.
		body := staffMail.Text("email.case.namedself.body",
			actor.Name, row.CaseNo, now.In(domain.Jakarta).Format("2006-01-02 15:04"))
		for _, to := range emails {
			if err := notify.Queue(ctx, tx.DB, notify.Message{To: to, Subject: staffMail.Text("email.case.namedself.subject", row.CaseNo), Body: body,
				Kind: "case_named_self", Ref: row.ID + "/" + userID}, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// BreakGlass opens a closed case to a colleague of its unit for an hour in
// an emergency. The reason is kept in the audit log, and every supervisor
// over the unit is told at once, so the read is never silent.
func (s *Service) BreakGlass(ctx context.Context, actor access.Actor, caseID, reason string) (Grant, error) {
	reason = strings.TrimSpace(reason)
	row, err := s.load(ctx, caseID)
	if err != nil {
		return Grant{}, err
	}
	if err := access.Can(actor, access.BreakGlass, resourceOf(row), s.now()); err != nil {
		return Grant{}, err
	}
	if len([]rune(reason)) < 10 || len(reason) > 1000 {
		return Grant{}, domain.Invalid("reason", "cases.breakglass.reason")
	}
	emails, err := s.people.SupervisorEmails(ctx, row.UnitID)
	if err != nil {
		return Grant{}, err
	}
	now := s.now().UTC()
	g := Grant{ID: domain.NewID(), CaseID: row.ID, UserID: actor.UserID, Reason: reason, At: now, ExpiresAt: now.Add(breakGlassFor)}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.WithContext(ctx).Create(&g).Error; err != nil {
			return fmt.Errorf("break glass: %w", err)
		}
		if err := audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: string(access.BreakGlass),
			ResourceKind: "case", ResourceID: row.ID, Detail: map[string]any{"reason": reason, "until": g.ExpiresAt}}); err != nil {
			return err
		}
		// The notice names the case number and who asked, never the PM.
		body := staffMail.Text("email.case.breakglass.body",
			actor.Name, row.CaseNo, g.ExpiresAt.In(domain.Jakarta).Format("2006-01-02 15:04"), reason)
		for _, to := range emails {
			if err := notify.Queue(ctx, tx.DB, notify.Message{To: to, Subject: staffMail.Text("email.case.breakglass.subject", row.CaseNo), Body: body,
				Kind: "case_break_glass", Ref: g.ID}, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Grant{}, err
	}
	return g, nil
}
