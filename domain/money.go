package domain

import "strconv"

// IDR is an amount in whole rupiah. Stripe treats IDR as a two-decimal
// currency, so it wants minor units: use Minor at that edge only.
type IDR int64

// Minor is the amount in Stripe's minor units (sen).
func (a IDR) Minor() int64 { return int64(a) * 100 }

// String writes the amount the Indonesian way, with a dot between
// thousands: Rp25.000, -Rp1.500.
func (a IDR) String() string {
	digits := strconv.FormatInt(int64(a), 10)
	sign := ""
	if a < 0 {
		sign, digits = "-", digits[1:]
	}
	b := make([]byte, 0, len(digits)+len(digits)/3+3)
	b = append(b, sign+"Rp"...)
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b = append(b, '.')
		}
		b = append(b, digits[i])
	}
	return string(b)
}
