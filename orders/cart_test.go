package orders_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/orders"
)

func TestGuestCartMergesIntoTheBuyersAtLogin(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	a, b := w.PMShop(t, "Keranjang A"), w.PMShop(t, "Keranjang B")
	p1, p2 := w.Product(t, a, "Kopi Lereng", 30000, 2), w.Product(t, b, "Batik Sogan", 200000, 1)

	guest, err := svc.SetCartItem(ctx, orders.CartOwner{}, p1.ID, 1)
	if err != nil || guest.Token == "" {
		t.Fatalf("a guest's first item must make a cart with a token: %+v %v", guest, err)
	}
	owner := orders.CartOwner{Token: guest.Token}
	if _, err := svc.SetCartItem(ctx, owner, p2.ID, 2); err != nil {
		t.Fatal(err)
	}
	cart, err := svc.ReadCart(ctx, owner)
	if err != nil || len(cart.Shops) != 2 || cart.TotalIDR != 430000 || len(cart.Warnings) != 1 {
		t.Fatalf("guest cart: %+v %v (two shops, Rp430.000, one stock warning)", cart, err)
	}
	for lang, want := range map[string]string{locale.ID: "Stok Batik Sogan tinggal 1.", locale.EN: "Only 1 of Batik Sogan left."} {
		if got := cart.In(locale.For(lang)).Warnings[0].Message; got != want {
			t.Errorf("%s stock warning %q, want %q", lang, got, want)
		}
	}
	if _, err := svc.SetCartItem(ctx, owner, p1.ID, 101); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("quantity over 100: %v", err)
	}

	buyer := w.User(t, access.Buyer)
	if _, err := svc.SetCartItem(ctx, orders.CartOwner{Actor: buyer}, p1.ID, 1); err != nil {
		t.Fatal(err)
	}
	if err := svc.MergeGuestCart(ctx, buyer, guest.Token); err != nil {
		t.Fatal(err)
	}
	mine, err := svc.ReadCart(ctx, orders.CartOwner{Actor: buyer})
	if err != nil || mine.Items != 4 {
		t.Fatalf("merged cart: %+v %v (1+1 coffee, 2 batik)", mine, err)
	}
	if gone, _ := svc.ReadCart(ctx, owner); len(gone.Shops) != 0 {
		t.Fatal("the guest cart must be gone after merging")
	}
	items, err := svc.CheckoutItems(ctx, orders.CartOwner{Actor: buyer})
	if err != nil || len(items) != 2 {
		t.Fatalf("checkout items: %v %v", items, err)
	}
	if _, err := svc.SetCartItem(ctx, orders.CartOwner{Actor: buyer}, p2.ID, 0); err != nil {
		t.Fatal(err)
	}
	if mine, _ = svc.ReadCart(ctx, orders.CartOwner{Actor: buyer}); mine.Items != 2 || len(mine.Warnings) != 0 {
		t.Fatalf("after removing the batik: %+v", mine)
	}
}
