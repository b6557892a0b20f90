package domain

import (
	"fmt"
	"testing"
	"time"
)

func TestIDRIsWrittenTheIndonesianWay(t *testing.T) {
	for _, c := range []struct {
		in   IDR
		want string
	}{
		{0, "Rp0"}, {5, "Rp5"}, {999, "Rp999"}, {1000, "Rp1.000"}, {25000, "Rp25.000"},
		{100000, "Rp100.000"}, {1234567, "Rp1.234.567"}, {-1500, "-Rp1.500"}, {-100, "-Rp100"},
		{-9223372036854775808, "-Rp9.223.372.036.854.775.808"},
	} {
		if got := c.in.String(); got != c.want {
			t.Errorf("IDR(%d).String() = %q, want %q", int64(c.in), got, c.want)
		}
	}
	// Texts format amounts with %s or %v; %d stays the bare number (ids, keys).
	if got := fmt.Sprintf("%s %v %d", IDR(25000), IDR(25000), IDR(25000)); got != "Rp25.000 Rp25.000 25000" {
		t.Errorf("formatted as %q", got)
	}
}

func TestJakartaIsWIB(t *testing.T) {
	at := time.Date(2026, 1, 31, 17, 30, 0, 0, time.UTC).In(Jakarta)
	if at.Format("2006-01-02 15:04") != "2026-02-01 00:30" {
		t.Errorf("17:30 UTC is %s in Jakarta, want 00:30 the next day", at.Format("2006-01-02 15:04"))
	}
}
