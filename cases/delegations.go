package cases

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// maxDelegation bounds how long a delegation may run before staff renew it.
const maxDelegation = 366 * 24 * time.Hour

// Delegation lets a pendamping act for the PM of a case.
type Delegation struct {
	ID           string         `json:"id"`
	PendampingID string         `json:"pendamping_user_id"`
	CaseID       string         `json:"case_id"`
	Scopes       []access.Scope `json:"scopes"`
	ExpiresAt    time.Time      `json:"expires_at"`
	RevokedAt    *time.Time     `json:"revoked_at"`
	CreatedBy    string         `json:"created_by"`
	CreatedAt    time.Time      `json:"created_at"`
}

type delegationRow struct {
	ID           string
	PendampingID string
	CaseID       string
	Scopes       pq.StringArray `gorm:"type:text[]"`
	ExpiresAt    time.Time
	RevokedAt    *time.Time
	CreatedBy    string
	CreatedAt    time.Time
}

func (delegationRow) TableName() string { return "delegations" }

func (r delegationRow) delegation() Delegation {
	d := Delegation{ID: r.ID, PendampingID: r.PendampingID, CaseID: r.CaseID, ExpiresAt: r.ExpiresAt,
		RevokedAt: r.RevokedAt, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
	for _, s := range r.Scopes {
		d.Scopes = append(d.Scopes, access.Scope(s))
	}
	return d
}

// NewDelegation is the input for Delegate.
type NewDelegation struct {
	PendampingID string         `json:"pendamping_user_id"`
	CaseID       string         `json:"case_id"`
	Scopes       []access.Scope `json:"scopes"`
	ExpiresAt    time.Time      `json:"expires_at"`
}

// Delegate lets a pendamping act for a case's PM within scopes until expiry.
func (s *Service) Delegate(ctx context.Context, actor access.Actor, in NewDelegation) (Delegation, error) {
	row, err := s.authorize(ctx, actor, access.ManageDelegations, in.CaseID)
	if err != nil {
		return Delegation{}, err
	}
	now := s.now().UTC()
	v := &domain.ValidationError{}
	// A pendamping works for the PM of their own unit: another unit's staff
	// neither vetted them nor see what they do.
	if role, unit, err := s.people.Membership(ctx, in.PendampingID); err != nil || role != access.Pendamping {
		v.Add("pendamping_user_id", "cases.delegation.pendamping")
	} else if unit != row.UnitID {
		v.Add("pendamping_user_id", "cases.delegation.unit")
	}
	if len(in.Scopes) == 0 {
		v.Add("scopes", "cases.delegation.scopes")
	}
	scopes := pq.StringArray{}
	for _, sc := range in.Scopes {
		if !slices.Contains(access.Scopes, sc) {
			v.Add("scopes", "cases.delegation.scope", sc)
		} else if !slices.Contains(scopes, string(sc)) {
			scopes = append(scopes, string(sc))
		}
	}
	if !in.ExpiresAt.After(now) || in.ExpiresAt.Sub(now) > maxDelegation {
		v.Add("expires_at", "cases.delegation.expiry")
	}
	if err := v.Err(); err != nil {
		return Delegation{}, err
	}
	d := delegationRow{ID: domain.NewID(), PendampingID: in.PendampingID, CaseID: row.ID, Scopes: scopes,
		ExpiresAt: in.ExpiresAt.UTC(), CreatedBy: actor.UserID, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Create(&d).Error; err != nil {
			return fmt.Errorf("create delegation: %w", err)
		}
		if err := AppendEvent(ctx, tx.DB, row.ID, "delegation_granted", now, actor, map[string]any{
			"delegation_id": d.ID, "pendamping_user_id": d.PendampingID, "scopes": d.Scopes, "expires_at": d.ExpiresAt,
		}); err != nil {
			return err
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: "delegation.grant", ResourceKind: "case", ResourceID: row.ID,
			Detail: map[string]any{"delegation_id": d.ID}})
	})
	return d.delegation(), err
}

// Revoke ends a delegation at once; revoking twice answers the first result.
func (s *Service) Revoke(ctx context.Context, actor access.Actor, delegationID string) (Delegation, error) {
	var d delegationRow
	if err := storage.Find(ctx, s.db.Gorm, &d, delegationID, "delegation"); err != nil {
		return Delegation{}, err
	}
	if _, err := s.authorize(ctx, actor, access.ManageDelegations, d.CaseID); err != nil {
		return Delegation{}, err
	}
	now := s.now().UTC()
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Clauses(clause.Locking{Strength: "UPDATE"}).First(&d, "id = ?", delegationID).Error; err != nil {
			return err
		}
		if d.RevokedAt != nil {
			return nil
		}
		d.RevokedAt = &now
		if err := tx.DB.Model(&d).Update("revoked_at", now).Error; err != nil {
			return fmt.Errorf("revoke delegation: %w", err)
		}
		if err := AppendEvent(ctx, tx.DB, d.CaseID, "delegation_revoked", now, actor, map[string]any{
			"delegation_id": d.ID, "pendamping_user_id": d.PendampingID,
		}); err != nil {
			return err
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: "delegation.revoke", ResourceKind: "case", ResourceID: d.CaseID,
			Detail: map[string]any{"delegation_id": d.ID}})
	})
	return d.delegation(), err
}

// CaseDelegations lists every delegation of a case, newest first.
func (s *Service) CaseDelegations(ctx context.Context, actor access.Actor, caseID string) ([]Delegation, error) {
	if _, err := s.authorize(ctx, actor, access.ManageDelegations, caseID); err != nil {
		return nil, err
	}
	return s.delegations(ctx, "case_id = ?", caseID)
}

// MyDelegations lists a pendamping's own unrevoked, unexpired delegations.
func (s *Service) MyDelegations(ctx context.Context, actor access.Actor) ([]Delegation, error) {
	if actor.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	return s.delegations(ctx, "pendamping_id = ? AND revoked_at IS NULL AND expires_at > ?", actor.UserID, s.now().UTC())
}

// ActiveDelegations gives a pendamping's unrevoked delegations to the policy
// layer (accounts.DelegationSource); the policy checks their expiry.
func (s *Service) ActiveDelegations(ctx context.Context, pendampingID string) ([]access.Delegation, error) {
	ds, err := s.delegations(ctx, "pendamping_id = ? AND revoked_at IS NULL", pendampingID)
	if err != nil {
		return nil, err
	}
	out := make([]access.Delegation, len(ds))
	for i, d := range ds {
		out[i] = access.Delegation{ID: d.ID, CaseID: d.CaseID, Scopes: d.Scopes, ExpiresAt: d.ExpiresAt}
	}
	return out, nil
}

func (s *Service) delegations(ctx context.Context, where string, args ...any) ([]Delegation, error) {
	var rows []delegationRow
	if err := s.db.Gorm.WithContext(ctx).Where(where, args...).Order("created_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list delegations: %w", err)
	}
	out := make([]Delegation, len(rows))
	for i, r := range rows {
		out[i] = r.delegation()
	}
	return out, nil
}
