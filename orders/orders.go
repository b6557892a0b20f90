// Package orders is money coming in: checkout without overselling, the
// payment of an order group, fulfilment, cancellation and refunds, each
// written with its double-entry ledger transaction in one database
// transaction.
package orders

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage"
)

// paymentWindow is how long an unpaid card checkout holds its stock
// (CONTRACT.md). A bank transfer gets Limits.TransferWindow: the buyer has
// to get to a bank, an ATM or a banking app, and staff confirm it by hand.
const paymentWindow = 30 * time.Minute

// DefaultTransferWindow is how long a bank transfer may take unless configured.
const DefaultTransferWindow = 24 * time.Hour

// Catalog takes and gives back stock (the catalog package).
type Catalog interface {
	Quote(ctx context.Context, tx *storage.Tx, quantities map[string]int) ([]catalog.Sellable, error)
	Take(ctx context.Context, tx *storage.Tx, items []catalog.Sellable) error
	Release(ctx context.Context, tx *storage.Tx, quantities map[string]int) error
	ShopOf(ctx context.Context, shopID string) (catalog.Shop, error)
	CartProducts(ctx context.Context, ids []string) (map[string]catalog.CartProduct, error)
	ShopsOf(ctx context.Context, ids []string) (map[string]catalog.Shop, error)
}

// Units says where the buyers of a unit's shops transfer money (the
// accounts package): the unit's receiving account, or its Balai's.
type Units interface {
	PayeeAccounts(ctx context.Context, tx *storage.Tx, unitIDs []string) (map[string]accounts.ReceivingAccount, error)
}

// Service is the orders domain.
type Service struct {
	db      *storage.DB
	catalog Catalog
	units   Units
	cases   CaseFacts
	now     func() time.Time
	// cards is the card gateway; nil turns card payments off.
	cards    Gateway
	shipping ShippingRates
	baseURL  string
	limits   Limits
}

// UseCards turns card payments on through gateway.
func (s *Service) UseCards(gateway Gateway) { s.cards = gateway }

// NewService builds the service; units name the accounts bank transfers
// go to; cases receives the sale events of each maker's case record;
// baseURL is the site's address for links in messages; now is the clock
// (time.Now outside tests).
func NewService(db *storage.DB, c Catalog, units Units, cases CaseFacts, baseURL string, now func() time.Time) *Service {
	return &Service{db: db, catalog: c, units: units, cases: cases, baseURL: baseURL, now: now, shipping: FlatRates{}}
}

// Group is an order group: one checkout, one payment, one order per shop.
type Group struct {
	ID             string     `json:"order_group_id"`
	TotalIDR       domain.IDR `json:"total_idr"`
	Orders         []OrderRef `json:"orders"`
	Payment        Payment    `json:"payment"`
	AccessToken    string     `json:"access_token,omitempty"` // shown once: the guest's private order link
	PaymentExpires time.Time  `json:"payment_expires_at"`
}

// OrderRef names an order of a group.
type OrderRef struct {
	ID     string `json:"id"`
	ShopID string `json:"shop_id"`
	Status Status `json:"status"`
}

// Payment says how the group is paid and what the buyer does next.
type Payment struct {
	Provider     string        `json:"provider"`
	Status       string        `json:"status"`
	CheckoutURL  string        `json:"checkout_url,omitempty"`
	Instructions *Instructions `json:"instructions,omitempty"`
}

// Instructions tell a buyer how to pay by bank transfer: to which account,
// exactly how much, with which reference in the transfer's message, and by
// when (CONTRACT.md).
type Instructions struct {
	Bank        string     `json:"bank"`
	AccountNo   string     `json:"account_no"`
	AccountName string     `json:"account_name"`
	Reference   string     `json:"reference"`
	AmountIDR   domain.IDR `json:"amount_idr"`
	ExpiresAt   time.Time  `json:"expires_at"`
	Note        string     `json:"note,omitempty"`
}

