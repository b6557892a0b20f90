package app

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/orders"
	"github.com/sentrakreasi/atensi/orders/orderstest"
)

const webhookSecret = "whsec_test_sentra"

func stripeEvent(id, typ, sessionID string) []byte {
	b, _ := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "api_version": "2023-10-16",
		"data": map[string]any{"object": map[string]any{"id": sessionID, "object": "checkout.session"}}})
	return b
}

func postWebhook(t *testing.T, a *App, payload []byte, signature string) int {
	t.Helper()
	req := httptest.NewRequest("POST", "/webhooks/stripe", strings.NewReader(string(payload)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", signature)
	resp, err := a.HTTP().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode
}

// cardCheckout is an app that takes webhooks signed with webhookSecret
// and cards through an in-memory gateway, with one guest order paid by card
// pending in it.
func cardCheckout(t *testing.T) (*App, *orderstest.Cards, orders.Group) {
	t.Helper()
	cards := orderstest.NewCards()
	clock := newTestClock()
	cfg := testConfig(t)
	cfg.StripeWebhook = webhookSecret
	base := newTestApp(t)
	a := mustNew(t, cfg, base.db, base.objects, WithCards(cards), WithClock(clock.Now))
	wd := newWorldOn(t, a, clock)
	var in orders.CheckoutInput
	in.Items = []orders.Item{{ProductID: wd.ids["productLive"], Quantity: 1}}
	in.Buyer.Name, in.Buyer.Email, in.Buyer.Phone = "Pembeli Kartu", "kartu@uji.id", "081234567890"
	in.Shipping.Method, in.PaymentMethod = "pickup", "card"
	g, err := a.orders.Checkout(context.Background(), access.Actor{}, in)
	if err != nil {
		t.Fatal(err)
	}
	return a, cards, g
}

func TestStripeWebhookSignatures(t *testing.T) {
	a, cards, g := cardCheckout(t)
	ctx := context.Background()
	session := orderstest.SessionID(g.ID)
	cards.Pay(session)
	payload := stripeEvent("evt_sig_1", "checkout.session.completed", session)
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: webhookSecret, Timestamp: time.Now()})

	status := func() orders.Status {
		o, err := a.orders.ReadOrder(ctx, access.Actor{}, g.AccessToken, g.Orders[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return o.Status
	}
	for _, bad := range []string{"", "t=1,v1=deadbeef", signed.Header[:len(signed.Header)-2] + "00"} {
		if code := postWebhook(t, a, payload, bad); code != 400 {
			t.Fatalf("signature %q: %d, want 400", bad, code)
		}
	}
	tampered := []byte(strings.Replace(string(payload), "evt_sig_1", "evt_sig_2", 1))
	if code := postWebhook(t, a, tampered, signed.Header); code != 400 {
		t.Fatalf("a body changed after signing: %d, want 400", code)
	}
	if st := status(); st != orders.PendingPayment {
		t.Fatalf("bad deliveries changed the order: %s", st)
	}
	for i := 0; i < 3; i++ {
		if code := postWebhook(t, a, payload, signed.Header); code != 200 {
			t.Fatalf("signed delivery %d: %d", i, code)
		}
	}
	if st := status(); st != orders.Paid {
		t.Fatalf("after a signed event: %s", st)
	}
	check, err := a.orders.CheckLedger(ctx)
	if err != nil || !check.Balanced || check.Transactions == 0 {
		t.Fatalf("ledger %+v %v", check, err)
	}
}
