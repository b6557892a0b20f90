package orders

import (
	"context"
	"errors"
	"fmt"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// SaleInput is an in-store sale at a Sentra (POST /sales).
type SaleInput struct {
	Items         []Item `json:"items"`
	PaymentMethod string `json:"payment_method"` // cash | qris | bank_transfer
	UnitID        string `json:"unit_id"`        // the Sentra; the actor's unit when empty
	// FormToken is the till page's one-time token: the same form sent
	// again answers the first sale (the API uses Idempotency-Key instead).
	FormToken string `json:"-"`
}

// RecordSale records what store staff sold over the counter: paid at once
// (cash and QRIS are held by the Sentra, a transfer lands in the bank), the
// goods handed over, so each order is completed on the spot and counts for
// the makers' case records like any other sale.
func (s *Service) RecordSale(ctx context.Context, actor access.Actor, in SaleInput) (GroupView, error) {
	if in.UnitID == "" {
		in.UnitID = actor.UnitID
	}
	if err := access.Can(actor, access.RecordSale, access.Resource{UnitID: in.UnitID}, s.now()); err != nil {
		return GroupView{}, err
	}
	v := &domain.ValidationError{}
	q := quantities(v, in.Items)
	method := in.PaymentMethod
	switch method {
	case "cash", "qris":
	case "bank_transfer":
		method = "store_transfer"
	default:
		v.Add("payment_method", "orders.sale.method")
	}
	if err := v.Err(); err != nil {
		return GroupView{}, err
	}
	now := s.now().UTC()
	unit := in.UnitID
	g := groupRow{ID: domain.NewID(), BuyerName: "", BuyerEmail: "", BuyerPhone: "", ShippingMethod: "pickup",
		PaymentMethod: method, PaymentStatus: "pending", PaymentRef: "TOKO" + newReference()[3:], AccessHash: hashToken(newToken()),
		SoldBy: &actor.UserID, StoreUnitID: &unit, ExpiresAt: now, CreatedAt: now}
	key := ""
	if in.FormToken != "" {
		key = "sale:" + actor.UserID + ":" + in.FormToken
	}
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.Once(ctx, key, g.ID); err != nil {
			return err
		}
		sellables, err := s.catalog.Quote(ctx, tx, q)
		if err != nil {
			return err
		}
		orders, lines := splitByShop(g.ID, sellables, now)
		for _, o := range orders {
			g.TotalIDR += o.TotalIDR
			// The Sentra sells for shops of its own unit and of its LKS network.
			sh, err := s.catalog.ShopOf(ctx, o.ShopID)
			if err != nil {
				return err
			}
			if err := access.Can(actor, access.RecordSale, access.Resource{UnitID: sh.UnitID}, now); err != nil {
				return domain.Invalid("items", "orders.sale.notunit", sh.DisplayName)
			}
		}
		if err := tx.DB.Create(&g).Error; err != nil {
			return fmt.Errorf("create sale: %w", err)
		}
		if err := tx.DB.Create(&orders).Error; err != nil {
			return fmt.Errorf("create orders: %w", err)
		}
		// Stock before the lines, as in Checkout: their foreign keys are
		// then checked under our own lock on the products.
		if err := s.catalog.Take(ctx, tx, sellables); err != nil {
			return err
		}
		if err := tx.DB.Create(&lines).Error; err != nil {
			return fmt.Errorf("create order lines: %w", err)
		}
		for _, o := range orders {
			if err := record(tx, o.ID, "", PendingPayment, "sale", actor, "", memo{}, now); err != nil {
				return err
			}
		}
		if err := s.payGroup(ctx, tx, g, Staff, actor, memo{key: "orders.note.store"}); err != nil {
			return err
		}
		for _, o := range orders {
			for _, e := range []Event{Ship, Deliver, Complete} {
				if _, err := s.apply(ctx, tx, o.ID, change{event: e, party: Staff, actor: actor, note: memo{key: "orders.note.handedover"}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	var rep *storage.Repeated
	if errors.As(err, &rep) {
		return s.groupView(ctx, rep.Result)
	}
	if err != nil {
		return GroupView{}, err
	}
	return s.groupView(ctx, g.ID)
}

// ReadSale shows an in-store sale to the staff of its Sentra (the till's
// receipt); to anyone else it does not exist.
func (s *Service) ReadSale(ctx context.Context, actor access.Actor, groupID string) (GroupView, error) {
	g, err := s.group(ctx, groupID)
	if err != nil {
		return GroupView{}, err
	}
	if g.StoreUnitID == nil || access.Can(actor, access.RecordSale, access.Resource{UnitID: *g.StoreUnitID}, s.now()) != nil {
		return GroupView{}, fmt.Errorf("sale %s: %w", groupID, domain.ErrNotFound)
	}
	return s.groupView(ctx, groupID)
}
