package orders

import (
	"context"
	"errors"
	"time"

	"github.com/sentrakreasi/atensi/domain"
)

// Gateway is a card payment provider: Stripe in production, an in-memory
// fake in the state-machine tests that stateless stripe-mock cannot play.
type Gateway interface {
	// StartCheckout makes a hosted payment page for a group. The group id
	// is the idempotency key, so a retry never makes a second page.
	StartCheckout(ctx context.Context, req CheckoutRequest) (Session, error)
	// Session reads a session's state from the provider; a webhook's body
	// is a hint, this is the truth. A session the provider does not know
	// is ErrUnknownSession; any other error is worth retrying.
	Session(ctx context.Context, id string) (Session, error)
	// Refund gives back amount of a paid payment; key makes a retry safe.
	Refund(ctx context.Context, paymentID string, amount domain.IDR, key string) error
}

// ErrUnknownSession is a session the provider says it does not have (a
// deleted test session, another account's): no retry will ever find it, so
// its webhook is answered and noted, not failed.
var ErrUnknownSession = errors.New("payment session unknown to the provider")

// CheckoutRequest is what the provider needs for its payment page.
type CheckoutRequest struct {
	GroupID    string
	Email      string
	Lines      []GatewayLine
	SuccessURL string
	CancelURL  string
	ExpiresAt  time.Time
}

// GatewayLine is one priced line on the payment page.
type GatewayLine struct {
	Name     string
	UnitIDR  domain.IDR
	Quantity int
}

// Session is a provider's payment page and what became of it.
type Session struct {
	ID        string
	URL       string
	GroupID   string // from the session's metadata
	Status    string // open | complete | expired
	Paid      bool
	PaymentID string // the payment intent, once paid
}
