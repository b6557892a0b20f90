package cases

import (
	"context"
	"fmt"
	"time"

	"github.com/sentrakreasi/atensi/access"
)

// caseloadMonths is how many months a caseload row carries: enough for a
// year's sparkline and for the graduation streak.
const caseloadMonths = 12

// CaseloadItem is one open case of a caseload with its recent months.
type CaseloadItem struct {
	ID              string    `json:"id"`
	CaseNo          string    `json:"case_no"`
	Cluster         Cluster   `json:"cluster"`
	Sensitivity     string    `json:"sensitivity"`
	AssignedStaffID *string   `json:"assigned_staff_id"`
	OpenedOn        string    `json:"opened_on"`
	Months          []Outcome `json:"months"` // oldest first, up to the current month
	// GraduationDue is the caseworker's task: at or above the minimum wage
	// for the setting's months in a row (in the last complete month or the
	// current one), and not reviewed since that streak began.
	GraduationDue bool `json:"graduation_due"`
	// GraduationProposed: a proposed graduation waits for a supervisor.
	GraduationProposed bool `json:"graduation_proposed"`
	// NoSale: no sale (or, before any, no sale since the shop opened) for
	// the setting's days.
	NoSale bool `json:"no_sale"`
}

// Current is the item's current month, nil when the case has none.
func (c CaseloadItem) Current() *Outcome {
	if len(c.Months) == 0 {
		return nil
	}
	return &c.Months[len(c.Months)-1]
}

// Caseload lists the open cases of unitID that the actor may read (tiers
// respected: a case the actor may not open is left out, not refused), each
// with its last 12 months of indicators. Closed months come from their
// snapshots and the others are summed for the whole unit at once, a
// statement per month, never one per PM.
func (s *Service) Caseload(ctx context.Context, actor access.Actor, unitID string) ([]CaseloadItem, error) {
	now := s.now()
	if err := access.Can(actor, access.ReadUnitOutcomes, access.Resource{UnitID: unitID}, now); err != nil {
		return nil, err
	}
	db := s.db.Gorm.WithContext(ctx)
	var rows []caseRow
	if err := db.Where("unit_id = ? AND closed_on IS NULL", unitID).Order("case_no").Limit(2000).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("caseload: %w", err)
	}
	items := make([]CaseloadItem, 0, len(rows))
	index := map[string]int{}
	for _, r := range rows {
		if access.Can(actor, access.ReadOutcomes, resourceOf(r), now) != nil {
			continue
		}
		index[r.ID] = len(items)
		items = append(items, CaseloadItem{ID: r.ID, CaseNo: r.CaseNo, Cluster: r.Cluster, Sensitivity: r.Sensitivity,
			AssignedStaffID: r.AssignedStaffID, OpenedOn: r.OpenedOn.Format(time.DateOnly)})
	}
	if len(items) == 0 {
		return items, nil
	}
	current := monthOf(now)
	first := monthSpan{current.start.AddDate(0, 1-caseloadMonths, 0)}
	var snaps []snapshotRow
	if err := db.Raw(`SELECT DISTINCT ON (case_id, month) * FROM outcome_snapshots
		WHERE month BETWEEN ? AND ? AND case_id IN (SELECT id FROM cases WHERE unit_id = ? AND closed_on IS NULL)
		ORDER BY case_id, month, version DESC`, first.date(), current.date(), unitID).Scan(&snaps).Error; err != nil {
		return nil, fmt.Errorf("caseload snapshots: %w", err)
	}
	locked := map[string]map[string]Outcome{} // month -> case -> outcome
	for _, r := range snaps {
		m := r.Month.Format("2006-01")
		if locked[m] == nil {
			locked[m] = map[string]Outcome{}
		}
		locked[m][r.CaseID] = r.outcome()
	}
	var done []time.Time
	if err := db.Raw("SELECT DISTINCT month FROM outcome_months WHERE month BETWEEN ? AND ?", first.date(), current.date()).Scan(&done).Error; err != nil {
		return nil, fmt.Errorf("closed months: %w", err)
	}
	closed := map[string]bool{}
	for _, d := range done {
		closed[d.Format("2006-01")] = true
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	listed, err := s.activeListings(ctx, s.db.Gorm, ids)
	if err != nil {
		return nil, err
	}
	set := s.settings()
	prev := map[string]*carried{} // each case's state at the end of the month before
	for m := first; !current.before(m); m = m.next() {
		next := map[string]*carried{}
		if closed[m.String()] {
			for id, o := range locked[m.String()] {
				if i, ok := index[id]; ok {
					items[i].Months = append(items[i].Months, o)
					next[id] = o.carried()
				}
			}
			prev = next
			continue
		}
		sums, err := sumMonthOf(ctx, s.db.Gorm, m, "unit", unitID)
		if err != nil {
			return nil, err
		}
		asOf := m.end()
		if now.Before(asOf) {
			asOf = now
		}
		for _, b := range sums {
			i, ok := index[b.CaseID]
			if !ok {
				continue
			}
			p := prev[b.CaseID]
			if p == nil {
				p = b.carried()
			}
			n := listed[b.CaseID]
			b.Listings = &n
			o := derive(m, b, p, set, asOf)
			items[i].Months = append(items[i].Months, o)
			next[b.CaseID] = o.carried()
		}
		prev = next
	}
	reviewed, err := s.lastGraduationReviews(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range items {
		n := len(items[i].Months)
		last := reviewed[items[i].ID]
		for k := max(0, n-2); k < n; k++ {
			m := items[i].Months[k]
			if set.GraduationMonths > 0 && m.StreakMonths >= set.GraduationMonths {
				start, _ := ParseMonth(m.Month)
				start = start.AddDate(0, 1-m.StreakMonths, 0)
				items[i].GraduationDue = last == nil || last.ReviewedAt.Before(start)
			}
		}
		items[i].GraduationProposed = last != nil && last.Status == GraduationProposed
		if n > 0 {
			last := items[i].Months[n-1]
			items[i].NoSale = last.lastSaleAt != nil && set.NoSaleDays > 0 && !now.Before(last.lastSaleAt.AddDate(0, 0, set.NoSaleDays))
		}
	}
	return items, nil
}
