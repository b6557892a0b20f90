package orders_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/orders"
)

// TestBuyerEmailsInTheBuyersLanguage: the language of the checkout stays on
// the order group, and every email of the order comes in it, its subjects
// naming the new status in words; an unknown language gets Indonesian.
func TestBuyerEmailsInTheBuyersLanguage(t *testing.T) {
	w, svc := setup(t)
	ctx := context.Background()
	shop := w.PMShop(t, "Rapi")
	p := w.Product(t, shop, "Kopi Bubuk", 30000, 5)
	for _, tt := range []struct {
		lang, email string
		want        [][2]string // subject and a line of the body, per email
	}{
		{"en", "ann@contoh.id", [][2]string{
			{"Order received %s", "Thank you, we have received your order. Total: Rp45.000."},
			{"Order %s: paid", "We have received the payment for your order. The seller is preparing it."},
			{"Order %s: shipped", "Courier: JNE, tracking number: JN123."},
		}},
		{"fr", "budi@contoh.id", [][2]string{
			{"Pesanan diterima %s", "Terima kasih, pesanan Anda sudah kami terima. Total: Rp45.000."},
			{"Pesanan %s: dibayar", "Pembayaran untuk pesanan Anda sudah kami terima. Penjual sedang menyiapkannya."},
			{"Pesanan %s: dikirim", "Kurir: JNE, nomor resi: JN123."},
		}},
	} {
		in := checkoutInput("courier", orders.Item{ProductID: p.ID, Quantity: 1})
		in.Buyer.Email, in.Lang = tt.email, tt.lang
		g, err := svc.Checkout(ctx, access.Actor{}, in)
		if err != nil {
			t.Fatal(err)
		}
		ref := g.Payment.Instructions.Reference
		if _, err := svc.ConfirmTransfer(ctx, w.Staff, g.ID, ref); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.MoveOrder(ctx, shop.Seller, g.Orders[0].ID, orders.Move{Event: orders.Ship, Carrier: "JNE", TrackingNo: "JN123"}); err != nil {
			t.Fatal(err)
		}
		var msgs []struct{ Subject, Body string }
		if err := w.DB.Gorm.Raw("SELECT subject, body FROM notifications WHERE to_email = ? ORDER BY id", tt.email).Scan(&msgs).Error; err != nil {
			t.Fatal(err)
		}
		if len(msgs) != len(tt.want) {
			t.Fatalf("%s: %d emails, want %d", tt.lang, len(msgs), len(tt.want))
		}
		for i, m := range msgs {
			subject := strings.ReplaceAll(tt.want[i][0], "%s", ref)
			if m.Subject != subject || !strings.Contains(m.Body, tt.want[i][1]) {
				t.Errorf("%s email %d: %q\n%s\nwant %q with %q", tt.lang, i, m.Subject, m.Body, subject, tt.want[i][1])
			}
		}
		if tt.lang == "en" && !strings.HasPrefix(g.Payment.Instructions.Note, "Transfer exactly this amount") {
			t.Errorf("English transfer note: %q", g.Payment.Instructions.Note)
		}
	}
}
