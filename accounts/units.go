package accounts

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// NewUnit is the input for CreateUnit.
type NewUnit struct {
	Kind         UnitKind `json:"kind"`
	Name         string   `json:"name"`
	ProvinceCode string   `json:"province_code"`
	RegencyCode  string   `json:"regency_code"`
	ParentID     *string  `json:"parent_id"`
}

// CreateUnit adds a Balai, or an LKS (optionally in a Balai's network).
func (s *Service) CreateUnit(ctx context.Context, actor access.Actor, in NewUnit) (Unit, error) {
	if err := access.Can(actor, access.CreateUnit, access.Resource{}, s.now()); err != nil {
		return Unit{}, err
	}
	v := &domain.ValidationError{}
	in.Name = strings.TrimSpace(in.Name)
	if in.Kind != Balai && in.Kind != LKS {
		v.Add("kind", "accounts.unitkind")
	}
	if l := utf8.RuneCountInString(in.Name); l < 3 || l > 200 {
		v.Add("name", "accounts.unitname")
	}
	if err := s.validateRegion(ctx, v, in.ProvinceCode, in.RegencyCode); err != nil {
		return Unit{}, err
	}
	if in.ParentID != nil && *in.ParentID != "" {
		if in.Kind != LKS {
			v.Add("parent_id", "accounts.parent.lksonly")
		} else if parent, err := s.Unit(ctx, *in.ParentID); err != nil || parent.Kind != Balai {
			v.Add("parent_id", "accounts.parent.balai")
		}
	} else {
		in.ParentID = nil
	}
	if err := v.Err(); err != nil {
		return Unit{}, err
	}
	u := Unit{ID: domain.NewID(), Kind: in.Kind, Name: in.Name, ProvinceCode: in.ProvinceCode,
		RegencyCode: in.RegencyCode, ParentID: in.ParentID, CreatedAt: s.now().UTC()}
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Create(&u).Error; err != nil {
			return fmt.Errorf("create unit: %w", err)
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: "unit.create", ResourceKind: "unit", ResourceID: u.ID})
	})
	return u, err
}

// Unit finds a unit by id.
func (s *Service) Unit(ctx context.Context, id string) (Unit, error) {
	var u Unit
	err := storage.Find(ctx, s.db.Gorm, &u, id, "unit")
	return u, err
}

// ReadUnit returns a unit the actor may see.
func (s *Service) ReadUnit(ctx context.Context, actor access.Actor, id string) (Unit, error) {
	u, err := s.Unit(ctx, id)
	if err != nil {
		return u, err
	}
	if err := access.Can(actor, access.ReadUnit, access.Resource{UnitID: u.ID}, s.now()); err != nil {
		return Unit{}, err
	}
	return u, nil
}

// Network lists the units a unit oversees besides itself: the LKS in a
// Balai's network.
func (s *Service) Network(ctx context.Context, unitID string) ([]string, error) {
	return s.network(ctx, unitID)
}

// SupervisorEmails are the addresses of the supervisors over a unit: its
// own, and for an LKS those of the Balai whose network it is in.
func (s *Service) SupervisorEmails(ctx context.Context, unitID string) ([]string, error) {
	var emails []string
	err := s.db.Gorm.WithContext(ctx).Model(&User{}).Where(`role = ? AND (unit_id = ? OR unit_id = (SELECT parent_id FROM units WHERE id = ?))`,
		access.Supervisor, unitID, unitID).Order("email").Pluck("email", &emails).Error
	if err != nil {
		return nil, fmt.Errorf("supervisors of unit: %w", err)
	}
	return emails, nil
}

func (s *Service) network(ctx context.Context, unitID string) ([]string, error) {
	var ids []string
	err := s.db.Gorm.WithContext(ctx).Model(&Unit{}).Where("parent_id = ?", unitID).Pluck("id", &ids).Error
	return ids, err
}

// SetPublishWithoutReview lets a unit's sellers publish at once, or makes
// their products wait for staff review again (admin or the unit's supervisor).
func (s *Service) SetPublishWithoutReview(ctx context.Context, actor access.Actor, unitID string, on bool) (Unit, error) {
	u, err := s.Unit(ctx, unitID)
	if err != nil {
		return Unit{}, err
	}
	if actor.Role != access.Admin {
		if err := access.Can(actor, access.ReviewProduct, access.Resource{UnitID: u.ID}, s.now()); err != nil {
			return Unit{}, err
		}
		if actor.Role != access.Supervisor {
			return Unit{}, domain.ErrForbidden
		}
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Model(&Unit{}).Where("id = ?", u.ID).Update("publish_without_review", on).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: "unit.review_setting", ResourceKind: "unit", ResourceID: u.ID,
			Detail: map[string]any{"publish_without_review": on}})
	})
	u.PublishWithoutReview = on
	return u, err
}
