package cases_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
)

// TestClosedCaseNamedStaffAndBreakGlass: a trafficking survivor's case
// opens to its caseworker, to staff a supervisor names, and in an
// emergency to a colleague for an hour, with the reason audited and the
// supervisors told; nobody else, the supervisor included.
func TestClosedCaseNamedStaffAndBreakGlass(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	svc, db := f.svc, f.db
	worker, colleague, other, sup := f.user(t, "w1@uji.id", access.Staff), f.user(t, "c1@uji.id", access.Staff), f.user(t, "o1@uji.id", access.Staff), f.user(t, "sp@uji.id", access.Supervisor)
	closed, err := svc.Create(ctx, worker, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{LegalName: "Melati Penyintas", BirthDate: "1995-03-03", Sex: "female", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 2},
		Cluster:     cases.ClusterTPPO, Pillar: "residensial", UnitID: f.unit, Consents: []cases.ConsentInput{{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}}})
	if err != nil || closed.Sensitivity != access.TierClosed {
		t.Fatalf("closed case: %+v %v", closed, err)
	}
	reads := func(a access.Actor) error { _, err := svc.Read(ctx, a, closed.ID, false); return err }

	for name, a := range map[string]access.Actor{"colleague": colleague, "supervisor": sup} {
		if err := reads(a); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("%s reads a closed case: %v, want forbidden", name, err)
		}
	}
	if err := reads(worker); err != nil {
		t.Fatalf("the caseworker: %v", err)
	}

	// Break the glass: a reason is needed, the read opens for an hour.
	if _, err := svc.BreakGlass(ctx, colleague, closed.ID, "cepat"); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a short reason: %v", err)
	}
	reason := "PM dibawa ke IGD malam ini, perlu kontak wali"
	if _, err := svc.BreakGlass(ctx, colleague, closed.ID, reason); err != nil {
		t.Fatal(err)
	}
	if err := reads(colleague); err != nil {
		t.Fatalf("after breaking the glass: %v", err)
	}
	var logged int64
	db.Gorm.Raw(`SELECT count(*) FROM audit_log WHERE action = 'case.break_glass' AND actor_id = ? AND detail->>'reason' = ?`, colleague.UserID, reason).Scan(&logged)
	if logged != 1 {
		t.Fatalf("break-glass audit entries with the reason: %d", logged)
	}
	var notices []struct{ ToEmail, Body string }
	db.Gorm.Raw(`SELECT to_email, body FROM notifications WHERE kind = 'case_break_glass'`).Scan(&notices)
	if len(notices) != 1 || notices[0].ToEmail != "sp@uji.id" || !strings.Contains(notices[0].Body, reason) ||
		!strings.Contains(notices[0].Body, closed.CaseNo) || strings.Contains(notices[0].Body, "Melati") {
		t.Fatalf("supervisor's notice: %+v", notices)
	}
	f.clock.Set(f.clock.Now().Add(61 * time.Minute))
	if err := reads(colleague); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("an hour later: %v, want forbidden", err)
	}

	// Naming: only a supervisor names, only staff of the unit.
	if err := svc.NameStaff(ctx, worker, closed.ID, other.UserID); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("staff naming: %v", err)
	}
	if err := svc.NameStaff(ctx, sup, closed.ID, f.admin); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("naming someone outside the unit: %v", err)
	}
	if err := svc.NameStaff(ctx, sup, closed.ID, other.UserID); err != nil {
		t.Fatal(err)
	}
	if err := reads(other); err != nil {
		t.Fatalf("named staff: %v", err)
	}

	// An ordinary case needs no glass to break.
	open, err := svc.Create(ctx, worker, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{LegalName: "Budi Biasa", BirthDate: "1970-03-03", Sex: "male", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 2},
		Cluster:     cases.ClusterLansia, Pillar: "keluarga", UnitID: f.unit, Consents: []cases.ConsentInput{{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.BreakGlass(ctx, colleague, open.ID, reason); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("break glass on an audited case: %v", err)
	}
}

// TestAssessmentsGuardianAndAssignment: notes and the guardian are sealed,
// opened only with the sensitive right and audited; their events carry no
// word of them; only a supervisor reassigns a case, to staff of its unit.
func TestAssessmentsGuardianAndAssignment(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c, err := f.newCase("Ani Rahayu", "", "2014-05-05", cases.ClusterAnak, false, cases.ConsentInput{Purpose: cases.PurposeCaseManagement, GivenBy: "guardian"})
	if err != nil {
		t.Fatal(err)
	}
	note := "Anak tinggal dengan nenek; butuh pendampingan belajar"
	if _, err := f.svc.RecordAssessment(ctx, f.staff, c.ID, cases.NewAssessment{Date: "2026-11-20", Note: ""}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("an empty assessment: %v", err)
	}
	if _, err := f.svc.RecordAssessment(ctx, f.staff, c.ID, cases.NewAssessment{Date: "2026-11-20", Note: note}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetGuardian(ctx, f.staff, c.ID, cases.GuardianInput{Relation: "relative", Name: "Siti Aminah", Phone: "0813 1111 2222"}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetGuardian(ctx, f.staff, c.ID, cases.GuardianInput{Relation: "boss", Name: ""}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a guardian without a name: %v", err)
	}
	var leaked int64
	f.db.Gorm.Raw(`SELECT count(*) FROM case_events WHERE case_id = ? AND (data::text LIKE '%nenek%' OR data::text LIKE '%Siti%')`, c.ID).Scan(&leaked)
	if leaked != 0 {
		t.Fatal("a note or the guardian's name reached the timeline")
	}
	got, err := f.svc.Assessments(ctx, f.staff, c.ID) // the creator is its caseworker
	if err != nil || len(got) != 1 || got[0].Note != note {
		t.Fatalf("assessments: %+v %v", got, err)
	}
	g, err := f.svc.ReadGuardian(ctx, f.staff, c.ID)
	if err != nil || g == nil || g.Name != "Siti Aminah" || g.Phone != "0813 1111 2222" {
		t.Fatalf("guardian: %+v %v", g, err)
	}
	var reads int64
	f.db.Gorm.Raw(`SELECT count(*) FROM audit_log WHERE action = 'case.read_notes' AND resource_id = ?`, c.ID).Scan(&reads)
	if reads != 2 {
		t.Fatalf("audited note reads = %d, want 2", reads)
	}
	if err := f.svc.Assign(ctx, f.staff, c.ID, f.staff.UserID); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("staff reassigning: %v", err)
	}
}

// TestRecomputeNeedsAnAdminAndAReason: a closed month gets a new version
// only from an admin who says why, and the reason is in the audit log.
func TestRecomputeNeedsAnAdminAndAReason(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	if _, err := f.newCase("Budi Biasa", "", "1970-03-03", cases.ClusterLansia, false, cases.ConsentInput{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC))
	first, err := f.svc.CloseMonth(ctx, "2026-11", false, "")
	if err != nil || first.Version != 1 {
		t.Fatalf("first close: %+v %v", first, err)
	}
	admin := access.Actor{UserID: f.admin, Role: access.Admin}
	if _, err := f.svc.Recompute(ctx, f.staff, "2026-11", "upah minimum dikoreksi"); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("staff recomputing: %v", err)
	}
	if _, err := f.svc.Recompute(ctx, admin, "2026-11", "salah"); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a short reason: %v", err)
	}
	again, err := f.svc.Recompute(ctx, admin, "2026-11", "upah minimum dikoreksi")
	if err != nil || again.Version != 2 {
		t.Fatalf("recompute: %+v %v", again, err)
	}
	var logged int64
	f.db.Gorm.Raw(`SELECT count(*) FROM audit_log WHERE action = 'outcomes.recompute' AND resource_id = '2026-11' AND detail->>'reason' = 'upah minimum dikoreksi'`).Scan(&logged)
	if logged != 1 {
		t.Fatalf("recompute audit entries: %d", logged)
	}
}

