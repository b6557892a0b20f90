package payouts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/catalog/catalogtest"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
	"github.com/sentrakreasi/atensi/orders"
	"github.com/sentrakreasi/atensi/payouts"
	"github.com/sentrakreasi/atensi/vault"
)

type env struct {
	*catalogtest.World
	orders *orders.Service
	svc    *payouts.Service
	sup    access.Actor
	// mover confirms payments and moves orders: staff, or a supervisor
	// whose network holds the workshop.
	mover access.Actor
}

func setup(t testing.TB) *env {
	t.Helper()
	w := catalogtest.New(t)
	v, err := vault.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	ord := orders.NewService(w.DB, w.Catalog, w.Accounts, w.Cases, "https://pasar.example", w.Clock.Now)
	svc := payouts.NewService(w.DB, w.Objects, v, w.Catalog, w.Accounts, w.Cases, ord, payouts.DefaultSettings, w.Clock.Now)
	return &env{World: w, orders: ord, svc: svc, sup: w.User(t, access.Supervisor), mover: w.Staff}
}

// earn sells qty of a product and completes the order, so its price lands
// in the shop's available balance; it returns the order id.
func (e *env) earn(t testing.TB, productID string, qty int) string {
	t.Helper()
	ctx := context.Background()
	var in orders.CheckoutInput
	in.Items = []orders.Item{{ProductID: productID, Quantity: qty}}
	in.Buyer.Name, in.Buyer.Email, in.Buyer.Phone = "Budi", "budi@contoh.id", "081234567890"
	in.Shipping.Method, in.PaymentMethod = "pickup", "bank_transfer"
	g, err := e.orders.Checkout(ctx, access.Actor{}, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.orders.ConfirmTransfer(ctx, e.mover, g.ID, g.Payment.Instructions.Reference); err != nil {
		t.Fatal(err)
	}
	for _, ev := range []orders.Event{orders.Ship, orders.Deliver, orders.Complete} {
		if _, err := e.orders.MoveOrder(ctx, e.mover, g.Orders[0].ID, orders.Move{Event: ev}); err != nil {
			t.Fatalf("%s: %v", ev, err)
		}
	}
	return g.Orders[0].ID
}

func (e *env) balance(t testing.TB, shopID string) ledger.Balance {
	t.Helper()
	b, err := ledger.ShopBalance(context.Background(), e.DB.Gorm, shopID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *env) checkLedger(t testing.TB) {
	t.Helper()
	c, err := ledger.CheckAll(context.Background(), e.DB.Gorm)
	if err != nil || !c.Balanced {
		t.Fatalf("ledger check: %+v %v", c, err)
	}
}

func (e *env) approved(t testing.TB) payouts.Batch {
	t.Helper()
	ctx := context.Background()
	b, err := e.svc.Draft(ctx, e.Staff, payouts.DraftInput{UnitID: e.Unit.ID})
	if err != nil {
		t.Fatal(err)
	}
	if b, err = e.svc.Approve(ctx, e.sup, b.ID); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDraftsNeverTakeTheSameMoney: a draft takes every available balance
// once; a second draft finds nothing; cancelling puts each balance back to
// the rupiah; drafts racing each other split nothing twice.
func TestDraftsNeverTakeTheSameMoney(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	a, b := e.PMShop(t, "Satu"), e.PMShop(t, "Dua")
	pa, pb := e.Product(t, a, "Tas Satu", 45000, 50), e.Product(t, b, "Kopi Dua", 12500, 50)
	e.earn(t, pa.ID, 2)
	e.earn(t, pb.ID, 3)
	before := map[string]ledger.Balance{a.ID: e.balance(t, a.ID), b.ID: e.balance(t, b.ID)}
	if before[a.ID].AvailableIDR != 90000 || before[b.ID].AvailableIDR != 37500 {
		t.Fatalf("balances before: %+v", before)
	}
	d1, err := e.svc.Draft(ctx, e.Staff, payouts.DraftInput{UnitID: e.Unit.ID})
	if err != nil || d1.TotalIDR != 127500 || len(d1.Lines) != 2 {
		t.Fatalf("first draft: %+v %v", d1, err)
	}
	if _, err := e.svc.Draft(ctx, e.Staff, payouts.DraftInput{UnitID: e.Unit.ID}); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("second draft right after: %v", err)
	}
	if got := e.balance(t, a.ID); got.AvailableIDR != 0 || got.InPayoutIDR != 90000 {
		t.Fatalf("shop A during the draft: %+v", got)
	}
	if _, err := e.svc.Cancel(ctx, e.Staff, d1.ID); err != nil {
		t.Fatal(err)
	}
	for id, want := range before {
		if got := e.balance(t, id); got != want {
			t.Errorf("after cancel shop %s = %+v, want %+v", id, got, want)
		}
	}
	// A repeat by the same person answers the batch and moves nothing;
	// anyone else is told it is no longer a draft.
	if b, err := e.svc.Cancel(ctx, e.Staff, d1.ID); err != nil || b.Status != payouts.Cancelled {
		t.Fatalf("cancelling twice: %v %v", b.Status, err)
	}
	if _, err := e.svc.Cancel(ctx, e.User(t, access.Staff), d1.ID); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("another staff cancelling a cancelled batch: %v", err)
	}
	for id, want := range before {
		if got := e.balance(t, id); got != want {
			t.Errorf("after a second cancel shop %s = %+v, want %+v", id, got, want)
		}
	}

	// Ten drafts at once: one takes the money, nine find none.
	var ok, conflict int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			_, err := e.svc.Draft(ctx, e.Staff, payouts.DraftInput{UnitID: e.Unit.ID})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, domain.ErrConflict):
				conflict++
			default:
				t.Errorf("draft: %v", err)
			}
		})
	}
	wg.Wait()
	if ok != 1 || conflict != 9 {
		t.Fatalf("10 concurrent drafts: %d made, %d conflicts", ok, conflict)
	}
	if got := e.balance(t, a.ID); got.AvailableIDR != 0 || got.InPayoutIDR != 90000 {
		t.Fatalf("shop A after the race: %+v", got)
	}
	e.checkLedger(t)
}

