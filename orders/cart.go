package orders

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage"
)

// maxCartItems bounds a cart, as checkout does.
const maxCartItems = 50

type cartRow struct {
	ID        string
	TokenHash []byte
	UserID    *string
	UpdatedAt time.Time
}

func (cartRow) TableName() string { return "carts" }

type cartItemRow struct {
	CartID    string
	ProductID string
	Quantity  int
	AddedAt   time.Time
}

func (cartItemRow) TableName() string { return "cart_items" }

// CartOwner is whose cart: a logged-in buyer's, or the guest holding Token.
type CartOwner struct {
	Actor access.Actor
	Token string
}

// Cart is a cart grouped by shop, at today's prices, with what stands in
// the way of buying it.
type Cart struct {
	// Token is the guest's cart token, given when the cart is created.
	Token    string      `json:"token,omitempty"`
	Shops    []CartShop  `json:"shops"`
	TotalIDR domain.IDR  `json:"total_idr"`
	Items    int         `json:"items"`
	Warnings []CartAlert `json:"warnings"`
}

// CartShop is the part of a cart one shop sells (one order at checkout).
type CartShop struct {
	ShopID      string     `json:"shop_id"`
	ShopName    string     `json:"shop_name"`
	Lines       []CartLine `json:"lines"`
	SubtotalIDR domain.IDR `json:"subtotal_idr"`
}

// CartLine is a product in a cart.
type CartLine struct {
	catalog.CartProduct
	Quantity     int        `json:"quantity"`
	LineTotalIDR domain.IDR `json:"line_total_idr"`
}

// CartAlert tells a buyer why part of a cart cannot be bought as it is.
type CartAlert struct {
	ProductID string `json:"product_id"`
	Message   string `json:"message"`
	key       string
	args      []any
}

// In words the cart's warnings in p's language, for the page or the API
// answer that shows them.
func (c Cart) In(p *locale.Printer) Cart {
	c.Warnings = slices.Clone(c.Warnings)
	for i, w := range c.Warnings {
		c.Warnings[i].Message = p.Text(w.key, w.args...)
	}
	return c
}

// cart finds the owner's cart; create makes one when there is none.
func (s *Service) cart(ctx context.Context, db *gorm.DB, owner CartOwner, create bool) (cartRow, string, error) {
	var c cartRow
	q := db.WithContext(ctx)
	switch {
	case !owner.Actor.Anonymous():
		err := q.Where("user_id = ?", owner.Actor.UserID).Take(&c).Error
		if err == nil || err != gorm.ErrRecordNotFound {
			return c, "", err
		}
	case owner.Token != "":
		err := q.Where("token_hash = ?", hashToken(owner.Token)).Take(&c).Error
		if err == nil || err != gorm.ErrRecordNotFound {
			return c, "", err
		}
	}
	if !create {
		return cartRow{}, "", nil
	}
	c = cartRow{ID: randomUUID(), UpdatedAt: s.now().UTC()}
	token := ""
	if owner.Actor.Anonymous() {
		token = newToken()
		c.TokenHash = hashToken(token)
	} else {
		c.UserID = &owner.Actor.UserID
	}
	if err := q.Clauses(clause.OnConflict{DoNothing: true}).Create(&c).Error; err != nil {
		return c, "", fmt.Errorf("create cart: %w", err)
	}
	if c.UserID != nil { // two tabs created it at once: take the one that won
		if err := q.Where("user_id = ?", *c.UserID).Take(&c).Error; err != nil {
			return c, "", err
		}
	}
	return c, token, nil
}

