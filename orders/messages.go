package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
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
// and how to pay (for a transfer: the account, the exact amount, the
// reference and the deadline in WIB), in the buyer's language. The account
// is the unit's, typed by its staff, never anything of the buyer's.
func (s *Service) tellCheckout(ctx context.Context, tx *storage.Tx, g groupRow, token string, now time.Time) error {
	p := locale.For(g.Lang)
	body := p.Text("email.greeting") + "\n\n" + p.Text("email.checkout.thanks", rupiah(g.TotalIDR)) + "\n"
	if g.PaymentMethod == "bank_transfer" {
		body += "\n" + p.Text("email.checkout.transfer", rupiah(g.TotalIDR), g.PayBank, g.PayAccountNo, g.PayAccountName,
			g.PaymentRef, p.DateTime(g.ExpiresAt)) + "\n"
	}
	body += "\n" + p.Text("email.checkout.link", s.baseURL+"/pesanan/"+g.ID+"?token="+token) + "\n\n" + p.Text("email.signature")
	return notify.Queue(ctx, tx.DB, notify.Message{To: g.BuyerEmail, Subject: p.Text("email.checkout.subject", g.PaymentRef), Body: body,
		Kind: "order_received", Ref: g.ID}, now)
}

// statusNews is what a buyer is told of an order's new status: the body's
// news and the status as the subject names it (a code is never shown).
var statusNews = map[Status]struct{ body, subject string }{
	Paid:              {"email.status.paid", "email.subject.paid"},
	Shipped:           {"email.status.shipped", "email.subject.shipped"},
	Delivered:         {"email.status.delivered", "email.subject.delivered"},
	Cancelled:         {"email.status.cancelled", "email.subject.cancelled"},
	Refunded:          {"email.status.refunded", "email.subject.refunded"},
	PartiallyRefunded: {"email.status.partially_refunded", "email.subject.partially_refunded"},
}

// tellStatus queues the buyer's notice of an order's new status, in the
// buyer's language; a shipment names its courier and tracking number.
func (s *Service) tellStatus(ctx context.Context, tx *storage.Tx, g groupRow, o Order, to Status, carrier, track string, now time.Time) error {
	news, ok := statusNews[to]
	if !ok {
		return nil
	}
	p := locale.For(g.Lang)
	body := p.Text("email.greeting") + "\n\n" + p.Text(news.body) + "\n"
	if track != "" {
		body += p.Text("email.status.tracking", carrier, track) + "\n"
	}
	body += "\n" + p.Text("email.status.order", o.ID) + "\n\n" + p.Text("email.signature")
	return notify.Queue(ctx, tx.DB, notify.Message{To: g.BuyerEmail, Subject: p.Text("email.status.subject", g.PaymentRef, locale.Key(news.subject)),
		Body: body, Kind: "order_" + string(to), Ref: fmt.Sprintf("%s:%d", o.ID, o.RefundedIDR)}, now)
}
