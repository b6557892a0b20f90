package cases_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
	"github.com/sentrakreasi/atensi/vault"
)

type fixture struct {
	db     *storage.DB
	svc    *cases.Service
	people *accounts.Service
	staff  access.Actor
	unit   string
	admin  string
	// clock is the time the services see; a test may move it.
	clock *clock
}

func setup(t testing.TB) fixture {
	t.Helper()
	return setupAt(t, time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC))
}

// setupAt opens a Balai in Kota Bekasi (Jawa Barat) with an admin and a
// staff member, on a clock set to at.
func setupAt(t testing.TB, at time.Time) fixture {
	t.Helper()
	ctx := context.Background()
	db := storagetest.DB(t)
	c := &clock{t: at}
	people := accounts.NewService(db, c.Now)
	v, err := vault.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	admin, err := people.CreateUserAsOperator(ctx, accounts.NewUser{Email: "a@uji.id", Password: "sandi-admin-uji", Name: "A", Role: access.Admin})
	if err != nil {
		t.Fatal(err)
	}
	unit, err := people.CreateUnit(ctx, access.Actor{UserID: admin.ID, Role: access.Admin},
		accounts.NewUnit{Kind: accounts.Balai, Name: "Balai Uji", ProvinceCode: "32", RegencyCode: "3275"})
	if err != nil {
		t.Fatal(err)
	}
	staff, err := people.CreateUserAsOperator(ctx, accounts.NewUser{Email: "s@uji.id", Password: "sandi-staf-uji", Name: "S", Role: access.Staff, UnitID: &unit.ID})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{db: db, svc: cases.NewService(db, v, people, c.Now), people: people, unit: unit.ID, admin: admin.ID, clock: c,
		staff: access.Actor{UserID: staff.ID, Role: access.Staff, UnitID: unit.ID}}
}

// user adds a user of the fixture's unit.
func (f fixture) user(t *testing.T, email string, role access.Role) access.Actor {
	t.Helper()
	u, err := f.people.CreateUserAsOperator(context.Background(), accounts.NewUser{Email: email, Password: "sandi-uji-panjang", Name: "Staf " + email[:2], Role: role, UnitID: &f.unit})
	if err != nil {
		t.Fatal(err)
	}
	return access.Actor{UserID: u.ID, Name: u.Name, Role: role, UnitID: f.unit}
}

func (f fixture) newCase(name, nik, birth string, cluster cases.Cluster, victim bool, consents ...cases.ConsentInput) (cases.Case, error) {
	return f.svc.Create(context.Background(), f.staff, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{LegalName: name, NIK: nik, BirthDate: birth, Sex: "male", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 4},
		Cluster:     cluster, Pillar: "keluarga", UnitID: f.unit, Victim: victim, Consents: consents,
	})
}

func TestSensitivityTiers(t *testing.T) {
	f := setup(t)
	guardian := cases.ConsentInput{Purpose: cases.PurposeCaseManagement, GivenBy: "guardian"}
	tests := []struct {
		cluster cases.Cluster
		birth   string
		victim  bool
		want    string
	}{
		{cases.ClusterDisabilitas, "1980-01-01", false, access.TierAudited},
		{cases.ClusterLansia, "1950-01-01", false, access.TierAudited},
		{cases.ClusterNapza, "1995-01-01", false, access.TierProtected},
		{cases.ClusterDisabilitas, "2012-01-01", false, access.TierProtected}, // a child
		{cases.ClusterAnak, "2012-01-01", true, access.TierClosed},            // a child victim
		{cases.ClusterTPPO, "1990-01-01", false, access.TierClosed},
	}
	for i, tt := range tests {
		c, err := f.newCase("Orang Uji", "", tt.birth, tt.cluster, tt.victim, guardian)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if c.Sensitivity != tt.want {
			t.Errorf("%s born %s victim=%v: tier %s, want %s", tt.cluster, tt.birth, tt.victim, c.Sensitivity, tt.want)
		}
	}
}