// TestDelegationsFollowTheCaseAndTheUnit: a closed case's delegations are
// listed and granted only by who may open it; a pendamping of another unit
// is refused; the caseworker grants within the unit.
func TestDelegationsFollowTheCaseAndTheUnit(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	colleague, sup := f.user(t, "c2@uji.id", access.Staff), f.user(t, "sq@uji.id", access.Supervisor)
	ours := f.user(t, "pd@uji.id", access.Pendamping)
	otherUnit, err := f.people.CreateUnit(ctx, access.Actor{UserID: f.admin, Role: access.Admin},
		accounts.NewUnit{Kind: accounts.Balai, Name: "Balai Lain", ProvinceCode: "31", RegencyCode: "3171"})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := f.people.CreateUserAsOperator(ctx, accounts.NewUser{Email: "px@uji.id", Password: "sandi-uji-panjang", Name: "PSM Lain", Role: access.Pendamping, UnitID: &otherUnit.ID})
	if err != nil {
		t.Fatal(err)
	}
	closed, err := f.newCase("Melati Penyintas", "", "1995-03-03", cases.ClusterTPPO, false, cases.ConsentInput{Purpose: cases.PurposeCaseManagement, GivenBy: "self"})
	if err != nil {
		t.Fatal(err)
	}
	grant := func(a access.Actor, pendamping string) error {
		_, err := f.svc.Delegate(ctx, a, cases.NewDelegation{PendampingID: pendamping, CaseID: closed.ID, Scopes: []access.Scope{access.ScopeListings},
			ExpiresAt: f.clock.Now().Add(30 * 24 * time.Hour)})
		return err
	}
	for name, a := range map[string]access.Actor{"an uncleared colleague": colleague, "an uncleared supervisor": sup} {
		if err := grant(a, ours.UserID); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s granting: %v, want forbidden", name, err)
		}
		if _, err := f.svc.CaseDelegations(ctx, a, closed.ID); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s listing: %v, want forbidden", name, err)
		}
	}
	var v *domain.ValidationError
	if err := grant(f.staff, theirs.ID); !errors.As(err, &v) || v.Fields[0].Field != "pendamping_user_id" {
		t.Fatalf("another unit's pendamping: %v, want refused on pendamping_user_id", err)
	}
	if err := grant(f.staff, ours.UserID); err != nil {
		t.Fatalf("the caseworker granting to the unit's pendamping: %v", err)
	}
	if ds, err := f.svc.CaseDelegations(ctx, f.staff, closed.ID); err != nil || len(ds) != 1 || ds[0].PendampingID != ours.UserID {
		t.Fatalf("the caseworker's list: %+v %v", ds, err)
	}
	if err := f.svc.NameStaff(ctx, sup, closed.ID, colleague.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CaseDelegations(ctx, colleague, closed.ID); err != nil {
		t.Fatalf("named staff listing: %v", err)
	}
}