// TestMakerCheckerAndScope: the maker of a batch never approves it; staff
// of another Balai do not learn it exists; a seller sees no batch.
func TestMakerCheckerAndScope(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	shop := e.PMShop(t, "Cek")
	e.earn(t, e.Product(t, shop, "Batik Cek", 150000, 5).ID, 1)
	d, err := e.svc.Draft(ctx, e.sup, payouts.DraftInput{UnitID: e.Unit.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Approve(ctx, e.sup, d.ID); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the maker approving: %v", err)
	}
	if _, err := e.svc.Approve(ctx, e.Staff, d.ID); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("staff (not a supervisor) approving: %v", err)
	}
	other, err := e.Accounts.CreateUnit(ctx, e.Admin, accounts.NewUnit{Kind: accounts.Balai, Name: "Balai Lain", ProvinceCode: "31", RegencyCode: "3171"})
	if err != nil {
		t.Fatal(err)
	}
	otherSup := access.Actor{UserID: e.sup.UserID + "x", Role: access.Supervisor, UnitID: other.ID}
	otherStaff := access.Actor{UserID: e.Staff.UserID + "x", Role: access.Staff, UnitID: other.ID}
	for name, err := range map[string]error{
		"other Balai's supervisor approving": func() error { _, err := e.svc.Approve(ctx, otherSup, d.ID); return err }(),
		"other Balai's staff reading":        func() error { _, err := e.svc.ReadBatch(ctx, otherStaff, d.ID); return err }(),
		"other Balai's staff paying": func() error {
			_, err := e.svc.MarkPaid(ctx, otherStaff, d.ID, d.Lines[0].ID, payouts.PaidInput{Reference: "X"})
			return err
		}(),
		"the seller reading": func() error { _, err := e.svc.ReadBatch(ctx, shop.Seller, d.ID); return err }(),
		"the seller listing": func() error {
			_, err := e.svc.UnitBatches(ctx, shop.Seller, e.Unit.ID, domain.Page{Limit: 10})
			return err
		}(),
		"the seller exporting":    func() error { _, err := e.svc.ExportCSV(ctx, shop.Seller, d.ID); return err }(),
		"the seller's proof link": func() error { _, err := e.svc.ProofLink(ctx, shop.Seller, d.ID, d.Lines[0].ID); return err }(),
		"other Balai's draft of us": func() error {
			_, err := e.svc.Draft(ctx, otherStaff, payouts.DraftInput{UnitID: e.Unit.ID})
			return err
		}(),
	} {
		if !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
	if _, err := e.svc.MarkPaid(ctx, e.Staff, d.ID, d.Lines[0].ID, payouts.PaidInput{Reference: "TRF-1"}); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("paying a draft: %v", err)
	}
	sup2 := e.User(t, access.Supervisor)
	b, err := e.svc.Approve(ctx, sup2, d.ID)
	if err != nil || b.Status != payouts.Approved || b.ApprovedBy == nil || *b.ApprovedBy != sup2.UserID {
		t.Fatalf("another supervisor approving: %+v %v", b, err)
	}
	steps := map[string]bool{}
	for _, h := range b.History {
		steps[h.Action+"/"+h.ActorID] = true
	}
	if !steps["payout_batch.draft/"+e.sup.UserID] || !steps["payout_batch.approve/"+sup2.UserID] {
		t.Errorf("history lacks who made and who approved: %+v", b.History)
	}
}