// SetCartItem puts quantity of a product in the owner's cart (0 removes it).
func (s *Service) SetCartItem(ctx context.Context, owner CartOwner, productID string, quantity int) (Cart, error) {
	if !domain.ValidID(productID) {
		return Cart{}, domain.Invalid("product_id", "catalog.product.unknown")
	}
	if max := s.maxPerProduct(); quantity < 0 || quantity > max {
		return Cart{}, domain.Invalid("quantity", "orders.cart.quantity", max)
	}
	if quantity > 0 {
		// More than the stock is refused here, where the buyer typed it,
		// not taken with a warning to be found at checkout. Checkout still
		// takes the stock under its lock (catalog.Take): this is the
		// answer for today's stock, not a reservation.
		products, err := s.catalog.CartProducts(ctx, []string{productID})
		if err != nil {
			return Cart{}, err
		}
		p, ok := products[productID]
		switch {
		case !ok:
			return Cart{}, domain.Invalid("product_id", "catalog.product.unknown")
		case !p.MadeToOrder && p.Stock == 0:
			return Cart{}, domain.Invalid("quantity", "orders.cart.nostock")
		case !p.MadeToOrder && quantity > p.Stock:
			return Cart{}, domain.Invalid("quantity", "orders.cart.overstock", p.Stock)
		}
	}
	var token string
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		c, t, err := s.cart(ctx, tx.DB, owner, quantity > 0)
		if err != nil || c.ID == "" {
			return err
		}
		token = t
		db := tx.DB.WithContext(ctx)
		if quantity == 0 {
			return db.Where("cart_id = ? AND product_id = ?", c.ID, productID).Delete(&cartItemRow{}).Error
		}
		var n int64
		if err := db.Model(&cartItemRow{}).Where("cart_id = ? AND product_id <> ?", c.ID, productID).Count(&n).Error; err != nil {
			return err
		}
		if n >= maxCartItems {
			return domain.Invalid("product_id", "orders.cart.full", maxCartItems)
		}
		item := cartItemRow{CartID: c.ID, ProductID: productID, Quantity: quantity, AddedAt: s.now().UTC()}
		if err := db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "cart_id"}, {Name: "product_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"quantity"})}).Create(&item).Error; err != nil {
			return err
		}
		return db.Model(&cartRow{}).Where("id = ?", c.ID).Update("updated_at", s.now().UTC()).Error
	})
	if err != nil {
		return Cart{}, err
	}
	out, err := s.ReadCart(ctx, CartOwner{Actor: owner.Actor, Token: firstNonEmpty(token, owner.Token)})
	out.Token = token
	return out, err
}

// ReadCart shows the owner's cart grouped by shop, with warnings for what
// is sold out, short or no longer on sale.
func (s *Service) ReadCart(ctx context.Context, owner CartOwner) (Cart, error) {
	out := Cart{Shops: []CartShop{}, Warnings: []CartAlert{}}
	c, _, err := s.cart(ctx, s.db.Gorm, owner, false)
	if err != nil || c.ID == "" {
		return out, err
	}
	var items []cartItemRow
	if err := s.db.Gorm.WithContext(ctx).Where("cart_id = ?", c.ID).Order("added_at, product_id").Find(&items).Error; err != nil {
		return out, fmt.Errorf("cart items: %w", err)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ProductID
	}
	products, err := s.catalog.CartProducts(ctx, ids)
	if err != nil {
		return out, err
	}
	byShop := map[string]*CartShop{}
	var order []string
	for _, it := range items {
		p, ok := products[it.ProductID]
		if !ok {
			continue
		}
		switch {
		case !p.OnSale:
			out.Warnings = append(out.Warnings, CartAlert{ProductID: it.ProductID, key: "orders.cart.offsale", args: []any{p.Title}})
		case !p.MadeToOrder && p.Stock == 0:
			out.Warnings = append(out.Warnings, CartAlert{ProductID: it.ProductID, key: "orders.cart.soldout", args: []any{p.Title}})
		case !p.MadeToOrder && p.Stock < it.Quantity:
			out.Warnings = append(out.Warnings, CartAlert{ProductID: it.ProductID, key: "orders.cart.short", args: []any{p.Title, p.Stock}})
		}
		sh, ok := byShop[p.ShopID]
		if !ok {
			sh = &CartShop{ShopID: p.ShopID, ShopName: p.ShopName, Lines: []CartLine{}}
			byShop[p.ShopID] = sh
			order = append(order, p.ShopID)
		}
		line := CartLine{CartProduct: p, Quantity: it.Quantity, LineTotalIDR: p.PriceIDR * domain.IDR(it.Quantity)}
		sh.Lines = append(sh.Lines, line)
		sh.SubtotalIDR += line.LineTotalIDR
		out.TotalIDR += line.LineTotalIDR
		out.Items += it.Quantity
	}
	for _, id := range order {
		out.Shops = append(out.Shops, *byShop[id])
	}
	return out, nil
}

