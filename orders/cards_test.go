package orders_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/orders"
	"github.com/sentrakreasi/atensi/orders/orderstest"
)

func cardCheckout(t *testing.T) (*orderstest.Cards, *orders.Service, func() orders.GroupView, string, string, func() int, access.Actor) {
	t.Helper()
	w, svc := setup(t)
	cards := orderstest.NewCards()
	svc.UseCards(cards)
	shop := w.PMShop(t, "Kartu")
	p := w.Product(t, shop, "Batik Cap", 150000, 3)
	in := checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1})
	in.PaymentMethod = "card"
	g, err := svc.Checkout(context.Background(), access.Actor{}, in)
	if err != nil {
		t.Fatal(err)
	}
	if g.Payment.Provider != "stripe" || g.Payment.CheckoutURL == "" {
		t.Fatalf("card checkout payment: %+v", g.Payment)
	}
	view := func() orders.GroupView {
		o, err := svc.ReadOrder(context.Background(), w.Staff, "", g.Orders[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return orders.GroupView{Orders: []orders.Order{o}}
	}
	stock := func() int { return w.Stock(t, p.ID) }
	return cards, svc, view, g.ID, orderstest.SessionID(g.ID), stock, w.Staff
}

func TestCardEventsApplyOnceInAnyOrder(t *testing.T) {
	cards, svc, view, _, sessionID, stock, _ := cardCheckout(t)
	ctx := context.Background()
	cards.Pay(sessionID)
	completed := orders.CardEvent{ID: "evt_1", Type: "checkout.session.completed", SessionID: sessionID}
	for i := 0; i < 3; i++ { // Stripe delivers the same event three times
		if _, err := svc.HandleCardEvent(ctx, completed); err != nil {
			t.Fatal(err)
		}
	}
	// A late "expired" for the same session, and an event for a session nobody knows.
	for _, e := range []orders.CardEvent{
		{ID: "evt_0", Type: "checkout.session.expired", SessionID: sessionID},
		{ID: "evt_9", Type: "checkout.session.completed", SessionID: "cs_fake_unknown"},
	} {
		cards.Add(orders.Session{ID: "cs_fake_unknown", Status: "complete", Paid: true})
		if _, err := svc.HandleCardEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	o := view().Orders[0]
	if o.Status != orders.Paid || stock() != 2 {
		t.Fatalf("after duplicate and late events: %s, stock %d", o.Status, stock())
	}
	pays := 0
	for _, h := range o.History {
		if h.Event == "pay" {
			pays++
		}
	}
	if pays != 1 {
		t.Fatalf("paid %d times", pays)
	}
	checkLedger(t, svc)
}

func TestReconcileFixesALostWebhook(t *testing.T) {
	cards, svc, view, _, sessionID, _, _ := cardCheckout(t)
	ctx := context.Background()
	// Stripe took the money, then the server died before the webhook came.
	cards.Pay(sessionID)
	for i := 0; i < 2; i++ {
		if _, err := svc.Reconcile(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if o := view().Orders[0]; o.Status != orders.Paid {
		t.Fatalf("after reconciliation: %s", o.Status)
	}
	// The webhook arriving after all changes nothing.
	if out, err := svc.HandleCardEvent(ctx, orders.CardEvent{ID: "evt_late", Type: "checkout.session.completed", SessionID: sessionID}); err != nil || out != "no change" {
		t.Fatalf("late webhook: %q %v", out, err)
	}
	checkLedger(t, svc)
}

func TestExpiredSessionGivesStockBackAndLatePaymentIsRefunded(t *testing.T) {
	cards, svc, view, _, sessionID, stock, _ := cardCheckout(t)
	ctx := context.Background()
	cards.Expire(sessionID)
	if _, err := svc.HandleCardEvent(ctx, orders.CardEvent{ID: "evt_exp", Type: "checkout.session.expired", SessionID: sessionID}); err != nil {
		t.Fatal(err)
	}
	if o := view().Orders[0]; o.Status != orders.Cancelled || stock() != 3 {
		t.Fatalf("expired session: %s, stock %d", o.Status, stock())
	}
	cards.Pay(sessionID) // the bank's late yes
	if out, err := svc.HandleCardEvent(ctx, orders.CardEvent{ID: "evt_paid", Type: "checkout.session.async_payment_succeeded", SessionID: sessionID}); err != nil || out != "late payment refunded" {
		t.Fatalf("late payment: %q %v", out, err)
	}
	if len(cards.Refunds()) != 1 {
		t.Fatalf("refunds %v", cards.Refunds())
	}
	checkLedger(t, svc)
}

// TestStripeClientAgainstStripeMock runs the real client against stripe-mock.
func TestStripeClientAgainstStripeMock(t *testing.T) {
	const mock = "http://127.0.0.1:12111"
	if resp, err := http.Get(mock + "/v1/charges"); err != nil {
		t.Fatalf("stripe-mock unreachable at %s (%v): start it with scripts/services.sh up", mock, err)
	} else {
		resp.Body.Close()
	}
	s := orders.NewStripe("sk_test_123", mock)
	ctx := context.Background()
	sess, err := s.StartCheckout(ctx, orders.CheckoutRequest{GroupID: "01a20000-0000-7000-8000-000000000001", Email: "budi@contoh.id",
		Lines: []orders.GatewayLine{{Name: "Batik Cap", UnitIDR: 150000, Quantity: 1}}, SuccessURL: "https://pasar.example/ok",
		CancelURL: "https://pasar.example/batal", ExpiresAt: time.Now().Add(31 * time.Minute)})
	if err != nil || sess.ID == "" {
		t.Fatalf("create checkout session: %+v %v", sess, err)
	}
	if _, err := s.Session(ctx, sess.ID); err != nil {
		t.Fatalf("read session: %v", err)
	}
	if err := s.Refund(ctx, "pi_123", 50000, "refund-test"); err != nil {
		t.Fatalf("refund: %v", err)
	}
}

func TestCardRefundGoesThroughTheProviderOnce(t *testing.T) {
	cards, svc, view, _, sessionID, _, staff := cardCheckout(t)
	ctx := context.Background()
	cards.Pay(sessionID)
	if _, err := svc.HandleCardEvent(ctx, orders.CardEvent{ID: "evt_r1", Type: "checkout.session.completed", SessionID: sessionID}); err != nil {
		t.Fatal(err)
	}
	o := view().Orders[0]
	if _, err := svc.MoveOrder(ctx, staff, o.ID, orders.Move{Event: orders.Refund, AmountIDR: 50000, Reason: "warna beda"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MoveOrder(ctx, staff, o.ID, orders.Move{Event: orders.Refund, Reason: "dibatalkan pembeli"}); err != nil {
		t.Fatal(err)
	}
	got := cards.Refunds()
	if len(got) != 2 || !strings.Contains(got[0], ":50000:") || !strings.Contains(got[1], ":100000:") {
		t.Fatalf("provider refunds %v, want 50000 then the 100000 left", got)
	}
	if o := view().Orders[0]; o.Status != orders.Refunded || o.RefundedIDR != 150000 {
		t.Fatalf("after refunds: %s %d", o.Status, o.RefundedIDR)
	}
	checkLedger(t, svc)
}
