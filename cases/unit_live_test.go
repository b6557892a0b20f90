package cases_test

import (
	"context"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/cases"
)

// A unit's live month is reused for the time it may be kept, but a consent
// recorded meanwhile counts at the next view.
func TestLiveUnitMonthIsKeptBrieflyButConsentsCountAtOnce(t *testing.T) {
	f := setupAt(t, time.Date(2026, 9, 2, 3, 0, 0, 0, time.UTC))
	f.svc.KeepLiveUnitMonths(30 * time.Second)
	ctx := context.Background()
	var ids []string
	for range 6 {
		c, err := f.svc.Create(ctx, f.staff, cases.NewCase{
			Beneficiary: cases.NewBeneficiary{LegalName: "PM Agregat", BirthDate: "1970-02-03", Sex: "male", ProvinceCode: "32", RegencyCode: "3273", HouseholdSize: 1},
			Cluster:     cases.ClusterDisabilitas, Pillar: "keluarga", UnitID: f.unit,
			Consents: []cases.ConsentInput{{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}, {Purpose: cases.PurposeReporting, GivenBy: "self"}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	total := func() (pm, sales int64) {
		t.Helper()
		u, err := f.svc.UnitOutcomes(ctx, f.staff, f.unit, "2026-09", "2026-09")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range u.Items {
			if c.Dimension == cases.ByCluster && c.Group == cases.AllGroups {
				if c.PM == nil || c.AttributedSalesIDR == nil {
					t.Fatalf("the total is hidden: %+v", c)
				}
				return *c.PM, *c.AttributedSalesIDR
			}
		}
		t.Fatal("no total")
		return 0, 0
	}
	for _, id := range ids {
		f.event(t, id, "sale_completed", time.Date(2026, 9, 1, 10, 0, 0, 0, wib), map[string]any{"attributed_idr": 100000})
	}
	if pm, sales := total(); pm != 6 || sales != 600000 {
		t.Fatalf("first view: %d PM, Rp%d", pm, sales)
	}
	f.event(t, ids[0], "sale_completed", time.Date(2026, 9, 2, 9, 0, 0, 0, wib), map[string]any{"attributed_idr": 50000})
	if pm, sales := total(); pm != 6 || sales != 600000 {
		t.Fatalf("a moment later the month is kept: %d PM, Rp%d", pm, sales)
	}
	if _, err := f.svc.RecordConsent(ctx, f.staff, ids[1], cases.ConsentInput{Purpose: cases.PurposeReporting, GivenBy: "self", Action: "withdrawn"}); err != nil {
		t.Fatal(err)
	}
	if pm, sales := total(); pm != 5 || sales != 550000 {
		t.Fatalf("a withdrawal counts at once (and the month is summed again): %d PM, Rp%d", pm, sales)
	}
	f.event(t, ids[2], "sale_completed", time.Date(2026, 9, 2, 9, 30, 0, 0, wib), map[string]any{"attributed_idr": 25000})
	f.clock.Set(time.Date(2026, 9, 2, 3, 1, 0, 0, time.UTC))
	if pm, sales := total(); pm != 5 || sales != 575000 {
		t.Fatalf("after the time it may be kept: %d PM, Rp%d", pm, sales)
	}
}
