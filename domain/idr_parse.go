package domain

import (
	"errors"
	"strings"
)

// ErrNotIDR is what ParseIDR answers for text that is not a whole amount of
// rupiah; callers mark their field with their own catalogue key.
var ErrNotIDR = errors.New("not a whole rupiah amount")

// maxIDRDigits keeps an amount far inside int64 (a trillion rupiah has 13).
const maxIDRDigits = 15

// ParseIDR reads an amount the way people here type it: "15500", "10.000",
// "Rp 15.000", "rp15.000,-" or with spaces between the groups. Dots (and
// spaces) separate thousands, as IDR.String writes them, so a dot must be
// followed by exactly three digits: "10.5" is refused rather than read as
// 105 or 10. Decimals ("15.000,50"), negatives and anything else are
// ErrNotIDR; the empty string is too (callers decide whether a field may be
// left empty).
func ParseIDR(s string) (IDR, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && strings.EqualFold(s[:2], "rp") {
		s = strings.TrimSpace(strings.TrimPrefix(s[2:], "."))
	}
	// ",-" after a whole amount is the price tags' way to say "no cents".
	s = strings.TrimSuffix(s, ",-")
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ' ' || r == '\u00a0' })
	if len(groups) == 0 || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return 0, ErrNotIDR
	}
	var n int64
	digits := 0
	for i, g := range groups {
		if g == "" || (i > 0 && len(g) != 3) || (i == 0 && len(groups) > 1 && len(g) > 3) {
			return 0, ErrNotIDR
		}
		for _, r := range g {
			if r < '0' || r > '9' {
				return 0, ErrNotIDR
			}
			digits++
			if digits > maxIDRDigits {
				return 0, ErrNotIDR
			}
			n = n*10 + int64(r-'0')
		}
	}
	return IDR(n), nil
}
