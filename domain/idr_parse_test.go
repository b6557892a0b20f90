package domain

import (
	"errors"
	"testing"
)

func TestParseIDR(t *testing.T) {
	good := map[string]IDR{
		"15500": 15500, "10.000": 10000, "Rp 15.000": 15000, "Rp15.000": 15000, "rp. 2.500": 2500,
		" 1.250.000 ": 1250000, "10 000": 10000, "Rp 15.000,-": 15000, "0": 0, "Rp\u00a07.500": 7500,
		IDR(999999999).String(): 999999999,
	}
	for in, want := range good {
		got, err := ParseIDR(in)
		if err != nil || got != want {
			t.Errorf("ParseIDR(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "Rp", "-5000", "15.000,50", "10,5", "10.5", "1.00", "10000.", ".500",
		"1..000", "1.0000", "abc", "5e3", "Rp -1", "12345.000", "+100", "1234567890123456", "10.000.0"} {
		if got, err := ParseIDR(in); !errors.Is(err, ErrNotIDR) {
			t.Errorf("ParseIDR(%q) = %d, %v; want ErrNotIDR", in, got, err)
		}
	}
}
