package orders

import (
	"context"

	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
)

// ShippingRates prices a courier delivery of one shop's part of a checkout.
// It is the seam for a carrier's real rates (by weight and destination);
// what runs now is FlatRates.
type ShippingRates interface {
	CourierFee(ctx context.Context, shopID string, items []catalog.Sellable, address string) (domain.IDR, error)
}

// FlatRates charges each shop's own flat courier rate, whatever is sent
// where.
type FlatRates struct{}

// CourierFee is the flat rate of the shop the items come from.
func (FlatRates) CourierFee(_ context.Context, shopID string, items []catalog.Sellable, _ string) (domain.IDR, error) {
	for _, it := range items {
		if it.ShopID == shopID {
			return it.CourierFlat, nil
		}
	}
	return 0, nil
}

// UseShippingRates replaces the flat courier rates, for a carrier's.
func (s *Service) UseShippingRates(r ShippingRates) { s.shipping = r }
