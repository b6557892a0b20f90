package app

import (
	"strings"
	"testing"
)

// TestRegionFormsOfferLists: the new-case and reference forms offer the
// provinces and regencies as lists, not text boxes, and a code that is in
// no list (sent by hand) comes back as the form with the field marked.
func TestRegionFormsOfferLists(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct{ actor, path string }{{"staffA", "/staf/kasus/baru"}, {"admin", "/admin/referensi"}} {
		got := w.page(t, tt.actor, "GET", tt.path, "")
		for _, want := range []string{`<select id="`, `<optgroup label="Jawa Barat">`, `<option value="3275">Kota Bekasi</option>`, `<option value="63">Kalimantan Selatan</option>`} {
			if got.status != 200 || !strings.Contains(got.body, want) {
				t.Errorf("%s: %d, no %s", tt.path, got.status, want)
			}
		}
		if strings.Contains(got.body, `province_code" type="text"`) || strings.Contains(got.body, `regency_code" type="text"`) {
			t.Errorf("%s still asks for a code in a text box", tt.path)
		}
	}
	got := w.page(t, "staffA", "POST", "/staf/kasus/baru", "beneficiary.legal_name=Warga+Uji&beneficiary.birth_date=1970-01-01&beneficiary.sex=male"+
		"&beneficiary.province_code=32&beneficiary.regency_code=3299&beneficiary.household_size=2&cluster=lansia&pillar=keluarga&consent=case_management&given_by=self")
	if got.status != 422 || !strings.Contains(got.body, `id="beneficiary.regency_code" name="beneficiary.regency_code" aria-invalid="true"`) ||
		!strings.Contains(got.body, `<option value="32" selected>Jawa Barat</option>`) {
		t.Errorf("a made-up regency: %d %.300s", got.status, got.body)
	}
}
