package payouts

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage"
)

// BatchStatus is where a batch is: draft -> approved -> closed, or
// draft -> cancelled (CONTRACT.md "Payout batches").
type BatchStatus string

// The batch statuses.
const (
	Draft     BatchStatus = "draft"
	Approved  BatchStatus = "approved"
	Closed    BatchStatus = "closed"
	Cancelled BatchStatus = "cancelled"
)

// LineStatus is where one shop's payout is.
type LineStatus string

// The line statuses: paid is final for a payment to the PM; a payment to an
// LKS or guardian is settled only when received.
const (
	LinePending   LineStatus = "pending"
	LinePaid      LineStatus = "paid"
	LineReceived  LineStatus = "received"
	LineCancelled LineStatus = "cancelled"
)

// DraftInput is the body of POST /payout-batches.
type DraftInput struct {
	UnitID       string     `json:"unit_id"`
	MinAmountIDR domain.IDR `json:"min_amount_idr"`
	// FormToken is the page form's one-time token: the same form sent
	// again (a double tap, a reload) answers the batch the first made.
	FormToken string `json:"-"`
}

// Batch is a payout batch as staff of its unit see it.
type Batch struct {
	ID           string      `json:"id"`
	UnitID       string      `json:"unit_id"`
	Status       BatchStatus `json:"status"`
	MinAmountIDR domain.IDR  `json:"min_amount_idr"`
	TotalIDR     domain.IDR  `json:"total_idr"`
	CreatedBy    string      `json:"created_by"`
	CreatedAt    time.Time   `json:"created_at"`
	ApprovedBy   *string     `json:"approved_by,omitempty"`
	ApprovedAt   *time.Time  `json:"approved_at,omitempty"`
	CancelledBy  *string     `json:"cancelled_by,omitempty"`
	CancelledAt  *time.Time  `json:"cancelled_at,omitempty"`
	ClosedAt     *time.Time  `json:"closed_at,omitempty"`
	Lines        []Line      `json:"lines" gorm:"-"`
	// History is every step with who, when, on whose behalf and the request id.
	History []audit.Entry `json:"history,omitempty" gorm:"-"`
}

func (Batch) TableName() string { return "payout_batches" }

// Line is one shop's payout in a batch.
type Line struct {
	ID         string     `json:"id"`
	BatchID    string     `json:"batch_id"`
	ShopID     string     `json:"shop_id"`
	ShopName   string     `json:"shop_name" gorm:"-"`
	PayeeKind  PayeeKind  `json:"payee_kind"`
	Method     Method     `json:"method"`
	RouteID    *string    `json:"route_id,omitempty"`
	AmountIDR  domain.IDR `json:"amount_idr"`
	Status     LineStatus `json:"status"`
	Reference  *string    `json:"reference,omitempty"`
	PaidMethod *Method    `json:"paid_method,omitempty"`
	PaidOn     *string    `json:"paid_on,omitempty" gorm:"-"`
	PaidBy     *string    `json:"paid_by,omitempty"`
	PaidAt     *time.Time `json:"paid_at,omitempty"`
	ReceivedBy *string    `json:"received_by,omitempty"`
	ReceivedAt *time.Time `json:"received_at,omitempty"`
	// CashRecordedBy is the first of the two people a cash line over the
	// proof threshold needs, when no proof photo came: the line stays
	// pending (AwaitingSecond) until someone else records the same handover.
	CashRecordedBy *string    `json:"cash_recorded_by,omitempty"`
	CashRecordedAt *time.Time `json:"cash_recorded_at,omitempty"`
	AwaitingSecond bool       `json:"awaiting_second" gorm:"-"`
	HasProof       bool       `json:"has_proof" gorm:"-"`
	NeedsReceipt   bool       `json:"needs_receipt" gorm:"-"`
	// Flagged: paid to an LKS or guardian and not acknowledged within the
	// receipt window.
	Flagged bool    `json:"flagged" gorm:"-"`
	Shares  []Share `json:"shares" gorm:"-"`

	PaidOnDate            *time.Time `json:"-" gorm:"column:paid_on"`
	ProofKey              *string    `json:"-"`
	CashRecordedReference *string    `json:"-"`
}

func (Line) TableName() string { return "payout_lines" }

// Share is one PM's part of a line.
type Share struct {
	LineID    string     `json:"-"`
	CaseID    string     `json:"case_id"`
	AmountIDR domain.IDR `json:"amount_idr"`
}

