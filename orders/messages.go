package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/notify"
	"github.com/sentrakreasi/atensi/storage"
)

// rupiah is how the messages below write an amount; it goes once they
// come from the catalogue, which formats a domain.IDR argument itself.
func rupiah(a domain.IDR) string { return a.String() }

// Buyer messages carry no text the buyer typed: a checkout needs no
// account, so anyone can have one sent to any address, and a "name" such
// as "Klik https://... untuk membatalkan" would reach a stranger's inbox
// under our sender. Subjects, links and bodies are built from our own
// values only (amounts, references, ids, tokens, fixed texts).

// tellCheckout queues the buyer's confirmation with the private order link
// and how to pay.
func (s *Service) tellCheckout(ctx context.Context, tx *storage.Tx, g groupRow, token string, now time.Time) error {
	body := fmt.Sprintf("Halo,\n\nTerima kasih, pesanan Anda sudah kami terima. Total: %s.\n", rupiah(g.TotalIDR))
	if g.PaymentMethod == "bank_transfer" {
		body += fmt.Sprintf("\nSilakan transfer tepat %s dengan berita/referensi %s dalam 30 menit; setelah itu pesanan batal otomatis.\n", rupiah(g.TotalIDR), g.PaymentRef)
	}
	body += fmt.Sprintf("\nLihat pesanan Anda kapan saja di:\n%s/pesanan/%s?token=%s\n\nSimpan tautan ini; jangan bagikan kepada orang lain.\n\nSentra Kreasi ATENSI", s.baseURL, g.ID, token)
	return notify.Queue(ctx, tx.DB, notify.Message{To: g.BuyerEmail, Subject: "Pesanan diterima " + g.PaymentRef, Body: body,
		Kind: "order_received", Ref: g.ID}, now)
}

var statusNews = map[Status]string{
	Paid:              "Pembayaran untuk pesanan Anda sudah kami terima. Penjual sedang menyiapkannya.",
	Shipped:           "Pesanan Anda sudah dikirim.",
	Delivered:         "Pesanan Anda sudah sampai. Mohon konfirmasi penerimaan di halaman pesanan.",
	Cancelled:         "Pesanan Anda dibatalkan. Bila sudah membayar, dana dikembalikan penuh.",
	Refunded:          "Dana pesanan Anda sudah dikembalikan.",
	PartiallyRefunded: "Sebagian dana pesanan Anda sudah dikembalikan.",
}

// statusSubjects name a new status in a subject (a code is never shown).
var statusSubjects = map[Status]string{
	Paid:              "dibayar",
	Shipped:           "dikirim",
	Delivered:         "sampai",
	Cancelled:         "dibatalkan",
	Refunded:          "dana dikembalikan",
	PartiallyRefunded: "sebagian dana dikembalikan",
}

// tellStatus queues the buyer's notice of an order's new status.
func (s *Service) tellStatus(ctx context.Context, tx *storage.Tx, g groupRow, o Order, to Status, extra string, now time.Time) error {
	news, ok := statusNews[to]
	if !ok {
		return nil
	}
	body := fmt.Sprintf("Halo,\n\n%s\n", news)
	if extra != "" {
		body += extra + "\n"
	}
	body += fmt.Sprintf("\nNomor pesanan: %s\nBuka tautan pesanan dari email konfirmasi pertama untuk rinciannya.\n\nSentra Kreasi ATENSI", o.ID)
	return notify.Queue(ctx, tx.DB, notify.Message{To: g.BuyerEmail, Subject: "Pesanan " + g.PaymentRef + ": " + statusSubjects[to], Body: body,
		Kind: "order_" + string(to), Ref: fmt.Sprintf("%s:%d", o.ID, o.RefundedIDR)}, now)
}
