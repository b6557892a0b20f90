package orders

import (
	"context"
	"errors"
	"slices"
	"strings"

	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// CheckoutCart checks out the owner's cart as it is, once per form: the
// cart is locked, checked out and emptied in one transaction keyed by form
// (the checkout page's one-time token), so the same form sent again (a
// double tap, a reload, a retry) answers the first order group instead of
// placing a second one. A repeat's Group carries the id and the private
// link token only. Without a form token it checks out all the same.
func (s *Service) CheckoutCart(ctx context.Context, owner CartOwner, in CheckoutInput, form string) (Group, error) {
	c, _, err := s.cart(ctx, s.db.Gorm, owner, false)
	if err != nil {
		return Group{}, err
	}
	items, err := s.CheckoutItems(ctx, owner)
	if err != nil {
		return Group{}, err
	}
	key := ""
	if form != "" && c.ID != "" {
		key = "checkout:" + c.ID + ":" + form
	}
	// The first checkout empties the cart and claims the key in one commit:
	// a repeat that read the cart empty sees the key here.
	if err := s.db.Done(ctx, key); err != nil {
		return repeatedCheckout(err)
	}
	in.Items = items
	g, err := s.checkout(ctx, owner.Actor, in, func(tx *storage.Tx, groupID, token string) error {
		if c.ID == "" {
			return nil // no cart: the empty items fail validation before this
		}
		if err := tx.Once(ctx, key, groupID+" "+token); err != nil {
			return err
		}
		db := tx.DB.WithContext(ctx)
		if err := db.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", c.ID).Take(&cartRow{}).Error; err != nil {
			return storage.NotFound(err, "cart")
		}
		var now []cartItemRow
		if err := db.Where("cart_id = ?", c.ID).Order("product_id").Find(&now).Error; err != nil {
			return err
		}
		// Another tab checked the cart out or changed it since it was read.
		if !slices.EqualFunc(now, items, func(r cartItemRow, it Item) bool { return r.ProductID == it.ProductID && r.Quantity == it.Quantity }) {
			return domain.Errorf(domain.ErrConflict, "orders.cart.changed")
		}
		return db.Where("cart_id = ?", c.ID).Delete(&cartItemRow{}).Error
	})
	if err != nil {
		return repeatedCheckout(err)
	}
	return g, nil
}

// repeatedCheckout answers a repeated checkout form with its first order
// group, and passes any other error on.
func repeatedCheckout(err error) (Group, error) {
	var rep *storage.Repeated
	if !errors.As(err, &rep) {
		return Group{}, err
	}
	id, token, _ := strings.Cut(rep.Result, " ")
	return Group{ID: id, AccessToken: token}, nil
}