func (Share) TableName() string { return "payout_shares" }

// candidate is a shop with money to pay out, locked for the draft.
type candidate struct {
	ShopID     string
	Kind       string
	CaseID     *string
	BalanceIDR domain.IDR `gorm:"column:balance_idr"`
}

// Draft takes the whole available balance of every shop of a unit's
// network at or above the minimum into a new batch, moving it to
// seller_payout in the same transaction. The available accounts are locked
// (in the ledger's lock order) and re-read under the lock, so a second
// draft made meanwhile finds nothing left of the same money.
func (s *Service) Draft(ctx context.Context, actor access.Actor, in DraftInput) (Batch, error) {
	if !domain.ValidID(in.UnitID) {
		return Batch{}, domain.Invalid("unit_id", "payouts.unit.unknown")
	}
	if err := access.Can(actor, access.ManagePayouts, access.Resource{UnitID: in.UnitID}, s.now()); err != nil {
		return Batch{}, err
	}
	if in.MinAmountIDR < 0 {
		return Batch{}, domain.Invalid("min_amount_idr", "payouts.min.negative")
	}
	network, err := s.units.Network(ctx, in.UnitID)
	if err != nil {
		return Batch{}, err
	}
	units := append(pq.StringArray{in.UnitID}, network...)
	now := s.now().UTC()
	b := Batch{ID: domain.NewID(), UnitID: in.UnitID, Status: Draft, MinAmountIDR: in.MinAmountIDR, CreatedBy: actor.UserID, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if in.FormToken != "" {
			if err := tx.Once(ctx, "payout-draft:"+in.UnitID+":"+in.FormToken, b.ID); err != nil {
				return err
			}
		}
		db := tx.DB.WithContext(ctx)
		var cands []candidate
		// Available balances are negative (owed to the shop); a shop at or
		// below zero, say after a refund of money already paid out, is left
		// for a later batch to net.
		if err := db.Raw(`SELECT a.shop_id, s.kind, s.case_id, a.balance_idr FROM ledger_accounts a JOIN shops s ON s.id = a.shop_id
			WHERE a.kind = ? AND s.unit_id = ANY(?::uuid[]) AND a.balance_idr <= ?
			ORDER BY a.code FOR UPDATE OF a`, ledger.KindSellerAvailable, units, -max(in.MinAmountIDR, 1)).Scan(&cands).Error; err != nil {
			return fmt.Errorf("payout candidates: %w", err)
		}
		if len(cands) == 0 {
			return domain.Errorf(domain.ErrConflict, "payouts.batch.nothing")
		}
		routes, err := s.confirmedRoutes(db, cands)
		if err != nil {
			return err
		}
		lines := make([]Line, len(cands))
		var shares []Share
		postings := make([]ledger.Posting, 0, 2*len(cands))
		for i, c := range cands {
			amount := -c.BalanceIDR
			l := Line{ID: domain.NewID(), BatchID: b.ID, ShopID: c.ShopID, AmountIDR: amount, Status: LinePending, PayeeKind: PayeePM, Method: Cash}
			if c.Kind == "lks_workshop" {
				l.PayeeKind = PayeeLKS
			}
			if r, ok := routes[c.ShopID]; ok {
				l.PayeeKind, l.Method, l.RouteID = r.PayeeKind, r.Method, &r.ID
			}
			lineShares, err := s.sharesOf(ctx, db, c, amount)
			if err != nil {
				return err
			}
			for _, sh := range lineShares {
				sh.LineID = l.ID
				shares = append(shares, sh)
			}
			lines[i] = l
			b.TotalIDR += amount
			postings = append(postings, ledger.Posting{Account: ledger.Available(c.ShopID), Amount: amount},
				ledger.Posting{Account: ledger.InPayout(c.ShopID), Amount: -amount})
		}
		if err := db.Create(&b).Error; err != nil {
			return fmt.Errorf("create batch: %w", err)
		}
		if err := db.CreateInBatches(&lines, 1000).Error; err != nil {
			return fmt.Errorf("create payout lines: %w", err)
		}
		if len(shares) > 0 {
			if err := db.CreateInBatches(&shares, 2000).Error; err != nil {
				return fmt.Errorf("create payout shares: %w", err)
			}
		}
		if err := ledger.Post(ctx, tx, "payout_draft", b.ID, now, postings...); err != nil {
			return err
		}
		return s.step(ctx, tx.DB, actor, "payout_batch.draft", b.ID, "", map[string]any{"lines": len(lines), "total_idr": b.TotalIDR})
	})
	var rep *storage.Repeated
	if errors.As(err, &rep) {
		return s.batch(ctx, rep.Result)
	}
	if err != nil {
		return Batch{}, err
	}
	return s.batch(ctx, b.ID)
}

