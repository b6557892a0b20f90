package catalog

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// ShopSettings are what a buyer is told at checkout about a shop's
// delivery: the courier fee and where and when orders are picked up.
type ShopSettings struct {
	CourierFlatIDR domain.IDR `json:"courier_flat_idr"`
	PickupPlace    string     `json:"pickup_place"`
	PickupAddress  string     `json:"pickup_address"`
	PickupHours    string     `json:"pickup_hours"`
}

// maxCourierFlat is the schema's bound on a flat courier rate.
const maxCourierFlat = 1_000_000

// ShopForSettings answers a shop to those who may change its delivery
// settings (the unit's staff, an LKS manager for the LKS's shops).
func (s *Service) ShopForSettings(ctx context.Context, actor access.Actor, shopID string) (Shop, error) {
	sh, err := s.shop(ctx, shopID)
	if err != nil {
		return Shop{}, err
	}
	if err := access.Can(actor, access.EditShopSettings, access.Resource{UnitID: sh.UnitID}, s.now()); err != nil {
		return Shop{}, err
	}
	return sh, nil
}

// MaySetShopSettings tells whether actor may change sh's delivery
// settings, for a page that offers the link.
func (s *Service) MaySetShopSettings(actor access.Actor, sh Shop) bool {
	return access.Can(actor, access.EditShopSettings, access.Resource{UnitID: sh.UnitID}, s.now()) == nil
}

// SetShopSettings changes a shop's courier fee and pick-up place. Orders
// already placed keep the fee they were charged.
func (s *Service) SetShopSettings(ctx context.Context, actor access.Actor, shopID string, in ShopSettings) (Shop, error) {
	sh, err := s.ShopForSettings(ctx, actor, shopID)
	if err != nil {
		return Shop{}, err
	}
	v := &domain.ValidationError{}
	one := func(field, value string, max int) string {
		value = strings.Join(strings.Fields(value), " ")
		if utf8.RuneCountInString(value) > max || strings.ContainsFunc(value, unicode.IsControl) {
			v.Add(field, "catalog.shop.pickup.long", max)
		}
		return value
	}
	in.PickupPlace = one("pickup_place", in.PickupPlace, 100)
	in.PickupAddress = one("pickup_address", in.PickupAddress, 300)
	in.PickupHours = one("pickup_hours", in.PickupHours, 100)
	if in.CourierFlatIDR < 0 || in.CourierFlatIDR > maxCourierFlat {
		v.Add("courier_flat_idr", "catalog.shop.courier.range", domain.IDR(maxCourierFlat))
	}
	if err := v.Err(); err != nil {
		return Shop{}, err
	}
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.WithContext(ctx).Model(&Shop{}).Where("id = ?", sh.ID).Updates(map[string]any{"courier_flat_idr": in.CourierFlatIDR,
			"pickup_place": in.PickupPlace, "pickup_address": in.PickupAddress, "pickup_hours": in.PickupHours, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("shop settings: %w", err)
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: "shop.settings", ResourceKind: "shop", ResourceID: sh.ID,
			Detail: map[string]any{"courier_flat_idr": in.CourierFlatIDR}})
	})
	if err != nil {
		return Shop{}, err
	}
	sh.CourierFlatIDR, sh.PickupPlace, sh.PickupAddress, sh.PickupHours, sh.UpdatedAt = in.CourierFlatIDR, in.PickupPlace, in.PickupAddress, in.PickupHours, now
	return sh, nil
}

// ShopsOf are shops by id, in one query, for other domains that show
// several at once (the checkout, an order group's parts).
func (s *Service) ShopsOf(ctx context.Context, ids []string) (map[string]Shop, error) {
	out := make(map[string]Shop, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var shops []Shop
	if err := s.db.Gorm.WithContext(ctx).Where("id IN ?", ids).Find(&shops).Error; err != nil {
		return nil, fmt.Errorf("shops: %w", err)
	}
	for _, sh := range shops {
		out[sh.ID] = sh
	}
	return out, nil
}
