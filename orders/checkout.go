package orders

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"net/mail"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage"
)

// CheckoutInput is the body of POST /checkout (CONTRACT.md).
type CheckoutInput struct {
	Items []Item `json:"items"`
	Buyer struct {
		Name  string `json:"name"`
		Email string `json:"email"`
		Phone string `json:"phone"`
	} `json:"buyer"`
	Shipping struct {
		Method  string `json:"method"`
		Address string `json:"address"`
	} `json:"shipping"`
	PaymentMethod string `json:"payment_method"`
	// ClientIP is the client the checkout came from (api.ClientAddr: the
	// peer, or the last untrusted X-Forwarded-For entry), which
	// the unpaid-checkout limit counts by; never read from the body.
	ClientIP string `json:"-"`
	// Lang is the buyer's language (the page's, or the API's
	// Accept-Language), kept on the order group for its emails.
	Lang string `json:"-"`
}

// Item is a product and how many of it.
type Item struct {
	ProductID string `json:"product_id"`
	Quantity  int    `json:"quantity"`
}

type groupRow struct {
	ID                string
	BuyerUserID       *string
	BuyerName         string
	BuyerEmail        string
	BuyerPhone        string
	ShippingMethod    string
	ShippingAddress   string
	ClientIP          *string `gorm:"column:client_ip"`
	PaymentMethod     string
	Lang              string `gorm:"default:id"` // in-store sales mail no one: the default
	PaymentStatus     string
	PaymentRef        string
	ProviderRef       *string
	ProviderPaymentID *string
	TotalIDR          domain.IDR `gorm:"column:total_idr"`
	AccessHash        []byte
	SoldBy            *string
	StoreUnitID       *string
	// Where a bank transfer goes, as the buyer was told at checkout.
	PayUnitID      *string
	PayBank        string
	PayAccountNo   string
	PayAccountName string
	ExpiresAt      time.Time
	PaidAt         *time.Time
	CreatedAt      time.Time
}

func (groupRow) TableName() string { return "order_groups" }

type historyRow struct {
	ID         int64 `gorm:"primaryKey"`
	OrderID    string
	FromStatus Status
	ToStatus   Status
	Event      string
	ActorID    *string
	OnBehalfOf *string
	Note       string
	NoteKey    string
	At         time.Time
}

func (historyRow) TableName() string { return "order_history" }

func (Order) TableName() string { return "orders" }
func (Line) TableName() string  { return "order_lines" }

// quantities validates the items and merges repeats of one product.
func quantities(v *domain.ValidationError, items []Item) map[string]int {
	q := map[string]int{}
	if len(items) == 0 || len(items) > 50 {
		v.Add("items", "orders.items.count")
	}
	for i, it := range items {
		if !domain.ValidID(it.ProductID) {
			v.Add(fmt.Sprintf("items[%d].product_id", i), "catalog.product.unknown")
			continue
		}
		if it.Quantity < 1 || it.Quantity > 100 {
			v.Add(fmt.Sprintf("items[%d].quantity", i), "orders.quantity.range")
			continue
		}
		q[it.ProductID] += it.Quantity
	}
	return q
}

// Checkout turns a cart into an order group: stock is taken at once (and
// given back if the group is not paid in time: 30 minutes by card,
// Limits.TransferWindow by bank transfer), one order per shop, prices
// frozen. Stock short anywhere fails the whole checkout.
func (s *Service) Checkout(ctx context.Context, actor access.Actor, in CheckoutInput) (Group, error) {
	return s.checkout(ctx, actor, in, nil)
}

