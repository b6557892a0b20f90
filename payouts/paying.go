package payouts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage"
)

// PaidInput is the body of POST /payout-batches/{id}/lines/{line}/paid.
type PaidInput struct {
	Reference string `json:"reference"`
	Method    Method `json:"method"`
	// PaidOn is the day the money was handed over (YYYY-MM-DD, Asia/Jakarta); today by default.
	PaidOn string `json:"paid_on"`
}

// MarkPaid records that staff paid a line of an approved batch: the ledger
// moves the amount from seller_payout to seller_paid_out, and each PM whose
// money it is gets a payout_paid event with their own amount. A line is
// paid once: the same reference again answers the first result; another
// reference is a conflict. The batch row is locked first, so concurrent
// calls for a batch run one after another and the loser sees the winner's
// reference.
//
// Cash leaves no bank line behind, so a line paid in cash above
// Settings.CashProofOverIDR needs a proof photo attached first, or two
// people: the first call records the handover and leaves the line pending
// (AwaitingSecond); a second person recording the same reference pays it.
// The first person again is answered the waiting line, or with another
// reference a conflict.
func (s *Service) MarkPaid(ctx context.Context, actor access.Actor, batchID, lineID string, in PaidInput) (Line, error) {
	in.Reference = strings.TrimSpace(in.Reference)
	v := &domain.ValidationError{}
	if l := len(in.Reference); l < 1 || l > 100 {
		v.Add("reference", "payouts.reference.required")
	}
	if in.Method != "" && in.Method != BankTransfer && in.Method != Cash && in.Method != EWallet {
		v.Add("method", "payouts.method.invalid")
	}
	today := s.now().In(domain.Jakarta)
	paidOn := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if in.PaidOn != "" {
		d, err := time.Parse(time.DateOnly, in.PaidOn)
		if err != nil || d.After(paidOn) || d.Before(paidOn.AddDate(-1, 0, 0)) {
			v.Add("paid_on", "payouts.paidon.invalid")
		}
		paidOn = d
	}
	if err := v.Err(); err != nil {
		return Line{}, err
	}
	var out Line
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		b, err := s.lockBatch(ctx, tx, actor, batchID, access.ManagePayouts)
		if err != nil {
			return err
		}
		l, err := s.lockLine(ctx, tx, batchID, lineID)
		if err != nil {
			return err
		}
		if l.Status == LinePaid || l.Status == LineReceived {
			if l.Reference != nil && *l.Reference == in.Reference {
				out = l
				return nil // the first result, nothing moves again
			}
			return domain.Errorf(domain.ErrConflict, "payouts.line.otherref")
		}
		if !b.Status.Allows(Pay) {
			return domain.Errorf(domain.ErrConflict, "payouts.batch.notapproved", locale.Key("bstatus."+string(b.Status)))
		}
		to, ok := l.Status.next(Pay)
		if !ok {
			return domain.Errorf(domain.ErrConflict, "payouts.line.status", locale.Key("lstatus."+string(l.Status)))
		}
		method := l.Method
		if in.Method != "" {
			method = in.Method
		}
		now := s.now().UTC()
		db := tx.DB.WithContext(ctx)
		first := l.CashRecordedBy != nil && *l.CashRecordedBy == actor.UserID
		witness := ""
		if method == Cash && l.AmountIDR > s.settings.CashProofOverIDR && l.ProofKey == nil {
			switch {
			case l.CashRecordedBy == nil:
				if err := db.Model(&Line{}).Where("id = ?", l.ID).Updates(map[string]any{"cash_recorded_by": actor.UserID,
					"cash_recorded_reference": in.Reference, "cash_recorded_at": now}).Error; err != nil {
					return fmt.Errorf("record cash: %w", err)
				}
				if err := s.step(ctx, tx.DB, actor, "payout_line.cash_recorded", b.ID, "", map[string]any{"line_id": l.ID,
					"reference": in.Reference, "amount_idr": l.AmountIDR}); err != nil {
					return err
				}
				out, err = s.lockLine(ctx, tx, batchID, lineID)
				return err
			case first && *l.CashRecordedReference == in.Reference:
				out = l // a repeat: still waiting for the second person
				return nil
			case first:
				return domain.Errorf(domain.ErrConflict, "payouts.cash.witness", rupiah(s.settings.CashProofOverIDR))
			case *l.CashRecordedReference != in.Reference:
				return domain.Errorf(domain.ErrConflict, "payouts.cash.mismatch", *l.CashRecordedReference)
			}
			witness = *l.CashRecordedBy
		}
		paid := map[string]any{"status": to, "reference": in.Reference,
			"paid_method": method, "paid_on": paidOn, "paid_by": actor.UserID, "paid_at": now}
		if l.CashRecordedBy != nil && witness == "" {
			// Paid without the recorded handover after all (with a proof, or
			// as a bank transfer), by whoever: the half-done record goes.
			paid["cash_recorded_by"], paid["cash_recorded_reference"], paid["cash_recorded_at"] = nil, nil, nil
		}
		if err := db.Model(&Line{}).Where("id = ?", l.ID).Updates(paid).Error; err != nil {
			return fmt.Errorf("pay line: %w", err)
		}
		if err := ledger.Post(ctx, tx, "payout_paid", l.ID, now,
			ledger.Posting{Account: ledger.InPayout(l.ShopID), Amount: l.AmountIDR},
			ledger.Posting{Account: ledger.PaidOut(l.ShopID), Amount: -l.AmountIDR}); err != nil {
			return err
		}
		data := map[string]any{"batch_id": b.ID, "line_id": l.ID, "shop_id": l.ShopID, "payee_kind": l.PayeeKind, "method": method,
			"paid_on": paidOn.Format(time.DateOnly)}
		if err := s.shareEvents(ctx, tx, actor, l.ID, "payout_paid", now, data); err != nil {
			return err
		}
		detail := map[string]any{"line_id": l.ID, "reference": in.Reference, "method": method, "amount_idr": l.AmountIDR, "with_proof": l.ProofKey != nil}
		if witness != "" {
			detail["witness_id"] = witness
		}
		if err := s.step(ctx, tx.DB, actor, "payout_line.paid", b.ID, "", detail); err != nil {
			return err
		}
		if err := s.closeIfSettled(ctx, tx, b.ID); err != nil {
			return err
		}
		out, err = s.lockLine(ctx, tx, batchID, lineID)
		return err
	})
	if err != nil {
		return Line{}, err
	}
	return s.withShares(ctx, out)
}

