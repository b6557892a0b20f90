package orders

import (
	"errors"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// TestStripeSessionErrors: only Stripe's 404 makes a session unknown; a
// refused key or Stripe's own fault stays an error to retry.
func TestStripeSessionErrors(t *testing.T) {
	for _, tt := range []struct {
		err     error
		unknown bool
	}{
		{&stripe.Error{HTTPStatusCode: 404, Code: stripe.ErrorCodeResourceMissing, Msg: "No such checkout.session"}, true},
		{&stripe.Error{HTTPStatusCode: 401, Msg: "Invalid API Key provided"}, false},
		{&stripe.Error{HTTPStatusCode: 500, Msg: "internal"}, false},
		{errors.New("dial tcp: connection refused"), false},
	} {
		if got := errors.Is(sessionError("cs_1", tt.err), ErrUnknownSession); got != tt.unknown {
			t.Errorf("%v: unknown = %v, want %v", tt.err, got, tt.unknown)
		}
	}
}
