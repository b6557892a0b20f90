package cases_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
)

// clock is a clock the outcome tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

var wib = time.FixedZone("WIB", 7*3600)

// newPM opens an adult PM's case living in regency (province = its first two digits).
func (f fixture) newPM(t *testing.T, regency string, household int) string {
	t.Helper()
	c, err := f.svc.Create(context.Background(), f.staff, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{LegalName: "PM Uji", BirthDate: "1985-02-03", Sex: "female", ProvinceCode: regency[:2], RegencyCode: regency, HouseholdSize: household},
		Cluster:     cases.ClusterDisabilitas, Pillar: "komunitas", UnitID: f.unit,
		Consents: []cases.ConsentInput{{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}, {Purpose: cases.PurposeDataBridge, GivenBy: "self"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// event writes a case event the way the marketplace does.
func (f fixture) event(t *testing.T, caseID, typ string, at time.Time, data map[string]any) {
	t.Helper()
	if err := cases.AppendEvent(context.Background(), f.db.Gorm, caseID, typ, at, access.Actor{}, data); err != nil {
		t.Fatal(err)
	}
}

func (f fixture) outcomes(t *testing.T, caseID, from, to string) map[string]cases.Outcome {
	t.Helper()
	list, err := f.svc.Outcomes(context.Background(), f.staff, caseID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]cases.Outcome{}
	for _, o := range list {
		out[o.Month] = o
	}
	return out
}

func (f fixture) closeDue(t *testing.T) []cases.CloseResult {
	t.Helper()
	res, err := f.svc.CloseDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (f fixture) countEvents(t *testing.T, caseID, typ string) int {
	t.Helper()
	var n int64
	if err := f.db.Gorm.Raw("SELECT count(*) FROM case_events WHERE case_id = ? AND type = ?", caseID, typ).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestSaleAtHalfPastMidnightWIBCountsInTheNewMonth(t *testing.T) {
	f := setupAt(t, time.Date(2026, 9, 15, 3, 0, 0, 0, time.UTC))
	pm := f.newPM(t, "3275", 1)
	// 1 Oct 00:30 WIB is still 30 Sep in UTC.
	at := time.Date(2026, 10, 1, 0, 30, 0, 0, wib)
	f.event(t, pm, "sale_completed", at, map[string]any{"order_id": "o1", "attributed_idr": 100000, "buyer_hash": "b1"})
	f.clock.Set(time.Date(2026, 10, 20, 3, 0, 0, 0, time.UTC))
	got := f.outcomes(t, pm, "2026-09", "2026-10")
	if got["2026-09"].AttributedSalesIDR != 0 || got["2026-10"].AttributedSalesIDR != 100000 || got["2026-10"].OrdersCompleted != 1 {
		t.Fatalf("the sale belongs to October in Jakarta: %+v", got)
	}
	if got["2026-10"].Locked || got["2026-09"].Locked {
		t.Fatal("nothing is closed yet")
	}
	// Closed, September stays empty and October is still live.
	f.closeDue(t)
	got = f.outcomes(t, pm, "2026-09", "2026-10")
	if !got["2026-09"].Locked || got["2026-09"].AttributedSalesIDR != 0 || got["2026-10"].AttributedSalesIDR != 100000 || got["2026-10"].Locked {
		t.Fatalf("after the close: %+v", got)
	}
}

func TestRefundNextMonthLowersNextMonthNotTheClosedOne(t *testing.T) {
	f := setupAt(t, time.Date(2026, 9, 15, 3, 0, 0, 0, time.UTC))
	pm := f.newPM(t, "3275", 1)
	f.event(t, pm, "sale_completed", time.Date(2026, 10, 10, 9, 0, 0, 0, wib), map[string]any{"attributed_idr": 300000, "buyer_hash": "b1"})
	f.clock.Set(time.Date(2026, 11, 1, 0, 20, 0, 0, wib))
	f.closeDue(t)
	f.event(t, pm, "refund", time.Date(2026, 11, 3, 9, 0, 0, 0, wib), map[string]any{"attributed_idr": -120000})
	f.clock.Set(time.Date(2026, 11, 20, 9, 0, 0, 0, wib))
	got := f.outcomes(t, pm, "2026-10", "2026-11")
	oct, nov := got["2026-10"], got["2026-11"]
	if !oct.Locked || oct.NetIncomeIDR != 300000 || oct.AttributedSalesIDR != 300000 {
		t.Fatalf("October is closed and keeps its sale: %+v", oct)
	}
	if nov.Locked || nov.RefundsIDR != -120000 || nov.NetIncomeIDR != -120000 || nov.IndependentIncomeIDR != -120000 {
		t.Fatalf("the refund lowers November: %+v", nov)
	}
	if n := f.countEvents(t, pm, "month_closed"); n != 2 { // September and October
		t.Fatalf("month_closed events = %d, want 2", n)
	}
}

// TestYearBoundaryKeepsTheRegencysUMK: a new year's UMP is decreed before
// the regencies' UMK. Kota Bekasi (UMK 2025 Rp5.690.725) stays measured
// against its UMK 2025, marked provisional, rather than against UMP Jawa
// Barat 2026 (Rp2.317.601, less than half); a UMK 2026 recorded later takes
// over; a regency with no UMK at all uses its province's UMP. Each month
// says which figure and year it used.
func TestYearBoundaryKeepsTheRegencysUMK(t *testing.T) {
	f := setupAt(t, time.Date(2025, 12, 2, 3, 0, 0, 0, time.UTC))
	bekasi := f.newPM(t, "3275", 1)  // Kota Bekasi: UMK 2025 set, none for 2026 yet
	bandung := f.newPM(t, "3273", 2) // Kota Bandung: no UMK seeded -> UMP
	f.clock.Set(time.Date(2026, 1, 10, 3, 0, 0, 0, time.UTC))
	type figure struct {
		wage        int64
		kind        string
		year        int
		provisional bool
	}
	check := func(pm, month string, want figure) {
		t.Helper()
		o := f.outcomes(t, pm, month, month)[month]
		got := figure{kind: o.MinimumWageKind, provisional: o.MinimumWageProvisional}
		if o.MinimumWageIDR != nil {
			got.wage = *o.MinimumWageIDR
		}
		if o.MinimumWageYear != nil {
			got.year = *o.MinimumWageYear
		}
		if got != want {
			t.Errorf("%s: got %+v, want %+v", month, got, want)
		}
		if o.PovertyLineIDR == nil || *o.PovertyLineIDR != 547752 {
			t.Errorf("%s: poverty line %v", month, o.PovertyLineIDR)
		}
		if o.ComputationVersion != cases.ComputationVersion {
			t.Errorf("%s: computed by version %d", month, o.ComputationVersion)
		}
	}
	check(bekasi, "2025-12", figure{5690725, "umk", 2025, false})
	check(bekasi, "2026-01", figure{5690725, "umk", 2025, true})
	check(bandung, "2025-12", figure{2191232, "ump", 2025, false})
	check(bandung, "2026-01", figure{2317601, "ump", 2026, false})

	// A 2026 UMK for Kota Bekasi recorded later wins for 2026 on, and a
	// correction of it (a new row) wins over the first.
	admin := access.Actor{UserID: f.staff.UserID, Role: access.Admin}
	ctx := context.Background()
	if _, err := f.svc.AddMinimumWage(ctx, admin, cases.NewMinimumWage{Year: 2026, ProvinceCode: "32", RegencyCode: "3275", AmountIDR: 6000000, Source: "uji"}); err != nil {
		t.Fatal(err)
	}
	fixed, err := f.svc.AddMinimumWage(ctx, admin, cases.NewMinimumWage{Year: 2026, ProvinceCode: "32", RegencyCode: "3275", AmountIDR: 5999644, Source: "uji, koreksi"})
	if err != nil {
		t.Fatal(err)
	}
	check(bekasi, "2026-01", figure{5999644, "umk", 2026, false})
	check(bekasi, "2025-12", figure{5690725, "umk", 2025, false})
	if o := f.outcomes(t, bekasi, "2026-01", "2026-01")["2026-01"]; *o.MinimumWageID != fixed.ID {
		t.Fatalf("the correction wins: %+v", o)
	}
	check(bandung, "2026-01", figure{2317601, "ump", 2026, false})
	list, err := f.svc.MinimumWages(ctx, cases.ReferenceFilter{ProvinceCode: "32", Year: 2026})
	if err != nil || len(list) != 2 {
		t.Fatalf("in force for Jawa Barat 2026: UMP and the corrected UMK, got %+v %v", list, err)
	}
}

// TestProvisionalUMKKeepsAnEarlyGraduationAway: a Kota Bekasi PM earning
// Rp3.000.000 a month is above UMP Jawa Barat 2026 but far below the UMK:
// with no UMK 2026 yet, the months of 2026 still count as below the
// minimum wage, so no graduation is raised too early.
func TestProvisionalUMKKeepsAnEarlyGraduationAway(t *testing.T) {
	f := setupAt(t, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC))
	pm := f.newPM(t, "3275", 1)
	for m := time.January; m <= time.July; m++ {
		f.clock.Set(time.Date(2026, m, 5, 3, 0, 0, 0, time.UTC))
		f.event(t, pm, "sale_completed", time.Date(2026, m, 3, 3, 0, 0, 0, time.UTC), map[string]any{"attributed_idr": 3000000})
	}
	f.clock.Set(time.Date(2026, 8, 2, 3, 0, 0, 0, time.UTC))
	f.closeDue(t)
	for month, o := range f.outcomes(t, pm, "2026-01", "2026-07") {
		if o.MinWageRatio == nil || *o.MinWageRatio >= 1 || o.MinimumWageKind != "umk" || !o.MinimumWageProvisional {
			t.Errorf("%s: ratio %v against %s provisional=%v", month, o.MinWageRatio, o.MinimumWageKind, o.MinimumWageProvisional)
		}
	}
	if n := f.countEvents(t, pm, "graduation_due"); n != 0 {
		t.Fatalf("%d graduation_due events against the UMP", n)
	}
}

func TestGraduationDueAfterSixMonthsAtMinimumWageOncePerStreak(t *testing.T) {
	f := setupAt(t, time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC))
	pm := f.newPM(t, "3273", 1) // Kota Bandung: UMP Jawa Barat 2026 2,317,601
	ctx := context.Background()
	wage := func(month string, amount int64) {
		t.Helper()
		if _, err := f.svc.RecordIncome(ctx, f.staff, pm, cases.NewIncome{Month: month, AmountIDR: domain.IDR(amount), Kind: cases.IncomeWage, Verified: true}); err != nil {
			t.Fatal(err)
		}
	}
	sell := func(month time.Month, amount int64) {
		f.event(t, pm, "sale_completed", time.Date(2026, month, 5, 10, 0, 0, 0, wib), map[string]any{"attributed_idr": amount})
	}
	// Jan-May: 5 months at the wage, from sales and wages together.
	for m := time.January; m <= time.May; m++ {
		f.clock.Set(time.Date(2026, m, 6, 3, 0, 0, 0, time.UTC))
		sell(m, 1317601)
		wage(time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC).Format("2006-01"), 1000000)
		// bansos never counts
		if _, err := f.svc.RecordIncome(ctx, f.staff, pm, cases.NewIncome{Month: time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC).Format("2006-01"), AmountIDR: 5000000, Kind: cases.IncomeBansos}); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Set(time.Date(2026, 6, 1, 0, 30, 0, 0, wib))
	f.closeDue(t)
	may := f.outcomes(t, pm, "2026-05", "2026-05")["2026-05"]
	if may.StreakMonths != 5 || may.GraduationDue || may.MinWageRatio == nil || *may.MinWageRatio != 1 || may.BansosIDR != 5000000 {
		t.Fatalf("five months: %+v", may)
	}
	if n := f.countEvents(t, pm, "graduation_due"); n != 0 {
		t.Fatalf("5 months raise nothing, got %d", n)
	}
	// June is the sixth: the close on 1 July raises it.
	f.clock.Set(time.Date(2026, 6, 10, 3, 0, 0, 0, time.UTC))
	wage("2026-06", 2317601)
	live := f.outcomes(t, pm, "2026-06", "2026-06")["2026-06"]
	if live.StreakMonths != 6 || !live.GraduationDue || live.Locked {
		t.Fatalf("June live: %+v", live)
	}
	f.clock.Set(time.Date(2026, 7, 1, 0, 30, 0, 0, wib))
	f.closeDue(t)
	if n := f.countEvents(t, pm, "graduation_due"); n != 1 {
		t.Fatalf("graduation_due = %d, want 1", n)
	}
	// July at the wage again: streak 7, nothing raised again.
	f.clock.Set(time.Date(2026, 7, 10, 3, 0, 0, 0, time.UTC))
	wage("2026-07", 2317601)
	// August dips (a correction lowers the wage entry), September on resets.
	f.clock.Set(time.Date(2026, 8, 10, 3, 0, 0, 0, time.UTC))
	wage("2026-08", 2317601)
	wage("2026-08", 1000000)
	for m := time.September; m <= time.December; m++ {
		f.clock.Set(time.Date(2026, m, 10, 3, 0, 0, 0, time.UTC))
		wage(time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC).Format("2006-01"), 2400000)
	}
	f.clock.Set(time.Date(2027, 1, 2, 3, 0, 0, 0, time.UTC))
	f.closeDue(t)
	got := f.outcomes(t, pm, "2026-07", "2026-12")
	if got["2026-07"].StreakMonths != 7 || got["2026-08"].StreakMonths != 0 || got["2026-12"].StreakMonths != 4 {
		t.Fatalf("streaks: Jul %d Aug %d Dec %d", got["2026-07"].StreakMonths, got["2026-08"].StreakMonths, got["2026-12"].StreakMonths)
	}
	if m6 := got["2026-12"].MinWageMonths6; m6 != 5 { // Jul..Dec less August
		t.Fatalf("months above in the last 6 = %d", m6)
	}
	if got["2026-12"].MinWageMonths12 != 11 {
		t.Fatalf("months above in the last 12 = %d", got["2026-12"].MinWageMonths12)
	}
	if n := f.countEvents(t, pm, "graduation_due"); n != 1 {
		t.Fatalf("graduation_due = %d, want still 1", n)
	}
	if n := f.countEvents(t, pm, "threshold_lost"); n < 1 {
		t.Fatal("the August dip must raise threshold_lost")
	}
}

func TestUnitAggregatesCountConsentingPMAndHideSmallCells(t *testing.T) {
	f := setupAt(t, time.Date(2026, 9, 2, 3, 0, 0, 0, time.UTC))
	ctx := context.Background()
	// Lansia live in a komunitas, the others with their keluarga.
	open := func(cluster cases.Cluster, reporting bool) string {
		t.Helper()
		pillar := "keluarga"
		if cluster == cases.ClusterLansia {
			pillar = "komunitas"
		}
		consents := []cases.ConsentInput{{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}}
		if reporting {
			consents = append(consents, cases.ConsentInput{Purpose: cases.PurposeReporting, GivenBy: "self"})
		}
		c, err := f.svc.Create(ctx, f.staff, cases.NewCase{
			Beneficiary: cases.NewBeneficiary{LegalName: "PM Agregat", BirthDate: "1960-02-03", Sex: "male", ProvinceCode: "32", RegencyCode: "3273", HouseholdSize: 1},
			Cluster:     cluster, Pillar: pillar, UnitID: f.unit, Consents: consents})
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	var disabled []string
	for i := 0; i < 6; i++ {
		disabled = append(disabled, open(cases.ClusterDisabilitas, true))
	}
	for i := 0; i < 3; i++ {
		open(cases.ClusterLansia, true)
	}
	silent := open(cases.ClusterLansia, false) // not counted anywhere
	for i := 0; i < 5; i++ {
		open(cases.ClusterNapza, true)
	}
	for _, id := range disabled {
		f.event(t, id, "sale_completed", time.Date(2026, 9, 10, 10, 0, 0, 0, wib), map[string]any{"attributed_idr": 2500000})
	}
	check := func(locked bool) {
		t.Helper()
		u, err := f.svc.UnitOutcomes(ctx, f.staff, f.unit, "2026-09", "2026-09")
		if err != nil {
			t.Fatal(err)
		}
		cells, byPillar := map[string]cases.UnitCell{}, map[string]cases.UnitCell{}
		for _, c := range u.Items {
			switch c.Dimension {
			case cases.ByCluster:
				cells[c.Group] = c
			case cases.ByPillar:
				byPillar[c.Group] = c
			}
		}
		if len(cells) != 6 || len(byPillar) != 4 {
			t.Fatalf("5 clusters, 3 pillars and a total each: %+v", u.Items)
		}
		// 3 in komunitas are hidden, and keluarga with them (the total
		// would give komunitas away); residensial is an empty zero.
		if c := byPillar["komunitas"]; !c.Suppressed || c.PM != nil || c.Locked != locked {
			t.Errorf("komunitas: %+v", c)
		}
		if c := byPillar["keluarga"]; !c.Suppressed || c.PM != nil {
			t.Errorf("keluarga hides with komunitas: %+v", c)
		}
		if c := byPillar["residensial"]; c.Suppressed || *c.PM != 0 {
			t.Errorf("residensial: %+v", c)
		}
		if c := byPillar["all"]; c.Suppressed || *c.PM != 14 || *c.AttributedSalesIDR != 15000000 {
			t.Errorf("pillar total: %+v", c)
		}
		if c := cells["lansia"]; !c.Suppressed || c.PM != nil || c.AttributedSalesIDR != nil {
			t.Errorf("3 lansia must be hidden: %+v", c)
		}
		// Hidden alone, lansia would be the total less the rest: the next
		// smallest non-empty cluster (napza, 5) goes too.
		if c := cells["napza"]; !c.Suppressed || c.PM != nil {
			t.Errorf("napza hides with lansia: %+v", c)
		}
		if c := cells["disabilitas"]; c.Suppressed || *c.PM != 6 || *c.AttributedSalesIDR != 15000000 || c.PMAtMinWage == nil || *c.PMAtMinWage != 6 || c.Locked != locked {
			t.Errorf("disabilitas: %+v", c)
		}
		if c := cells["all"]; c.Suppressed || *c.PM != 14 || c.PMAtMinWage == nil || *c.PMAtMinWage != 6 {
			t.Errorf("total: %+v", c)
		}
		if c := cells["anak"]; c.Suppressed || *c.PM != 0 {
			t.Errorf("an empty cluster is a plain zero: %+v", c)
		}
	}
	f.clock.Set(time.Date(2026, 9, 20, 3, 0, 0, 0, time.UTC))
	check(false)
	f.clock.Set(time.Date(2026, 10, 1, 0, 30, 0, 0, wib))
	f.closeDue(t)
	check(true)
	u, _ := f.svc.UnitOutcomes(ctx, f.staff, f.unit, "2026-09", "2026-09")
	csvOut, err := cases.UnitOutcomesCSV(u)
	if err != nil || !bytes.Contains(csvOut, []byte("2026-09,cluster,lansia,,,,,,,true,true")) || !bytes.Contains(csvOut, []byte("2026-09,cluster,disabilitas,6,15000000,15000000,6,6,")) ||
		!bytes.Contains(csvOut, []byte("2026-09,pillar,residensial,0,0,0,0,0,0,false,true")) {
		t.Fatalf("csv: %s %v", csvOut, err)
	}
	if x, err := cases.UnitOutcomesXLSX(u); err != nil || len(x) < 100 {
		t.Fatalf("xlsx: %d bytes %v", len(x), err)
	}
	// Consents recorded after the close count at once in the closed month:
	// a disabilitas PM withdraws, the silent lansia consents.
	if _, err := f.svc.RecordConsent(ctx, f.staff, disabled[0], cases.ConsentInput{Purpose: cases.PurposeReporting, GivenBy: "self", Action: "withdrawn"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RecordConsent(ctx, f.staff, silent, cases.ConsentInput{Purpose: cases.PurposeReporting, GivenBy: "self"}); err != nil {
		t.Fatal(err)
	}
	u, err = f.svc.UnitOutcomes(ctx, f.staff, f.unit, "2026-09", "2026-09")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range u.Items {
		if c.Dimension != cases.ByCluster {
			continue
		}
		switch c.Group {
		case "lansia":
			if !c.Suppressed {
				t.Errorf("4 lansia are still hidden: %+v", c)
			}
		case "all":
			if c.Suppressed || *c.PM != 14 || *c.PMAtMinWage != 5 || *c.AttributedSalesIDR != 12500000 {
				t.Errorf("total after the consents: %+v", c)
			}
		}
	}
}

func TestBuyersPayoutsNoSaleAndRecompute(t *testing.T) {
	f := setupAt(t, time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC))
	ctx := context.Background()
	pm := f.newPM(t, "3273", 2)
	f.event(t, pm, "shop_opened", time.Date(2026, 3, 2, 10, 0, 0, 0, wib), nil)
	sale := func(day int, month time.Month, buyer string, amount int) {
		f.event(t, pm, "sale_completed", time.Date(2026, month, day, 10, 0, 0, 0, wib), map[string]any{"attributed_idr": amount, "buyer_hash": buyer,
			"assisted": buyer == "b2", "shipped_on_time": buyer != "b3"})
	}
	sale(3, time.March, "b1", 100000)
	sale(4, time.March, "b2", 100000)
	sale(5, time.April, "b1", 50000) // b1 again: a repeat buyer in April
	sale(6, time.April, "b3", 50000)
	sale(7, time.April, "b3", 50000) // b3 twice in one month: a repeat buyer too
	f.event(t, pm, "payout_paid", time.Date(2026, 4, 20, 10, 0, 0, 0, wib), map[string]any{"amount_idr": 200000})
	f.clock.Set(time.Date(2026, 4, 25, 3, 0, 0, 0, time.UTC))
	if _, err := f.svc.RecordIncome(ctx, f.staff, pm, cases.NewIncome{Month: "2026-04", AmountIDR: 300000, Kind: cases.IncomeBusiness, Note: "Warung kecil milik PM Uji"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RecordHouseholdSize(ctx, f.staff, pm, cases.NewHouseholdSize{FromMonth: "2026-04", Size: 4}); err != nil {
		t.Fatal(err)
	}
	got := f.outcomes(t, pm, "2026-03", "2026-04")
	mar, apr := got["2026-03"], got["2026-04"]
	if mar.UniqueBuyers != 2 || mar.RepeatBuyers != 0 || mar.AssistedOrders != 1 || mar.HouseholdSize != 2 {
		t.Errorf("March: %+v", mar)
	}
	if apr.UniqueBuyers != 2 || apr.RepeatBuyers != 2 || apr.OrdersCompleted != 3 || apr.ShippedOrders != 3 || apr.OnTimeOrders != 1 {
		t.Errorf("April buyers and shipping: %+v", apr)
	}
	// NMI accrued 150,000 + business 300,000 (self-reported) = II 450,000;
	// verified NMI is what was paid out.
	if apr.NetIncomeIDR != 150000 || apr.NetIncomeVerifiedIDR != 200000 || apr.IndependentIncomeIDR != 450000 || apr.OtherIncomeVerifiedIDR != 0 {
		t.Errorf("April income: %+v", apr)
	}
	// Poverty line Jawa Barat Mar 2025 (547,752) x 4 people.
	if apr.HouseholdSize != 4 || apr.PovertyLineRatio == nil || *apr.PovertyLineRatio != 0.2054 {
		t.Errorf("April per capita: size %d ratio %v", apr.HouseholdSize, apr.PovertyLineRatio)
	}
	// The note is sealed at rest and readable by staff, and that read is audited.
	var sealed []byte
	if err := f.db.Gorm.Raw("SELECT note_enc FROM case_incomes WHERE case_id = ?", pm).Row().Scan(&sealed); err != nil || bytes.Contains(sealed, []byte("Warung")) {
		t.Fatalf("note at rest: %q %v", sealed, err)
	}
	incomes, err := f.svc.Incomes(ctx, f.staff, pm)
	if err != nil || len(incomes) != 1 || incomes[0].Note != "Warung kecil milik PM Uji" {
		t.Fatalf("incomes: %+v %v", incomes, err)
	}
	var reads int64
	f.db.Gorm.Raw("SELECT count(*) FROM audit_log WHERE action = 'case.read_notes' AND resource_id = ?", pm).Scan(&reads)
	if reads != 1 {
		t.Fatalf("note reads audited: %d", reads)
	}

	// No sale from 7 April: 60 days pass on 6 June; the close of June raises
	// no_sale_60d once, July's does not again.
	f.clock.Set(time.Date(2026, 8, 1, 0, 30, 0, 0, wib))
	f.closeDue(t)
	if n := f.countEvents(t, pm, "no_sale_60d"); n != 1 {
		t.Fatalf("no_sale_60d = %d, want 1", n)
	}
	all := f.outcomes(t, pm, "2026-03", "2026-07")
	if all["2026-05"].NoSaleDue || !all["2026-06"].NoSaleDue || all["2026-07"].NoSaleDue {
		t.Fatalf("no-sale months: May %v Jun %v Jul %v", all["2026-05"].NoSaleDue, all["2026-06"].NoSaleDue, all["2026-07"].NoSaleDue)
	}

	// A later correction does not touch the closed month; a recomputation
	// adds version 2 with it, and the first version stays.
	f.clock.Set(time.Date(2026, 8, 3, 3, 0, 0, 0, time.UTC))
	if _, err := f.svc.RecordIncome(ctx, f.staff, pm, cases.NewIncome{Month: "2026-04", AmountIDR: 400000, Kind: cases.IncomeBusiness, Verified: true}); err != nil {
		t.Fatal(err)
	}
	if o := f.outcomes(t, pm, "2026-04", "2026-04")["2026-04"]; o.IndependentIncomeIDR != 450000 || o.Version != 1 {
		t.Fatalf("closed April changed: %+v", o)
	}
	res, err := f.svc.CloseMonth(ctx, "2026-04", true, "koreksi pendapatan usaha")
	if err != nil || res.Version != 2 {
		t.Fatalf("recompute: %+v %v", res, err)
	}
	if o := f.outcomes(t, pm, "2026-04", "2026-04")["2026-04"]; o.IndependentIncomeIDR != 550000 || o.Version != 2 || !o.Locked {
		t.Fatalf("recomputed April: %+v", o)
	}
	var versions int64
	f.db.Gorm.Raw("SELECT count(*) FROM outcome_snapshots WHERE case_id = ? AND month = '2026-04-01'", pm).Scan(&versions)
	if versions != 2 {
		t.Fatalf("snapshots of April: %d, want both versions", versions)
	}
	if err := f.db.Gorm.Exec("UPDATE outcome_snapshots SET net_income_idr = 0").Error; err == nil {
		t.Fatal("snapshots must be locked")
	}
	if _, err := f.svc.CloseMonth(ctx, "2026-08", false, ""); err == nil {
		t.Fatal("August is not over")
	}
}

func TestMonthlyScheduleFiresOnTheFirstInJakarta(t *testing.T) {
	s := cases.MonthlySchedule{}
	for _, tt := range []struct{ from, want time.Time }{
		{time.Date(2026, 10, 15, 12, 0, 0, 0, wib), time.Date(2026, 11, 1, 0, 10, 0, 0, wib)},
		{time.Date(2026, 11, 1, 0, 5, 0, 0, wib), time.Date(2026, 11, 1, 0, 10, 0, 0, wib)},
		{time.Date(2026, 12, 1, 0, 10, 0, 0, wib), time.Date(2027, 1, 1, 0, 10, 0, 0, wib)},
	} {
		if got := s.Next(tt.from); !got.Equal(tt.want) {
			t.Errorf("Next(%v) = %v, want %v", tt.from, got, tt.want)
		}
	}
}

func TestConcurrentClosesCloseAMonthOnce(t *testing.T) {
	f := setupAt(t, time.Date(2026, 9, 2, 3, 0, 0, 0, time.UTC))
	pm := f.newPM(t, "3275", 1)
	f.event(t, pm, "sale_completed", time.Date(2026, 9, 10, 10, 0, 0, 0, wib), map[string]any{"attributed_idr": 6000000})
	f.clock.Set(time.Date(2026, 10, 1, 0, 10, 0, 0, wib))
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.CloseDue(context.Background())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for typ, want := range map[string]int{"month_closed": 1, "threshold_crossed": 2} {
		if n := f.countEvents(t, pm, typ); n != want {
			t.Errorf("%s = %d, want %d", typ, n, want)
		}
	}
}

func TestCaseOutcomeExportOnlyBridgedPMByCaseNumber(t *testing.T) {
	f := setupAt(t, time.Date(2026, 9, 2, 3, 0, 0, 0, time.UTC))
	ctx := context.Background()
	open := func(name, nik string, bridge bool) cases.Case {
		t.Helper()
		consents := []cases.ConsentInput{{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}, {Purpose: cases.PurposeReporting, GivenBy: "self"}}
		if bridge {
			consents = append(consents, cases.ConsentInput{Purpose: cases.PurposeDataBridge, GivenBy: "self"})
		}
		c, err := f.svc.Create(ctx, f.staff, cases.NewCase{
			Beneficiary: cases.NewBeneficiary{LegalName: name, NIK: nik, BirthDate: "1988-05-15", Sex: "female", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 2},
			Cluster:     cases.ClusterDisabilitas, Pillar: "keluarga", UnitID: f.unit, Consents: consents})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	bridged := open("Siti Rahmawati", "3275015505880001", true)
	other := open("Dewi Lestari", "3275015505880002", false)
	withdrawn := open("Rina Marlina", "3275015505880003", true)
	for _, c := range []cases.Case{bridged, other, withdrawn} {
		f.event(t, c.ID, "sale_completed", time.Date(2026, 9, 10, 10, 0, 0, 0, wib), map[string]any{"attributed_idr": 300000, "buyer_hash": "pembeli-rahasia"})
	}
	if _, err := f.svc.RecordConsent(ctx, f.staff, withdrawn.ID, cases.ConsentInput{Purpose: cases.PurposeDataBridge, GivenBy: "self", Action: "withdrawn"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2026, 10, 1, 0, 30, 0, 0, wib))
	f.closeDue(t)
	out, err := f.svc.CaseOutcomesCSV(ctx, f.staff, f.unit, "2026-09", "2026-10")
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	if !strings.HasPrefix(text, "case_no,month,version,") {
		t.Fatalf("header: %s", text)
	}
	// One closed month (October is live: not exported) for the bridged PM.
	if n := strings.Count(text, "\n"); n != 2 || !strings.Contains(text, bridged.CaseNo+",2026-09,1,") || !strings.Contains(text, ",300000,") {
		t.Fatalf("want the bridged PM's September only:\n%s", text)
	}
	for _, never := range []string{other.CaseNo, withdrawn.CaseNo, "Siti", "Rahmawati", "Dewi", "Rina", "3275015505880001", "3275015505880002", "pembeli-rahasia"} {
		if strings.Contains(text, never) {
			t.Errorf("the export holds %q:\n%s", never, text)
		}
	}
	// Every export is in the audit log, with the cases it holds.
	var exports []struct{ ActorID, Detail string }
	f.db.Gorm.Raw(`SELECT actor_id, detail::text AS detail FROM audit_log WHERE action = 'unit.export_case_outcomes' AND resource_id = ?`, f.unit).Scan(&exports)
	if len(exports) != 1 || exports[0].ActorID != f.staff.UserID || !strings.Contains(exports[0].Detail, bridged.ID) ||
		strings.Contains(exports[0].Detail, other.ID) || !strings.Contains(exports[0].Detail, `"from": "2026-09"`) {
		t.Fatalf("export audit: %+v", exports)
	}
	// Staff of another unit learn nothing.
	if _, err := f.svc.CaseOutcomesCSV(ctx, access.Actor{UserID: f.staff.UserID, Role: access.Staff, UnitID: "00000000-0000-0000-0000-000000000001"}, f.unit, "", ""); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("another unit's staff: %v", err)
	}
}