// confirmedRoutes loads the routes in use of the candidate shops.
func (s *Service) confirmedRoutes(db *gorm.DB, cands []candidate) (map[string]routeRow, error) {
	ids := make(pq.StringArray, len(cands))
	for i, c := range cands {
		ids[i] = c.ShopID
	}
	var rows []routeRow
	if err := db.Select("id", "shop_id", "payee_kind", "method").Where("shop_id = ANY(?::uuid[]) AND status = 'confirmed'", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("payout routes: %w", err)
	}
	out := make(map[string]routeRow, len(rows))
	for _, r := range rows {
		out[r.ShopID] = r
	}
	return out, nil
}

// sharesOf says whose money a line is. A PM's shop: all of it the PM's. A
// workshop shop: each maker's lifetime earnings (from the shares frozen on
// the order lines) minus what earlier lines already gave them is what they
// are still owed, and those remainders add up to the line. When a refund
// after a payout has left one maker owed less than nothing, the line is
// split by the positive remainders with the largest-remainder rule, so no
// part is negative and the parts still add up to the line to the rupiah.
func (s *Service) sharesOf(ctx context.Context, db *gorm.DB, c candidate, amount domain.IDR) ([]Share, error) {
	if c.CaseID != nil {
		return []Share{{CaseID: *c.CaseID, AmountIDR: amount}}, nil
	}
	if s.earnings == nil {
		return nil, nil
	}
	earned, err := s.earnings.MakerEarnings(ctx, db, c.ShopID)
	if err != nil {
		return nil, err
	}
	var given []struct {
		CaseID    string
		AmountIDR domain.IDR `gorm:"column:amount_idr"`
	}
	if err := db.Raw(`SELECT s.case_id, sum(s.amount_idr) AS amount_idr FROM payout_shares s JOIN payout_lines l ON l.id = s.line_id
		WHERE l.shop_id = ? AND l.status <> 'cancelled' GROUP BY s.case_id`, c.ShopID).Scan(&given).Error; err != nil {
		return nil, fmt.Errorf("shares given: %w", err)
	}
	owed := map[string]domain.IDR{}
	for id, v := range earned {
		owed[id] += v
	}
	for _, g := range given {
		owed[g.CaseID] -= g.AmountIDR
	}
	ids := make([]string, 0, len(owed))
	for id := range owed {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	var sum domain.IDR
	weights := make([]int64, len(ids))
	exact := true
	for i, id := range ids {
		sum += owed[id]
		weights[i] = int64(max(owed[id], 0))
		exact = exact && owed[id] >= 0
	}
	out := make([]Share, 0, len(ids))
	parts := ledger.Split(amount, weights)
	for i, id := range ids {
		part := parts[i]
		if exact && sum == amount {
			part = owed[id]
		}
		if part > 0 {
			out = append(out, Share{CaseID: id, AmountIDR: part})
		}
	}
	return out, nil
}

// lockBatch loads a batch for change, locked, and checks the actor is staff
// of its unit (anyone else: not found).
func (s *Service) lockBatch(ctx context.Context, tx *storage.Tx, actor access.Actor, id string, action access.Action) (Batch, error) {
	var b Batch
	if !domain.ValidID(id) {
		return b, fmt.Errorf("payout batch %q: %w", id, domain.ErrNotFound)
	}
	if err := tx.DB.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Take(&b, "id = ?", id).Error; err != nil {
		return b, storage.NotFound(err, "payout batch")
	}
	if err := access.Can(actor, access.ManagePayouts, access.Resource{UnitID: b.UnitID}, s.now()); err != nil {
		return b, err
	}
	if action != access.ManagePayouts {
		if err := access.Can(actor, action, access.Resource{UnitID: b.UnitID}, s.now()); err != nil {
			return b, err
		}
	}
	return b, nil
}

// Cancel gives a draft's money back to each shop's available balance.
func (s *Service) Cancel(ctx context.Context, actor access.Actor, id string) (Batch, error) {
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		b, err := s.lockBatch(ctx, tx, actor, id, access.ManagePayouts)
		if err != nil {
			return err
		}
		if b.Status == Cancelled && b.CancelledBy != nil && *b.CancelledBy == actor.UserID {
			return errRepeated // a double tap
		}
		to, ok := b.Status.next(Cancel)
		if !ok {
			return domain.Errorf(domain.ErrConflict, "payouts.batch.cancel", locale.Key("bstatus."+string(b.Status)))
		}
		lineTo, _ := LinePending.next(Cancel)
		db := tx.DB.WithContext(ctx)
		var lines []Line
		if err := db.Where("batch_id = ? AND status = ?", id, LinePending).Find(&lines).Error; err != nil {
			return fmt.Errorf("batch lines: %w", err)
		}
		postings := make([]ledger.Posting, 0, 2*len(lines))
		for _, l := range lines {
			postings = append(postings, ledger.Posting{Account: ledger.InPayout(l.ShopID), Amount: l.AmountIDR},
				ledger.Posting{Account: ledger.Available(l.ShopID), Amount: -l.AmountIDR})
		}
		now := s.now().UTC()
		if err := ledger.Post(ctx, tx, "payout_cancel", id, now, postings...); err != nil {
			return err
		}
		if err := db.Model(&Line{}).Where("batch_id = ? AND status = ?", id, LinePending).Update("status", lineTo).Error; err != nil {
			return fmt.Errorf("cancel lines: %w", err)
		}
		if err := db.Model(&Batch{}).Where("id = ?", id).
			Updates(map[string]any{"status": to, "cancelled_by": actor.UserID, "cancelled_at": now}).Error; err != nil {
			return fmt.Errorf("cancel batch: %w", err)
		}
		return s.step(ctx, tx.DB, actor, "payout_batch.cancel", id, "", nil)
	})
	if err != nil && !errors.Is(err, errRepeated) {
		return Batch{}, err
	}
	return s.batch(ctx, id)
}

