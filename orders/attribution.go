package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
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
// data_bridge_to_case_record consent).
type CaseFacts interface {
	Facts(ctx context.Context, caseID string) (cases.Facts, error)
}

// writeSaleEvents puts sale_completed (and first_sale, the first time)
// into each maker's case, with their attributed amount and nothing about
// the buyer, in the completing transaction.
func (s *Service) writeSaleEvents(ctx context.Context, tx *storage.Tx, o Order, actor access.Actor, at time.Time) error {
	if s.cases == nil {
		return nil
	}
	var lines []Line
	if err := tx.DB.WithContext(ctx).Where("order_id = ?", o.ID).Find(&lines).Error; err != nil {
		return err
	}
	parts, err := attribute(lines)
	if err != nil {
		return err
	}
	caseIDs := make([]string, 0, len(parts))
	for id := range parts {
		caseIDs = append(caseIDs, id)
	}
	sort.Strings(caseIDs)
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
