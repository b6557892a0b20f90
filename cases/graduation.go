package cases

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// GraduationDecision is a caseworker's answer to a graduation review
// (Permensos 15/2025 Pasal 34: the SKA service ends once the PM earns the
// minimum wage on their own, and/or on a social worker's evaluation).
type GraduationDecision string

// The decisions of a review.
const (
	GraduationContinue GraduationDecision = "continue" // the PM still needs the programme
	GraduationGraduate GraduationDecision = "graduate" // proposed, for a supervisor to approve
)

// GraduationStatus is where a review stands.
type GraduationStatus string

// The statuses of a review. A "continue" review is done when recorded; a
// proposal waits for a supervisor who did not make it.
const (
	GraduationAssessed GraduationStatus = "assessed"
	GraduationProposed GraduationStatus = "proposed"
	GraduationApproved GraduationStatus = "approved"
	GraduationRejected GraduationStatus = "rejected"
)

// NewGraduationReview is a caseworker's review of a PM's graduation.
type NewGraduationReview struct {
	Decision GraduationDecision `json:"decision"`
}

// GraduationReview is a review as staff see it. Reason (why a proposal was
// rejected) is sealed at rest and opened only for the case's readers.
type GraduationReview struct {
	ID           int64              `json:"id,string"`
	CaseID       string             `json:"case_id"`
	CaseNo       string             `json:"case_no"`
	Decision     GraduationDecision `json:"decision"`
	Status       GraduationStatus   `json:"status"`
	StreakMonths int                `json:"streak_months"`
	ReviewedBy   string             `json:"reviewed_by"`
	ReviewedAt   time.Time          `json:"reviewed_at"`
	DecidedBy    *string            `json:"decided_by,omitempty"`
	DecidedAt    *time.Time         `json:"decided_at,omitempty"`
	Reason       string             `json:"reason,omitempty"`
	// MayDecide says the reader may approve or reject it: a supervisor
	// who may open the case and did not propose it.
	MayDecide bool `json:"-"`
}

type graduationRow struct {
	ID           int64 `gorm:"primaryKey"`
	CaseID       string
	Decision     GraduationDecision
	Status       GraduationStatus
	StreakMonths int
	ReviewedBy   string
	ReviewedAt   time.Time
	DecidedBy    *string
	DecidedAt    *time.Time
	ReasonEnc    []byte
}

func (graduationRow) TableName() string { return "case_graduations" }

func (r graduationRow) review(caseNo string) GraduationReview {
	return GraduationReview{ID: r.ID, CaseID: r.CaseID, CaseNo: caseNo, Decision: r.Decision, Status: r.Status, StreakMonths: r.StreakMonths,
		ReviewedBy: r.ReviewedBy, ReviewedAt: r.ReviewedAt, DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt}
}

// ErrCaseClosed refuses a change to a case that has ended.
var ErrCaseClosed = domain.Errorf(domain.ErrConflict, "cases.closed")

// ReviewGraduation records a caseworker's graduation review of an open
// case, with the PM's minimum-wage streak: "continue" is done at
// once; "graduate" is proposed, one at a time per case, until a supervisor
// decides. It writes graduation_reviewed into the case.
func (s *Service) ReviewGraduation(ctx context.Context, actor access.Actor, caseID string, in NewGraduationReview) (GraduationReview, error) {
	row, err := s.authorize(ctx, actor, access.RecordCaseEntry, caseID)
	if err != nil {
		return GraduationReview{}, err
	}
	status := map[GraduationDecision]GraduationStatus{GraduationContinue: GraduationAssessed, GraduationGraduate: GraduationProposed}[in.Decision]
	if status == "" {
		return GraduationReview{}, domain.Invalid("decision", "cases.graduation.decision")
	}
	if row.ClosedOn != nil {
		return GraduationReview{}, ErrCaseClosed
	}
	months, err := s.Outcomes(ctx, actor, row.ID, "", "")
	if err != nil {
		return GraduationReview{}, err
	}
	r := graduationRow{CaseID: row.ID, Decision: in.Decision, Status: status, ReviewedBy: actor.UserID, ReviewedAt: s.now().UTC()}
	// The streak of the last complete month or the current one, as the
	// caseload judges the task: early in a month the current one is short.
	for k := max(0, len(months)-2); k < len(months); k++ {
		r.StreakMonths = max(r.StreakMonths, months[k].StreakMonths)
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.WithContext(ctx).Create(&r).Error; err != nil {
			if storage.IsUniqueViolation(err, "case_graduations_proposed_key") {
				return domain.Errorf(domain.ErrConflict, "cases.graduation.pending")
			}
			return fmt.Errorf("record graduation review: %w", err)
		}
		return AppendEvent(ctx, tx.DB, row.ID, "graduation_reviewed", r.ReviewedAt, actor, map[string]any{
			"review_id": fmt.Sprint(r.ID), "decision": r.Decision, "streak_months": r.StreakMonths})
	})
	if err != nil {
		return GraduationReview{}, err
	}
	return r.review(row.CaseNo), nil
}

