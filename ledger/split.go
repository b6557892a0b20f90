package ledger

import (
	"math/bits"
	"sort"

	"github.com/sentrakreasi/atensi/domain"
)

// Split divides amount between weights in whole rupiah by the largest
// remainder: each part gets the floor of its exact share, and the rupiah
// left over go one each to the largest remainders (ties to the earlier
// weight), so the parts always add up to amount exactly. Amount and weights
// are non-negative (basis points, or rupiah earned); when they are all
// zero the first part takes everything.
func Split(amount domain.IDR, weights []int64) []domain.IDR {
	parts := make([]domain.IDR, len(weights))
	if len(weights) == 0 {
		return parts
	}
	var total int64
	for _, w := range weights {
		total += w
	}
	if total <= 0 {
		parts[0] = amount
		return parts
	}
	type rem struct {
		i int
		r int64
	}
	rems := make([]rem, len(weights))
	var given domain.IDR
	for i, w := range weights {
		// amount × weight in 128 bits: both may be billions of rupiah. The
		// quotient is at most amount, so it fits again.
		hi, lo := bits.Mul64(uint64(amount), uint64(w))
		q, r := bits.Div64(hi, lo, uint64(total))
		parts[i] = domain.IDR(q)
		rems[i] = rem{i, int64(r)}
		given += parts[i]
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; given < amount; k++ {
		parts[rems[k%len(rems)].i]++
		given++
	}
	return parts
}