// Received records that the PM got the money of a line paid to an LKS or a
// guardian: staff of the unit, or a pendamping (delegated for the PM's
// earnings) with the PM present. The line is then settled.
func (s *Service) Received(ctx context.Context, actor access.Actor, batchID, lineID string) (Line, error) {
	if actor.Anonymous() {
		return Line{}, domain.ErrUnauthorized
	}
	var out Line
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		db := tx.DB.WithContext(ctx)
		var b Batch
		if !domain.ValidID(batchID) {
			return fmt.Errorf("payout batch %q: %w", batchID, domain.ErrNotFound)
		}
		if err := db.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&b, "id = ?", batchID).Error; err != nil {
			return storage.NotFound(err, "payout batch")
		}
		l, err := s.lockLine(ctx, tx, batchID, lineID)
		if err != nil {
			return err
		}
		onBehalfOf := ""
		if access.Can(actor, access.ManagePayouts, access.Resource{UnitID: b.UnitID}, s.now()) != nil {
			if onBehalfOf, err = s.pendampingFor(ctx, db, actor, l); err != nil {
				return err
			}
		}
		switch {
		case l.Status == LineReceived:
			out = l
			return nil
		case !l.PayeeKind.needsReceipt():
			return domain.Errorf(domain.ErrConflict, "payouts.receipt.direct")
		case !l.Status.Allows(Receive):
			return domain.Errorf(domain.ErrConflict, "payouts.line.unpaid")
		}
		to, _ := l.Status.next(Receive)
		now := s.now().UTC()
		if err := db.Model(&Line{}).Where("id = ? AND status = ?", l.ID, l.Status).
			Updates(map[string]any{"status": to, "received_by": actor.UserID, "received_at": now}).Error; err != nil {
			return fmt.Errorf("receive line: %w", err)
		}
		data := map[string]any{"batch_id": b.ID, "line_id": l.ID, "shop_id": l.ShopID, "payee_kind": l.PayeeKind}
		if err := s.shareEvents(ctx, tx, actor, l.ID, "payout_received", now, data); err != nil {
			return err
		}
		if err := s.step(ctx, tx.DB, actor, "payout_line.received", b.ID, onBehalfOf, map[string]any{"line_id": l.ID}); err != nil {
			return err
		}
		if err := s.closeIfSettled(ctx, tx, b.ID); err != nil {
			return err
		}
		out, err = s.lockLine(ctx, tx, batchID, lineID)
		return err
	})
	if err != nil {
		return Line{}, err
	}
	return s.withShares(ctx, out)
}

