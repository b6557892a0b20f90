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

// BenchmarkCheckout measures bank-transfer checkouts of 3 items from 2
// shops ("spread") and of every buyer on one product ("hot"), two ways:
//   - capacity: 16 buyers check out back to back; checkouts/s is the most
//     this machine sustains (latency there is queueing: 16 / rate).
//   - at300: buyers arrive at a steady 300/s whatever the answers do (open
//     loop, latency counted from each arrival's scheduled time, so a stall
//     is not hidden); p99-ms is the latency the orders issue caps at 100 ms.
func BenchmarkCheckout(b *testing.B) {
	for _, hot := range []bool{false, true} {
		name := "spread"
		if hot {
			name = "hot"
		}
		b.Run(name+"/capacity", func(b *testing.B) { benchCheckout(b, hot, 0) })
		b.Run(name+"/at300", func(b *testing.B) { benchCheckout(b, hot, 300) })
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
	out := benchShops{svc: orders.NewService(w.DB, w.Catalog, w.Accounts, w.Cases, "https://pasar.example", w.Clock.Now)}
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

// benchCheckout runs b.N checkouts: with 16 workers back to back when rate
// is 0, else one arrival every 1/rate seconds.
func benchCheckout(b *testing.B, hot bool, rate int) {
	wb := setupBench(b)
	svc := wb.svc
	latencies := make([]time.Duration, b.N)
	checkout := func(i int, since time.Time) {
		items := wb.spread(i)
		if hot {
			items = []orders.Item{{ProductID: wb.hot, Quantity: 1}}
		}
		_, err := svc.Checkout(context.Background(), access.Actor{}, checkoutInput("courier", items...))
		latencies[i] = time.Since(since)
		if err != nil && !errors.Is(err, domain.ErrConflict) {
			b.Error(err)
		}
	}
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	if rate == 0 {
		next := make(chan int)
		for range 16 {
			wg.Go(func() {
				for i := range next {
					checkout(i, time.Now())
				}
			})
		}
		for i := 0; i < b.N; i++ {
			next <- i
		}
		close(next)
	} else {
		every := time.Second / time.Duration(rate)
		for i := 0; i < b.N; i++ {
			due := start.Add(time.Duration(i) * every)
			time.Sleep(time.Until(due))
			wg.Go(func() { checkout(i, due) })
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "checkouts/s")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
}
