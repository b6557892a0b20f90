package payouts_test

import (
	"context"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
	"github.com/sentrakreasi/atensi/payouts"
	"github.com/sentrakreasi/atensi/storage"
)

// seedShops makes n shops of the world's unit straight in SQL (PM shops
// with cases when withCases, else workshop shops) and returns their ids.
func seedShops(b *testing.B, e *env, n int, withCases bool) []string {
	b.Helper()
	var ids []string
	q := `INSERT INTO shops (id, kind, display_name, unit_id, owner_user_id, created_at, updated_at)
		SELECT gen_random_uuid(), 'lks_workshop', 'Toko ' || g, ?, ?, now(), now() FROM generate_series(1, ?) g RETURNING id`
	args := []any{e.Unit.ID, e.Staff.UserID, n}
	if withCases {
		q = `WITH b AS (INSERT INTO beneficiaries (id, legal_name_enc, birth_date, sex, province_code, regency_code, household_size)
			SELECT gen_random_uuid(), '\x00', '1980-01-01', 'female', '32', '3275', 3 FROM generate_series(1, ?) RETURNING id),
		c AS (INSERT INTO cases (id, case_no, beneficiary_id, unit_id, cluster, pillar, sensitivity, is_child, opened_on, created_by)
			SELECT gen_random_uuid(), 'BENCH-' || b.id, b.id, ?, 'lansia', 'komunitas', 'audited', false, '2026-01-01', ? FROM b RETURNING id)
		INSERT INTO shops (id, kind, display_name, unit_id, case_id, owner_user_id, created_at, updated_at)
			SELECT gen_random_uuid(), 'beneficiary', 'Toko ' || left(c.id::text, 8), ?, c.id, ?, now(), now() FROM c RETURNING id`
		args = []any{n, e.Unit.ID, e.Staff.UserID, e.Unit.ID, e.Staff.UserID}
	}
	if err := e.DB.Gorm.Raw(q, args...).Scan(&ids).Error; err != nil {
		b.Fatal(err)
	}
	return ids
}

// credit posts one balanced transaction that gives every shop an
// available balance: one entry per shop plus the clearing side.
func credit(b *testing.B, e *env, ref string, shops []string, amount domain.IDR) {
	b.Helper()
	postings := make([]ledger.Posting, 0, len(shops)+1)
	for _, id := range shops {
		postings = append(postings, ledger.Posting{Account: ledger.Available(id), Amount: -amount})
	}
	postings = append(postings, ledger.Posting{Account: ledger.Clearing("bank_transfer"), Amount: amount * domain.IDR(len(shops))})
	if err := e.DB.InTx(context.Background(), func(tx *storage.Tx) error {
		return ledger.Post(context.Background(), tx, "bench", ref, time.Now(), postings...)
	}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDraft10000Shops: a draft over 10,000 PM shops with balances
// (target under 5 s), then its cancellation, untimed, for the next round.
func BenchmarkDraft10000Shops(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	shops := seedShops(b, e, 10000, true)
	credit(b, e, "draft", shops, 12345)
	b.ResetTimer()
	for b.Loop() {
		d, err := e.svc.Draft(ctx, e.Staff, payouts.DraftInput{UnitID: e.Unit.ID})
		if err != nil || len(d.Lines) != 10000 {
			b.Fatalf("draft: %d lines, %v", len(d.Lines), err)
		}
		b.StopTimer()
		if _, err := e.svc.Cancel(ctx, e.Staff, d.ID); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkShopBalance: GET /shops/{id}/balance's service call (policy
// check, shop, balance) with 100,000 shops and 1,000,000 ledger entries;
// reports the p99 (target under 20 ms).
func BenchmarkShopBalance(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	shops := seedShops(b, e, 100000, false)
	for i := range 10 { // ten credits of every shop: 1,000,010 entries
		credit(b, e, "balance-"+string(rune('a'+i)), shops, 1000)
	}
	if err := e.DB.Gorm.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	var lat []time.Duration
	rng := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for b.Loop() {
		id := shops[rng.IntN(len(shops))]
		start := time.Now()
		bal, err := e.orders.ShopBalance(ctx, e.Staff, id)
		lat = append(lat, time.Since(start))
		if err != nil || bal.AvailableIDR != 10000 {
			b.Fatalf("balance: %+v %v", bal, err)
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
