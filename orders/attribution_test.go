package orders

import (
	"testing"

	"github.com/sentrakreasi/atensi/domain"
)

func TestSplitAlwaysSumsToTheAmount(t *testing.T) {
	tests := []struct {
		amount domain.IDR
		shares []int
		want   []domain.IDR
	}{
		{100000, []int{6000, 4000}, []domain.IDR{60000, 40000}},
		{25001, []int{6000, 4000}, []domain.IDR{15001, 10000}}, // 15000.6 and 10000.4: the rupiah goes to the larger remainder
		{10, []int{3333, 3333, 3334}, []domain.IDR{3, 3, 4}},
		{1, []int{5000, 5000}, []domain.IDR{1, 0}}, // a tie goes to the earlier share
		{99999, []int{10000}, []domain.IDR{99999}},
	}
	for _, tt := range tests {
		got := split(tt.amount, tt.shares)
		var sum domain.IDR
		for i := range got {
			sum += got[i]
			if got[i] != tt.want[i] {
				t.Errorf("split(%d, %v) = %v, want %v", tt.amount, tt.shares, got, tt.want)
				break
			}
		}
		if sum != tt.amount {
			t.Errorf("split(%d, %v) sums to %d", tt.amount, tt.shares, sum)
		}
	}
}
