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
	p1, p2 := w.Product(t, a, "Kopi Lereng", 30000, 2), w.Product(t, b, "Batik Sogan", 200000, 2)

	guest, err := svc.SetCartItem(ctx, orders.CartOwner{}, p1.ID, 1)
	if err != nil || guest.Token == "" {
		t.Fatalf("a guest's first item must make a cart with a token: %+v %v", guest, err)
	}
	owner := orders.CartOwner{Token: guest.Token}
	if _, err := svc.SetCartItem(ctx, owner, p2.ID, 2); err != nil {
		t.Fatal(err)
	}
	// Someone else buys one batik: the cart says so.
	if err := w.DB.Gorm.Exec("UPDATE products SET stock = 1 WHERE id = ?", p2.ID).Error; err != nil {
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

// TestCartRefusesMoreThanTheStock: a quantity above the stock is refused
// where it is typed, with the field and how many there are, and the cart
// keeps what it had; made-to-order products have no such bound.
func TestCartRefusesMoreThanTheStock(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	shop := w.PMShop(t, "Stok Terbatas")
	kopi := w.Product(t, shop, "Kopi Lereng", 30000, 3)
	buyer := orders.CartOwner{Actor: w.User(t, access.Buyer)}
	if _, err := svc.SetCartItem(ctx, buyer, kopi.ID, 2); err != nil {
		t.Fatal(err)
	}
	_, err := svc.SetCartItem(ctx, buyer, kopi.ID, 4)
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "quantity" {
		t.Fatalf("4 of 3 in stock: %v, want the quantity field refused", err)
	}
	for lang, want := range map[string]string{locale.ID: "stok tinggal 3", locale.EN: "only 3 in stock"} {
		if got := ve.Fields[0].Text(locale.For(lang)); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if cart, _ := svc.ReadCart(ctx, buyer); cart.Items != 2 {
		t.Fatalf("a refused quantity changed the cart: %d items", cart.Items)
	}
	if _, err := svc.SetCartItem(ctx, buyer, kopi.ID, 3); err != nil {
		t.Fatalf("all of the stock: %v", err)
	}
	if err := w.DB.Gorm.Exec("UPDATE products SET stock = 0 WHERE id = ?", kopi.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetCartItem(ctx, buyer, kopi.ID, 1); !errors.As(err, &ve) || ve.Fields[0].Key != "orders.cart.nostock" {
		t.Fatalf("sold out: %v", err)
	}
	if _, err := svc.SetCartItem(ctx, buyer, kopi.ID, 0); err != nil {
		t.Fatalf("a sold-out line must still be removable: %v", err)
	}
	if _, err := svc.SetCartItem(ctx, buyer, domain.NewID(), 1); !errors.As(err, &ve) || ve.Fields[0].Field != "product_id" {
		t.Fatalf("unknown product: %v", err)
	}
	if err := w.DB.Gorm.Exec("UPDATE products SET made_to_order = true, processing_days = 7 WHERE id = ?", kopi.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetCartItem(ctx, buyer, kopi.ID, 5); err != nil {
		t.Fatalf("made to order takes any quantity up to the limit: %v", err)
	}
}

// TestCartRemoveAndCount: removing a line leaves the others, and the
// header's count adds the quantities up, for a guest and a buyer alike.
func TestCartRemoveAndCount(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	shop := w.PMShop(t, "Hapus")
	a, b := w.Product(t, shop, "Keripik Tempe", 15000, 10), w.Product(t, shop, "Sambal Roa", 25000, 10)
	if n, err := svc.CartCount(ctx, orders.CartOwner{}); err != nil || n != 0 {
		t.Fatalf("a visitor without a cart: %d %v", n, err)
	}
	guest, err := svc.SetCartItem(ctx, orders.CartOwner{}, a.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	owner := orders.CartOwner{Token: guest.Token}
	if _, err := svc.SetCartItem(ctx, owner, b.ID, 1); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.CartCount(ctx, owner); err != nil || n != 3 {
		t.Fatalf("count %d %v, want 3", n, err)
	}
	if _, err := svc.SetCartItem(ctx, owner, a.ID, 0); err != nil {
		t.Fatal(err)
	}
	cart, err := svc.ReadCart(ctx, owner)
	if err != nil || len(cart.Shops) != 1 || len(cart.Shops[0].Lines) != 1 || cart.Shops[0].Lines[0].ProductID != b.ID {
		t.Fatalf("after removing the keripik: %+v %v", cart, err)
	}
	if n, _ := svc.CartCount(ctx, owner); n != 1 {
		t.Fatalf("count after removing: %d", n)
	}
	// Removing twice (a double tap, a reload) is no error.
	if _, err := svc.SetCartItem(ctx, owner, a.ID, 0); err != nil {
		t.Fatal(err)
	}
	buyer := orders.CartOwner{Actor: w.User(t, access.Buyer)}
	if _, err := svc.SetCartItem(ctx, buyer, a.ID, 4); err != nil {
		t.Fatal(err)
	}
	if n, _ := svc.CartCount(ctx, buyer); n != 4 {
		t.Fatalf("buyer's count: %d", n)
	}
}
