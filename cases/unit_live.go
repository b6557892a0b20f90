package cases

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sentrakreasi/atensi/storage"
)

// liveUnitMonths keeps a unit's sums of a month not closed yet for a short
// while (ttl; 0 keeps nothing). Summing the live month costs an index
// probe per PM, too much for every view of a Balai's dashboard. Each entry
// carries the last consent id it saw: a consent recorded anywhere makes the
// next view sum again, so a withdrawal counts at once; sales and incomes
// show within ttl. The sums are only read once stored.
type liveUnitMonths struct {
	mu      sync.Mutex
	ttl     time.Duration
	entries map[string]liveUnitMonth // unit/month
}

type liveUnitMonth struct {
	mark  int64
	at    time.Time
	cells map[groupKey]cellSum
}

// KeepLiveUnitMonths lets a unit's live month be reused for ttl (before
// serving). Without it every dashboard view sums the month again.
func (s *Service) KeepLiveUnitMonths(ttl time.Duration) { s.live.ttl = ttl }

// get gives the unit's sums of month m, from a recent entry or summed now.
func (l *liveUnitMonths) get(ctx context.Context, s *Service, m monthSpan, unitID string, set OutcomeSettings) (map[groupKey]cellSum, error) {
	if l.ttl <= 0 {
		return s.unitLiveMonth(ctx, m, unitID, set)
	}
	// Under the consents lock every id up to the highest is committed, so
	// no consent recorded before this view can hide below the mark.
	var mark int64
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := lockConsents(ctx, tx, true); err != nil {
			return err
		}
		return tx.DB.WithContext(ctx).Raw("SELECT coalesce(max(id), 0) FROM consents").Scan(&mark).Error
	})
	if err != nil {
		return nil, fmt.Errorf("consent watermark: %w", err)
	}
	key, now := unitID+"/"+m.String(), s.now()
	l.mu.Lock()
	e, ok := l.entries[key]
	l.mu.Unlock()
	if ok && e.mark == mark && now.Sub(e.at) < l.ttl {
		return e.cells, nil
	}
	cells, err := s.unitLiveMonth(ctx, m, unitID, set)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.entries == nil {
		l.entries = map[string]liveUnitMonth{}
	}
	for k, old := range l.entries { // a unit's past live months go stale: drop them
		if now.Sub(old.at) >= l.ttl {
			delete(l.entries, k)
		}
	}
	l.entries[key] = liveUnitMonth{mark: mark, at: now, cells: cells}
	return cells, nil
}
