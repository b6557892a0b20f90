package orders_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog/catalogtest"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
)

// BenchmarkCheckout measures sustained bank-transfer checkouts of 3 items
// from 2 shops, 16 at a time, and reports checkouts/s and the p99 latency
// (the orders issue asks for >= 300/s with p99 <= 100 ms on this machine).
// "hot" puts every buyer on the same single product instead.
func BenchmarkCheckout(b *testing.B) {
	for _, hot := range []bool{false, true} {
		name := "spread"
		if hot {
			name = "hot"
		}
		b.Run(name, func(b *testing.B) { benchCheckout(b, hot) })
	}
}

// benchShops is two shops with plenty of stock.
type benchShops struct {
	svc      *orders.Service
	products []string // three of shop A, three of shop B
	hot      string
}

func setupBench(b *testing.B) benchShops {
	w := catalogtest.New(b)
	out := benchShops{svc: orders.NewService(w.DB, w.Catalog, w.Cases, "https://pasar.example", w.Clock.Now)}
	for _, name := range []string{"A", "B"} {
		shop := w.PMShop(b, "Bangku "+name)
		for i := range 3 {
			p := w.Product(b, shop, fmt.Sprintf("Produk %s%d", name, i), domain.IDR(10000+1000*i), 100_000)
			out.products = append(out.products, p.ID)
		}
	}
	out.hot = out.products[0]
	return out
}

// spread is the i-th buyer's cart: two products of shop A and one of B.
func (s benchShops) spread(i int) []orders.Item {
	return []orders.Item{{ProductID: s.products[i%3], Quantity: 1}, {ProductID: s.products[(i+1)%3], Quantity: 1},
		{ProductID: s.products[3+i%3], Quantity: 1}}
}

func benchCheckout(b *testing.B, hot bool) {
	wb := setupBench(b)
	svc := wb.svc
	const workers = 16
	latencies := make([]time.Duration, 0, b.N)
	var mu sync.Mutex
	next := make(chan int)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for i := range next {
				items := wb.spread(i)
				if hot {
					items = []orders.Item{{ProductID: wb.hot, Quantity: 1}}
				}
				t0 := time.Now()
				_, err := svc.Checkout(context.Background(), access.Actor{}, checkoutInput("courier", items...))
				d := time.Since(t0)
				if err != nil && !errors.Is(err, domain.ErrConflict) {
					b.Error(err)
				}
				mu.Lock()
				latencies = append(latencies, d)
				mu.Unlock()
			}
		})
	}
	for i := 0; i < b.N; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "checkouts/s")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
}