// TestSupervisorNamingThemselvesIsTold: a supervisor who names themselves
// for a closed case is audited as such and every supervisor of the unit
// is told, as when the glass is broken; naming a colleague tells nobody.
func TestSupervisorNamingThemselvesIsTold(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	sup, colleague := f.user(t, "s1@uji.id", access.Supervisor), f.user(t, "c3@uji.id", access.Staff)
	f.user(t, "s2@uji.id", access.Supervisor) // told too
	closed, err := f.newCase("Melati Penyintas", "", "1995-03-03", cases.ClusterTPPO, false, cases.ConsentInput{Purpose: cases.PurposeCaseManagement, GivenBy: "self"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.NameStaff(ctx, sup, closed.ID, colleague.UserID); err != nil {
		t.Fatal(err)
	}
	var n int64
	f.db.Gorm.Raw(`SELECT count(*) FROM notifications WHERE kind = 'case_named_self'`).Scan(&n)
	if n != 0 {
		t.Fatalf("naming a colleague sent %d notices", n)
	}
	if err := f.svc.NameStaff(ctx, sup, closed.ID, sup.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Read(ctx, sup, closed.ID, false); err != nil {
		t.Fatalf("the supervisor after naming themselves: %v", err)
	}
	var notices []struct{ ToEmail, Body string }
	f.db.Gorm.Raw(`SELECT to_email, body FROM notifications WHERE kind = 'case_named_self' ORDER BY to_email`).Scan(&notices)
	if len(notices) != 2 || notices[0].ToEmail != "s1@uji.id" || notices[1].ToEmail != "s2@uji.id" ||
		!strings.Contains(notices[1].Body, closed.CaseNo) || !strings.Contains(notices[1].Body, sup.Name) || strings.Contains(notices[1].Body, "Melati") {
		t.Fatalf("notices: %+v", notices)
	}
	f.db.Gorm.Raw(`SELECT count(*) FROM audit_log WHERE action = 'case.name_staff' AND actor_id = ? AND detail->>'user_id' = ? AND detail->>'self' = 'true'`,
		sup.UserID, sup.UserID).Scan(&n)
	if n != 1 {
		t.Fatalf("self-naming audit rows: %d", n)
	}
}

// TestOpenIdentityFollowsTheLegalNameRule: what names a PM outside the case
// opens to who may read the legal name (tier and clearance respected), and
// each opening is in the case's audit log; a refusal writes nothing.
func TestOpenIdentityFollowsTheLegalNameRule(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	colleague, sup := f.user(t, "c4@uji.id", access.Staff), f.user(t, "s4@uji.id", access.Supervisor)
	mk := func(cluster cases.Cluster) cases.Case {
		c, err := f.newCase("Nama Rahasia", "", "1990-03-03", cluster, false, cases.ConsentInput{Purpose: cases.PurposeCaseManagement, GivenBy: "self"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	audited, protected, closed := mk(cases.ClusterDisabilitas), mk(cases.ClusterNapza), mk(cases.ClusterTPPO)
	tests := []struct {
		name  string
		actor access.Actor
		c     cases.Case
		want  bool
	}{
		{"caseworker, audited", f.staff, audited, true},
		{"colleague, audited", colleague, audited, false},
		{"supervisor, audited", sup, audited, true},
		{"supervisor, protected", sup, protected, true},
		{"colleague, protected", colleague, protected, false},
		{"caseworker, closed", f.staff, closed, true},
		{"supervisor, closed, uncleared", sup, closed, false},
	}
	for _, tt := range tests {
		before := f.auditCount(t, tt.c.ID)
		ok, err := f.svc.OpenIdentity(ctx, tt.actor, tt.c.ID, "payout_account_name", map[string]any{"shop_id": "x"})
		if err != nil || ok != tt.want {
			t.Errorf("%s: %v %v, want %v", tt.name, ok, err, tt.want)
		}
		if wrote := f.auditCount(t, tt.c.ID) - before; (wrote == 1) != tt.want || wrote > 1 {
			t.Errorf("%s: %d audit rows written", tt.name, wrote)
		}
	}
	if err := f.svc.NameStaff(ctx, sup, closed.ID, colleague.UserID); err != nil {
		t.Fatal(err)
	}
	// Named, the colleague may open the case but is still no caseworker of it.
	if ok, err := f.svc.OpenIdentity(ctx, colleague, closed.ID, "payout_account_name", nil); ok || err != nil {
		t.Fatalf("a named colleague: %v %v", ok, err)
	}
}

func (f fixture) auditCount(t *testing.T, caseID string) int64 {
	t.Helper()
	var n int64
	if err := f.db.Gorm.Raw(`SELECT count(*) FROM audit_log WHERE action = 'case.read_sensitive' AND resource_id = ? AND detail->'fields' ? 'payout_account_name'`,
		caseID).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