// TestTwentyConcurrentPaidCalls: different references at once, one wins,
// the ledger moves once; the winner's reference again answers the first
// result; after it the batch is closed.
func TestTwentyConcurrentPaidCalls(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	shop := e.PMShop(t, "Cepat")
	e.earn(t, e.Product(t, shop, "Kue Cepat", 33000, 9).ID, 3)
	b := e.approved(t)
	line := b.Lines[0]
	var ok, conflict int
	var winner string
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 20 {
		wg.Go(func() {
			<-start
			ref := fmt.Sprintf("TRF-%02d", i)
			_, err := e.svc.MarkPaid(ctx, e.Staff, b.ID, line.ID, payouts.PaidInput{Reference: ref})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
				winner = ref
			case errors.Is(err, domain.ErrConflict):
				conflict++
			default:
				t.Errorf("paid: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if ok != 1 || conflict != 19 {
		t.Fatalf("20 concurrent paid calls: %d ok, %d conflicts", ok, conflict)
	}
	var posted int64
	e.DB.Gorm.Raw("SELECT count(*) FROM ledger_transactions WHERE kind = 'payout_paid'").Scan(&posted)
	if posted != 1 {
		t.Fatalf("payout_paid posted %d times", posted)
	}
	if got := e.balance(t, shop.ID); got.PaidOutIDR != 99000 || got.InPayoutIDR != 0 || got.AvailableIDR != 0 {
		t.Fatalf("balance after paying: %+v", got)
	}
	again, err := e.svc.MarkPaid(ctx, e.Staff, b.ID, line.ID, payouts.PaidInput{Reference: winner})
	if err != nil || again.Reference == nil || *again.Reference != winner || again.Status != payouts.LinePaid {
		t.Fatalf("the same reference again: %+v %v", again, err)
	}
	if got, _ := e.svc.ReadBatch(ctx, e.Staff, b.ID); got.Status != payouts.Closed {
		t.Fatalf("a batch whose only line is paid to the PM: %s", got.Status)
	}
	var events int64
	e.DB.Gorm.Raw("SELECT count(*) FROM case_events WHERE case_id = ? AND type = 'payout_paid' AND (data->>'amount_idr')::bigint = 99000", *shop.CaseID).Scan(&events)
	if events != 1 {
		t.Fatalf("payout_paid case events: %d", events)
	}
	e.checkLedger(t)
}

// workshop opens an LKS in the world's Balai network with its workshop
// shop and a product made by two PM at the given shares.
func (e *env) workshop(t testing.TB, price domain.IDR, makers []catalog.Maker) (catalog.Shop, catalog.Product, access.Actor) {
	t.Helper()
	ctx := context.Background()
	lks, err := e.Accounts.CreateUnit(ctx, e.Admin, accounts.NewUnit{Kind: accounts.LKS, Name: "Yayasan Uji", ProvinceCode: "32", RegencyCode: "3275", ParentID: &e.Unit.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.DB.Gorm.Exec("UPDATE units SET publish_without_review = true WHERE id = ?", lks.ID).Error; err != nil {
		t.Fatal(err)
	}
	u, err := e.Accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: "lks@uji.id", Password: "sandi-uji-panjang", Name: "Pengelola", Role: access.LKSManager, UnitID: &lks.ID})
	if err != nil {
		t.Fatal(err)
	}
	mgr := access.Actor{UserID: u.ID, Role: access.LKSManager, UnitID: lks.ID}
	e.mover = e.sup
	e.mover.Network = []string{lks.ID}
	sh, err := e.Catalog.CreateShop(ctx, mgr, catalog.NewShop{Kind: catalog.WorkshopShop, DisplayName: "Bengkel Uji", UnitID: lks.ID, OwnerUserID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	title, cat, stock := "Tas Anyam Bersama", "kerajinan", 100
	p, err := e.Catalog.CreateProduct(ctx, mgr, sh.ID, catalog.ProductInput{Title: &title, Category: &cat, PriceIDR: &price, Stock: &stock, Makers: &makers})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.DB.Gorm.Exec(`INSERT INTO product_images (id, product_id, position, alt, upload_key, status, width, height, variants, created_at)
		VALUES (?, ?, 0, 'foto', '', 'ready', 640, 480, '[]', now())`, domain.NewID(), p.ID).Error; err != nil {
		t.Fatal(err)
	}
	if p, err = e.Catalog.Publish(ctx, mgr, p.ID); err != nil {
		t.Fatal(err)
	}
	return sh, p, mgr
}

// TestWorkshopSharesSixtyForty: a workshop line lists each maker's share
// from the shares frozen on the order lines, exact to the rupiah, also
// after the product's shares change; paying writes each PM's own amount
// into their case, and the LKS line stays open until received.
func TestWorkshopSharesSixtyForty(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	m1, m2 := e.PMShop(t, "Pembuat Satu"), e.PMShop(t, "Pembuat Dua")
	sh, p, mgr := e.workshop(t, 33333, []catalog.Maker{{CaseID: *m1.CaseID, SharePct: 60}, {CaseID: *m2.CaseID, SharePct: 40}})
	e.earn(t, p.ID, 3) // Rp99.999: 60% is 59.999,4 and 40% is 39.999,6
	// Today's settings must not matter: the sale froze 60/40.
	flipped := []catalog.Maker{{CaseID: *m1.CaseID, SharePct: 10}, {CaseID: *m2.CaseID, SharePct: 90}}
	if _, err := e.Catalog.UpdateProduct(ctx, mgr, p.ID, catalog.ProductInput{Makers: &flipped}); err != nil {
		t.Fatal(err)
	}
	b := e.approved(t)
	var line payouts.Line
	for _, l := range b.Lines {
		if l.ShopID == sh.ID {
			line = l
		}
	}
	if line.AmountIDR != 99999 || line.PayeeKind != payouts.PayeeLKS || !line.NeedsReceipt {
		t.Fatalf("workshop line: %+v", line)
	}
	want := map[string]domain.IDR{*m1.CaseID: 59999, *m2.CaseID: 40000} // the spare rupiah to the larger remainder (0,6)
	var sum domain.IDR
	for _, s := range line.Shares {
		sum += s.AmountIDR
		if want[s.CaseID] != s.AmountIDR {
			t.Errorf("share of %s = %d, want %d", s.CaseID, s.AmountIDR, want[s.CaseID])
		}
	}
	if sum != line.AmountIDR || len(line.Shares) != 2 {
		t.Fatalf("shares %+v sum to %d, line is %d", line.Shares, sum, line.AmountIDR)
	}
	paid, err := e.svc.MarkPaid(ctx, e.Staff, b.ID, line.ID, payouts.PaidInput{Reference: "KAS-7", Method: payouts.Cash})
	if err != nil || paid.Status != payouts.LinePaid {
		t.Fatalf("paid: %+v %v", paid, err)
	}
	if got, _ := e.svc.ReadBatch(ctx, e.Staff, b.ID); got.Status != payouts.Approved {
		t.Fatalf("a batch with an LKS line not yet received is %s", got.Status)
	}
	e.Clock.Advance(15 * 24 * 60 * 60 * 1e9)
	flagged, err := e.svc.Flagged(ctx, e.Staff, e.Unit.ID)
	if err != nil || len(flagged) != 1 || !flagged[0].Flagged {
		t.Fatalf("an LKS line unacknowledged for 15 days: %+v %v", flagged, err)
	}
	if _, err := e.svc.Received(ctx, m1.Seller, b.ID, line.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a seller acknowledging: %v", err)
	}
	if _, err := e.svc.Received(ctx, e.Staff, b.ID, line.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.ReadBatch(ctx, e.Staff, b.ID); got.Status != payouts.Closed {
		t.Fatalf("after the receipt the batch is %s", got.Status)
	}
	for caseID, amount := range want {
		var rows []struct {
			Type string
			Data []byte
		}
		e.DB.Gorm.Raw("SELECT type, data FROM case_events WHERE case_id = ? AND type IN ('payout_paid', 'payout_received') ORDER BY id", caseID).Scan(&rows)
		if len(rows) != 2 {
			t.Fatalf("case %s payout events: %d", caseID, len(rows))
		}
		var d struct {
			AmountIDR domain.IDR `json:"amount_idr"`
		}
		_ = json.Unmarshal(rows[0].Data, &d)
		if rows[0].Type != "payout_paid" || d.AmountIDR != amount {
			t.Errorf("case %s payout_paid = %s %s", caseID, rows[0].Type, rows[0].Data)
		}
	}
	e.checkLedger(t)
}

// TestRefundAfterPayoutIsNetted: a refund of money already paid out leaves
// the available balance below zero; no batch takes it as a negative line,
// and the next earnings pay it back before anything goes out.
func TestRefundAfterPayoutIsNetted(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	shop := e.PMShop(t, "Retur")
	p := e.Product(t, shop, "Sambal Retur", 25000, 20)
	order := e.earn(t, p.ID, 2)
	b := e.approved(t)
	if _, err := e.svc.MarkPaid(ctx, e.Staff, b.ID, b.Lines[0].ID, payouts.PaidInput{Reference: "TRF-A"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.orders.MoveOrder(ctx, e.Staff, order, orders.Move{Event: orders.Refund, AmountIDR: 20000, Reason: "rusak"}); err != nil {
		t.Fatal(err)
	}
	if got := e.balance(t, shop.ID); got.AvailableIDR != -20000 || got.PaidOutIDR != 50000 {
		t.Fatalf("after the refund: %+v", got)
	}
	if _, err := e.svc.Draft(ctx, e.Staff, payouts.DraftInput{UnitID: e.Unit.ID}); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a draft over a negative balance: %v", err)
	}
	e.earn(t, p.ID, 1)
	e.earn(t, p.ID, 1)
	d, err := e.svc.Draft(ctx, e.Staff, payouts.DraftInput{UnitID: e.Unit.ID})
	if err != nil || d.TotalIDR != 30000 || d.Lines[0].Shares[0].AmountIDR != 30000 {
		t.Fatalf("the next draft nets the refund: %+v %v", d, err)
	}
	e.checkLedger(t)
}

// TestSellerCashNeverWithdrawable: cash a seller took themselves counts as
// earned but never reaches a batch; closed shops and withdrawn consent
// still get paid what was earned.
func TestSellerCashNeverWithdrawable(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	shop := e.PMShop(t, "Tunai")
	e.earn(t, e.Product(t, shop, "Kripik Tunai", 10000, 10).ID, 1)
	bal, err := e.svc.RecordSellerCash(ctx, e.Staff, shop.ID, payouts.CashInput{AmountIDR: 70000, Reference: "NOTA-1"})
	if err != nil || bal.CashCollectedIDR != 70000 || bal.AvailableIDR != 10000 {
		t.Fatalf("seller cash: %+v %v", bal, err)
	}
	if bal, _ = e.svc.RecordSellerCash(ctx, e.Staff, shop.ID, payouts.CashInput{AmountIDR: 70000, Reference: "NOTA-1"}); bal.CashCollectedIDR != 70000 {
		t.Fatalf("the same note twice: %+v", bal)
	}
	if _, err := e.Catalog.SetShopStatus(ctx, e.Staff, shop.ID, catalog.ShopClosed); err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.Draft(ctx, e.Staff, payouts.DraftInput{UnitID: e.Unit.ID})
	if err != nil || d.TotalIDR != 10000 {
		t.Fatalf("a closed shop's draft: %+v %v", d, err)
	}
	my, err := e.svc.Earnings(ctx, shop.Seller)
	if err != nil || len(my.Shops) != 1 || my.Balance.InPayoutIDR != 10000 || my.Balance.CashCollectedIDR != 70000 || len(my.Months) != 1 ||
		my.Months[0].SalesIDR != 10000 || my.Months[0].Month != "2026-11" {
		t.Fatalf("earnings: %+v %v", my, err)
	}
	e.checkLedger(t)
}

// TestRepeatedFormsAnswerTheFirstBatch: the draft form sent three times at
// once (a double tap on a slow phone) makes one batch, and each copy
// answers it; a second approve or cancel by the same person answers the
// batch instead of an error.
func TestRepeatedFormsAnswerTheFirstBatch(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	shop := e.PMShop(t, "Ulang")
	e.earn(t, e.Product(t, shop, "Tas Ulang", 30000, 10).ID, 1)
	var wg sync.WaitGroup
	ids := make([]string, 3)
	errs := make([]error, 3)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := e.svc.Draft(ctx, e.Staff, payouts.DraftInput{UnitID: e.Unit.ID, FormToken: "form-token-of-the-draft-page"})
			ids[i], errs[i] = b.ID, err
		}()
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("copy %d of the form: %q %v, want batch %q", i, ids[i], errs[i], ids[0])
		}
	}
	var batches int64
	e.DB.Gorm.Raw("SELECT count(*) FROM payout_batches").Scan(&batches)
	if batches != 1 || e.balance(t, shop.ID).InPayoutIDR != 30000 {
		t.Fatalf("%d batches, in payout %d: want one batch of Rp30.000", batches, e.balance(t, shop.ID).InPayoutIDR)
	}
	for range 2 {
		if b, err := e.svc.Approve(ctx, e.sup, ids[0]); err != nil || b.Status != payouts.Approved {
			t.Fatalf("approve (again): %+v %v", b.Status, err)
		}
	}
	other := e.User(t, access.Supervisor)
	if _, err := e.svc.Approve(ctx, other, ids[0]); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("another supervisor approving an approved batch: %v, want a conflict", err)
	}
	e.checkLedger(t)

	e.earn(t, e.Product(t, shop, "Tas Kedua", 20000, 10).ID, 1)
	d, err := e.svc.Draft(ctx, e.Staff, payouts.DraftInput{UnitID: e.Unit.ID})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if b, err := e.svc.Cancel(ctx, e.Staff, d.ID); err != nil || b.Status != payouts.Cancelled {
			t.Fatalf("cancel (again): %+v %v", b.Status, err)
		}
	}
	if got := e.balance(t, shop.ID); got.AvailableIDR != 20000 {
		t.Fatalf("after a repeated cancel the shop has %d available, want 20000 once", got.AvailableIDR)
	}
	e.checkLedger(t)
}