// pendampingFor is the case a pendamping acknowledges a receipt for: one
// whose PM has a share in the line and delegated their earnings to them.
func (s *Service) pendampingFor(ctx context.Context, db *gorm.DB, actor access.Actor, l Line) (string, error) {
	var caseIDs []string
	if err := db.WithContext(ctx).Model(&Share{}).Where("line_id = ?", l.ID).Order("case_id").Pluck("case_id", &caseIDs).Error; err != nil {
		return "", err
	}
	if actor.Role == access.Pendamping {
		for _, id := range caseIDs {
			if actor.DelegatedFor(id, access.ScopeEarnings, s.now()) {
				return id, nil
			}
		}
	}
	return "", fmt.Errorf("payout line %s: %w", l.ID, domain.ErrNotFound)
}

// rupiah is how the messages here write an amount; it goes once they come
// from the catalogue, which formats a domain.IDR argument itself.
func rupiah(v domain.IDR) string { return v.String() }

func (s *Service) lockLine(ctx context.Context, tx *storage.Tx, batchID, lineID string) (Line, error) {
	var l Line
	if !domain.ValidID(lineID) {
		return l, fmt.Errorf("payout line %q: %w", lineID, domain.ErrNotFound)
	}
	err := tx.DB.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Take(&l, "id = ? AND batch_id = ?", lineID, batchID).Error
	return l, storage.NotFound(err, "payout line")
}

func (s *Service) withShares(ctx context.Context, l Line) (Line, error) {
	lines := []Line{l}
	err := s.fill(ctx, lines)
	return lines[0], err
}

// shareEvents writes typ into the case of each PM with a share in the line,
// with their own amount, when they consented to the data bridge. A closed
// shop or a withdrawn selling consent changes nothing here: what was
// earned is paid.
func (s *Service) shareEvents(ctx context.Context, tx *storage.Tx, actor access.Actor, lineID, typ string, at time.Time, base map[string]any) error {
	if s.cases == nil {
		return nil
	}
	var shares []Share
	if err := tx.DB.WithContext(ctx).Where("line_id = ?", lineID).Order("case_id").Find(&shares).Error; err != nil {
		return fmt.Errorf("line shares: %w", err)
	}
	for _, sh := range shares {
		f, err := s.cases.Facts(ctx, sh.CaseID)
		if err != nil {
			return err
		}
		if !f.Consents[string(cases.PurposeDataBridge)] {
			continue
		}
		data := map[string]any{"amount_idr": sh.AmountIDR}
		for k, v := range base {
			data[k] = v
		}
		if err := cases.AppendEvent(ctx, tx.DB, sh.CaseID, typ, at, actor, data); err != nil {
			return err
		}
	}
	return nil
}

// closeIfSettled closes an approved batch once no line can take a Pay or a
// Receive any more: each is paid to the PM, received, or cancelled.
func (s *Service) closeIfSettled(ctx context.Context, tx *storage.Tx, batchID string) error {
	to, _ := Approved.next(Close)
	err := tx.DB.WithContext(ctx).Exec(`UPDATE payout_batches SET status = ?, closed_at = ? WHERE id = ? AND status = ?
		AND NOT EXISTS (SELECT 1 FROM payout_lines WHERE batch_id = ? AND (status = ? OR (status = ? AND payee_kind IN ?)))`,
		to, s.now().UTC(), batchID, Approved, batchID, LinePending, LinePaid, receiptPayees).Error
	if err != nil {
		return fmt.Errorf("close batch: %w", err)
	}
	return nil
}

// Flagged lists the lines of a unit's batches paid to an LKS or a guardian
// and still not acknowledged after the receipt window, oldest first.
func (s *Service) Flagged(ctx context.Context, actor access.Actor, unitID string) ([]Line, error) {
	if err := access.Can(actor, access.ManagePayouts, access.Resource{UnitID: unitID}, s.now()); err != nil {
		return nil, err
	}
	cutoff := s.now().Add(-time.Duration(s.settings.ReceiptDays) * 24 * time.Hour)
	var lines []Line
	if err := s.db.Gorm.WithContext(ctx).Where(`status = ? AND payee_kind IN ? AND paid_at < ?
		AND batch_id IN (SELECT id FROM payout_batches WHERE unit_id = ?)`, LinePaid, receiptPayees, cutoff, unitID).Order("paid_at, id").Limit(500).Find(&lines).Error; err != nil {
		return nil, fmt.Errorf("flagged lines: %w", err)
	}
	if lines == nil {
		lines = []Line{}
	}
	return lines, s.fill(ctx, lines)
}
