package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// Shop is a shop as its seller side and staff see it.
type Shop struct {
	ID          string     `json:"id"`
	Kind        ShopKind   `json:"kind"`
	DisplayName string     `json:"display_name"`
	UnitID      string     `json:"unit_id"`
	CaseID      *string    `json:"case_id,omitempty"`
	OwnerUserID string     `json:"owner_user_id"`
	Status      ShopStatus `json:"status"`
	Story       string     `json:"story"`
	// CourierFlatIDR is what a courier delivery of the shop's part of a
	// checkout costs (orders.FlatRates); the pick-up fields say where and
	// when its orders are collected (the institution's place, never a PM's).
	CourierFlatIDR domain.IDR `json:"courier_flat_idr" gorm:"column:courier_flat_idr;default:15000"`
	PickupPlace    string     `json:"pickup_place"`
	PickupAddress  string     `json:"pickup_address"`
	PickupHours    string     `json:"pickup_hours"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// NewShop is the input for CreateShop.
type NewShop struct {
	Kind        ShopKind `json:"kind"`
	DisplayName string   `json:"display_name"`
	UnitID      string   `json:"unit_id"`
	CaseID      *string  `json:"case_id"`
	OwnerUserID string   `json:"owner_user_id"`
	Story       string   `json:"story"`
}

// CreateShop opens a PM's shop (by staff of the PM's unit) or an LKS
// workshop shop (by its manager or staff). Children are never the seller of
// record (DOMAIN.md rule 2): their work is sold by a workshop or guardian.
func (s *Service) CreateShop(ctx context.Context, actor access.Actor, in NewShop) (Shop, error) {
	v := &domain.ValidationError{}
	in.DisplayName = strings.Join(strings.Fields(in.DisplayName), " ")
	in.Story = strings.TrimSpace(in.Story)
	var facts cases.Facts
	res := access.Resource{UnitID: in.UnitID}
	switch in.Kind {
	case BeneficiaryShop:
		if in.CaseID == nil || *in.CaseID == "" {
			v.Add("case_id", "catalog.shop.needcase")
			break
		}
		var err error
		if facts, err = s.cases.Facts(ctx, *in.CaseID); err != nil || facts.UnitID != in.UnitID {
			v.Add("case_id", "catalog.shop.casenotfound")
			break
		}
		res.CaseID = facts.ID
		if facts.IsChild {
			v.Add("case_id", "catalog.shop.child")
		}
		if !facts.Consents[string(cases.PurposeSelling)] {
			v.Add("case_id", "catalog.shop.consent")
		}
	case WorkshopShop:
		in.CaseID = nil
		if u, err := s.accounts.Unit(ctx, in.UnitID); err != nil || u.Kind != accounts.LKS {
			v.Add("unit_id", "catalog.shop.workshopunit")
		}
	default:
		v.Add("kind", "catalog.shop.kind")
	}
	if err := access.Can(actor, access.CreateShop, res, s.now()); err != nil {
		return Shop{}, err
	}
	if l := utf8.RuneCountInString(in.DisplayName); l < 3 || l > 80 {
		v.Add("display_name", "catalog.shop.name")
	}
	if utf8.RuneCountInString(in.Story) > 2000 {
		v.Add("story", "catalog.shop.story")
	}
	if in.Story != "" && !storyAllowed(facts, in.Kind) {
		v.Add("story", "catalog.shop.storyconsent")
	}
	role, unit, err := s.accounts.Membership(ctx, in.OwnerUserID)
	switch {
	case err != nil:
		v.Add("owner_user_id", "catalog.shop.owner.notfound")
	case in.Kind == BeneficiaryShop && role == access.Pendamping:
		// Owning the shop would let the pendamping act with no scope, expiry
		// or revocation: they act for the PM through a delegation only.
		v.Add("owner_user_id", "catalog.shop.owner.pendamping")
	case in.Kind == BeneficiaryShop && role != access.Seller:
		v.Add("owner_user_id", "catalog.shop.owner.pm")
	case in.Kind == WorkshopShop && (role != access.LKSManager || unit != in.UnitID):
		v.Add("owner_user_id", "catalog.shop.owner.lks")
	}
	if err := v.Err(); err != nil {
		return Shop{}, err
	}
	now := s.now().UTC()
	shop := Shop{ID: domain.NewID(), Kind: in.Kind, DisplayName: in.DisplayName, UnitID: in.UnitID, CaseID: in.CaseID,
		OwnerUserID: in.OwnerUserID, Status: ShopActive, Story: in.Story, CreatedAt: now, UpdatedAt: now}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Create(&shop).Error; err != nil {
			if storage.IsUniqueViolation(err, "shops_open_case_key") {
				return domain.Invalid("case_id", "catalog.shop.exists")
			}
			return fmt.Errorf("create shop: %w", err)
		}
		if shop.CaseID != nil {
			if err := cases.AppendEvent(ctx, tx.DB, *shop.CaseID, "shop_opened", now, actor, map[string]any{"shop_id": shop.ID}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: "shop.create", ResourceKind: "shop", ResourceID: shop.ID})
	})
	return shop, err
}

// storyAllowed is DOMAIN.md rule 1 for a shop's personal story: only under
// a public_promotion consent, never for children or closed-tier cases.
func storyAllowed(f cases.Facts, kind ShopKind) bool {
	if kind == WorkshopShop {
		return true // the workshop's story is the institution's, not a person's
	}
	return f.Consents[string(cases.PurposePromotion)] && !f.IsChild && f.Sensitivity != access.TierClosed
}

// shop loads a shop by id.
func (s *Service) shop(ctx context.Context, id string) (Shop, error) {
	var sh Shop
	err := storage.Find(ctx, s.db.Gorm, &sh, id, "shop")
	return sh, err
}

// resource describes a shop to the policy layer.
func (sh Shop) resource(scope access.Scope) access.Resource {
	r := access.Resource{UnitID: sh.UnitID, OwnerID: sh.OwnerUserID, Scope: scope}
	if sh.CaseID != nil {
		r.CaseID = *sh.CaseID
	}
	return r
}

// PublicShop is a shop as anyone sees it: a display name, the institution,
// the regency at most. Never the PM's name, face, cluster or case.
type PublicShop struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Institution string `json:"institution"`
	RegencyCode string `json:"regency_code"`
	Story       string `json:"story,omitempty"`
}

// PublicShop answers an active or paused shop for the public.
func (s *Service) PublicShop(ctx context.Context, id string) (PublicShop, error) {
	sh, err := s.shop(ctx, id)
	if err != nil {
		return PublicShop{}, err
	}
	if sh.Status == ShopClosed {
		return PublicShop{}, fmt.Errorf("shop closed: %w", domain.ErrNotFound)
	}
	unit, err := s.accounts.Unit(ctx, sh.UnitID)
	if err != nil {
		return PublicShop{}, err
	}
	out := PublicShop{ID: sh.ID, DisplayName: sh.DisplayName, Institution: unit.Name, RegencyCode: unit.RegencyCode}
	if sh.Story != "" {
		// Consent may have been withdrawn since the story was written.
		var facts cases.Facts
		if sh.CaseID != nil {
			if facts, err = s.cases.Facts(ctx, *sh.CaseID); err != nil {
				return PublicShop{}, err
			}
		}
		if storyAllowed(facts, sh.Kind) {
			out.Story = sh.Story
		}
	}
	return out, nil
}

// FollowSellingConsent pauses a PM's shop when their marketplace_selling
// consent is withdrawn and reopens it when consent is given again. A paused
// shop keeps its listings and whatever it has earned; it just sells nothing.
// The cases package calls it in the consent's transaction.
func (s *Service) FollowSellingConsent(ctx context.Context, tx *storage.Tx, caseID string, purpose cases.Purpose, given bool) error {
	if purpose != cases.PurposeSelling {
		return nil
	}
	from, to := ShopActive, ShopPaused
	if given {
		from, to = ShopPaused, ShopActive
	}
	err := tx.DB.WithContext(ctx).Model(&Shop{}).Where("case_id = ? AND status = ?", caseID, from).
		Updates(map[string]any{"status": to, "updated_at": s.now().UTC()}).Error
	if err != nil {
		return fmt.Errorf("shop follows consent: %w", err)
	}
	s.cache.clear()
	return nil
}

// ShopOf is a shop by id, for other domains deciding about it (orders).
func (s *Service) ShopOf(ctx context.Context, id string) (Shop, error) { return s.shop(ctx, id) }

// ShopsFor lists the shops an actor works on the seller side of: their own,
// their LKS's, the shops of PM who delegated listings to them, and for
// staff the shops of their unit.
func (s *Service) ShopsFor(ctx context.Context, actor access.Actor) ([]Shop, error) {
	if actor.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	now := s.now()
	var cases []string
	for _, d := range actor.Delegations {
		if actor.DelegatedFor(d.CaseID, access.ScopeListings, now) {
			cases = append(cases, d.CaseID)
		}
	}
	q := s.db.Gorm.WithContext(ctx).Where("status <> ?", ShopClosed)
	switch actor.Role {
	case access.Staff, access.Supervisor, access.LKSManager:
		q = q.Where("unit_id = ? OR owner_user_id = ?", actor.UnitID, actor.UserID)
	case access.Pendamping:
		// A pendamping owns nothing: only delegations bring them to a shop.
		if len(cases) == 0 {
			return []Shop{}, nil
		}
		q = q.Where("case_id IN ?", cases)
	default:
		if len(cases) == 0 {
			cases = []string{"00000000-0000-0000-0000-000000000000"}
		}
		q = q.Where("owner_user_id = ? OR case_id IN ?", actor.UserID, cases)
	}
	var out []Shop
	if err := q.Order("display_name").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("shops for actor: %w", err)
	}
	return out, nil
}

// SetShopStatus pauses, reopens or closes a shop (staff of its unit). A
// closed shop sells nothing and is gone from public pages, but keeps its
// orders and what it earned.
func (s *Service) SetShopStatus(ctx context.Context, actor access.Actor, shopID string, to ShopStatus) (Shop, error) {
	sh, err := s.shop(ctx, shopID)
	if err != nil {
		return Shop{}, err
	}
	if err := access.Can(actor, access.ReviewProduct, access.Resource{UnitID: sh.UnitID}, s.now()); err != nil {
		return Shop{}, err
	}
	if to != ShopActive && to != ShopPaused && to != ShopClosed {
		return Shop{}, domain.Invalid("status", "catalog.shop.status")
	}
	if sh.Status == ShopClosed && to != ShopClosed {
		return Shop{}, domain.Errorf(domain.ErrConflict, "catalog.shop.reopen")
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Model(&Shop{}).Where("id = ?", sh.ID).Updates(map[string]any{"status": to, "updated_at": s.now().UTC()}).Error; err != nil {
			return err
		}
		s.cache.clear()
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: "shop.status", ResourceKind: "shop", ResourceID: sh.ID,
			Detail: map[string]any{"status": to}})
	})
	sh.Status = to
	return sh, err
}
