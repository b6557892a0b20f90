package cases_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
)

// fieldsOf are the fields a validation error marks; nil for another error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var v *domain.ValidationError
	if !errors.As(err, &v) {
		return nil
	}
	var out []string
	for _, f := range v.Fields {
		out = append(out, f.Field)
	}
	return out
}

// TestRegionCodesAreKemendagris: a case, a unit and a reference row take
// only province and regency codes of the seeded lists, the regency of its
// own province; well-formed codes that name no region are refused.
func TestRegionCodesAreKemendagris(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	admin := access.Actor{UserID: f.admin, Role: access.Admin}
	newCase := func(province, regency string) error {
		_, err := f.svc.Create(ctx, f.staff, cases.NewCase{
			Beneficiary: cases.NewBeneficiary{LegalName: "Warga Uji", BirthDate: "1980-01-01", Sex: "female", ProvinceCode: province, RegencyCode: regency, HouseholdSize: 2},
			Cluster:     cases.ClusterLansia, Pillar: "keluarga", UnitID: f.unit})
		return err
	}
	for _, tt := range []struct {
		province, regency string
		want              []string
	}{
		{"32", "3275", nil},
		{"31", "3171", nil},
		{"32", "3299", []string{"beneficiary.regency_code"}},                              // no such regency
		{"31", "3275", []string{"beneficiary.regency_code"}},                              // Bekasi is Jawa Barat's
		{"39", "3901", []string{"beneficiary.province_code", "beneficiary.regency_code"}}, // no such province
	} {
		if got := fieldsOf(t, newCase(tt.province, tt.regency)); !slices.Equal(got, tt.want) {
			t.Errorf("case in %s/%s: fields %v, want %v", tt.province, tt.regency, got, tt.want)
		}
	}
	_, err := f.people.CreateUnit(ctx, admin, accounts.NewUnit{Kind: accounts.Balai, Name: "Balai Khayal", ProvinceCode: "32", RegencyCode: "3299"})
	if got := fieldsOf(t, err); !slices.Equal(got, []string{"regency_code"}) {
		t.Errorf("unit in 32/3299: %v (%v), want regency_code marked", got, err)
	}
	for _, tt := range []struct {
		in   cases.NewMinimumWage
		want []string
	}{
		{cases.NewMinimumWage{Year: 2027, ProvinceCode: "32", AmountIDR: 2400000, Source: "uji"}, nil}, // a UMP
		{cases.NewMinimumWage{Year: 2027, ProvinceCode: "32", RegencyCode: "3216", AmountIDR: 5500000, Source: "uji"}, nil},
		{cases.NewMinimumWage{Year: 2027, ProvinceCode: "32", RegencyCode: "3298", AmountIDR: 5500000, Source: "uji"}, []string{"regency_code"}},
		{cases.NewMinimumWage{Year: 2027, ProvinceCode: "00", AmountIDR: 5500000, Source: "uji"}, []string{"province_code"}},
	} {
		_, err := f.svc.AddMinimumWage(ctx, admin, tt.in)
		if got := fieldsOf(t, err); !slices.Equal(got, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("minimum wage %+v: %v (%v), want %v", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		province string
		want     []string
	}{{"00", nil}, {"63", nil}, {"99", []string{"province_code"}}} {
		_, err := f.svc.AddPovertyLine(ctx, admin, cases.NewPovertyLine{Period: "2026-03", ProvinceCode: tt.province, AmountIDR: 600000, Source: "uji"})
		if got := fieldsOf(t, err); !slices.Equal(got, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("poverty line of %s: %v (%v), want %v", tt.province, got, err, tt.want)
		}
	}
}
