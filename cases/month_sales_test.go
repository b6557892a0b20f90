package cases_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
)

// The database keeps each PM's month of sales (migration 00020) as events
// are written: one at a time, in bulk, and from concurrent transactions,
// always equal to the events summed afresh, in Asia/Jakarta months.
func TestMonthSalesFollowTheEvents(t *testing.T) {
	f := setupAt(t, time.Date(2026, 9, 2, 3, 0, 0, 0, time.UTC))
	ctx := context.Background()
	var ids []string
	for range 3 {
		c, err := f.svc.Create(ctx, f.staff, cases.NewCase{
			Beneficiary: cases.NewBeneficiary{LegalName: "PM Penjualan", BirthDate: "1980-04-05", Sex: "female", ProvinceCode: "32", RegencyCode: "3273", HouseholdSize: 2},
			Cluster:     cases.ClusterLansia, Pillar: "keluarga", UnitID: f.unit,
			Consents: []cases.ConsentInput{{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	// 00:30 WIB on 1 October is still September in UTC: October's.
	f.event(t, ids[0], "sale_completed", time.Date(2026, 10, 1, 0, 30, 0, 0, wib), map[string]any{"attributed_idr": 70000})
	f.event(t, ids[0], "sale_completed", time.Date(2026, 9, 30, 23, 30, 0, 0, wib), map[string]any{"attributed_idr": 30000})
	f.event(t, ids[0], "refund", time.Date(2026, 10, 3, 9, 0, 0, 0, wib), map[string]any{"attributed_idr": -20000})
	f.event(t, ids[1], "payout_paid", time.Date(2026, 10, 3, 9, 0, 0, 0, wib), map[string]any{"amount_idr": 50000})
	// A bulk insert: 300 sales over the three cases across two months.
	if err := f.db.Gorm.Exec(`INSERT INTO case_events (case_id, type, occurred_at, data)
		SELECT (?::uuid[])[1 + g % 3], 'sale_completed', timestamptz '2026-10-15 00:00:00+07' + g * interval '3 hours',
		    jsonb_build_object('attributed_idr', 1000 + g)
		FROM generate_series(1, 300) g`, "{"+ids[0]+","+ids[1]+","+ids[2]+"}").Error; err != nil {
		t.Fatal(err)
	}
	// Concurrent completions for the same PM each add their own.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := cases.AppendEvent(ctx, f.db.Gorm, ids[2], "sale_completed", time.Date(2026, 10, 20, 8, i, 0, 0, wib), f.staff,
				map[string]any{"attributed_idr": 5000}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()

	type sums struct {
		Month                        time.Time
		CaseID                       string
		SalesIDR, RefundsIDR, Orders int64
		UnitID                       string
	}
	var kept, summed []sums
	if err := f.db.Gorm.Raw(`SELECT month, case_id, sales_idr, refunds_idr, orders, unit_id FROM case_month_sales ORDER BY 1, 2`).Scan(&kept).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Gorm.Raw(`SELECT date_trunc('month', e.occurred_at AT TIME ZONE 'Asia/Jakarta')::date AS month, e.case_id,
		    coalesce(sum(e.attributed_idr) FILTER (WHERE e.type = 'sale_completed'), 0) AS sales_idr,
		    coalesce(sum(e.attributed_idr) FILTER (WHERE e.type = 'refund'), 0) AS refunds_idr,
		    count(*) FILTER (WHERE e.type = 'sale_completed') AS orders, c.unit_id
		FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.type IN ('sale_completed', 'refund')
		GROUP BY 1, 2, c.unit_id ORDER BY 1, 2`).Scan(&summed).Error; err != nil {
		t.Fatal(err)
	}
	if len(kept) != len(summed) || len(kept) < 4 {
		t.Fatalf("kept %d month rows, the events make %d", len(kept), len(summed))
	}
	for i := range kept {
		if !kept[i].Month.Equal(summed[i].Month) || kept[i].CaseID != summed[i].CaseID || kept[i].SalesIDR != summed[i].SalesIDR ||
			kept[i].RefundsIDR != summed[i].RefundsIDR || kept[i].Orders != summed[i].Orders || kept[i].UnitID != f.unit {
			t.Errorf("kept %+v, the events say %+v", kept[i], summed[i])
		}
	}
	var september int64
	f.db.Gorm.Raw(`SELECT sales_idr FROM case_month_sales WHERE month = '2026-09-01' AND case_id = ?`, ids[0]).Scan(&september)
	if september != 30000 {
		t.Errorf("September of the first PM: Rp%d, want Rp30000 (the 00:30 WIB sale is October's)", september)
	}

	// The sums are filed under the case's unit, so a case cannot move.
	other, err := f.people.CreateUnit(ctx, access.Actor{UserID: f.admin, Role: access.Admin},
		accounts.NewUnit{Kind: accounts.Balai, Name: "Balai Lain", ProvinceCode: "32", RegencyCode: "3273"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.Gorm.Exec(`UPDATE cases SET unit_id = ? WHERE id = ?`, other.ID, ids[0]).Error; err == nil {
		t.Fatal("a case moved to another unit")
	}
}
