package catalog

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestExifOrientationParser(t *testing.T) {
	for _, tt := range []struct {
		name string
		b    []byte
		want int
	}{
		{"no exif", []byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2}, 1},
		{"truncated", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF}, 1},
		{"big endian 8", append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 30}, append([]byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01"),
			0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0)...), 8},
	} {
		if got := exifOrientation(tt.b); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestOrientImageTurnsEveryWay(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	src.Set(0, 0, color.NRGBA{255, 0, 0, 255}) // a red top-left corner
	for o, corner := range map[int]image.Point{1: {0, 0}, 2: {2, 0}, 3: {2, 1}, 4: {0, 1}, 5: {0, 0}, 6: {1, 0}, 7: {1, 2}, 8: {0, 2}} {
		out := orientImage(src, o)
		if c := out.NRGBAAt(corner.X, corner.Y); c.R != 255 {
			t.Errorf("orientation %d: red corner not at %v", o, corner)
		}
	}
}

// BenchmarkProcess12MP processes a 4000×3000 camera photo per iteration
// (the catalog issue asks for under 2 s and under 300 MB). peak-MB is the
// process's high-water mark of resident memory (VmHWM), so it includes the
// test binary itself and is an upper bound for the processing.
func BenchmarkProcess12MP(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(i/4000) ^ uint8(rng.IntN(24))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	raw := buf.Bytes()
	img = nil
	hd, err := inspect(raw)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, _, err := process(raw, hd); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(raw))/1e6, "input-MB")
	b.ReportMetric(peakMB(), "peak-MB")
}

func peakMB() float64 {
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
