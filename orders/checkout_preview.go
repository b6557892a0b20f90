package orders

import (
	"context"
	"slices"

	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
)

// CheckoutPreview is what a checkout of a cart will charge and where it
// goes, shown before the buyer confirms: each shop's courier fee and
// pick-up place, the total for each way of delivery, and the account a
// transfer would go to. Its fees come from the same ShippingRates that
// Checkout charges.
type CheckoutPreview struct {
	Shops           []CheckoutShop `json:"shops"`
	PickupTotalIDR  domain.IDR     `json:"pickup_total_idr"`
	CourierTotalIDR domain.IDR     `json:"courier_total_idr"`
	// Transfer is the account a bank transfer would be paid into; nil
	// with TransferRefused the catalogue key of why it cannot be.
	Transfer        *accounts.ReceivingAccount `json:"transfer,omitempty"`
	TransferRefused string                     `json:"-"`
}

// CheckoutShop is one shop's part of a checkout (one order).
type CheckoutShop struct {
	ShopID        string     `json:"shop_id"`
	ShopName      string     `json:"shop_name"`
	SubtotalIDR   domain.IDR `json:"subtotal_idr"`
	CourierIDR    domain.IDR `json:"courier_idr"`
	PickupPlace   string     `json:"pickup_place"`
	PickupAddress string     `json:"pickup_address"`
	PickupHours   string     `json:"pickup_hours"`
}

// PreviewCheckout prices cart as a checkout now would, for address (empty
// until the buyer types one; flat rates do not depend on it).
func (s *Service) PreviewCheckout(ctx context.Context, cart Cart, address string) (CheckoutPreview, error) {
	out := CheckoutPreview{Shops: []CheckoutShop{}}
	ids := make([]string, len(cart.Shops))
	for i, cs := range cart.Shops {
		ids[i] = cs.ShopID
	}
	shops, err := s.catalog.ShopsOf(ctx, ids)
	if err != nil {
		return out, err
	}
	var units []string
	for _, cs := range cart.Shops {
		sh := shops[cs.ShopID]
		items := make([]catalog.Sellable, len(cs.Lines))
		for i, l := range cs.Lines {
			items[i] = catalog.Sellable{ProductID: l.ProductID, Title: l.Title, PriceIDR: l.PriceIDR, ShopID: sh.ID, UnitID: sh.UnitID,
				CourierFlat: sh.CourierFlatIDR, Quantity: l.Quantity}
		}
		fee, err := s.shipping.CourierFee(ctx, sh.ID, items, address)
		if err != nil {
			return out, err
		}
		out.Shops = append(out.Shops, CheckoutShop{ShopID: sh.ID, ShopName: sh.DisplayName, SubtotalIDR: cs.SubtotalIDR, CourierIDR: fee,
			PickupPlace: sh.PickupPlace, PickupAddress: sh.PickupAddress, PickupHours: sh.PickupHours})
		out.PickupTotalIDR += cs.SubtotalIDR
		out.CourierTotalIDR += cs.SubtotalIDR + fee
		if !slices.Contains(units, sh.UnitID) {
			units = append(units, sh.UnitID)
		}
	}
	if len(units) > 0 {
		if out.Transfer, out.TransferRefused, err = s.payee(ctx, nil, units); err != nil {
			return out, err
		}
	}
	return out, nil
}
