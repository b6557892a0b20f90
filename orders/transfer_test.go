package orders_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/catalog/catalogtest"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/orders"
	"github.com/sentrakreasi/atensi/orders/orderstest"
)

// TestTransferInstructions: a bank-transfer checkout answers where to pay
// (the unit's receiving account), exactly how much, with which reference
// and by when; the buyer's email and the order group say the same, the
// deadline in WIB.
func TestTransferInstructions(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	a, b := w.PMShop(t, "Satu"), w.PMShop(t, "Dua")
	p1, p2 := w.Product(t, a, "Keripik Tempe", 20000, 5), w.Product(t, b, "Tas Rajut", 150000, 5)
	g, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("courier", orders.Item{ProductID: p1.ID, Quantity: 2}, orders.Item{ProductID: p2.ID, Quantity: 1}))
	if err != nil {
		t.Fatal(err)
	}
	in := g.Payment.Instructions
	want := orders.Instructions{Bank: "Bank Rakyat Indonesia", AccountNo: "0123456789012", AccountName: "Balai Uji Penerimaan",
		Reference: in.Reference, AmountIDR: 2*20000 + 150000 + 2*15000, ExpiresAt: w.Clock.Now().UTC().Add(24 * time.Hour)}
	if in == nil || in.Bank != want.Bank || in.AccountNo != want.AccountNo || in.AccountName != want.AccountName ||
		in.AmountIDR != want.AmountIDR || g.TotalIDR != want.AmountIDR || !in.ExpiresAt.Equal(want.ExpiresAt) || !strings.HasPrefix(in.Reference, "ATN") {
		t.Fatalf("instructions %+v, want %+v", in, want)
	}
	view, err := svc.ReadGroup(ctx, access.Actor{}, g.AccessToken, g.ID)
	if vi := view.Instructions; err != nil || vi == nil || vi.Bank != want.Bank || vi.AccountNo != want.AccountNo || vi.AccountName != want.AccountName ||
		vi.Reference != in.Reference || vi.AmountIDR != want.AmountIDR || !vi.ExpiresAt.Equal(want.ExpiresAt) {
		t.Fatalf("the order group's instructions: %+v, %v", view.Instructions, err)
	}
	for _, o := range view.Orders {
		if o.ShopName != a.DisplayName && o.ShopName != b.DisplayName {
			t.Errorf("order of shop %s is named %q", o.ShopID, o.ShopName)
		}
	}
	var body string
	w.DB.Gorm.Raw("SELECT body FROM notifications WHERE kind = 'order_received'").Scan(&body)
	deadline := locale.For("id").DateTime(in.ExpiresAt) // 24 November 2026 pukul 10.00 WIB
	for _, s := range []string{"Bank Rakyat Indonesia", "0123456789012", "Balai Uji Penerimaan", "Rp220.000", in.Reference, deadline} {
		if !strings.Contains(body, s) {
			t.Errorf("the email lacks %q:\n%s", s, body)
		}
	}
	if !strings.Contains(deadline, "WIB") || !strings.Contains(deadline, "10.00") {
		t.Errorf("deadline %q is not a WIB clock time (03:00 UTC + 24 h = 10.00 WIB)", deadline)
	}

	// A later change of the account does not move an open order's money.
	if _, err := w.Accounts.SetReceivingAccount(ctx, w.Admin, w.Unit.ID, accounts.ReceivingAccountInput{Bank: "BNI", AccountNo: "555 666 777", AccountName: "Rekening Baru"}); err != nil {
		t.Fatal(err)
	}
	if view, _ := svc.ReadGroup(ctx, access.Actor{}, g.AccessToken, g.ID); view.Instructions.AccountNo != "0123456789012" {
		t.Errorf("an open order follows the new account: %+v", view.Instructions)
	}
	g2, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p1.ID, Quantity: 1}))
	if err != nil || g2.Payment.Instructions.AccountNo != "555666777" || g2.Payment.Instructions.Bank != "BNI" {
		t.Fatalf("a new checkout pays the new account: %+v %v", g2.Payment.Instructions, err)
	}
}

