package payouts_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
	"github.com/sentrakreasi/atensi/payouts"
)

// TestRandomPayoutLives walks random sequences of sales, refunds (also of
// money already paid out), drafts, cancellations, approvals and payments,
// and after every step checks: the ledger balances; for every shop, what is
// available + in a batch + paid out equals what its completed orders left
// after refunds (nothing lost, nothing doubled); and every line is positive
// with shares adding up to it.
func TestRandomPayoutLives(t *testing.T) {
	for _, seed := range []uint64{11, 12} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { randomPayouts(t, seed) })
	}
}

func randomPayouts(t *testing.T, seed uint64) {
	e := setup(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, seed*31))
	a, b := e.PMShop(t, "Acak A"), e.PMShop(t, "Acak B")
	products := []catalog.Product{e.Product(t, a, "Produk A", 17001, 1000), e.Product(t, b, "Produk B", 23456, 1000)}
	shops := []string{a.ID, b.ID}
	var orderIDs, batches []string
	for step := 0; step < 60; step++ {
		var err error
		switch op := rng.IntN(10); {
		case op < 3 || len(orderIDs) == 0:
			orderIDs = append(orderIDs, e.earn(t, products[rng.IntN(2)].ID, 1+rng.IntN(3)))
		case op == 3:
			_, err = e.orders.MoveOrder(ctx, e.Staff, orderIDs[rng.IntN(len(orderIDs))],
				orders.Move{Event: orders.Refund, AmountIDR: domain.IDR(1000 * (1 + rng.IntN(20))), Reason: "acak"})
		case op == 4:
			var d payouts.Batch
			d, err = e.svc.Draft(ctx, e.Staff, payouts.DraftInput{UnitID: e.Unit.ID, MinAmountIDR: domain.IDR(rng.IntN(3) * 20000)})
			if err == nil {
				batches = append(batches, d.ID)
			}
		case len(batches) == 0:
			continue
		case op == 5:
			_, err = e.svc.Cancel(ctx, e.Staff, batches[rng.IntN(len(batches))])
		case op == 6:
			_, err = e.svc.Approve(ctx, e.sup, batches[rng.IntN(len(batches))])
		default:
			id := batches[rng.IntN(len(batches))]
			bt, rerr := e.svc.ReadBatch(ctx, e.Staff, id)
			if rerr != nil {
				t.Fatal(rerr)
			}
			l := bt.Lines[rng.IntN(len(bt.Lines))]
			_, err = e.svc.MarkPaid(ctx, e.Staff, id, l.ID, payouts.PaidInput{Reference: fmt.Sprintf("R-%d", rng.IntN(3))})
		}
		if err != nil && !errors.Is(err, domain.ErrConflict) && !errors.Is(err, domain.ErrInvalid) {
			t.Fatalf("step %d: %v", step, err)
		}
		e.checkLedger(t)
		for _, shop := range shops {
			var earned domain.IDR
			e.DB.Gorm.Raw(`SELECT coalesce(sum(total_idr - refunded_idr), 0) FROM orders o WHERE shop_id = ?
				AND EXISTS (SELECT 1 FROM order_history h WHERE h.order_id = o.id AND h.to_status = 'completed')`, shop).Scan(&earned)
			bal := e.balance(t, shop)
			if got := bal.AvailableIDR + bal.InPayoutIDR + bal.PaidOutIDR; got != earned {
				t.Fatalf("step %d shop %s: available+in payout+paid out = %d (%+v), earned %d", step, shop, got, bal, earned)
			}
		}
		var bad int64
		e.DB.Gorm.Raw(`SELECT count(*) FROM payout_lines l WHERE l.amount_idr <= 0
			OR l.amount_idr <> (SELECT coalesce(sum(amount_idr), 0) FROM payout_shares s WHERE s.line_id = l.id)`).Scan(&bad)
		if bad != 0 {
			t.Fatalf("step %d: %d lines not positive or not matching their shares", step, bad)
		}
	}
	var counts []struct {
		Status string
		N      int
	}
	e.DB.Gorm.Raw("SELECT status, count(*) AS n FROM payout_lines GROUP BY 1 ORDER BY 1").Scan(&counts)
	t.Logf("seed %d: payout lines by status %v", seed, counts)
}
