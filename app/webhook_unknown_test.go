package app

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/orders"
	"github.com/sentrakreasi/atensi/orders/orderstest"
)

// TestStripeWebhookForNoOrderOfOursIsAnswered: an event whose session
// Stripe no longer has, or whose session or payment is not one of ours, is
// answered 200 (else Stripe retries it for days) and changes nothing; a
// fault that may pass (the provider down, the database failing) is still a
// 5xx, and the same event delivered again once it passed is applied.
func TestStripeWebhookForNoOrderOfOursIsAnswered(t *testing.T) {
	a, cards, g := cardCheckout(t)
	ctx := context.Background()
	status := func() orders.Status {
		o, err := a.orders.ReadOrder(ctx, access.Actor{}, g.AccessToken, g.Orders[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return o.Status
	}
	deliver := func(payload []byte) (int, string) {
		t.Helper()
		signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: webhookSecret, Timestamp: time.Now()})
		code := postWebhook(t, a, payload, signed.Header)
		var outcome string
		a.db.Gorm.Raw("SELECT coalesce(max(outcome), '') FROM webhook_inbox WHERE event_id = ?", eventID(t, payload)).Scan(&outcome)
		return code, outcome
	}
	cards.Add(orders.Session{ID: "cs_other_system", Status: "complete", Paid: true, PaymentID: "pi_other"})
	charge, _ := json.Marshal(map[string]any{"id": "evt_charge", "object": "event", "type": "charge.refunded", "api_version": "2023-10-16",
		"data": map[string]any{"object": map[string]any{"id": "ch_1", "object": "charge", "payment_intent": "pi_not_ours"}}})
	for _, tt := range []struct {
		name, want string
		payload    []byte
	}{
		{"a session Stripe does not have", "unknown session", stripeEvent("evt_gone", "checkout.session.completed", "cs_deleted_long_ago")},
		{"a paid session of another system", "unknown session", stripeEvent("evt_other", "checkout.session.completed", "cs_other_system")},
		{"a refund of a payment not ours", "unknown payment", charge},
	} {
		if code, outcome := deliver(tt.payload); code != 200 || outcome != tt.want {
			t.Errorf("%s: %d %q, want 200 and %q in the inbox", tt.name, code, outcome, tt.want)
		}
	}
	if st := status(); st != orders.PendingPayment {
		t.Fatalf("events for no order of ours changed an order: %s", st)
	}

	session := orderstest.SessionID(g.ID)
	cards.Pay(session)
	paid := stripeEvent("evt_paid", "checkout.session.completed", session)
	cards.FailSessions(errors.New("stripe: 503 service unavailable"))
	if code, outcome := deliver(paid); code < 500 || outcome != "" {
		t.Fatalf("provider down: %d %q, want a 5xx and no inbox row (so Stripe retries)", code, outcome)
	}
	cards.FailSessions(nil)
	if err := a.db.Gorm.Exec("ALTER TABLE order_groups RENAME TO order_groups_away").Error; err != nil {
		t.Fatal(err)
	}
	code, outcome := deliver(paid)
	if err := a.db.Gorm.Exec("ALTER TABLE order_groups_away RENAME TO order_groups").Error; err != nil {
		t.Fatal(err)
	}
	if code < 500 || outcome != "" {
		t.Fatalf("database failing: %d %q, want a 5xx and no inbox row", code, outcome)
	}
	if code, outcome := deliver(paid); code != 200 || outcome != "paid" || status() != orders.Paid {
		t.Fatalf("redelivered after the faults: %d %q, order %s", code, outcome, status())
	}
}

func eventID(t *testing.T, payload []byte) string {
	t.Helper()
	var ev struct{ ID string }
	mustJSON(t, payload, &ev)
	return ev.ID
}
