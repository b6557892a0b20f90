package domain

import (
	"errors"
	"strings"
	"unicode"
)

// ErrNotRupiah is what ParseIDR answers for a text that is not a whole
// amount of rupiah; it is an ErrInvalid. The catalogue's "rupiah.format"
// says it to a person ("a whole amount in rupiah, such as 25.000").
var ErrNotRupiah = &Error{Kind: ErrInvalid, Key: "rupiah.format"}

// ParseIDR reads an amount of rupiah as people type it: "25000",
// "25.000", "Rp 25.000", "Rp25.000,-", "Rp25.000,00", "25 000", and the English
// "25,000". A dot or a comma followed by three digits groups thousands
// (the Indonesian and the English way); one followed by one or two digits
// ends the amount with sen, which must be zero, since prices are whole
// rupiah. Anything else, a negative amount included, is ErrNotRupiah:
// "1.5" or "25.00.0" is refused, never guessed at.
func ParseIDR(s string) (IDR, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && strings.EqualFold(s[:2], "rp") {
		s = strings.TrimLeft(s[2:], ". \u00a0")
	} else if len(s) >= 3 && strings.EqualFold(s[:3], "idr") {
		s = strings.TrimLeft(s[3:], " \u00a0")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1 // "25 000", with a space or a no-break space between thousands
		}
		return r
	}, s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, ",-"), ".-") // "Rp25.000,-", as price tags write it
	if i := strings.LastIndexAny(s, ".,"); i >= 0 && (len(s)-i-1 == 1 || len(s)-i-1 == 2) {
		if strings.Trim(s[i+1:], "0") != "" || strings.ContainsRune(s[:i], rune(s[i])) {
			return 0, ErrNotRupiah // sen that are not zero, or "25.000.00"
		}
		s = s[:i]
	}
	var sep rune
	var n IDR
	group := 0 // digits since the last separator
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if n > (1<<62)/10 {
				return 0, ErrNotRupiah
			}
			n = n*10 + IDR(r-'0')
			group++
		case (r == '.' || r == ',') && i > 0 && (sep == 0 || sep == r) && (sep != 0 && group == 3 || sep == 0 && group <= 3):
			sep, group = r, 0
		default:
			return 0, ErrNotRupiah
		}
	}
	if s == "" || sep != 0 && group != 3 {
		return 0, ErrNotRupiah
	}
	return n, nil
}

// IsNotRupiah tells whether err is ParseIDR's.
func IsNotRupiah(err error) bool { return errors.Is(err, ErrNotRupiah) }
