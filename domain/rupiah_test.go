package domain

import "testing"

func TestParseIDRReadsAmountsAsPeopleTypeThem(t *testing.T) {
	for _, c := range []struct {
		in   string
		want IDR
	}{
		{"25000", 25000}, {"25.000", 25000}, {"Rp 25.000", 25000}, {"Rp25.000", 25000}, {"rp. 25.000", 25000},
		{"RP 25000", 25000}, {"IDR 25.000", 25000}, {"  25.000  ", 25000}, {"25 000", 25000}, {"25\u00a0000", 25000},
		{"25.000,00", 25000}, {"25.000,-", 25000}, {"Rp 25.000,-", 25000}, {"25,000", 25000}, {"1.250.000", 1250000}, {"1,250,000", 1250000},
		{"100", 100}, {"0", 0}, {"Rp 1.000.000.000", 1000000000}, {"25000,0", 25000},
	} {
		got, err := ParseIDR(c.in)
		if c.want == 0 && c.in != "0" {
			if err == nil {
				t.Errorf("ParseIDR(%q) = %d, want refused", c.in, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseIDR(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", "Rp", "abc", "25.000,50", "1.5", "25.00.0", "2.5000", "25.000.00", ".000", "1.000,000",
		"-5000", "25.000,", "12a", "1.000,5", "25,000.000", "99999999999999999999999", "Rp -1.000"} {
		if got, err := ParseIDR(in); err == nil || !IsNotRupiah(err) {
			t.Errorf("ParseIDR(%q) = %d, %v; want ErrNotRupiah", in, got, err)
		}
	}
}