// errRepeated ends a transaction that finds its work already done by the
// same person: the answer is the batch as it is.
var errRepeated = errors.New("done before by the same person")

// Approve is the checker's step: a supervisor of the unit who did not make
// the batch.
func (s *Service) Approve(ctx context.Context, actor access.Actor, id string) (Batch, error) {
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		b, err := s.lockBatch(ctx, tx, actor, id, access.ApprovePayouts)
		if err != nil {
			return err
		}
		if b.CreatedBy == actor.UserID {
			return domain.Errorf(domain.ErrForbidden, "payouts.batch.maker")
		}
		if b.Status == Approved && b.ApprovedBy != nil && *b.ApprovedBy == actor.UserID {
			return errRepeated // a double tap
		}
		to, ok := b.Status.next(Approve)
		if !ok {
			return domain.Errorf(domain.ErrConflict, "payouts.batch.approve", locale.Key("bstatus."+string(b.Status)))
		}
		if err := tx.DB.WithContext(ctx).Model(&Batch{}).Where("id = ?", id).
			Updates(map[string]any{"status": to, "approved_by": actor.UserID, "approved_at": s.now().UTC()}).Error; err != nil {
			return fmt.Errorf("approve batch: %w", err)
		}
		return s.step(ctx, tx.DB, actor, "payout_batch.approve", id, "", nil)
	})
	if err != nil && !errors.Is(err, errRepeated) {
		return Batch{}, err
	}
	return s.batch(ctx, id)
}

// ReadBatch answers a batch to staff of its unit; anyone else learns
// nothing of it.
func (s *Service) ReadBatch(ctx context.Context, actor access.Actor, id string) (Batch, error) {
	b, err := s.batchRow(ctx, id)
	if err != nil {
		return b, err
	}
	if err := access.Can(actor, access.ManagePayouts, access.Resource{UnitID: b.UnitID}, s.now()); err != nil {
		return Batch{}, err
	}
	return s.batch(ctx, id)
}

