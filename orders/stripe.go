package orders

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/sentrakreasi/atensi/domain"
)

// Stripe is the Gateway over Stripe Checkout. The platform is the merchant
// of record: every payment lands in its account (Connect does not pay out
// to Indonesia; payouts to PM are recorded by staff).
type Stripe struct {
	api *client.API
}

// NewStripe builds the gateway; apiURL points it at stripe-mock in tests
// (empty: the real Stripe).
func NewStripe(secretKey, apiURL string) *Stripe {
	var backends *stripe.Backends
	if apiURL != "" {
		cfg := &stripe.BackendConfig{URL: stripe.String(apiURL), LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelError}}
		backends = &stripe.Backends{API: stripe.GetBackendWithConfig(stripe.APIBackend, cfg),
			Connect: stripe.GetBackendWithConfig(stripe.ConnectBackend, cfg), Uploads: stripe.GetBackendWithConfig(stripe.UploadsBackend, cfg)}
	}
	return &Stripe{api: client.New(secretKey, backends)}
}

// StartCheckout creates a Checkout Session in IDR. Stripe counts IDR in
// two-decimal minor units, so every amount is multiplied by 100 here and
// nowhere else.
func (s *Stripe) StartCheckout(ctx context.Context, req CheckoutRequest) (Session, error) {
	params := &stripe.CheckoutSessionParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModePayment)),
		SuccessURL:        stripe.String(req.SuccessURL),
		CancelURL:         stripe.String(req.CancelURL),
		CustomerEmail:     stripe.String(req.Email),
		ClientReferenceID: stripe.String(req.GroupID),
		ExpiresAt:         stripe.Int64(req.ExpiresAt.Unix()),
	}
	params.Context = ctx
	for _, l := range req.Lines {
		params.LineItems = append(params.LineItems, &stripe.CheckoutSessionLineItemParams{
			Quantity: stripe.Int64(int64(l.Quantity)),
			PriceData: &stripe.CheckoutSessionLineItemPriceDataParams{
				Currency:    stripe.String("idr"),
				UnitAmount:  stripe.Int64(l.UnitIDR.Minor()),
				ProductData: &stripe.CheckoutSessionLineItemPriceDataProductDataParams{Name: stripe.String(l.Name)},
			},
		})
	}
	params.AddMetadata("order_group_id", req.GroupID)
	params.SetIdempotencyKey("checkout-" + req.GroupID)
	cs, err := s.api.CheckoutSessions.New(params)
	if err != nil {
		return Session{}, fmt.Errorf("stripe checkout session: %w", err)
	}
	return sessionOf(cs), nil
}

// Session reads a Checkout Session.
func (s *Stripe) Session(ctx context.Context, id string) (Session, error) {
	params := &stripe.CheckoutSessionParams{}
	params.Context = ctx
	cs, err := s.api.CheckoutSessions.Get(id, params)
	if err != nil {
		return Session{}, sessionError(id, err)
	}
	return sessionOf(cs), nil
}

// Refund refunds part or all of a payment intent.
func (s *Stripe) Refund(ctx context.Context, paymentID string, amount domain.IDR, key string) error {
	params := &stripe.RefundParams{PaymentIntent: stripe.String(paymentID), Amount: stripe.Int64(amount.Minor())}
	params.Context = ctx
	params.SetIdempotencyKey(key)
	if _, err := s.api.Refunds.New(params); err != nil {
		return fmt.Errorf("stripe refund: %w", err)
	}
	return nil
}

// sessionError tells a session Stripe does not have (404, whatever the
// reason) from a fault worth retrying: a network error, a 5xx, our own key
// refused.
func sessionError(id string, err error) error {
	var se *stripe.Error
	if errors.As(err, &se) && se.HTTPStatusCode == http.StatusNotFound {
		return fmt.Errorf("stripe session %s: %w (%v)", id, ErrUnknownSession, err)
	}
	return fmt.Errorf("stripe session %s: %w", id, err)
}

func sessionOf(cs *stripe.CheckoutSession) Session {
	out := Session{ID: cs.ID, URL: cs.URL, GroupID: cs.Metadata["order_group_id"], Status: string(cs.Status),
		Paid: cs.PaymentStatus == stripe.CheckoutSessionPaymentStatusPaid}
	if cs.PaymentIntent != nil {
		out.PaymentID = cs.PaymentIntent.ID
	}
	if out.GroupID == "" {
		out.GroupID = cs.ClientReferenceID
	}
	return out
}
