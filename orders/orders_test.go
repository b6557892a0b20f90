package orders_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/catalog/catalogtest"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
)

func setup(t *testing.T) (*catalogtest.World, *orders.Service) {
	t.Helper()
	w := catalogtest.New(t)
	return w, orders.NewService(w.DB, w.Catalog, w.Accounts, w.Cases, "https://pasar.example", w.Clock.Now)
}

func checkoutInput(method string, items ...orders.Item) orders.CheckoutInput {
	var in orders.CheckoutInput
	in.Items = items
	in.Buyer.Name, in.Buyer.Email, in.Buyer.Phone = "Budi", "budi@contoh.id", "0812 3456 7890"
	in.Shipping.Method = method
	if method == "courier" {
		in.Shipping.Address = "Jl. Melati No. 5, Bekasi Timur, Kota Bekasi"
	}
	in.PaymentMethod = "bank_transfer"
	return in
}

func checkLedger(t *testing.T, svc *orders.Service) {
	t.Helper()
	c, err := svc.CheckLedger(context.Background())
	if err != nil || !c.Balanced {
		t.Fatalf("ledger check: %+v %v", c, err)
	}
}

// TestConcurrentCheckoutsNeverOversell is the acceptance race: 200 buyers at
// once for 10 items give exactly 10 orders and 190 conflicts.
func TestConcurrentCheckoutsNeverOversell(t *testing.T) {
	w, svc := setup(t)
	shop := w.PMShop(t, "Laris")
	p := w.Product(t, shop, "Tas Anyam Laris", 50000, 10)
	var ok, conflict, other int
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 200; i++ {
		wg.Go(func() {
			<-start
			_, err := svc.Checkout(context.Background(), access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1}))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, domain.ErrConflict):
				conflict++
			default:
				other++
				t.Log(err)
			}
		})
	}
	close(start)
	wg.Wait()
	if ok != 10 || conflict != 190 || other != 0 {
		t.Fatalf("200 checkouts for 10 items: %d ok, %d conflicts, %d other errors", ok, conflict, other)
	}
	if s := w.Stock(t, p.ID); s != 0 {
		t.Fatalf("stock after selling out = %d, want 0", s)
	}
}

// TestConcurrentMixedCheckouts: buyers taking several products of two shops
// at once, in different orders; nothing oversells and nothing deadlocks.
func TestConcurrentMixedCheckouts(t *testing.T) {
	w, svc := setup(t)
	a, b := w.PMShop(t, "A"), w.PMShop(t, "B")
	p1, p2, p3 := w.Product(t, a, "Keripik Satu", 10000, 15), w.Product(t, a, "Keripik Dua", 12000, 15), w.Product(t, b, "Batik Tiga", 90000, 15)
	var sold sync.Map
	var wg sync.WaitGroup
	for i := 0; i < 60; i++ {
		items := []orders.Item{{ProductID: p1.ID, Quantity: 1}, {ProductID: p3.ID, Quantity: 1}}
		if i%2 == 0 {
			items = []orders.Item{{ProductID: p3.ID, Quantity: 1}, {ProductID: p2.ID, Quantity: 2}, {ProductID: p1.ID, Quantity: 1}}
		}
		wg.Go(func() {
			g, err := svc.Checkout(context.Background(), access.Actor{}, checkoutInput("courier", items...))
			if err == nil {
				for _, it := range items {
					v, _ := sold.LoadOrStore(it.ProductID, new(int64))
					mu.Lock()
					*v.(*int64) += int64(it.Quantity)
					mu.Unlock()
				}
				if len(g.Orders) != 2 {
					t.Errorf("a checkout across two shops made %d orders", len(g.Orders))
				}
			} else if !errors.Is(err, domain.ErrConflict) {
				t.Errorf("checkout: %v", err)
			}
		})
	}
	wg.Wait()
	for _, p := range []string{p1.ID, p2.ID, p3.ID} {
		var n int64
		if v, ok := sold.Load(p); ok {
			n = *v.(*int64)
		}
		if left := w.Stock(t, p); left < 0 || int64(left)+n != 15 {
			t.Errorf("product %s: %d left + %d sold != 15", p, left, n)
		}
	}
}

var mu sync.Mutex

