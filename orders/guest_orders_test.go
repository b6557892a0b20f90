package orders_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
)

// TestGuestOrdersJoinTheAccountOnlyOnceTheEmailIsVerified: a guest order
// placed with an address stays out of the account registered with it until
// the address is verified (else anyone could register a stranger's email
// and read their orders); then it shows in the history and opens without
// its private link. A guest order placed later joins at the next login.
func TestGuestOrdersJoinTheAccountOnlyOnceTheEmailIsVerified(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	w.Accounts.OnEmailVerified(svc.ClaimGuestOrders)
	shop := w.PMShop(t, "Pesanan Tamu")
	p := w.Product(t, shop, "Kue Semprit", 25000, 10)
	in := checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1})
	in.Buyer.Email = "Sari@Contoh.id"
	guest, err := svc.Checkout(ctx, access.Actor{}, in)
	if err != nil {
		t.Fatal(err)
	}
	other := checkoutInput("pickup", orders.Item{ProductID: p.ID, Quantity: 1})
	if _, err := svc.Checkout(ctx, access.Actor{}, other); err != nil { // budi@contoh.id's
		t.Fatal(err)
	}

	u, err := w.Accounts.Register(ctx, accounts.NewUser{Name: "Sari", Email: "sari@contoh.id", Password: "kopi-tubruk-pagi"})
	if err != nil {
		t.Fatal(err)
	}
	buyer := access.Actor{UserID: u.ID, Role: access.Buyer}
	if list, err := svc.MyOrders(ctx, buyer, domain.Page{Limit: 10}); err != nil || len(list.Items) != 0 {
		t.Fatalf("before verification the history shows %d orders (%v), want none", len(list.Items), err)
	}
	if _, err := svc.ReadGroup(ctx, buyer, "", guest.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("an unverified account opened the guest order: %v", err)
	}
	if _, _, err := w.Accounts.Login(ctx, u.Email, "kopi-tubruk-pagi", accounts.Client{IP: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	if list, _ := svc.MyOrders(ctx, buyer, domain.Page{Limit: 10}); len(list.Items) != 0 {
		t.Fatal("a login before verification claimed the guest order")
	}

	var body string
	if err := w.DB.Gorm.Raw("SELECT body FROM notifications WHERE to_email = ? AND kind = 'email_verify'", u.Email).Scan(&body).Error; err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`/verifikasi/([A-Za-z0-9_-]+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no verification link in %q", body)
	}
	if err := w.Accounts.VerifyEmail(ctx, m[1]); err != nil {
		t.Fatal(err)
	}
	list, err := svc.MyOrders(ctx, buyer, domain.Page{Limit: 10})
	if err != nil || len(list.Items) != 1 || list.Items[0].GroupID != guest.ID {
		t.Fatalf("after verification: %+v %v, want the one guest order of this email", list.Items, err)
	}
	if _, err := svc.ReadGroup(ctx, buyer, "", guest.ID); err != nil {
		t.Fatalf("the claimed order must open from the history: %v", err)
	}

	later, err := svc.Checkout(ctx, access.Actor{}, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.Accounts.Login(ctx, u.Email, "kopi-tubruk-pagi", accounts.Client{IP: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	if list, _ := svc.MyOrders(ctx, buyer, domain.Page{Limit: 10}); len(list.Items) != 2 || list.Items[0].GroupID != later.ID {
		t.Fatalf("a guest order placed after verification must join at the next login: %+v", list.Items)
	}
}