// CartCount is how many items (quantities added up) the owner's cart
// holds, for the count by the cart link in every page's header: one
// statement, none for a visitor without a cart.
func (s *Service) CartCount(ctx context.Context, owner CartOwner) (int, error) {
	var where string
	var arg any
	switch {
	case !owner.Actor.Anonymous():
		where, arg = "c.user_id = ?", owner.Actor.UserID
	case owner.Token != "":
		where, arg = "c.token_hash = ?", hashToken(owner.Token)
	default:
		return 0, nil
	}
	var n int
	err := s.db.Gorm.WithContext(ctx).Raw(`SELECT coalesce(sum(i.quantity), 0) FROM carts c JOIN cart_items i ON i.cart_id = c.id WHERE `+where, arg).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("cart count: %w", err)
	}
	return n, nil
}

// MergeGuestCart moves a guest cart into the buyer's at login; quantities
// of a product in both add up (capped at what one checkout may take).
func (s *Service) MergeGuestCart(ctx context.Context, actor access.Actor, token string) error {
	if token == "" || actor.Anonymous() {
		return nil
	}
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		guest, _, err := s.cart(ctx, tx.DB, CartOwner{Token: token}, false)
		if err != nil || guest.ID == "" {
			return err
		}
		mine, _, err := s.cart(ctx, tx.DB, CartOwner{Actor: actor}, true)
		if err != nil {
			return err
		}
		db := tx.DB.WithContext(ctx)
		err = db.Exec(`INSERT INTO cart_items (cart_id, product_id, quantity, added_at)
			SELECT ?, product_id, quantity, added_at FROM cart_items WHERE cart_id = ?
			ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = least(?, cart_items.quantity + excluded.quantity)`, mine.ID, guest.ID, s.maxPerProduct()).Error
		if err != nil {
			return fmt.Errorf("merge cart: %w", err)
		}
		return db.Where("id = ?", guest.ID).Delete(&cartRow{}).Error
	})
}

// ClearCart empties the owner's cart (after a checkout).
func (s *Service) ClearCart(ctx context.Context, owner CartOwner) error {
	c, _, err := s.cart(ctx, s.db.Gorm, owner, false)
	if err != nil || c.ID == "" {
		return err
	}
	return s.db.Gorm.WithContext(ctx).Where("cart_id = ?", c.ID).Delete(&cartItemRow{}).Error
}

// CheckoutItems is the cart as checkout items, in a stable order.
func (s *Service) CheckoutItems(ctx context.Context, owner CartOwner) ([]Item, error) {
	c, _, err := s.cart(ctx, s.db.Gorm, owner, false)
	if err != nil || c.ID == "" {
		return nil, err
	}
	var items []cartItemRow
	if err := s.db.Gorm.WithContext(ctx).Where("cart_id = ?", c.ID).Find(&items).Error; err != nil {
		return nil, err
	}
	out := make([]Item, len(items))
	for i, it := range items {
		out[i] = Item{ProductID: it.ProductID, Quantity: it.Quantity}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ProductID < out[j].ProductID })
	return out, nil
}

// randomUUID is a version 4 UUID: a cart id must not be guessable from
// another's, as time-ordered ids would be.
func randomUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
