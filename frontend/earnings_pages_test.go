package frontend

import (
	"slices"
	"testing"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
)

// TestEarningsChart: the axis reaches the tallest bar in round steps, a
// quiet month is drawn as zero, and the amounts are written short.
func TestEarningsChart(t *testing.T) {
	for _, c := range []struct {
		top, step domain.IDR
	}{{0, 1000}, {1, 1}, {36000, 10000}, {72000, 20000}, {100000, 25000}, {1_500_000, 500_000}, {4_000_000, 1_000_000}} {
		if got := niceStep(c.top); got != c.step || got*4 < c.top {
			t.Errorf("niceStep(%d) = %d, want %d", c.top, got, c.step)
		}
	}
	for _, c := range []struct {
		lang string
		v    domain.IDR
		want string
	}{{LangID, 0, "0"}, {LangID, 250_000, "250 rb"}, {LangID, 1_500_000, "1,5 jt"}, {LangEN, 1_500_000, "1.5m"}, {LangEN, 20_000, "20k"}} {
		if got := compactRupiah(c.lang, c.v); got != c.want {
			t.Errorf("compactRupiah(%s, %d) = %q, want %q", c.lang, c.v, got, c.want)
		}
	}

	ch := buildEarningsChart(LangID, []ledger.Month{{Month: "2026-11", SalesIDR: 80000, PaidOutIDR: 40000}, {Month: "2026-08", SalesIDR: 20000}})
	if len(ch.Labels) != chartMonths || ch.Labels[0].Text != "Jun 26" || ch.Labels[chartMonths-1].Text != "Nov 26" {
		t.Fatalf("labels = %+v", ch.Labels)
	}
	if ch.First != "Juni 2026" || ch.Last != "November 2026" {
		t.Errorf("covers %s to %s", ch.First, ch.Last)
	}
	heights := map[string][]int{}
	for _, b := range ch.Bars {
		heights[b.Class] = append(heights[b.Class], b.H)
	}
	// Jun..Nov: only Aug and Nov sold; Nov's sales reach the top of the axis (4 × 20,000).
	if want := []int{0, 0, chartPlot / 4, 0, 0, chartPlot}; !slices.Equal(heights["bar-sales"], want) {
		t.Errorf("sales bars = %v, want %v", heights["bar-sales"], want)
	}
	if want := []int{0, 0, 0, 0, 0, chartPlot / 2}; !slices.Equal(heights["bar-paid"], want) {
		t.Errorf("paid bars = %v, want %v", heights["bar-paid"], want)
	}
	if buildEarningsChart(LangID, nil) != nil {
		t.Error("no months should draw no chart")
	}
	if monthName(LangEN, "2026-03", false) != "March 2026" || monthName(LangID, "bukan", true) != "bukan" {
		t.Error("month names")
	}
}