func TestIdentityIsEncryptedAtRestAndNIKUnique(t *testing.T) {
	f := setup(t)
	c, err := f.newCase("Siti Rahmawati", "3275015505880001", "1988-05-15", cases.ClusterDisabilitas, false)
	if err != nil {
		t.Fatal(err)
	}
	if c.Beneficiary.LegalName != "" || c.Beneficiary.NIK != "" {
		t.Fatal("a plain read must not carry legal name or NIK")
	}
	var stored struct{ LegalNameEnc, NikEnc, NikHash []byte }
	if err := f.db.Gorm.Raw("SELECT legal_name_enc, nik_enc, nik_hash FROM beneficiaries").Scan(&stored).Error; err != nil {
		t.Fatal(err)
	}
	if len(stored.LegalNameEnc) == 0 || len(stored.NikEnc) == 0 {
		t.Fatalf("nothing stored: %+v", stored)
	}
	for _, b := range [][]byte{stored.LegalNameEnc, stored.NikEnc, stored.NikHash} {
		if bytes.Contains(b, []byte("Siti")) || bytes.Contains(b, []byte("3275015505880001")) {
			t.Fatal("legal name or NIK stored in clear")
		}
	}
	_, err = f.newCase("Orang Lain", "3275015505880001", "1970-01-01", cases.ClusterLansia, false)
	if !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a second PM with the same NIK: %v, want conflict", err)
	}
	full, err := f.svc.Read(context.Background(), f.staff, c.ID, true)
	if err != nil || full.Beneficiary.LegalName != "Siti Rahmawati" || full.Beneficiary.NIK != "3275015505880001" {
		t.Fatalf("sensitive read by the assigned staff: %+v, %v", full.Beneficiary, err)
	}
}

func TestConsentRulesForChildrenAndPromotion(t *testing.T) {
	f := setup(t)
	self := cases.ConsentInput{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}
	if _, err := f.newCase("Anak Uji", "", "2015-06-01", cases.ClusterAnak, false, self); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a child's own consent: %v, want invalid (a guardian gives it)", err)
	}
	promo := cases.ConsentInput{Purpose: cases.PurposePromotion, GivenBy: "guardian"}
	if _, err := f.newCase("Anak Uji", "", "2015-06-01", cases.ClusterAnak, false, promo); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("public promotion for a child: %v, want invalid", err)
	}
	if _, err := f.newCase("Penyintas Uji", "", "1990-06-01", cases.ClusterTPPO, false, cases.ConsentInput{Purpose: cases.PurposePromotion, GivenBy: "self"}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("public promotion for a trafficking case: %v, want invalid", err)
	}
	c, err := f.newCase("Dewasa Uji", "", "1980-06-01", cases.ClusterDisabilitas, false, cases.ConsentInput{Purpose: cases.PurposeSelling, GivenBy: "self"})
	if err != nil {
		t.Fatal(err)
	}
	c, err = f.svc.RecordConsent(context.Background(), f.staff, c.ID, cases.ConsentInput{Purpose: cases.PurposeSelling, GivenBy: "self", Action: "withdrawn"})
	if err != nil || len(c.Consents) != 1 || c.Consents[0].Status != "withdrawn" {
		t.Fatalf("withdrawal: %+v, %v", c.Consents, err)
	}
	events, err := f.svc.Events(context.Background(), f.staff, c.ID, domain.Page{Limit: 10})
	if err != nil || len(events.Items) != 2 || events.Items[0].Type != "consent_withdrawn" || events.Items[1].Type != "consent_given" {
		t.Fatalf("timeline: %+v, %v", events.Items, err)
	}
}

func TestCreateCaseValidation(t *testing.T) {
	f := setup(t)
	_, err := f.svc.Create(context.Background(), f.staff, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{NIK: "12", BirthDate: "2099-01-01", Sex: "x", ProvinceCode: "3", RegencyCode: "31A5", HouseholdSize: 0},
		Cluster:     "lain", Pillar: "x", UnitID: f.unit,
	})
	var v *domain.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("Create = %v, want a validation error", err)
	}
	fields := map[string]bool{}
	for _, fe := range v.Fields {
		fields[fe.Field] = true
	}
	for _, want := range []string{"beneficiary.legal_name", "beneficiary.nik", "beneficiary.birth_date", "beneficiary.sex",
		"beneficiary.province_code", "beneficiary.regency_code", "beneficiary.household_size", "cluster", "pillar"} {
		if !fields[want] {
			t.Errorf("no error for %s (got %v)", want, fields)
		}
	}
}
