package frontend

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/payouts"
)

// payoutMethods are how staff may say a line was paid.
var payoutMethods = []payouts.Method{payouts.BankTransfer, payouts.Cash, payouts.EWallet}

// payoutsDone are the flash messages a finished payout action may ask for.
var payoutsDone = []string{"drafted", "approved", "cancelled", "paid", "received", "cashrecorded"}

func payoutFlash(c *fiber.Ctx) *view { return doneFlash(c, "payouts.done.", payoutsDone) }

// payoutsPage is the unit's payouts: what each shop holds, the batches,
// and the lines paid to an LKS or guardian still waiting for the PM's receipt.
func (p *Pages) payoutsPage(c *fiber.Ctx) error {
	return p.renderPayouts(c, fiber.StatusOK, payoutFlash(c))
}

func (p *Pages) renderPayouts(c *fiber.Ctx, status int, v *view) error {
	actor := api.Actor(c)
	ctx := c.UserContext()
	shops, err := p.payouts.UnitBalances(ctx, actor, actor.UnitID)
	if err != nil {
		return err
	}
	batches, err := p.payouts.UnitBatches(ctx, actor, actor.UnitID, domain.Page{Limit: 50, Cursor: strings.Clone(c.Query("cursor"))})
	if err != nil {
		return err
	}
	flagged, err := p.payouts.Flagged(ctx, actor, actor.UnitID)
	if err != nil {
		return err
	}
	var available domain.IDR
	for _, sh := range shops {
		available += max(sh.Balance.AvailableIDR, 0)
	}
	d := map[string]any{"Shops": shops, "Available": available, "Batches": batches.Items, "Next": batches.NextCursor, "Flagged": flagged,
		"Min": c.FormValue("min_amount_idr")}
	return p.render(c, status, "payouts", "payouts.title", d, v)
}

// draftBatch takes the available balances of the unit's network into a
// new draft batch.
func (p *Pages) draftBatch(c *fiber.Ctx) error {
	actor := api.Actor(c)
	in := payouts.DraftInput{UnitID: actor.UnitID, FormToken: formToken(c)}
	if raw := strings.TrimSpace(c.FormValue("min_amount_idr")); raw != "" {
		n, perr := domain.ParseIDR(raw)
		if perr != nil {
			return p.renderPayouts(c, fiber.StatusUnprocessableEntity, &view{FormError: translate(language(c), "payouts.badamount")})
		}
		in.MinAmountIDR = n
	}
	b, err := p.payouts.Draft(c.UserContext(), actor, in)
	if err != nil {
		return p.again(c, err, marks{none: true}, func(status int, v *view) error { return p.renderPayouts(c, status, v) })
	}
	return c.Redirect("/staf/pembayaran/"+b.ID+"?ok=drafted", fiber.StatusSeeOther)
}

// batchPage is one batch: its lines with each PM's share, and what staff
// can do next.
func (p *Pages) batchPage(c *fiber.Ctx) error {
	return p.renderBatch(c, fiber.StatusOK, payoutFlash(c))
}

func (p *Pages) renderBatch(c *fiber.Ctx, status int, v *view) error {
	actor := api.Actor(c)
	b, err := p.payouts.ReadBatch(c.UserContext(), actor, strings.Clone(c.Params("id")))
	if err != nil {
		return err
	}
	name := func(id *string) string {
		if id == nil {
			return ""
		}
		if u, err := p.accounts.User(c.UserContext(), *id); err == nil {
			return u.Name
		}
		return ""
	}
	d := map[string]any{"Batch": b, "Maker": name(&b.CreatedBy), "Approver": name(b.ApprovedBy), "Mine": b.CreatedBy == actor.UserID, "Methods": payoutMethods,
		"Checker": p.payouts.MayApprove(actor, b.UnitID), "Today": time.Now().In(domain.Jakarta).Format(time.DateOnly)}
	return p.render(c, status, "payout_batch", "payouts.batch", d, v)
}