// instructions are a bank-transfer group's, nil for any other.
func (g groupRow) instructions() *Instructions {
	if g.PaymentMethod != "bank_transfer" {
		return nil
	}
	return &Instructions{Bank: g.PayBank, AccountNo: g.PayAccountNo, AccountName: g.PayAccountName, Reference: g.PaymentRef,
		AmountIDR: g.TotalIDR, ExpiresAt: g.ExpiresAt}
}

// Order is an order as its buyer, its shop and staff see it.
type Order struct {
	ID          string     `json:"id"`
	GroupID     string     `json:"order_group_id"`
	ShopID      string     `json:"shop_id"`
	ShopName    string     `json:"shop_name" gorm:"-"`
	Status      Status     `json:"status"`
	SubtotalIDR domain.IDR `json:"subtotal_idr"`
	ShippingIDR domain.IDR `json:"shipping_idr"`
	TotalIDR    domain.IDR `json:"total_idr"`
	RefundedIDR domain.IDR `json:"refunded_idr"`
	Carrier     string     `json:"carrier,omitempty"`
	TrackingNo  string     `json:"tracking_no,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Lines       []Line     `json:"lines" gorm:"-"`
	History     []Change   `json:"history" gorm:"-"`
	// From the order's group: how it is paid and where it goes, which the
	// shop needs to ship and staff to match a bank transfer.
	PaymentMethod string `json:"payment_method" gorm:"-"`
	PaymentRef    string `json:"payment_reference" gorm:"-"`
	Shipping      ShipTo `json:"shipping" gorm:"-"`
	// Group is the whole payment of the order's group, on staff lists: a
	// bank transfer pays every shop's order of the group at once.
	Group *GroupPayment `json:"-" gorm:"-"`
}

// GroupPayment is what the buyer pays for a whole order group, and each
// shop's part of it, by shop name.
type GroupPayment struct {
	TotalIDR domain.IDR
	Parts    []ShopPart
}

// ShopPart is one shop's order in a group.
type ShopPart struct {
	ShopName string
	TotalIDR domain.IDR `gorm:"column:total_idr"`
}

// ShipTo is where an order goes: picked up at the Sentra, or by courier to
// the buyer's address.
type ShipTo struct {
	Method string `json:"method"`
	// Name is the buyer's; empty for a sale at a Sentra's counter (InStore),
	// whose buyer nobody asks for.
	Name    string `json:"name"`
	InStore bool   `json:"in_store"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
}

// Line is a product of an order at the price it was bought for.
type Line struct {
	ID            string          `json:"id"`
	OrderID       string          `json:"-"`
	ProductID     string          `json:"product_id"`
	Title         string          `json:"title"`
	UnitPriceIDR  domain.IDR      `json:"unit_price_idr" gorm:"column:unit_price_idr"`
	Quantity      int             `json:"quantity"`
	LineTotalIDR  domain.IDR      `json:"line_total_idr" gorm:"column:line_total_idr"`
	Makers        json.RawMessage `json:"-"`
	StockReserved bool            `json:"-"`
}

// Change is one step of an order's history.
type Change struct {
	From       Status  `json:"from"`
	To         Status  `json:"to"`
	Event      string  `json:"event"`
	ActorID    *string `json:"actor_id,omitempty"`
	OnBehalfOf *string `json:"on_behalf_of,omitempty"`
	Note       string  `json:"note,omitempty"`
	// NoteKey is a system note's catalogue key (Note its argument, if
	// any): In words it in the reader's language.
	NoteKey string    `json:"-"`
	At      time.Time `json:"at"`
}

// In words the order's system notes in p's language, for the answer that
// shows them.
func (o Order) In(p *locale.Printer) Order {
	o.History = slices.Clone(o.History)
	for i, h := range o.History {
		if h.NoteKey == "" {
			continue
		}
		if h.Note != "" {
			o.History[i].Note = p.Text(h.NoteKey, h.Note)
		} else {
			o.History[i].Note = p.Text(h.NoteKey)
		}
	}
	return o
}

// CardsOn tells whether card payments are offered.
func (s *Service) CardsOn() bool { return s.cards != nil }
