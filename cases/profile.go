package cases

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// NewAssessment is a social worker's assessment of the PM.
type NewAssessment struct {
	Date string `json:"date"` // YYYY-MM-DD
	Note string `json:"note"`
}

// Assessment is an assessment as its readers see it.
type Assessment struct {
	ID         int64     `json:"id,string"`
	Date       string    `json:"date"`
	Note       string    `json:"note"`
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

type assessmentRow struct {
	ID         int64 `gorm:"primaryKey"`
	CaseID     string
	AssessedOn time.Time
	NoteEnc    []byte
	RecordedBy string
	RecordedAt time.Time
}

func (assessmentRow) TableName() string { return "case_assessments" }

// GuardianRelations are the relations a guardian may have to the PM.
var GuardianRelations = []string{"parent", "sibling", "relative", "lks", "other"}

// GuardianInput names the guardian of a child, or of a PM who needs one.
type GuardianInput struct {
	Relation string `json:"relation"`
	Name     string `json:"name"`
	Phone    string `json:"phone"`
}

type guardianRow struct {
	ID         int64 `gorm:"primaryKey"`
	CaseID     string
	Relation   string
	NameEnc    []byte
	PhoneEnc   []byte
	RecordedBy string
	RecordedAt time.Time
}

func (guardianRow) TableName() string { return "case_guardians" }

// RecordAssessment seals an assessment note into the case, with an
// assessment_recorded event that carries no word of it.
func (s *Service) RecordAssessment(ctx context.Context, actor access.Actor, caseID string, in NewAssessment) (Assessment, error) {
	row, err := s.authorize(ctx, actor, access.RecordCaseEntry, caseID)
	if err != nil {
		return Assessment{}, err
	}
	now := s.now().UTC()
	v := &domain.ValidationError{}
	date := pastDate(v, in.Date, now)
	note := cleanNote(v, in.Note)
	if note == "" {
		v.Add("note", "cases.assessment.note")
	}
	if err := v.Err(); err != nil {
		return Assessment{}, err
	}
	r := assessmentRow{CaseID: row.ID, AssessedOn: dateOf(date), NoteEnc: s.vault.Seal(note, noteContext("case_assessments", row.ID)),
		RecordedBy: actor.UserID, RecordedAt: now}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.WithContext(ctx).Create(&r).Error; err != nil {
			return fmt.Errorf("record assessment: %w", err)
		}
		return AppendEvent(ctx, tx.DB, row.ID, "assessment_recorded", now, actor, map[string]any{"assessment_id": fmt.Sprint(r.ID), "date": in.Date})
	})
	if err != nil {
		return Assessment{}, err
	}
	return Assessment{ID: r.ID, Date: in.Date, Note: note, RecordedBy: actor.UserID, RecordedAt: now}, nil
}

// Assessments opens a case's assessment notes, newest first: the sensitive
// right is needed (the caseworker, supervisors) and the read is audited.
func (s *Service) Assessments(ctx context.Context, actor access.Actor, caseID string) ([]Assessment, error) {
	row, err := s.authorize(ctx, actor, access.ReadCaseSensitive, caseID)
	if err != nil {
		return nil, err
	}
	var rows []assessmentRow
	if err := s.db.Gorm.WithContext(ctx).Where("case_id = ?", row.ID).Order("assessed_on DESC, id DESC").Limit(200).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list assessments: %w", err)
	}
	out := make([]Assessment, len(rows))
	notes := s.notesOf("case_assessments", row.ID)
	for i, r := range rows {
		out[i] = Assessment{ID: r.ID, Date: r.AssessedOn.Format(time.DateOnly), RecordedBy: r.RecordedBy, RecordedAt: r.RecordedAt}
		if out[i].Note, err = notes.open(r.NoteEnc); err != nil {
			return nil, err
		}
	}
	return out, notes.audit(ctx, actor)
}

