package catalog

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// TestDecodeCostFollowsTheDecoders: the estimate from a header is what Go's
// decoders allocate for each layout, so the 16-bit PNG is caught and an
// ordinary photo is not.
func TestDecodeCostFollowsTheDecoders(t *testing.T) {
	pngOf := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	r := image.Rect(0, 0, 64, 64)
	pal := image.NewPaletted(r, color.Palette{color.Black, color.White})
	for _, tt := range []struct {
		name string
		raw  []byte
		bpp  int64
	}{
		{"16-bit RGBA", pngOf(image.NewNRGBA64(r)), 8},
		{"16-bit grey", pngOf(image.NewGray16(r)), 2},
		{"8-bit RGBA", pngOf(image.NewNRGBA(r)), 4},
		{"8-bit grey", pngOf(image.NewGray(r)), 1},
		{"paletted", pngOf(pal), 1},
	} {
		hd, err := inspect(tt.raw)
		if err != nil {
			t.Fatal(tt.name, err)
		}
		scaled := int64(2 * 64 * 64 * 4)
		if got := hd.cost - scaled; got != tt.bpp*64*64 {
			t.Errorf("%s: %d bytes for the pixels, want %d a pixel", tt.name, got, tt.bpp)
		}
	}

	// A 4000×3000 JPEG frame header, 4:2:0, baseline then progressive.
	frame := func(marker byte) []byte {
		b := []byte{0xFF, 0xD8, 0xFF, marker, 0, 17, 8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}
		binary.BigEndian.PutUint16(b[7:], 3000)
		binary.BigEndian.PutUint16(b[9:], 4000)
		return b
	}
	base, prog, ok := jpegSamples(frame(0xC0), 4000, 3000)
	if !ok || prog || base < 18_000_000 || base > 18_200_000 {
		t.Errorf("baseline 4:2:0: %d samples (progressive %v), want about 1.5 a pixel", base, prog)
	}
	if _, prog, ok := jpegSamples(frame(0xC2), 4000, 3000); !ok || !prog {
		t.Error("SOF2 is progressive")
	}
}
