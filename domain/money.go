package domain

// IDR is an amount in whole rupiah. Stripe treats IDR as a two-decimal
// currency, so it wants minor units: use Minor at that edge only.
type IDR int64

// Minor is the amount in Stripe's minor units (sen).
func (a IDR) Minor() int64 { return int64(a) * 100 }