// TestTransferWindow: BANK_TRANSFER_HOURS (Limits.TransferWindow) sets a
// transfer's deadline and when it expires; a card checkout keeps its 30
// minutes.
func TestTransferWindow(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	svc.SetLimits(orders.Limits{TransferWindow: 3 * time.Hour})
	cards := orderstest.NewCards()
	svc.UseCards(cards)
	shop := w.PMShop(t, "Waktu")
	p := w.Product(t, shop, "Dodol Betawi", 30000, 5)
	now := w.Clock.Now().UTC()
	g, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1}))
	if err != nil || !g.PaymentExpires.Equal(now.Add(3*time.Hour)) || !g.Payment.Instructions.ExpiresAt.Equal(now.Add(3*time.Hour)) {
		t.Fatalf("transfer deadline %v (%v), want %v", g.PaymentExpires, err, now.Add(3*time.Hour))
	}
	in := checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1})
	in.PaymentMethod = "card"
	card, err := svc.Checkout(ctx, access.Actor{}, in)
	if err != nil || !card.PaymentExpires.Equal(now.Add(30*time.Minute)) || card.Payment.Instructions != nil {
		t.Fatalf("card deadline %v, instructions %+v (%v), want 30 minutes and none", card.PaymentExpires, card.Payment.Instructions, err)
	}
	w.Clock.Advance(2*time.Hour + 59*time.Minute)
	if n, err := svc.ExpireDue(ctx); err != nil || n != 1 { // the card's only
		t.Fatalf("before 3 hours: %d expired, %v; want the card group only", n, err)
	}
	w.Clock.Advance(2 * time.Minute)
	if n, err := svc.ExpireDue(ctx); err != nil || n != 1 {
		t.Fatalf("after 3 hours: %d expired, %v", n, err)
	}
	if s := w.Stock(t, p.ID); s != 5 {
		t.Fatalf("stock after both expired: %d, want 5", s)
	}
	o, err := svc.ReadOrder(ctx, access.Actor{}, g.AccessToken, g.Orders[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	last := o.History[len(o.History)-1]
	if last.NoteKey != "orders.note.expired" || o.In(locale.For("en")).History[len(o.History)-1].Note != "not paid by the deadline" ||
		o.In(locale.For("id")).History[len(o.History)-1].Note != "tidak dibayar sampai batas waktu" {
		t.Fatalf("expiry note: %+v", last)
	}
}

// lksShop is a workshop shop of an LKS in the world's Balai network, which
// publishes without review.
func lksShop(t *testing.T, w *catalogtest.World, name string) (accounts.Unit, catalogtest.Shop) {
	t.Helper()
	ctx := context.Background()
	lks, err := w.Accounts.CreateUnit(ctx, w.Admin, accounts.NewUnit{Kind: accounts.LKS, Name: "LKS " + name, ProvinceCode: "32", RegencyCode: "3275", ParentID: &w.Unit.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.DB.Gorm.Exec("UPDATE units SET publish_without_review = true WHERE id = ?", lks.ID).Error; err != nil {
		t.Fatal(err)
	}
	u, err := w.Accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: strings.ToLower(name) + "@lks.uji.id", Password: "sandi-uji-panjang",
		Name: "Pengelola " + name, Role: access.LKSManager, UnitID: &lks.ID})
	if err != nil {
		t.Fatal(err)
	}
	manager := access.Actor{UserID: u.ID, Role: access.LKSManager, UnitID: lks.ID}
	sh, err := w.Catalog.CreateShop(ctx, manager, catalog.NewShop{Kind: catalog.WorkshopShop, DisplayName: "Bengkel " + name, UnitID: lks.ID, OwnerUserID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	return lks, catalogtest.Shop{Shop: sh, Seller: manager}
}

// workshopProduct publishes a workshop's product made by the PM of caseID.
func workshopProduct(t *testing.T, w *catalogtest.World, shop catalogtest.Shop, caseID, title string, price domain.IDR, stock int) catalog.Product {
	t.Helper()
	ctx := context.Background()
	cat, makers := "kerajinan", []catalog.Maker{{CaseID: caseID, SharePct: 100}}
	p, err := w.Catalog.CreateProduct(ctx, shop.Seller, shop.ID, catalog.ProductInput{Title: &title, Category: &cat, PriceIDR: &price, Stock: &stock, Makers: &makers})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.DB.Gorm.Exec(`INSERT INTO product_images (id, product_id, position, alt, upload_key, status, width, height, variants, created_at)
		VALUES (?, ?, 0, ?, '', 'ready', 640, 480, '[]', now())`, domain.NewID(), p.ID, "Foto "+title).Error; err != nil {
		t.Fatal(err)
	}
	if p, err = w.Catalog.Publish(ctx, shop.Seller, p.ID); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOneAccountPerGroup: a group's transfer goes to one account. An LKS
// without an account of its own takes its Balai's (and may share a
// transfer with the Balai's shops, which staff of the Balai confirm);
// shops paid into different accounts cannot share one (422), and a unit
// with no account at all offers no transfer (422), while a card still can.
func TestOneAccountPerGroup(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	svc.UseCards(orderstest.NewCards())
	pm := w.PMShop(t, "Balai")
	lks, workshop := lksShop(t, w, "Anyam")
	p1, p2 := w.Product(t, pm, "Kue Bawang", 15000, 10), workshopProduct(t, w, workshop, *pm.CaseID, "Keranjang Rotan", 85000, 10)

	g, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p2.ID, Quantity: 1}))
	if err != nil || g.Payment.Instructions.AccountName != "Balai Uji Penerimaan" {
		t.Fatalf("an LKS without an account pays its Balai's: %+v %v", g.Payment.Instructions, err)
	}
	// The Balai's staff read the Balai's statement: they confirm it, though
	// the LKS's orders are not theirs to manage otherwise.
	if _, err := svc.ConfirmTransfer(ctx, w.Staff, g.ID, g.Payment.Instructions.Reference); err != nil {
		t.Fatalf("the Balai's staff confirm a transfer into the Balai's account: %v", err)
	}
	both, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p1.ID, Quantity: 1}, orders.Item{ProductID: p2.ID, Quantity: 1}))
	if err != nil || len(both.Orders) != 2 || both.Payment.Instructions.AccountNo != "0123456789012" {
		t.Fatalf("the Balai's and its LKS's shops share the Balai's account: %+v %v", both.Payment.Instructions, err)
	}

	if _, err := w.Accounts.SetReceivingAccount(ctx, w.Admin, lks.ID, accounts.ReceivingAccountInput{Bank: "BSI", AccountNo: "7001234567", AccountName: "Yayasan Anyam"}); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p1.ID, Quantity: 1}, orders.Item{ProductID: p2.ID, Quantity: 1}))
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "payment_method" || ve.Fields[0].Key != "orders.transfer.mixed" {
		t.Fatalf("two accounts in one transfer: %v, want payment_method orders.transfer.mixed", err)
	}
	alone, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p2.ID, Quantity: 1}))
	if err != nil || alone.Payment.Instructions.AccountName != "Yayasan Anyam" {
		t.Fatalf("an LKS with its own account: %+v %v", alone.Payment.Instructions, err)
	}
	in := checkoutInput("pickup", orders.Item{ProductID: p1.ID, Quantity: 1}, orders.Item{ProductID: p2.ID, Quantity: 1})
	in.PaymentMethod = "card"
	if _, err := svc.Checkout(ctx, access.Actor{}, in); err != nil {
		t.Fatalf("by card the mixed cart is one payment: %v", err)
	}

	if err := w.DB.Gorm.Exec("DELETE FROM unit_receiving_accounts WHERE unit_id = ?", w.Unit.ID).Error; err != nil {
		t.Fatal(err)
	}
	before := w.Stock(t, p1.ID)
	_, err = svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p1.ID, Quantity: 1}))
	if !errors.As(err, &ve) || ve.Fields[0].Key != "orders.transfer.noaccount" || w.Stock(t, p1.ID) != before {
		t.Fatalf("no account: %v (stock %d, was %d), want orders.transfer.noaccount and nothing taken", err, w.Stock(t, p1.ID), before)
	}
	checkLedger(t, svc)
}