// checkout is Checkout with first, when set, run at the start of its
// transaction with the new group's id and private link token (CheckoutCart
// claims its form and empties the cart there).
func (s *Service) checkout(ctx context.Context, actor access.Actor, in CheckoutInput, first func(tx *storage.Tx, groupID, token string) error) (Group, error) {
	v := &domain.ValidationError{}
	q := quantities(v, in.Items)
	s.checkPerProduct(v, in.Items)
	in.Buyer.Name = strings.TrimSpace(in.Buyer.Name)
	in.Buyer.Email = strings.ToLower(strings.TrimSpace(in.Buyer.Email))
	in.Buyer.Phone = strings.TrimSpace(in.Buyer.Phone)
	if in.Buyer.Name == "" || len(in.Buyer.Name) > 100 {
		v.Add("buyer.name", "orders.buyer.name")
	} else if strings.ContainsFunc(in.Buyer.Name, unicode.IsControl) {
		v.Add("buyer.name", "orders.buyer.nameline")
	}
	if a, err := mail.ParseAddress(in.Buyer.Email); err != nil || a.Address != in.Buyer.Email {
		v.Add("buyer.email", "orders.buyer.email")
	}
	if !domain.ValidPhone(in.Buyer.Phone) {
		v.Add("buyer.phone", "field.phone")
	}
	in.Shipping.Address = strings.TrimSpace(in.Shipping.Address)
	switch in.Shipping.Method {
	case "pickup":
		in.Shipping.Address = ""
	case "courier":
		if len(in.Shipping.Address) < 10 || len(in.Shipping.Address) > 500 {
			v.Add("shipping.address", "orders.address.required")
		}
	default:
		v.Add("shipping.method", "orders.shipping.method")
	}
	switch in.PaymentMethod {
	case "bank_transfer":
	case "card":
		if s.cards == nil {
			v.Add("payment_method", "orders.card.unavailable")
		}
	default:
		v.Add("payment_method", "orders.payment.method")
	}
	if err := v.Err(); err != nil {
		return Group{}, err
	}

	now := s.now().UTC()
	token := newToken()
	g := groupRow{ID: domain.NewID(), BuyerName: in.Buyer.Name, BuyerEmail: in.Buyer.Email, BuyerPhone: in.Buyer.Phone,
		ShippingMethod: in.Shipping.Method, ShippingAddress: in.Shipping.Address, PaymentMethod: in.PaymentMethod, Lang: locale.For(in.Lang).Lang(),
		PaymentStatus: "pending", PaymentRef: newReference(), AccessHash: hashToken(token), ExpiresAt: now.Add(s.window(in.PaymentMethod)), CreatedAt: now}
	if actor.Role == access.Buyer {
		g.BuyerUserID = &actor.UserID
	}
	if ip, err := netip.ParseAddr(in.ClientIP); err == nil {
		ip = ip.Unmap()
		if ip.Is6() { // one IPv6 client picks its addresses from a whole /64
			ip = netip.PrefixFrom(ip, 64).Masked().Addr()
		}
		addr := ip.String()
		g.ClientIP = &addr
	}
	var refs []OrderRef
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		if first != nil {
			if err := first(tx, g.ID, token); err != nil {
				return err
			}
		}
		if err := s.holdUnpaid(ctx, tx, deref(g.ClientIP), g.BuyerEmail, now); err != nil {
			return err
		}
		sellables, err := s.catalog.Quote(ctx, tx, q)
		if err != nil {
			return err
		}
		if in.PaymentMethod == "bank_transfer" {
			if err := s.payInto(ctx, tx, &g, sellables); err != nil {
				return err
			}
		}
		orders, lines := splitByShop(g.ID, sellables, now)
		if in.Shipping.Method == "courier" {
			for i := range orders {
				fee, err := s.shipping.CourierFee(ctx, orders[i].ShopID, sellables, in.Shipping.Address)
				if err != nil {
					return err
				}
				orders[i].ShippingIDR = fee
				orders[i].TotalIDR = orders[i].SubtotalIDR + fee
			}
		}
		for _, o := range orders {
			g.TotalIDR += o.TotalIDR
		}
		if err := tx.DB.Create(&g).Error; err != nil {
			return fmt.Errorf("create order group: %w", err)
		}
		if err := tx.DB.Create(&orders).Error; err != nil {
			return fmt.Errorf("create orders: %w", err)
		}
		history := make([]historyRow, len(orders))
		for i, o := range orders {
			refs = append(refs, OrderRef{ID: o.ID, ShopID: o.ShopID, Status: o.Status})
			history[i] = historyRow{OrderID: o.ID, ToStatus: PendingPayment, Event: "checkout", At: now}
			if actor.UserID != "" {
				history[i].ActorID = &actor.UserID
			}
		}
		if err := tx.DB.Create(&history).Error; err != nil {
			return fmt.Errorf("order history: %w", err)
		}
		if err := s.tellCheckout(ctx, tx, g, token, now); err != nil {
			return err
		}
		// Stock as late as can be: the product rows stay locked from here
		// to the commit only, which is what lets many buyers of one product
		// through. The lines come after it, as their foreign keys to the
		// products are then checked under our own lock, not against every
		// other checkout's. The expiry sweep (ExpireDueArgs) gives the
		// stock back if this is not paid in time.
		if err := s.catalog.Take(ctx, tx, sellables); err != nil {
			return err
		}
		if err := tx.DB.Create(&lines).Error; err != nil {
			return fmt.Errorf("create order lines: %w", err)
		}
		return nil
	})
	if err != nil {
		return Group{}, err
	}
	out := Group{ID: g.ID, TotalIDR: g.TotalIDR, Orders: refs, AccessToken: token, PaymentExpires: g.ExpiresAt}
	if in.PaymentMethod == "bank_transfer" {
		out.Payment = Payment{Provider: "bank_transfer", Status: "pending", Instructions: g.instructions()}
		out.Payment.Instructions.Note = locale.For(g.Lang).Text("orders.transfer.note")
	}
	if in.PaymentMethod == "card" {
		url, err := s.startCard(ctx, g, in.Shipping.Method == "courier", token)
		if err != nil {
			return Group{}, err
		}
		out.Payment = Payment{Provider: "stripe", Status: "pending", CheckoutURL: url}
	}
	return out, nil
}