func TestPaymentFulfilmentAndLedger(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	shop := w.PMShop(t, "Rapi")
	p := w.Product(t, shop, "Kopi Bubuk", 30000, 5)
	g, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("courier", orders.Item{ProductID: p.ID, Quantity: 2}))
	if err != nil {
		t.Fatal(err)
	}
	if g.TotalIDR != 75000 || g.Payment.Instructions == nil || g.Payment.Instructions.AmountIDR != 75000 {
		t.Fatalf("2 × Rp30.000 + courier Rp15.000: %+v", g)
	}
	if w.Stock(t, p.ID) != 3 {
		t.Fatal("checkout must take the stock")
	}
	orderID := g.Orders[0].ID
	if _, err := svc.ConfirmTransfer(ctx, w.Staff, g.ID, "salah"); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a wrong reference: %v", err)
	}
	for range 2 { // confirming twice moves money once
		if _, err := svc.ConfirmTransfer(ctx, w.Staff, g.ID, g.Payment.Instructions.Reference); err != nil {
			t.Fatal(err)
		}
	}
	bal := func() orders.Balance {
		b, err := svc.ShopBalance(ctx, shop.Seller, shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if b := bal(); b.PendingIDR != 75000 || b.AvailableIDR != 0 {
		t.Fatalf("after payment: %+v", b)
	}
	move := func(actor access.Actor, m orders.Move) (orders.Order, error) {
		return svc.MoveOrder(ctx, actor, orderID, m)
	}
	if _, err := move(shop.Seller, orders.Move{Event: orders.Ship}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("shipping by courier without tracking number: %v", err)
	}
	if _, err := move(shop.Seller, orders.Move{Event: orders.Complete}); !errors.Is(err, domain.ErrConflict) && !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("completing an order not delivered: %v", err)
	}
	if _, err := move(shop.Seller, orders.Move{Event: orders.Ship, Carrier: "JNE", TrackingNo: "JN123"}); err != nil {
		t.Fatal(err)
	}
	if _, err := move(shop.Seller, orders.Move{Event: orders.Deliver}); err != nil {
		t.Fatal(err)
	}
	// The seller cannot confirm receipt for the buyer; the buyer's link can.
	if _, err := move(shop.Seller, orders.Move{Event: orders.Complete}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("seller completing: %v", err)
	}
	o, err := move(access.Actor{}, orders.Move{Event: orders.Complete, Token: g.AccessToken})
	if err != nil || o.Status != orders.Completed {
		t.Fatalf("buyer completing with the order link: %v %v", o.Status, err)
	}
	if b := bal(); b.PendingIDR != 0 || b.AvailableIDR != 75000 {
		t.Fatalf("after completion: %+v", b)
	}
	// A refund after completion comes out of what the shop can withdraw.
	o, err = move(w.Staff, orders.Move{Event: orders.Refund, AmountIDR: 30000, Reason: "satu bungkus rusak"})
	if err != nil || o.Status != orders.PartiallyRefunded || o.RefundedIDR != 30000 {
		t.Fatalf("partial refund: %+v %v", o, err)
	}
	if b := bal(); b.AvailableIDR != 45000 {
		t.Fatalf("after refund: %+v", b)
	}
	if _, err := move(w.Staff, orders.Move{Event: orders.Refund, AmountIDR: 50000, Reason: "lebih"}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("refunding more than is left: %v", err)
	}
	if len(o.History) != 6 {
		t.Errorf("history has %d steps: %+v", len(o.History), o.History)
	}
	var kinds []string
	w.DB.Gorm.Raw("SELECT kind FROM notifications WHERE to_email = 'budi@contoh.id' ORDER BY id").Scan(&kinds)
	if fmt.Sprint(kinds) != "[order_received order_paid order_shipped order_delivered order_partially_refunded]" {
		t.Errorf("buyer's messages: %v", kinds)
	}
	var body string
	w.DB.Gorm.Raw("SELECT body FROM notifications WHERE kind = 'order_received'").Scan(&body)
	if !strings.Contains(body, g.AccessToken) || !strings.Contains(body, "Rp75.000") {
		t.Errorf("confirmation lacks the order link or the total: %q", body)
	}
	checkLedger(t, svc)
}

func TestUnpaidGroupExpiresAndCancelReleasesStock(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	shop := w.PMShop(t, "Sabar")
	p := w.Product(t, shop, "Sambal Roa", 25000, 4)
	g, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 3}))
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Expire(ctx, g.ID); err != nil || w.Stock(t, p.ID) != 1 {
		t.Fatalf("expiring before the transfer's 24 hours must do nothing: stock %d, %v", w.Stock(t, p.ID), err)
	}
	w.Clock.Advance(23*time.Hour + 59*time.Minute)
	if n, err := svc.ExpireDue(ctx); err != nil || n != 0 {
		t.Fatalf("sweep before 24 hours: %d expired, %v", n, err)
	}
	w.Clock.Advance(2 * time.Minute)
	if n, err := svc.ExpireDue(ctx); err != nil || n != 1 {
		t.Fatalf("sweep after 24 hours: %d expired, %v", n, err)
	}
	if w.Stock(t, p.ID) != 4 {
		t.Fatalf("expiry must give the stock back, have %d", w.Stock(t, p.ID))
	}
	if _, err := svc.ConfirmTransfer(ctx, w.Staff, g.ID, g.Payment.Instructions.Reference); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("paying an expired group: %v", err)
	}

	// A paid order cancelled before shipping: stock back, money back.
	g2, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 2}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ConfirmTransfer(ctx, w.Staff, g2.ID, g2.Payment.Instructions.Reference); err != nil {
		t.Fatal(err)
	}
	o, err := svc.MoveOrder(ctx, shop.Seller, g2.Orders[0].ID, orders.Move{Event: orders.Cancel, Reason: "bahan habis"})
	if err != nil || o.Status != orders.Cancelled || w.Stock(t, p.ID) != 4 {
		t.Fatalf("cancel: %v %v, stock %d", o.Status, err, w.Stock(t, p.ID))
	}
	b, _ := svc.ShopBalance(ctx, shop.Seller, shop.ID)
	if b.PendingIDR != 0 || b.AvailableIDR != 0 {
		t.Fatalf("a cancelled order leaves money with the shop: %+v", b)
	}
	checkLedger(t, svc)
}

