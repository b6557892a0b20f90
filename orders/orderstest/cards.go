// Package orderstest has the in-memory card gateway for tests of the
// payment state machine, which stateless stripe-mock cannot play: its
// sessions become paid or expire when the test says so.
package orderstest

import (
	"context"
	"fmt"
	"sync"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
)

// Cards is a fake orders.Gateway.
type Cards struct {
	mu       sync.Mutex
	sessions map[string]*orders.Session
	refunds  []string
	fail     error
}

// NewCards makes an empty fake.
func NewCards() *Cards { return &Cards{sessions: map[string]*orders.Session{}} }

// SessionID is the id the fake gives a group's session.
func SessionID(groupID string) string { return "cs_fake_" + groupID }

// StartCheckout opens a session, once per group like Stripe's idempotency key.
func (f *Cards) StartCheckout(_ context.Context, req orders.CheckoutRequest) (orders.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := SessionID(req.GroupID)
	if s, ok := f.sessions[id]; ok {
		return *s, nil
	}
	s := &orders.Session{ID: id, URL: "https://pay.example/" + id, GroupID: req.GroupID, Status: "open"}
	f.sessions[id] = s
	return *s, nil
}

// Session reads a session.
func (f *Cards) Session(_ context.Context, id string) (orders.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return orders.Session{}, f.fail
	}
	s, ok := f.sessions[id]
	if !ok {
		return orders.Session{}, fmt.Errorf("no such session %s: %w", id, orders.ErrUnknownSession)
	}
	return *s, nil
}

// Refund records a refund.
func (f *Cards) Refund(_ context.Context, paymentID string, amount domain.IDR, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refunds = append(f.refunds, fmt.Sprintf("%s:%d:%s", paymentID, amount, key))
	return nil
}

// Refunds lists the refunds made, as "payment:amount:key".
func (f *Cards) Refunds() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.refunds...)
}

// Add puts a session the fake did not open (one for another shop's system).
func (f *Cards) Add(s orders.Session) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessions[s.ID] = &s
}

// Pay makes a session paid.
func (f *Cards) Pay(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessions[id].Status, f.sessions[id].Paid, f.sessions[id].PaymentID = "complete", true, "pi_"+id
}

// Expire makes a session expired.
func (f *Cards) Expire(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessions[id].Status = "expired"
}

// FailSessions makes every Session read fail with err (nil: answer again),
// as a provider that is down does.
func (f *Cards) FailSessions(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = err
}
