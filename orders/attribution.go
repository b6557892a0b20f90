package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
	"github.com/sentrakreasi/atensi/storage"
)

// makerShare is a maker of a line as frozen at checkout.
type makerShare struct {
	CaseID  string `json:"case_id"`
	ShareBP int    `json:"share_bp"`
}

// split divides amount between shares (basis points summing to 10000) in
// whole rupiah by the largest remainder (ledger.Split), so the parts always
// add up to amount exactly.
func split(amount domain.IDR, shares []int) []domain.IDR {
	w := make([]int64, len(shares))
	for i, bp := range shares {
		w[i] = int64(bp)
	}
	return ledger.Split(amount, w)
}

// attribute sums, per maker case, their part of an order's lines.
func attribute(lines []Line) (map[string]domain.IDR, error) {
	out := map[string]domain.IDR{}
	for _, l := range lines {
		var makers []makerShare
		if err := json.Unmarshal(l.Makers, &makers); err != nil {
			return nil, fmt.Errorf("line %s makers: %w", l.ID, err)
		}
		shares := make([]int, len(makers))
		for i, m := range makers {
			shares[i] = m.ShareBP
		}
		for i, part := range split(l.LineTotalIDR, shares) {
			out[makers[i].CaseID] += part
		}
	}
	return out, nil
}

// CaseFacts tells whether a PM's case takes marketplace events (the
// data_bridge_to_case_record consent), and makes the keyed buyer hash those
// events carry instead of any buyer identity.
type CaseFacts interface {
	Facts(ctx context.Context, caseID string) (cases.Facts, error)
	BuyerHash(identity string) string
}

// shipOnTime is how long after payment a courier order may take to ship
// and still count as shipped on time in the case record.
const shipOnTime = 48 * time.Hour

// buyerIdentity is who bought, for counting unique and repeat buyers: the
// email (a guest and an account with the same email are one buyer), else
// the account; an anonymous in-store buyer has none.
func buyerIdentity(g groupRow) string {
	if e := strings.ToLower(strings.TrimSpace(g.BuyerEmail)); e != "" {
		return "email:" + e
	}
	if g.BuyerUserID != nil {
		return "user:" + *g.BuyerUserID
	}
	return ""
}

// goodsRefunded is how much of the goods (subtotal) a cumulative refund
// covers: refunds are counted against the goods first, shipping last, so
// the case record never keeps income the PM gave back.
func goodsRefunded(o Order, refunded domain.IDR) domain.IDR {
	return min(refunded, o.SubtotalIDR)
}

// scale shares out amount in proportion to each case's attributed part,
// largest remainder, so the parts sum to amount exactly.
func scale(amount domain.IDR, parts map[string]domain.IDR, ids []string) map[string]domain.IDR {
	w := make([]int64, len(ids))
	for i, id := range ids {
		w[i] = int64(parts[id])
	}
	out := map[string]domain.IDR{}
	for i, v := range ledger.Split(amount, w) {
		out[ids[i]] = v
	}
	return out
}

// makerParts attributes an order's lines to its makers, sorted by case.
func makerParts(ctx context.Context, tx *storage.Tx, orderID string) (map[string]domain.IDR, []string, error) {
	var lines []Line
	if err := tx.DB.WithContext(ctx).Where("order_id = ?", orderID).Find(&lines).Error; err != nil {
		return nil, nil, err
	}
	parts, err := attribute(lines)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, 0, len(parts))
	for id := range parts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return parts, ids, nil
}