func TestOrdersAreScoped(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	shop, other := w.PMShop(t, "Satu"), w.PMShop(t, "Dua")
	p := w.Product(t, shop, "Tas Satu", 40000, 3)
	g, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1}))
	if err != nil {
		t.Fatal(err)
	}
	id := g.Orders[0].ID
	if _, err := svc.ReadOrder(ctx, other.Seller, "", id); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("another shop's seller: %v", err)
	}
	if _, err := svc.ReadOrder(ctx, access.Actor{}, "wrong-token", id); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a wrong order link: %v", err)
	}
	if _, err := svc.ReadOrder(ctx, access.Actor{}, g.AccessToken, id); err != nil {
		t.Fatalf("the buyer's order link: %v", err)
	}
	if _, err := svc.ReadOrder(ctx, shop.Seller, "", id); err != nil {
		t.Fatalf("the shop's seller: %v", err)
	}
	if _, err := svc.ShopBalance(ctx, other.Seller, shop.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("another seller's balance: %v", err)
	}
	_ = fmt.Sprint()
}

// TestPriceChangesDuringCheckoutsKeepStock: a seller changing the price
// while buyers check out must not write back a stock count read before the
// checkouts took theirs.
func TestPriceChangesDuringCheckoutsKeepStock(t *testing.T) {
	w, svc := setup(t)
	shop := w.PMShop(t, "Ramai")
	p := w.Product(t, shop, "Kopi Ramai", 30000, 100)
	var sold atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Go(func() {
			if _, err := svc.Checkout(context.Background(), access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1})); err == nil {
				sold.Add(1)
			} else if !errors.Is(err, domain.ErrConflict) {
				t.Errorf("checkout: %v", err)
			}
		})
		if i%4 == 0 {
			wg.Go(func() {
				price := domain.IDR(30000 + i)
				if _, err := w.Catalog.UpdateProduct(context.Background(), shop.Seller, p.ID, catalog.ProductInput{PriceIDR: &price}); err != nil {
					t.Errorf("price change: %v", err)
				}
			})
		}
	}
	wg.Wait()
	if left := w.Stock(t, p.ID); int64(left)+sold.Load() != 100 {
		t.Fatalf("%d left + %d sold != 100 stocked", left, sold.Load())
	}
}

// perShopRate is a carrier that charges the same for every shop's parcel.
type perShopRate domain.IDR

func (r perShopRate) CourierFee(context.Context, string, []catalog.Sellable, string) (domain.IDR, error) {
	return domain.IDR(r), nil
}

// TestCourierFeesComeFromTheShippingRates: each shop's order carries the
// fee the rates give, and the group's total includes them; pickup is free.
func TestCourierFeesComeFromTheShippingRates(t *testing.T) {
	w, svc := setup(t)
	svc.UseShippingRates(perShopRate(7000))
	a, b := w.PMShop(t, "Kirim A"), w.PMShop(t, "Kirim B")
	pa, pb := w.Product(t, a, "Keripik Kirim", 10000, 5), w.Product(t, b, "Sambal Kirim", 20000, 5)
	items := []orders.Item{{ProductID: pa.ID, Quantity: 1}, {ProductID: pb.ID, Quantity: 2}}
	g, err := svc.Checkout(context.Background(), access.Actor{}, checkoutInput("courier", items...))
	if err != nil {
		t.Fatal(err)
	}
	if g.TotalIDR != 10000+40000+2*7000 {
		t.Fatalf("courier total = %d, want %d", g.TotalIDR, 10000+40000+2*7000)
	}
	g, err = svc.Checkout(context.Background(), access.Actor{}, checkoutInput("pickup", items...))
	if err != nil || g.TotalIDR != 50000 {
		t.Fatalf("pickup total = %d (%v), want 50000", g.TotalIDR, err)
	}
}