// DecideGraduation is a supervisor's decision on a proposed graduation,
// never by the caseworker who proposed it. Approving closes the case as of
// today (Jakarta) with graduation_approved; rejecting needs a reason,
// sealed, with graduation_rejected. A proposal is decided once: a second
// decision, even a concurrent one, is a conflict.
func (s *Service) DecideGraduation(ctx context.Context, actor access.Actor, caseID string, reviewID int64, approve bool, reason string) (GraduationReview, error) {
	row, err := s.authorize(ctx, actor, access.ApproveGraduation, caseID)
	if err != nil {
		return GraduationReview{}, err
	}
	reason = strings.TrimSpace(reason)
	if !approve && len([]rune(reason)) < 10 {
		return GraduationReview{}, domain.Invalid("reason", "cases.graduation.reason")
	}
	if len(reason) > maxNote {
		return GraduationReview{}, domain.Invalid("reason", "cases.reason.long", maxNote)
	}
	var r graduationRow
	if err := s.db.Gorm.WithContext(ctx).Where("id = ? AND case_id = ?", reviewID, row.ID).First(&r).Error; err != nil {
		return GraduationReview{}, storage.NotFound(err, "graduation review")
	}
	if r.ReviewedBy == actor.UserID {
		return GraduationReview{}, domain.Errorf(domain.ErrForbidden, "cases.graduation.self")
	}
	now := s.now().UTC()
	r.Status, r.DecidedBy, r.DecidedAt = GraduationRejected, &actor.UserID, &now
	if approve {
		r.Status = GraduationApproved
	}
	updates := map[string]any{"status": r.Status, "decided_by": actor.UserID, "decided_at": now}
	if reason != "" {
		updates["reason_enc"] = s.vault.Seal(reason, noteContext("case_graduations", row.ID))
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		db := tx.DB.WithContext(ctx)
		res := db.Model(&graduationRow{}).Where("id = ? AND status = ?", r.ID, GraduationProposed).Updates(updates)
		if res.Error != nil {
			return fmt.Errorf("decide graduation: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return domain.Errorf(domain.ErrConflict, "cases.graduation.decided")
		}
		data := map[string]any{"review_id": fmt.Sprint(r.ID)}
		if !approve {
			return AppendEvent(ctx, tx.DB, row.ID, "graduation_rejected", now, actor, data)
		}
		today := now.In(domain.Jakarta).Format(time.DateOnly)
		if err := db.Exec("UPDATE cases SET closed_on = ? WHERE id = ? AND closed_on IS NULL", today, row.ID).Error; err != nil {
			return fmt.Errorf("close graduated case: %w", err)
		}
		data["closed_on"] = today
		return AppendEvent(ctx, tx.DB, row.ID, "graduation_approved", now, actor, data)
	})
	if err != nil {
		return GraduationReview{}, err
	}
	out := r.review(row.CaseNo)
	out.Reason = reason
	return out, nil
}

// GraduationReviews lists a case's reviews, newest first, with the reasons
// of rejections opened (the read is audited like other notes).
func (s *Service) GraduationReviews(ctx context.Context, actor access.Actor, caseID string) ([]GraduationReview, error) {
	return listEntries(ctx, s, actor, caseID, "case_graduations", "id DESC", 200,
		func(r graduationRow, caseNo string, notes *sealedNotes) (g GraduationReview, err error) {
			g = r.review(caseNo)
			g.Reason, err = notes.open(r.ReasonEnc)
			return g, err
		})
}

// ProposedGraduations lists the graduations waiting for a decision in the
// actor's unit and its network, oldest first, leaving out cases the actor
// may not open (tiers respected, as in the caseload).
func (s *Service) ProposedGraduations(ctx context.Context, actor access.Actor) ([]GraduationReview, error) {
	now := s.now()
	if err := access.Can(actor, access.ReadUnitOutcomes, access.Resource{UnitID: actor.UnitID}, now); err != nil {
		return nil, err
	}
	db := s.db.Gorm.WithContext(ctx)
	var rows []graduationRow
	if err := db.Raw(`SELECT g.* FROM case_graduations g JOIN cases c ON c.id = g.case_id
		WHERE g.status = ? AND c.unit_id IN ? ORDER BY g.id LIMIT 500`,
		GraduationProposed, append([]string{actor.UnitID}, actor.Network...)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("proposed graduations: %w", err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.CaseID
	}
	var caseRows []caseRow
	if len(ids) > 0 {
		if err := db.Where("id IN ?", ids).Find(&caseRows).Error; err != nil {
			return nil, fmt.Errorf("proposed graduations: %w", err)
		}
	}
	byID := make(map[string]caseRow, len(caseRows))
	for _, c := range caseRows {
		byID[c.ID] = c
	}
	out := []GraduationReview{}
	for _, r := range rows {
		c := byID[r.CaseID]
		if access.Can(actor, access.ReadOutcomes, resourceOf(c), now) == nil {
			g := r.review(c.CaseNo)
			g.MayDecide = g.ReviewedBy != actor.UserID && access.Can(actor, access.ApproveGraduation, resourceOf(c), now) == nil
			out = append(out, g)
		}
	}
	return out, nil
}

// lastGraduationReviews gives the latest review of each of caseIDs that has one.
func (s *Service) lastGraduationReviews(ctx context.Context, caseIDs []string) (map[string]*graduationRow, error) {
	var rows []graduationRow
	if err := s.db.Gorm.WithContext(ctx).Raw(`SELECT DISTINCT ON (case_id) * FROM case_graduations
		WHERE case_id IN ? ORDER BY case_id, id DESC`, caseIDs).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("latest graduation reviews: %w", err)
	}
	out := make(map[string]*graduationRow, len(rows))
	for i := range rows {
		out[rows[i].CaseID] = &rows[i]
	}
	return out, nil
}