// UnitBatches lists a unit's batches, newest first, without their lines.
func (s *Service) UnitBatches(ctx context.Context, actor access.Actor, unitID string, page domain.Page) (domain.List[Batch], error) {
	out := domain.List[Batch]{Items: []Batch{}}
	if err := access.Can(actor, access.ManagePayouts, access.Resource{UnitID: unitID}, s.now()); err != nil {
		return out, err
	}
	q := s.db.Gorm.WithContext(ctx).Where("unit_id = ?", unitID).Order("id DESC")
	if page.Cursor != "" {
		if !domain.ValidID(page.Cursor) {
			return out, domain.Invalid("cursor", "field.cursor")
		}
		q = q.Where("id < ?", page.Cursor)
	}
	return storage.Page(q, page, "batches", func(b Batch) string { return b.ID })
}

func (s *Service) batchRow(ctx context.Context, id string) (Batch, error) {
	var b Batch
	if !domain.ValidID(id) {
		return b, fmt.Errorf("payout batch %q: %w", id, domain.ErrNotFound)
	}
	err := s.db.Gorm.WithContext(ctx).Take(&b, "id = ?", id).Error
	return b, storage.NotFound(err, "payout batch")
}

// batch loads a batch with its lines, their shares and shop names, and its
// history: five queries however many lines.
func (s *Service) batch(ctx context.Context, id string) (Batch, error) {
	b, err := s.batchRow(ctx, id)
	if err != nil {
		return b, err
	}
	if err := s.db.Gorm.WithContext(ctx).Where("batch_id = ?", id).Order("id").Find(&b.Lines).Error; err != nil {
		return b, fmt.Errorf("batch lines: %w", err)
	}
	if b.Lines == nil {
		b.Lines = []Line{}
	}
	if err := s.fill(ctx, b.Lines); err != nil {
		return b, err
	}
	b.History, err = audit.ForResource(ctx, s.db.Gorm, "payout_batch", id, 200)
	return b, err
}

// fill gives lines their shares, shop names and derived fields: two
// queries however many lines.
func (s *Service) fill(ctx context.Context, lines []Line) error {
	ids, shops := make(pq.StringArray, len(lines)), make(pq.StringArray, len(lines))
	at := map[string]int{}
	for i, l := range lines {
		ids[i], shops[i], at[l.ID] = l.ID, l.ShopID, i
	}
	db := s.db.Gorm.WithContext(ctx)
	var shares []Share
	if err := db.Raw(`SELECT line_id, case_id, amount_idr FROM payout_shares WHERE line_id = ANY(?::uuid[])
		ORDER BY line_id, amount_idr DESC, case_id`, ids).Scan(&shares).Error; err != nil {
		return fmt.Errorf("line shares: %w", err)
	}
	var names []struct{ ID, DisplayName string }
	if err := db.Raw(`SELECT id, display_name FROM shops WHERE id = ANY(?::uuid[])`, shops).Scan(&names).Error; err != nil {
		return fmt.Errorf("line shops: %w", err)
	}
	name := map[string]string{}
	for _, n := range names {
		name[n.ID] = n.DisplayName
	}
	for _, sh := range shares {
		l := &lines[at[sh.LineID]]
		l.Shares = append(l.Shares, sh)
	}
	for i := range lines {
		s.decorate(&lines[i])
		lines[i].ShopName = name[lines[i].ShopID]
	}
	return nil
}

// decorate fills a line's derived fields.
func (s *Service) decorate(l *Line) {
	if l.Shares == nil {
		l.Shares = []Share{}
	}
	if l.PaidOnDate != nil {
		d := l.PaidOnDate.Format(time.DateOnly)
		l.PaidOn = &d
	}
	l.HasProof = l.ProofKey != nil
	l.AwaitingSecond = l.Status == LinePending && l.CashRecordedBy != nil
	l.NeedsReceipt = l.PayeeKind.needsReceipt()
	l.Flagged = l.Status == LinePaid && l.NeedsReceipt && l.PaidAt != nil &&
		s.now().Sub(*l.PaidAt) > time.Duration(s.settings.ReceiptDays)*24*time.Hour
}

// step writes one step of a batch into the audit log, in the step's
// transaction: who, when, on whose behalf, and (from ctx) the request id.
func (s *Service) step(ctx context.Context, db *gorm.DB, actor access.Actor, action, batchID, onBehalfOf string, detail map[string]any) error {
	return audit.Record(ctx, db, audit.Entry{ActorID: actor.UserID, OnBehalfOf: onBehalfOf, Action: action,
		ResourceKind: "payout_batch", ResourceID: batchID, Detail: detail})
}
