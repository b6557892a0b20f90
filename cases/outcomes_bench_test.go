package cases_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
	"github.com/sentrakreasi/atensi/vault"
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkCloseMonth closes one month over BENCH_CASES PM cases (default
// 100,000) whose year holds BENCH_LINES completed order lines (default
// 10,000,000) as sale_completed events, plus refunds, payouts, incomes and
// three products per PM. The cases are spread over ten Balai, as seed
// --scale spreads them. Then, with a month more of sales live, it times
// what staff wait for: a PM's outcomes and a Balai's dashboard.
// The months before are closed first (not timed), as they are in production.
// The target is under 5 minutes. Run it alone:
//
//	BENCH_CASES=100000 BENCH_LINES=10000000 go test ./cases -run '^$' -bench CloseMonth -benchtime 1x -timeout 2h
func BenchmarkCloseMonth(b *testing.B) {
	if name := os.Getenv("BENCH_DB"); name != "" {
		b.StopTimer()
		timeReads(b, reuse(b, name))
		return
	}
	nCases, nLines := envInt("BENCH_CASES", 100000), envInt("BENCH_LINES", 10000000)
	f := setupAt(b, time.Date(2025, 11, 20, 3, 0, 0, 0, time.UTC))
	ctx := context.Background()
	objects, _ := storagetest.Objects(b)
	f.svc.CountListingsWith(catalog.NewService(f.db, objects, f.svc, f.people, f.clock.Now, "/media", 0))
	units := []string{f.unit}
	for i := 1; i < 10; i++ {
		u, err := f.people.CreateUnit(ctx, access.Actor{UserID: f.admin, Role: access.Admin},
			accounts.NewUnit{Kind: accounts.Balai, Name: fmt.Sprintf("Balai Skala %d", i), ProvinceCode: "32", RegencyCode: "3275"})
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
	}
	places := make([]cases.ScaleCase, nCases)
	regencies := []string{"3275", "3273", "3171", "3374", "3578"}
	for i := range places {
		r := regencies[i%len(regencies)]
		places[i] = cases.ScaleCase{UnitID: units[i%len(units)], ProvinceCode: r[:2], RegencyCode: r, StaffID: f.staff.UserID}
	}
	start := time.Now()
	if _, err := f.svc.SeedScale(ctx, places); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d cases in %v", nCases, time.Since(start))
	start = time.Now()
	// A year of sales (Dec 2025 to Nov 2026), one event per order line,
	// 500,000 distinct buyers; one refund in 50; a payout per case a month.
	// Loading is bulk work beyond the pool's 30 s statement timeout.
	exec := func(q string, args ...any) {
		b.Helper()
		err := f.db.Gorm.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("SET LOCAL statement_timeout = 0").Error; err != nil {
				return err
			}
			return tx.Exec(q, args...).Error
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	// lines spreads n order lines from first over days days.
	lines := func(first, n, days int, from string) {
		const chunk = 1_000_000
		for done := 0; done < n; done += chunk {
			exec(`
INSERT INTO case_events (case_id, type, occurred_at, data)
SELECT ids.a[1 + (g % cardinality(ids.a))],
    CASE WHEN g % 50 = 0 THEN 'refund' ELSE 'sale_completed' END,
    CAST(? AS timestamptz) + (g % ?) * interval '1 day' + (g % 86400) * interval '1 second',
    CASE WHEN g % 50 = 0 THEN jsonb_build_object('order_id', g, 'attributed_idr', -10000)
    ELSE jsonb_build_object('order_id', g, 'attributed_idr', 10000 + (g % 90) * 1000, 'buyer_hash', md5((g % 500000)::text),
        'assisted', g % 7 = 0, 'shipped_on_time', g % 5 <> 0) END
FROM generate_series(?::bigint, ?::bigint) g, (SELECT array_agg(id ORDER BY id) AS a FROM cases) ids`,
				from, days, first+done+1, first+done+min(chunk, n-done))
		}
	}
	lines(0, nLines, 365, "2025-11-30 17:00:00+00")
	exec(`
INSERT INTO case_events (case_id, type, occurred_at, data)
SELECT c.id, 'payout_paid', m + interval '20 days', jsonb_build_object('amount_idr', 250000)
FROM cases c, generate_series(timestamptz '2025-11-30 17:00:00+00', timestamptz '2026-10-31 17:00:00+00', interval '1 month') m`)
	// Every PM's shop with three products, two of them on sale, for the
	// close's count of active listings.
	exec(`
INSERT INTO shops (id, kind, display_name, unit_id, case_id, owner_user_id, created_at, updated_at)
SELECT gen_random_uuid(), 'beneficiary', 'Toko ' || c.case_no, c.unit_id, c.id, ?, now(), now() FROM cases c`, f.staff.UserID)
	exec(`
INSERT INTO products (id, shop_id, title, category, category_root, price_idr, stock, status, province_code, published_at, created_at, updated_at)
SELECT gen_random_uuid(), s.id, 'Keripik ' || g || ' ' || s.display_name, 'keripik', 'makanan', 15000, 10,
    CASE WHEN g = 3 THEN 'draft' ELSE 'published' END, '32', now(), now(), now()
FROM shops s, generate_series(1, 3) g`)
	exec(`INSERT INTO product_makers (product_id, case_id, share_bp) SELECT p.id, s.case_id, 10000 FROM products p JOIN shops s ON s.id = p.shop_id`)
	exec(`
INSERT INTO case_incomes (case_id, month, amount_idr, kind, verified, recorded_by, recorded_at)
SELECT c.id, date '2026-10-01', 500000, CASE WHEN c.case_no > 'SKL-0050000' THEN 'wage' ELSE 'bansos' END, true, c.created_by, now()
FROM cases c`)
	vacuum(b, f)
	b.Logf("%d lines of events in %v", nLines, time.Since(start))
	// Every month before November is closed (untimed), as the job does in
	// production; November's close is what is timed.
	f.clock.Set(time.Date(2026, 11, 1, 0, 10, 0, 0, wib))
	start = time.Now()
	if _, err := f.svc.CloseDue(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("closing December 2025 to October 2026 (untimed): %v", time.Since(start))
	f.clock.Set(time.Date(2026, 12, 1, 0, 10, 0, 0, wib))
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		res, err := f.svc.CloseMonth(ctx, "2026-11", true, "bench")
		if err != nil || res.Cases != nCases {
			b.Fatalf("close: %+v %v", res, err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "close-s")
	}
	b.StopTimer()
	lines(nLines, nLines/18, 19, "2026-11-30 17:00:00+00")
	vacuum(b, f)
	f.clock.Set(time.Date(2026, 12, 20, 10, 0, 0, 0, wib))
	timeReads(b, f)
}

// timeReads times what staff wait for, on 20 December with its sales so
// far live: a PM's last 12 months (11 closed, the current one live) and the
// dashboard of a Balai of 10,000 PM.
func timeReads(b *testing.B, f fixture) {
	ctx := context.Background()
	var ids []string
	if err := f.db.Gorm.Raw("SELECT id FROM cases WHERE unit_id = ? ORDER BY random() LIMIT 200", f.unit).Scan(&ids).Error; err != nil {
		b.Fatal(err)
	}
	var lat []time.Duration
	for _, id := range ids {
		start := time.Now()
		if out, err := f.svc.Outcomes(ctx, f.staff, id, "", ""); err != nil || len(out) == 0 {
			b.Fatalf("outcomes: %v %v", out, err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "case-p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "case-p99-ms")
	// The dashboard, its live month summed at every view.
	lat = lat[:0]
	for range 20 {
		start := time.Now()
		if _, err := f.svc.UnitOutcomes(ctx, f.staff, f.unit, "", ""); err != nil {
			b.Fatalf("unit outcomes: %v", err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "unit-p50-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Milliseconds()), "unit-max-ms")
}

// vacuum is what autovacuum does to the loaded tables in production: fresh
// statistics and a visibility map, so index-only scans stay index-only.
func vacuum(b *testing.B, f fixture) {
	ctx := context.Background()
	conn, err := f.db.SQL.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET statement_timeout = 0"); err != nil {
		b.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
}

// reuse opens a database a run with ATENSI_KEEP_TEST_DB=1 kept, to time
// the reads again without loading for half an hour (BENCH_DB=its name).
func reuse(b *testing.B, name string) fixture {
	ctx := context.Background()
	u, err := url.Parse(storagetest.AdminURL())
	if err != nil {
		b.Fatal(err)
	}
	u.Path = "/" + name
	db, err := storage.Open(ctx, u.String(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(db.Close)
	c := &clock{t: time.Date(2026, 12, 20, 10, 0, 0, 0, wib)}
	people := accounts.NewService(db, c.Now)
	v, err := vault.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		b.Fatal(err)
	}
	f := fixture{db: db, svc: cases.NewService(db, v, people, c.Now), people: people, clock: c}
	var staff struct{ ID, UnitID string }
	if err := db.Gorm.Raw("SELECT id, unit_id FROM users WHERE email = 's@uji.id'").Scan(&staff).Error; err != nil || staff.ID == "" {
		b.Fatalf("%s holds no benchmark data: %v", name, err)
	}
	f.unit, f.staff = staff.UnitID, access.Actor{UserID: staff.ID, Role: access.Staff, UnitID: staff.UnitID}
	return f
}