// TestCheckoutShowsWhatItCharges: the preview the checkout page shows (each
// shop's courier fee, pick-up place, the totals) is what the order charges.
func TestCheckoutShowsWhatItCharges(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	a, b := w.PMShop(t, "Kurir"), w.PMShop(t, "Ambil")
	if _, err := w.Catalog.SetShopSettings(ctx, w.Staff, a.ID, catalog.ShopSettings{CourierFlatIDR: 12500, PickupPlace: "Sentra Uji",
		PickupAddress: "Jl. Uji No. 1, Bekasi", PickupHours: "Senin–Jumat 08.00–15.00 WIB"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Catalog.SetShopSettings(ctx, a.Seller, a.ID, catalog.ShopSettings{PickupAddress: "Rumah saya"}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a PM sets the pick-up address (DOMAIN.md rule 4): %v, want not found", err)
	}
	p1, p2 := w.Product(t, a, "Sambal Bawang", 18000, 10), w.Product(t, b, "Kain Tenun", 240000, 10)
	buyer := w.User(t, access.Buyer)
	owner := orders.CartOwner{Actor: buyer}
	for _, it := range []orders.Item{{ProductID: p1.ID, Quantity: 3}, {ProductID: p2.ID, Quantity: 1}} {
		if _, err := svc.SetCartItem(ctx, owner, it.ProductID, it.Quantity); err != nil {
			t.Fatal(err)
		}
	}
	cart, err := svc.ReadCart(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	pv, err := svc.PreviewCheckout(ctx, cart, "")
	if err != nil {
		t.Fatal(err)
	}
	fees := map[string]domain.IDR{}
	for _, s := range pv.Shops {
		fees[s.ShopName] = s.CourierIDR
		if s.ShopName == a.DisplayName && (s.PickupPlace != "Sentra Uji" || s.PickupAddress != "Jl. Uji No. 1, Bekasi" || s.PickupHours == "") {
			t.Errorf("pick-up place of %s: %+v", s.ShopName, s)
		}
	}
	if fees[a.DisplayName] != 12500 || fees[b.DisplayName] != 15000 || pv.PickupTotalIDR != 3*18000+240000 || pv.CourierTotalIDR != 3*18000+240000+12500+15000 ||
		pv.Transfer == nil || pv.Transfer.AccountName != "Balai Uji Penerimaan" {
		t.Fatalf("preview %+v", pv)
	}
	in := checkoutInput("courier")
	g, err := svc.CheckoutCart(ctx, owner, in, "")
	if err != nil {
		t.Fatal(err)
	}
	if g.TotalIDR != pv.CourierTotalIDR || g.Payment.Instructions.AmountIDR != pv.CourierTotalIDR {
		t.Fatalf("shown %s by courier, charged %s", pv.CourierTotalIDR, g.TotalIDR)
	}
	view, err := svc.ReadGroup(ctx, buyer, "", g.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range view.Orders {
		if o.ShippingIDR != fees[o.ShopName] {
			t.Errorf("%s: shown courier fee %s, charged %s", o.ShopName, fees[o.ShopName], o.ShippingIDR)
		}
	}
}

// TestBuyerCancelsUnpaidGroup: the buyer (private link or account) calls an
// unpaid group off as a whole: every order cancelled, stock back, told by
// email; again is harmless; a stranger learns nothing; once paid the buyer
// may not, and the API's order cancel does the same for the buyer.
func TestBuyerCancelsUnpaidGroup(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	a, b := w.PMShop(t, "Batal"), w.PMShop(t, "Juga")
	p1, p2 := w.Product(t, a, "Emping Melinjo", 22000, 6), w.Product(t, b, "Tikar Pandan", 60000, 6)
	items := []orders.Item{{ProductID: p1.ID, Quantity: 2}, {ProductID: p2.ID, Quantity: 1}}
	g, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", items...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CancelGroup(ctx, access.Actor{}, "bukan-token-ini", g.ID, ""); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a wrong token: %v, want not found", err)
	}
	if _, err := svc.CancelGroup(ctx, w.User(t, access.Buyer), "", g.ID, ""); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("another buyer: %v, want not found", err)
	}
	for range 2 { // the form sent twice: the same answer
		view, err := svc.CancelGroup(ctx, access.Actor{}, g.AccessToken, g.ID, "form-token-0123456789")
		if err != nil || view.PaymentStatus != "cancelled" || view.Unpaid() {
			t.Fatalf("cancel: %+v %v", view, err)
		}
		for _, o := range view.Orders {
			if o.Status != orders.Cancelled {
				t.Fatalf("order of %s is %s", o.ShopName, o.Status)
			}
		}
	}
	if w.Stock(t, p1.ID) != 6 || w.Stock(t, p2.ID) != 6 {
		t.Fatalf("stock after cancel: %d, %d", w.Stock(t, p1.ID), w.Stock(t, p2.ID))
	}
	var told int64
	w.DB.Gorm.Raw("SELECT count(*) FROM notifications WHERE kind = 'order_cancelled'").Scan(&told)
	if told != 2 {
		t.Errorf("%d cancellation emails, want one per order", told)
	}
	if _, err := svc.ConfirmTransfer(ctx, w.Staff, g.ID, g.Payment.Instructions.Reference); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("confirming a cancelled group: %v", err)
	}

	// Through the API's order cancel: the buyer cancels the whole group.
	buyer := w.User(t, access.Buyer)
	g2, err := svc.Checkout(ctx, buyer, checkoutInput("pickup", items...))
	if err != nil {
		t.Fatal(err)
	}
	o, err := svc.MoveOrder(ctx, buyer, g2.Orders[0].ID, orders.Move{Event: orders.Cancel})
	if err != nil || o.Status != orders.Cancelled {
		t.Fatalf("buyer's order cancel: %v %v", o.Status, err)
	}
	view, _ := svc.ReadGroup(ctx, buyer, "", g2.ID)
	if view.PaymentStatus != "cancelled" || view.Orders[0].Status != orders.Cancelled || view.Orders[1].Status != orders.Cancelled {
		t.Fatalf("the group after the buyer cancelled one order: %+v", view)
	}

	// Paid: the shop's and staff's to cancel, not the buyer's.
	g3, err := svc.Checkout(ctx, buyer, checkoutInput("pickup", items...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ConfirmTransfer(ctx, w.Staff, g3.ID, g3.Payment.Instructions.Reference); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CancelGroup(ctx, buyer, "", g3.ID, ""); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("buyer cancels a paid group: %v, want conflict", err)
	}
	if _, err := svc.MoveOrder(ctx, buyer, g3.Orders[0].ID, orders.Move{Event: orders.Cancel}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("buyer cancels a paid order: %v, want forbidden", err)
	}
	if w.Stock(t, p1.ID) != 4 || w.Stock(t, p2.ID) != 5 {
		t.Fatalf("stock with one paid group: %d, %d", w.Stock(t, p1.ID), w.Stock(t, p2.ID))
	}
	checkLedger(t, svc)
}

// TestBuyerCancelRacesTransferConfirmation: the buyer cancelling while
// staff confirm the transfer, at the same moment, many times: each group
// ends either paid (all its orders paid, stock taken) or cancelled (all
// cancelled, stock back), never half of each, and exactly one of the two
// calls succeeds.
func TestBuyerCancelRacesTransferConfirmation(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	a, b := w.PMShop(t, "Balap"), w.PMShop(t, "Lari")
	p1, p2 := w.Product(t, a, "Rempeyek Kacang", 12000, 100), w.Product(t, b, "Gantungan Kunci", 8000, 100)
	const rounds = 15
	paid, cancelled := 0, 0
	for i := range rounds {
		g, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p1.ID, Quantity: 2}, orders.Item{ProductID: p2.ID, Quantity: 1}))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var cancelErr, confirmErr error
		start := make(chan struct{})
		wg.Go(func() {
			<-start
			_, cancelErr = svc.CancelGroup(ctx, access.Actor{}, g.AccessToken, g.ID, fmt.Sprintf("race-form-%04d-abcdef", i))
		})
		wg.Go(func() {
			<-start
			_, confirmErr = svc.ConfirmTransfer(ctx, w.Staff, g.ID, g.Payment.Instructions.Reference)
		})
		close(start)
		wg.Wait()
		view, err := svc.ReadGroup(ctx, access.Actor{}, g.AccessToken, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := orders.Paid
		switch {
		case cancelErr == nil && errors.Is(confirmErr, domain.ErrConflict) && view.PaymentStatus == "cancelled":
			cancelled++
			want = orders.Cancelled
		case confirmErr == nil && errors.Is(cancelErr, domain.ErrConflict) && view.PaymentStatus == "paid":
			paid++
		default:
			t.Fatalf("round %d: cancel %v, confirm %v, group %s", i, cancelErr, confirmErr, view.PaymentStatus)
		}
		for _, o := range view.Orders {
			if o.Status != want {
				t.Fatalf("round %d: group %s has an order %s", i, view.PaymentStatus, o.Status)
			}
		}
	}
	if s1, s2 := w.Stock(t, p1.ID), w.Stock(t, p2.ID); s1 != 100-2*paid || s2 != 100-paid {
		t.Fatalf("stock %d, %d after %d paid and %d cancelled groups", s1, s2, paid, cancelled)
	}
	checkLedger(t, svc)
	t.Logf("%d paid, %d cancelled", paid, cancelled)
}

