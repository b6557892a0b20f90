package regions_test

import (
	"context"
	"testing"

	"github.com/sentrakreasi/atensi/regions"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// TestDirectory: the seeded lists hold every province with its regencies,
// the codes DOMAIN.md names among them, and Check refuses codes that are
// not a province's or not of that province.
func TestDirectory(t *testing.T) {
	d := regions.New(storagetest.DB(t))
	ctx := context.Background()
	ps, err := d.Provinces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range ps {
		if len(p.Regencies) == 0 {
			t.Errorf("province %s %s has no regency", p.Code, p.Name)
		}
		n += len(p.Regencies)
	}
	if len(ps) != 38 || n != 514 {
		t.Errorf("%d provinces and %d regencies, want 38 and 514", len(ps), n)
	}
	names, err := d.Names(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]string{
		"31": "Daerah Khusus Ibukota Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah", "34": "Daerah Istimewa Yogyakarta",
		"35": "Jawa Timur", "36": "Banten", "12": "Sumatera Utara", "73": "Sulawesi Selatan", "63": "Kalimantan Selatan",
		"3275": "Kota Bekasi", "3216": "Kabupaten Bekasi", "3101": "Kabupaten Administrasi Kepulauan Seribu",
		"3171": "Kota Administrasi Jakarta Pusat", "3175": "Kota Administrasi Jakarta Timur",
	} {
		if names[code] != want {
			t.Errorf("%s is %q, want %q", code, names[code], want)
		}
	}
	for _, tt := range []struct {
		province, regency string
		wantP, wantR      bool
	}{
		{"32", "3275", true, true},
		{"31", "3275", true, false}, // Bekasi is not Jakarta's
		{"39", "3901", false, false},
		{"32", "3299", true, false},
		{"32", "", true, false},
		{"00", "", false, false},
	} {
		p, r, err := d.Check(ctx, tt.province, tt.regency)
		if err != nil || p != tt.wantP || r != tt.wantR {
			t.Errorf("Check(%q, %q) = %v %v %v, want %v %v", tt.province, tt.regency, p, r, err, tt.wantP, tt.wantR)
		}
	}
}