// saleFacts is what the indicators need of an order beyond its amount,
// with nothing that identifies the buyer: a keyed hash of them, whether a
// courier order shipped on time, and whether a pendamping acted on it.
func (s *Service) saleFacts(ctx context.Context, tx *storage.Tx, o Order, actor access.Actor) (map[string]any, error) {
	db := tx.DB.WithContext(ctx)
	var g groupRow
	if err := db.First(&g, "id = ?", o.GroupID).Error; err != nil {
		return nil, fmt.Errorf("order group: %w", err)
	}
	var steps []historyRow
	if err := db.Where("order_id = ?", o.ID).Order("id").Find(&steps).Error; err != nil {
		return nil, fmt.Errorf("order history: %w", err)
	}
	facts := map[string]any{}
	if id := buyerIdentity(g); id != "" {
		facts["buyer_hash"] = s.cases.BuyerHash(id)
	}
	assisted := actor.Role == access.Pendamping
	var paid, shipped *time.Time
	for _, h := range steps {
		if h.OnBehalfOf != nil {
			assisted = true
		}
		at := h.At
		switch Event(h.Event) {
		case Pay:
			paid = &at
		case Ship:
			shipped = &at
		}
	}
	facts["assisted"] = assisted
	if g.ShippingMethod == "courier" && paid != nil && shipped != nil {
		facts["shipped_on_time"] = shipped.Sub(*paid) <= shipOnTime
	}
	return facts, nil
}

// writeSaleEvents puts sale_completed (and first_sale, the first time)
// into each maker's case, with their attributed amount and nothing about
// the buyer, in the completing transaction. What was refunded before
// completion is taken off first.
func (s *Service) writeSaleEvents(ctx context.Context, tx *storage.Tx, o Order, actor access.Actor, at time.Time) error {
	if s.cases == nil {
		return nil
	}
	parts, caseIDs, err := makerParts(ctx, tx, o.ID)
	if err != nil || len(caseIDs) == 0 {
		return err
	}
	if o.RefundedIDR > 0 {
		parts = scale(o.SubtotalIDR-goodsRefunded(o, o.RefundedIDR), parts, caseIDs)
	}
	facts, err := s.saleFacts(ctx, tx, o, actor)
	if err != nil {
		return err
	}
	for _, id := range caseIDs {
		f, err := s.cases.Facts(ctx, id)
		if err != nil {
			return err
		}
		if !f.Consents[string(cases.PurposeDataBridge)] {
			continue // no consent, no event: the case record stays as it was
		}
		var before int64
		if err := tx.DB.WithContext(ctx).Table("case_events").Where("case_id = ? AND type = 'sale_completed'", id).Count(&before).Error; err != nil {
			return err
		}
		data := map[string]any{"order_id": o.ID, "shop_id": o.ShopID, "attributed_idr": parts[id]}
		for k, v := range facts {
			data[k] = v
		}
		if err := cases.AppendEvent(ctx, tx.DB, id, "sale_completed", at, actor, data); err != nil {
			return err
		}
		if before == 0 {
			if err := cases.AppendEvent(ctx, tx.DB, id, "first_sale", at, actor, data); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeRefundEvents puts a refund event into each maker's case for a
// refund of a completed order, with their negative attributed part. It is
// counted in the month it happens: the month of the sale stays as closed.
// refundedBefore is what the order had refunded before this refund.
func (s *Service) writeRefundEvents(ctx context.Context, tx *storage.Tx, o Order, refundedBefore, amount domain.IDR, actor access.Actor, at time.Time) error {
	if s.cases == nil {
		return nil
	}
	goods := goodsRefunded(o, refundedBefore+amount) - goodsRefunded(o, refundedBefore)
	if goods <= 0 {
		return nil // only shipping was given back: no income of the PM changes
	}
	parts, caseIDs, err := makerParts(ctx, tx, o.ID)
	if err != nil || len(caseIDs) == 0 {
		return err
	}
	shares := scale(goods, parts, caseIDs)
	for _, id := range caseIDs {
		f, err := s.cases.Facts(ctx, id)
		if err != nil {
			return err
		}
		if !f.Consents[string(cases.PurposeDataBridge)] || shares[id] == 0 {
			continue
		}
		if err := cases.AppendEvent(ctx, tx.DB, id, "refund", at, actor, map[string]any{
			"order_id": o.ID, "shop_id": o.ShopID, "attributed_idr": -shares[id]}); err != nil {
			return err
		}
	}
	return nil
}
