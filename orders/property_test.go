package orders_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
)

// TestRandomOrderLives drives random sequences of checkout, payment,
// shipping, delivery, completion, cancellation, refunds and expiry, and
// after every step checks what must always hold: the ledger balances, no
// stock is negative or lost (stock left + stock held by live orders = stock
// at the start), and every order is in a state the transition table knows.
func TestRandomOrderLives(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run("seed", func(t *testing.T) { randomLives(t, seed) })
	}
}

func randomLives(t *testing.T, seed uint64) {
	w, svc := setup(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, seed*7919))
	a, b := w.PMShop(t, "Acak A"), w.PMShop(t, "Acak B")
	products := []catalog.Product{
		w.Product(t, a, "Produk A1", 15000, 40), w.Product(t, a, "Produk A2", 27000, 30), w.Product(t, b, "Produk B1", 99000, 35),
	}
	initial := map[string]int{}
	for _, p := range products {
		initial[p.ID] = p.Stock
	}
	type group struct {
		id, ref string
		orders  []string
		token   string
	}
	var groups []group
	var orderIDs []string
	seller := map[string]access.Actor{a.ID: a.Seller, b.ID: b.Seller}
	shopOf := map[string]string{}

	natural := map[orders.Status]orders.Event{orders.Paid: orders.Ship, orders.Shipped: orders.Deliver, orders.Delivered: orders.Complete,
		orders.Completed: orders.Refund, orders.PartiallyRefunded: orders.Refund}
	for step := 0; step < 150; step++ {
		var err error
		switch op := rng.IntN(20); {
		case op < 4 || len(orderIDs) == 0:
			var items []orders.Item
			for _, p := range products {
				if rng.IntN(2) == 0 {
					items = append(items, orders.Item{ProductID: p.ID, Quantity: 1 + rng.IntN(3)})
				}
			}
			if len(items) == 0 {
				items = []orders.Item{{ProductID: products[0].ID, Quantity: 1}}
			}
			var g orders.Group
			g, err = svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", items...))
			if err == nil {
				gr := group{id: g.ID, ref: g.Payment.Instructions.Reference, token: g.AccessToken}
				for _, o := range g.Orders {
					gr.orders = append(gr.orders, o.ID)
					orderIDs = append(orderIDs, o.ID)
					shopOf[o.ID] = o.ShopID
				}
				groups = append(groups, gr)
			}
		case op < 9:
			g := groups[rng.IntN(len(groups))]
			_, err = svc.ConfirmTransfer(ctx, w.Staff, g.id, g.ref)
		case op == 9:
			w.Clock.Advance(time.Duration(rng.IntN(40)) * time.Minute)
			for _, g := range groups {
				if err := svc.Expire(ctx, g.id); err != nil {
					t.Fatalf("step %d expire: %v", step, err)
				}
			}
		default:
			id := orderIDs[rng.IntN(len(orderIDs))]
			m := orders.Move{Event: []orders.Event{orders.Ship, orders.Deliver, orders.Complete, orders.Cancel, orders.Refund}[rng.IntN(5)],
				Carrier: "JNE", TrackingNo: "R1", Reason: "uji acak"}
			// Mostly the next natural step, so the walk gets deep into the table.
			if o, rerr := svc.ReadOrder(ctx, w.Staff, "", id); rerr == nil && rng.IntN(10) < 7 {
				if e, ok := natural[o.Status]; ok {
					m.Event = e
				}
			}
			actor := seller[shopOf[id]]
			if m.Event == orders.Refund || m.Event == orders.Complete {
				actor = w.Staff
				m.AmountIDR = domain.IDR(rng.IntN(3) * 10000)
			}
			_, err = svc.MoveOrder(ctx, actor, id, m)
		}
		if err != nil && !errors.Is(err, domain.ErrConflict) && !errors.Is(err, domain.ErrInvalid) && !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("step %d: unexpected error %v", step, err)
		}
		checkInvariants(t, w, svc, step, initial)
	}
	var counts []struct {
		Status string
		N      int
	}
	w.DB.Gorm.Raw("SELECT status, count(*) AS n FROM orders GROUP BY 1 ORDER BY 1").Scan(&counts)
	t.Logf("seed %d: orders by status %v", seed, counts)
	if len(counts) < 5 {
		t.Errorf("the walk reached only %d states; it should exercise most of the table", len(counts))
	}
}

func checkInvariants(t *testing.T, w interface {
	Stock(testing.TB, string) int
}, svc *orders.Service, step int, initial map[string]int) {
	t.Helper()
	c, err := svc.CheckLedger(context.Background())
	if err != nil || !c.Balanced {
		t.Fatalf("step %d: ledger %+v %v", step, c, err)
	}
	held, err := svc.StockHeld(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for id, start := range initial {
		left := w.Stock(t, id)
		if left < 0 || left+held[id] != start {
			t.Fatalf("step %d: product %s has %d left and %d held by live orders, started with %d", step, id, left, held[id], start)
		}
	}
	bad, err := svc.OrdersInUnknownStates(context.Background())
	if err != nil || bad != 0 {
		t.Fatalf("step %d: %d orders in states the table does not know (%v)", step, bad, err)
	}
}