// batchAfter goes back to the batch after an action, or shows why it did
// not happen.
func (p *Pages) batchAfter(c *fiber.Ctx, err error, done string) error {
	if err == nil {
		return c.Redirect("/staf/pembayaran/"+c.Params("id")+"?ok="+done, fiber.StatusSeeOther)
	}
	return p.again(c, err, marks{none: true}, func(status int, v *view) error { return p.renderBatch(c, status, v) })
}

// batchStep runs a supervisor's or staff's step on a whole batch
// (approve, cancel) and goes back to it.
func (p *Pages) batchStep(step func(ctx context.Context, actor access.Actor, id string) (payouts.Batch, error), done string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		actor := api.Actor(c)
		_, err := step(c.UserContext(), actor, strings.Clone(c.Params("id")))
		return p.batchAfter(c, err, done)
	}
}

// linePaid records a line paid, with the proof photo when one was taken.
// The photo goes first: a line once paid is settled, and a proof that
// failed to upload should not leave it paid without one by surprise.
func (p *Pages) linePaid(c *fiber.Ctx) error {
	actor := api.Actor(c)
	ctx := c.UserContext()
	batchID, lineID := strings.Clone(c.Params("id")), strings.Clone(c.Params("line"))
	if fh, ferr := c.FormFile("proof"); ferr == nil && fh.Size > 0 {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := p.payouts.AttachProof(ctx, actor, batchID, lineID, f); err != nil {
			return p.batchAfter(c, err, "")
		}
	}
	in := payouts.PaidInput{Reference: c.FormValue("reference"), Method: payouts.Method(c.FormValue("method")), PaidOn: c.FormValue("paid_on")}
	l, err := p.payouts.MarkPaid(ctx, actor, batchID, lineID, in)
	if err == nil && l.AwaitingSecond {
		return p.batchAfter(c, nil, "cashrecorded")
	}
	return p.batchAfter(c, err, "paid")
}

func (p *Pages) lineReceived(c *fiber.Ctx) error {
	actor := api.Actor(c)
	_, err := p.payouts.Received(c.UserContext(), actor, strings.Clone(c.Params("id")), strings.Clone(c.Params("line")))
	return p.batchAfter(c, err, "received")
}

// lineProof sends staff to a short-lived link of the line's proof photo.
func (p *Pages) lineProof(c *fiber.Ctx) error {
	actor := api.Actor(c)
	link, err := p.payouts.ProofLink(c.UserContext(), actor, strings.Clone(c.Params("id")), strings.Clone(c.Params("line")))
	if err != nil {
		return err
	}
	return c.Redirect(link, fiber.StatusSeeOther)
}

// lineReceipt is a printable receipt of a cash line for the payee's
// signature or thumbprint. The payee's name is written by hand: a legal
// name never leaves the case record.
func (p *Pages) lineReceipt(c *fiber.Ctx) error {
	actor := api.Actor(c)
	b, err := p.payouts.ReadBatch(c.UserContext(), actor, strings.Clone(c.Params("id")))
	if err != nil {
		return err
	}
	i := slices.IndexFunc(b.Lines, func(l payouts.Line) bool { return l.ID == c.Params("line") })
	if i < 0 {
		return domain.ErrNotFound
	}
	return p.render(c, fiber.StatusOK, "payout_receipt", "payouts.receipt", map[string]any{"Batch": b, "Line": b.Lines[i]}, nil)
}

// batchExport downloads a batch in a bank's bulk-transfer shape, as csv
// or xlsx.
func (p *Pages) batchExport(format string) fiber.Handler {
	export, ct := p.payouts.ExportCSV, "text/csv; charset=utf-8"
	if format == "xlsx" {
		export, ct = p.payouts.ExportXLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return func(c *fiber.Ctx) error {
		actor := api.Actor(c)
		id := strings.Clone(c.Params("id"))
		body, err := export(c.UserContext(), actor, id)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, ct)
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="pembayaran-`+id+`.`+format+`"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(body)
	}
}
