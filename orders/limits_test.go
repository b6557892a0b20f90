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
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/orders"
)

func limited(err error) bool {
	var rl *domain.RateLimitError
	return errors.As(err, &rl) && rl.RetryAfter > 0
}

// TestUnpaidCheckoutsPerAddress: an address holds at most N unpaid
// checkouts, whatever emails they name; the (N+1)th is refused until one is
// paid or expires, and N racing at once cannot get past the limit.
func TestUnpaidCheckoutsPerAddress(t *testing.T) {
	w, svc := setup(t)
	svc.SetLimits(orders.Limits{UnpaidPerIP: 2, PerProduct: 20})
	shop := w.PMShop(t, "Batas Alamat")
	p := w.Product(t, shop, "Keripik Batas", 15000, 100)
	ctx := context.Background()
	from := func(ip string, n int) orders.CheckoutInput {
		in := checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1})
		in.Buyer.Email, in.ClientIP = fmt.Sprintf("pembeli%d@contoh.id", n), ip
		return in
	}
	var held []orders.Group
	for n := range 2 {
		g, err := svc.Checkout(ctx, access.Actor{}, from("203.0.113.7", n))
		if err != nil {
			t.Fatalf("checkout %d of 2: %v", n+1, err)
		}
		held = append(held, g)
	}
	_, err := svc.Checkout(ctx, access.Actor{}, from("203.0.113.7", 2))
	if !limited(err) || !strings.Contains(indonesian(err), "alamat internet") {
		t.Fatalf("third unpaid checkout from one address: %v, want a rate limit naming the address", err)
	}
	if s := w.Stock(t, p.ID); s != 98 {
		t.Fatalf("stock %d after a refused checkout, want 98", s)
	}
	if _, err := svc.Checkout(ctx, access.Actor{}, from("198.51.100.1", 3)); err != nil {
		t.Fatalf("another address: %v", err)
	}
	if _, err := svc.Checkout(ctx, access.Actor{}, from("::ffff:203.0.113.7", 4)); !limited(err) {
		t.Fatalf("the same address written as IPv4-mapped IPv6: %v, want refused", err)
	}
	for n, ip := range []string{"2001:db8:1:2::a", "2001:db8:1:2:ffff::b"} {
		if _, err := svc.Checkout(ctx, access.Actor{}, from(ip, 20+n)); err != nil {
			t.Fatalf("IPv6 checkout %d: %v", n+1, err)
		}
	}
	if _, err := svc.Checkout(ctx, access.Actor{}, from("2001:db8:1:2::c", 22)); !limited(err) {
		t.Fatalf("a third address of the same IPv6 /64: %v, want refused", err)
	}

	// Paid: it no longer holds stock unpaid, so there is room again.
	if _, err := svc.ConfirmTransfer(ctx, w.Staff, held[0].ID, held[0].Payment.Instructions.Reference); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Checkout(ctx, access.Actor{}, from("203.0.113.7", 5)); err != nil {
		t.Fatalf("after one was paid: %v", err)
	}
	if _, err := svc.Checkout(ctx, access.Actor{}, from("203.0.113.7", 6)); !limited(err) {
		t.Fatalf("full again: %v", err)
	}
	// Expired: past its time it counts no more, even before the sweep ran.
	w.Clock.Advance(orders.DefaultTransferWindow + time.Minute)
	if _, err := svc.Checkout(ctx, access.Actor{}, from("203.0.113.7", 7)); err != nil {
		t.Fatalf("after the held ones expired: %v", err)
	}

	// Ten at once from a new address: the limit still holds.
	var ok, refused int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for n := range 10 {
		wg.Go(func() {
			_, err := svc.Checkout(ctx, access.Actor{}, from("192.0.2.55", 100+n))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case limited(err):
				refused++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok != 2 || refused != 8 {
		t.Fatalf("10 racing checkouts from one address: %d ok, %d refused, want 2 and 8", ok, refused)
	}
	checkLedger(t, svc)
}

// TestUnpaidCheckoutsPerEmail: one buyer email holds at most N unpaid
// checkouts across every address (and however it is capitalised).
func TestUnpaidCheckoutsPerEmail(t *testing.T) {
	w, svc := setup(t)
	svc.SetLimits(orders.Limits{UnpaidPerIP: 100, UnpaidPerEmail: 2, PerProduct: 20})
	shop := w.PMShop(t, "Batas Email")
	p := w.Product(t, shop, "Sambal Batas", 25000, 100)
	ctx := context.Background()
	as := func(email string, n int) orders.CheckoutInput {
		in := checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1})
		in.Buyer.Email, in.ClientIP = email, fmt.Sprintf("198.51.100.%d", n)
		return in
	}
	for n, email := range []string{"korban@contoh.id", "Korban@Contoh.ID"} {
		if _, err := svc.Checkout(ctx, access.Actor{}, as(email, n)); err != nil {
			t.Fatalf("checkout %d of 2: %v", n+1, err)
		}
	}
	_, err := svc.Checkout(ctx, access.Actor{}, as("korban@contoh.id", 9))
	if !limited(err) || !strings.Contains(indonesian(err), "untuk email ini") {
		t.Fatalf("third unpaid checkout for one email from a new address: %v, want refused", err)
	}
	if _, err := svc.Checkout(ctx, access.Actor{}, as("lain@contoh.id", 10)); err != nil {
		t.Fatalf("another email: %v", err)
	}
	w.Clock.Advance(orders.DefaultTransferWindow + time.Minute)
	if n, err := svc.ExpireDue(ctx); err != nil || n != 3 {
		t.Fatalf("expired %d, %v", n, err)
	}
	if _, err := svc.Checkout(ctx, access.Actor{}, as("korban@contoh.id", 11)); err != nil {
		t.Fatalf("after they expired: %v", err)
	}
	if s := w.Stock(t, p.ID); s != 99 {
		t.Fatalf("stock %d, want 99 (the expired ones gave theirs back)", s)
	}
}