// SetGuardian records who the PM's guardian is now; the older rows stay
// as the history. Name and phone are sealed; the guardian_set event names
// only the relation.
func (s *Service) SetGuardian(ctx context.Context, actor access.Actor, caseID string, in GuardianInput) error {
	row, err := s.authorize(ctx, actor, access.RecordCaseEntry, caseID)
	if err != nil {
		return err
	}
	v := &domain.ValidationError{}
	name, phone := strings.TrimSpace(in.Name), strings.TrimSpace(in.Phone)
	if !slices.Contains(GuardianRelations, in.Relation) {
		v.Add("relation", "cases.guardian.relation")
	}
	if name == "" || len(name) > 200 {
		v.Add("name", "cases.guardian.name")
	}
	if phone != "" && !domain.ValidPhone(phone) {
		v.Add("phone", "field.phone")
	}
	if err := v.Err(); err != nil {
		return err
	}
	now := s.now().UTC()
	r := guardianRow{CaseID: row.ID, Relation: in.Relation, NameEnc: s.vault.Seal(name, noteContext("case_guardians", row.ID)),
		RecordedBy: actor.UserID, RecordedAt: now}
	if phone != "" {
		r.PhoneEnc = s.vault.Seal(phone, noteContext("case_guardians", row.ID))
	}
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.WithContext(ctx).Create(&r).Error; err != nil {
			return fmt.Errorf("set guardian: %w", err)
		}
		return AppendEvent(ctx, tx.DB, row.ID, "guardian_set", now, actor, map[string]any{"relation": in.Relation})
	})
}

// Guardian is the PM's guardian now, opened for readers with the sensitive
// right (audited); nil when none is recorded.
type Guardian struct {
	Relation   string    `json:"relation"`
	Name       string    `json:"name"`
	Phone      string    `json:"phone,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

// ReadGuardian opens the current guardian of a case.
func (s *Service) ReadGuardian(ctx context.Context, actor access.Actor, caseID string) (*Guardian, error) {
	row, err := s.authorize(ctx, actor, access.ReadCaseSensitive, caseID)
	if err != nil {
		return nil, err
	}
	var rows []guardianRow
	if err := s.db.Gorm.WithContext(ctx).Where("case_id = ?", row.ID).Order("id DESC").Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read guardian: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	g := &Guardian{Relation: rows[0].Relation, RecordedAt: rows[0].RecordedAt}
	if g.Name, err = s.vault.Open(rows[0].NameEnc, noteContext("case_guardians", row.ID)); err != nil {
		return nil, fmt.Errorf("open guardian: %w", err)
	}
	if rows[0].PhoneEnc != nil {
		if g.Phone, err = s.vault.Open(rows[0].PhoneEnc, noteContext("case_guardians", row.ID)); err != nil {
			return nil, fmt.Errorf("open guardian: %w", err)
		}
	}
	return g, s.auditNotes(ctx, actor, row.ID, "case_guardians", 1)
}

// Assign gives a case to a caseworker of its unit (a supervisor's call),
// with a staff_assigned event.
func (s *Service) Assign(ctx context.Context, actor access.Actor, caseID, userID string) error {
	row, err := s.authorize(ctx, actor, access.AssignCase, caseID)
	if err != nil {
		return err
	}
	if !domain.ValidID(userID) {
		return domain.Invalid("user_id", "cases.staff.unknown")
	}
	role, unit, err := s.people.Membership(ctx, userID)
	if err != nil || (role != access.Staff && role != access.Supervisor) || unit != row.UnitID {
		return domain.Invalid("user_id", "cases.staff.unit")
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.WithContext(ctx).Model(&caseRow{}).Where("id = ?", row.ID).Update("assigned_staff_id", userID).Error; err != nil {
			return fmt.Errorf("assign case: %w", err)
		}
		if err := audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: string(access.AssignCase),
			ResourceKind: "case", ResourceID: row.ID, Detail: map[string]any{"user_id": userID}}); err != nil {
			return err
		}
		return AppendEvent(ctx, tx.DB, row.ID, "staff_assigned", now, actor, map[string]any{"user_id": userID})
	})
}
