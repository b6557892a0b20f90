package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/catalog/catalogtest"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
)

// TestBigSixteenBitPNGIsRefusedBeforeDecoding: the 372 KB PNG that decodes
// to 392 MB is refused on its header, with a message naming the limit, and
// the refusal allocates next to nothing (it was decoded twice before).
func TestBigSixteenBitPNGIsRefusedBeforeDecoding(t *testing.T) {
	w := catalogtest.New(t)
	shop := w.PMShop(t, "Foto Besar")
	p := w.Product(t, shop, "Kain Besar", 90000, 1)
	raw := catalogtest.BigPNG16(t)
	if len(raw) > 400<<10 {
		t.Fatalf("the test file is %d KB, want the issue's ~372 KB", len(raw)>>10)
	}
	ctx := context.Background()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := w.Catalog.UploadImage(ctx, shop.Seller, p.ID, bytes.NewReader(raw), "kain")
	runtime.ReadMemStats(&after)
	var v *domain.ValidationError
	if !errors.As(err, &v) || v.Fields[0].Field != "file" || !strings.Contains(v.Fields[0].Text(locale.For(locale.ID)), "7000×7000") ||
		!strings.Contains(v.Fields[0].Text(locale.For(locale.ID)), "192 MB") {
		t.Fatalf("upload: %v, want a validation error on file naming the size and the 192 MB limit", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Fatalf("refusing it allocated %d MB: it was decoded", alloc>>20)
	}
	var n int64
	w.DB.Gorm.Raw("SELECT count(*) FROM product_images WHERE product_id = ? AND alt = 'kain'", p.ID).Scan(&n)
	if n != 0 {
		t.Fatalf("%d photos saved", n)
	}
}

// TestImageJobsNeverExceedTheLimit: uploads being answered and queued jobs
// together never process more photos at once than the instance's slots.
func TestImageJobsNeverExceedTheLimit(t *testing.T) {
	w := catalogtest.New(t)
	w.Catalog.LimitImageJobs(2)
	var running, peak atomic.Int32
	catalog.SetImageJobHook(w.Catalog, func() {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		// Hold the slot until a second photo is processed beside it (or
		// two seconds pass): on a busy machine a fixed short wait let each
		// photo finish before the next one reached its slot.
		for deadline := time.Now().Add(2 * time.Second); peak.Load() < 2 && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond) // and the rest pile up behind the two
		running.Add(-1)
	})
	shop := w.PMShop(t, "Antre")
	ctx := context.Background()
	raw := photo(t, 320, 240, 0)
	// Photos uploaded before uploads were processed at once: still
	// processing, their originals kept, their jobs queued.
	var queued []string
	for i := range 3 {
		p := w.Product(t, shop, "Lama "+strconv.Itoa(i), 10000, 1)
		id, key := domain.NewID(), "uploads/"+strconv.Itoa(i)
		if _, err := w.Objects.Put(ctx, key, bytes.NewReader(raw), int64(len(raw)), "image/jpeg"); err != nil {
			t.Fatal(err)
		}
		if err := w.DB.Gorm.Exec(`INSERT INTO product_images (id, product_id, position, alt, upload_key, status, variants, created_at)
			VALUES (?, ?, 0, 'lama', ?, 'processing', '[]', now())`, id, p.ID, key).Error; err != nil {
			t.Fatal(err)
		}
		queued = append(queued, id)
	}
	products := make([]string, 8)
	for i := range products {
		products[i] = w.Product(t, shop, "Baru "+strconv.Itoa(i), 10000, 1).ID
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(products)+len(queued))
	for _, id := range products {
		wg.Go(func() {
			_, err := w.Catalog.UploadImage(ctx, shop.Seller, id, bytes.NewReader(raw), "foto")
			errs <- err
		})
	}
	for _, id := range queued {
		wg.Go(func() { errs <- w.Catalog.ProcessImageJob(ctx, catalog.ProcessImageArgs{ImageID: id}) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if p := peak.Load(); p != 2 {
		t.Fatalf("%d photos processed at once, want exactly the 2 slots", p)
	}
	var ready int64
	w.DB.Gorm.Raw("SELECT count(*) FROM product_images WHERE status = 'ready' AND alt IN ('foto', 'lama')").Scan(&ready)
	if ready != int64(len(products)+len(queued)) {
		t.Fatalf("%d photos ready, want %d", ready, len(products)+len(queued))
	}
}

// BenchmarkTwentyUploadsAtOnce sends 20 uploads at once, as six did in the
// issue, and reports the process's peak resident memory (VmHWM, the test
// binary included). BENCH_PHOTO picks the file: "png16" (default) is the
// issue's 7000×7000 16-bit PNG, refused on its header; "jpeg24mp" is a
// 6000×4000 camera JPEG, which is processed, two at a time.
func BenchmarkTwentyUploadsAtOnce(b *testing.B) {
	w := catalogtest.New(b)
	shop := w.PMShop(b, "Serbu")
	var raw []byte
	switch os.Getenv("BENCH_PHOTO") {
	case "", "png16":
		raw = catalogtest.BigPNG16(b)
	case "jpeg24mp":
		raw = cameraJPEG(b, 6000, 4000)
	default:
		b.Fatal("BENCH_PHOTO: png16 or jpeg24mp")
	}
	products := make([]string, 20)
	for i := range products {
		products[i] = w.Product(b, shop, "Serbu "+strconv.Itoa(i), 10000, 1).ID
	}
	runtime.GC()
	b.ResetTimer()
	for range b.N {
		var wg sync.WaitGroup
		for _, id := range products {
			wg.Go(func() {
				img, err := w.Catalog.UploadImage(context.Background(), shop.Seller, id, bytes.NewReader(raw), "foto")
				var v *domain.ValidationError
				if err != nil && !errors.As(err, &v) {
					b.Error(err)
				}
				if err == nil {
					_ = w.Catalog.DeleteImage(context.Background(), shop.Seller, img.ID) // room for the next round
				}
			})
		}
		wg.Wait()
	}
	b.StopTimer()
	b.ReportMetric(float64(len(raw))/1e6, "input-MB")
	b.ReportMetric(vmHWM(), "peak-RSS-MB")
}

// cameraJPEG is a w×h photo-like JPEG (noise defeats the compression).
func cameraJPEG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Y {
		img.Y[i] = uint8(i/w) ^ uint8(rng.IntN(24))
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 128, uint8(100+rng.IntN(8))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func vmHWM() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return float64(kb) / 1024
		}
	}
	return -1
}