// TestLineAbovePerProductMax: a checkout takes at most the configured
// number of one product, repeats of it in the items added up.
func TestLineAbovePerProductMax(t *testing.T) {
	w, svc := setup(t)
	svc.SetLimits(orders.Limits{PerProduct: 5})
	shop := w.PMShop(t, "Batas Jumlah")
	p := w.Product(t, shop, "Tas Batas", 50000, 100)
	ctx := context.Background()
	for _, tt := range []struct {
		items []orders.Item
		field string
	}{
		{[]orders.Item{{ProductID: p.ID, Quantity: 6}}, "items[0].quantity"},
		{[]orders.Item{{ProductID: p.ID, Quantity: 3}, {ProductID: p.ID, Quantity: 3}}, "items[1].quantity"},
		{[]orders.Item{{ProductID: p.ID, Quantity: 100}}, "items[0].quantity"},
	} {
		_, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", tt.items...))
		var v *domain.ValidationError
		if !errors.As(err, &v) || v.Fields[0].Field != tt.field || !strings.Contains(v.Fields[0].Text(locale.For(locale.ID)), "5") {
			t.Errorf("%v: %v, want a validation error on %s naming the maximum", tt.items, err, tt.field)
		}
	}
	if _, err := svc.Checkout(ctx, access.Actor{}, checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 5})); err != nil {
		t.Fatalf("5 of 5: %v", err)
	}
	if s := w.Stock(t, p.ID); s != 95 {
		t.Fatalf("stock %d, want 95", s)
	}
}

// TestBuyerEmailsCarryNoBuyerText: anyone can have a checkout mailed to any
// address, so what the buyer typed never reaches a subject, a link or the
// text of a message; a name that is not one line is refused.
func TestBuyerEmailsCarryNoBuyerText(t *testing.T) {
	w, svc := setup(t)
	shop := w.PMShop(t, "Surel")
	p := w.Product(t, shop, "Kopi Surel", 40000, 10)
	ctx := context.Background()

	in := checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1})
	in.Buyer.Name = "Budi\r\nBcc: semua@contoh.id"
	_, err := svc.Checkout(ctx, access.Actor{}, in)
	var v *domain.ValidationError
	if !errors.As(err, &v) || v.Fields[0].Field != "buyer.name" {
		t.Fatalf("a name with CRLF: %v, want a validation error on buyer.name", err)
	}

	in.Buyer.Name = "Pesanan Anda DIBATALKAN, klik https://jahat.example/bayar?x=1 sekarang"
	g, err := svc.Checkout(ctx, access.Actor{}, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ConfirmTransfer(ctx, w.Staff, g.ID, g.Payment.Instructions.Reference); err != nil {
		t.Fatal(err)
	}
	var msgs []struct{ Subject, Body string }
	if err := w.DB.Gorm.Raw("SELECT subject, body FROM notifications WHERE to_email = ? ORDER BY id", in.Buyer.Email).Scan(&msgs).Error; err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want the confirmation and the payment notice", len(msgs))
	}
	for _, m := range msgs {
		for _, bad := range []string{"jahat", "DIBATALKAN", "klik"} {
			if strings.Contains(m.Subject, bad) || strings.Contains(m.Body, bad) {
				t.Errorf("message %q carries the buyer's text %q:\n%s", m.Subject, bad, m.Body)
			}
		}
		for _, word := range strings.Fields(m.Body) {
			if strings.Contains(word, "://") && !strings.HasPrefix(word, "https://pasar.example/pesanan/"+g.ID+"?token=") {
				t.Errorf("a link that is not the order's own: %q", word)
			}
		}
		if strings.Contains(m.Subject, string(orders.Paid)) {
			t.Errorf("subject %q shows a status code", m.Subject)
		}
	}
}

// indonesian is the message a person reads for err, in Indonesian.
func indonesian(err error) string {
	var le domain.Localized
	if errors.As(err, &le) {
		return le.Text(locale.For(locale.ID))
	}
	return ""
}