// TestShopSideCannotCancelPartOfAnUnpaidCheckout: staff cancelling one
// shop's part of an unpaid two-shop checkout is refused, so the group
// still owes what its instructions say and can be paid (before, the part
// was cancelled and confirming the transfer failed for good).
func TestShopSideCannotCancelPartOfAnUnpaidCheckout(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	a, b := w.PMShop(t, "Satu"), w.PMShop(t, "Dua")
	p1, p2 := w.Product(t, a, "Keripik Tempe", 20000, 5), w.Product(t, b, "Tas Rajut", 150000, 5)
	g, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("courier", orders.Item{ProductID: p1.ID, Quantity: 1}, orders.Item{ProductID: p2.ID, Quantity: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MoveOrder(ctx, w.Staff, g.Orders[0].ID, orders.Move{Event: orders.Cancel, Reason: "stok habis"}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("staff cancelling one part of an unpaid checkout: %v, want it refused", err)
	}
	if _, err := svc.ConfirmTransfer(ctx, w.Staff, g.ID, g.Payment.Instructions.Reference); err != nil {
		t.Fatalf("the whole transfer can still be confirmed: %v", err)
	}
	if o, err := svc.MoveOrder(ctx, w.Staff, g.Orders[0].ID, orders.Move{Event: orders.Cancel, Reason: "stok habis"}); err != nil || o.Status != orders.Cancelled {
		t.Fatalf("once paid, the part is cancelled (with its refund): %v %v", o.Status, err)
	}
}