// window is how long a checkout paid by method holds its stock.
func (s *Service) window(method string) time.Duration {
	if method != "bank_transfer" {
		return paymentWindow
	}
	if s.limits.TransferWindow > 0 {
		return s.limits.TransferWindow
	}
	return DefaultTransferWindow
}

// payInto names the one account a bank-transfer group is paid into: the
// receiving account of its shops' unit (an LKS without one uses its
// Balai's). A transfer arrives whole in one account and staff who can read
// that account's statement confirm it for the whole group, so shops whose
// money goes to different accounts cannot share a transfer: such a cart is
// refused (by card it can be paid at once, or checked out per Balai).
func (s *Service) payInto(ctx context.Context, tx *storage.Tx, g *groupRow, sellables []catalog.Sellable) error {
	var units []string
	for _, sl := range sellables {
		if !slices.Contains(units, sl.UnitID) {
			units = append(units, sl.UnitID)
		}
	}
	payee, why, err := s.payee(ctx, tx, units)
	if err != nil {
		return err
	}
	if why != "" {
		return domain.Invalid("payment_method", why)
	}
	if payee == nil {
		return nil // no items: refused by validation before this
	}
	g.PayUnitID, g.PayBank, g.PayAccountNo, g.PayAccountName = &payee.UnitID, payee.Bank, payee.AccountNo, payee.AccountName
	return nil
}

// payee is the one account the shops of units are paid into by transfer,
// or the catalogue key of why there is none.
func (s *Service) payee(ctx context.Context, tx *storage.Tx, units []string) (*accounts.ReceivingAccount, string, error) {
	accs, err := s.units.PayeeAccounts(ctx, tx, units)
	if err != nil {
		return nil, "", err
	}
	var payee *accounts.ReceivingAccount
	for _, u := range units {
		a, ok := accs[u]
		if !ok {
			return nil, "orders.transfer.noaccount", nil
		}
		if payee != nil && payee.UnitID != a.UnitID {
			return nil, "orders.transfer.mixed", nil
		}
		payee = &a
	}
	return payee, "", nil
}

// splitByShop makes one order per shop from the reserved products, without
// shipping (Checkout adds the courier fee).
func splitByShop(groupID string, sellables []catalog.Sellable, now time.Time) ([]Order, []Line) {
	byShop := map[string]*Order{}
	var orders []*Order
	var lines []Line
	for _, sl := range sellables {
		o, ok := byShop[sl.ShopID]
		if !ok {
			o = &Order{ID: domain.NewID(), GroupID: groupID, ShopID: sl.ShopID, Status: PendingPayment, CreatedAt: now, UpdatedAt: now}
			byShop[sl.ShopID] = o
			orders = append(orders, o)
		}
		total := sl.PriceIDR * domain.IDR(sl.Quantity)
		o.SubtotalIDR += total
		lines = append(lines, Line{ID: domain.NewID(), OrderID: o.ID, ProductID: sl.ProductID, Title: sl.Title, UnitPriceIDR: sl.PriceIDR,
			Quantity: sl.Quantity, LineTotalIDR: total, Makers: sl.Makers, StockReserved: sl.StockReserved})
	}
	sort.Slice(orders, func(i, j int) bool { return orders[i].ShopID < orders[j].ShopID })
	out := make([]Order, len(orders))
	for i, o := range orders {
		o.TotalIDR = o.SubtotalIDR
		out[i] = *o
	}
	return out, lines
}

// record writes one step of an order's history: who did it and, for a
// pendamping, the PM it was done for.
func record(tx *storage.Tx, orderID string, from, to Status, event string, actor access.Actor, onBehalfOf string, note memo, at time.Time) error {
	h := historyRow{OrderID: orderID, FromStatus: from, ToStatus: to, Event: event, Note: note.text, NoteKey: note.key, At: at}
	if actor.UserID != "" {
		h.ActorID = &actor.UserID
	}
	if onBehalfOf != "" {
		h.OnBehalfOf = &onBehalfOf
	}
	if err := tx.DB.Create(&h).Error; err != nil {
		return fmt.Errorf("order history: %w", err)
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) []byte {
	sum := sha256.Sum256([]byte(t))
	return sum[:]
}

// newReference is a bank transfer reference a person can type: ATN and 8
// letters and digits without look-alikes.
func newReference() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	enc := base32.NewEncoding("ABCDEFGHJKLMNPQRSTUVWXYZ23456789").WithPadding(base32.NoPadding)
	return "ATN" + enc.EncodeToString(b)
}
