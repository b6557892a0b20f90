package catalog

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"image"
	"image/jpeg"
	_ "image/png" // decoders register themselves
	"io"

	"github.com/chai2010/webp"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// Photo limits. A phone photo is 3-12 MP and a few MB; anything far larger
// is a mistake or an attack (a small file that decodes to gigabytes).
const (
	maxUploadBytes = 10 << 20
	maxPixels      = 50_000_000
	maxSide        = 12_000
)

// variantWidths are the widths pages ask for in srcset.
var variantWidths = []int{320, 640, 1280}

// ErrNotAPhoto covers everything that is not a readable JPEG, PNG or WebP
// within the photo limits.
var ErrNotAPhoto = errors.New("not a JPEG, PNG or WebP image")

// sniff names an image format from its first bytes, never from a file name.
func sniff(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "jpeg"
	case len(b) >= 8 && bytes.Equal(b[:8], []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return "webp"
	}
	return ""
}

// checkImage reads the header only: format and size, before any decoding.
func checkImage(b []byte) (format string, w, h int, err error) {
	format = sniff(b)
	if format == "" {
		return "", 0, 0, ErrNotAPhoto
	}
	cfg, got, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || got != format {
		return "", 0, 0, ErrNotAPhoto
	}
	return format, cfg.Width, cfg.Height, nil
}

// encoded is one variant's bytes.
type encoded struct {
	width, height int
	mime          string
	body          []byte
}

// key is the content address of a variant: the same bytes, the same key.
func (e encoded) key() string {
	sum := sha256.Sum256(e.body)
	ext := ".jpg"
	if e.mime == "image/webp" {
		ext = ".webp"
	}
	return "img/" + hex.EncodeToString(sum[:]) + ext
}

// process decodes a photo, turns it upright (EXIF orientation), and makes
// the resized variants as WebP and JPEG. Encoding from pixels writes no
// metadata at all, so GPS and camera data never leave this function.
// The big step from the camera's size down to 1280 px uses a fast filter;
// the smaller ones are derived from that with a better one, which keeps a
// 12 MP photo well under a second and its memory to the decoded image.
func process(r io.Reader) ([]encoded, int, int, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxUploadBytes+1))
	if err != nil {
		return nil, 0, 0, err
	}
	src, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, 0, 0, ErrNotAPhoto
	}
	orient := 1
	if sniff(raw) == "jpeg" {
		orient = exifOrientation(raw)
	}
	raw = nil
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	if orient >= 5 { // a quarter turn: width and height trade places
		sw, sh = sh, sw
	}
	widths := make([]int, 0, len(variantWidths))
	for _, w := range variantWidths {
		if w < sw {
			widths = append(widths, w)
		}
	}
	if len(widths) < len(variantWidths) {
		widths = append(widths, sw) // the photo's own width, never upscaled
	}
	largest := widths[len(widths)-1]
	// Scale in the source's own orientation, then turn the small result.
	tw, th := largest, max(1, sh*largest/sw)
	if orient >= 5 {
		tw, th = th, tw
	}
	big := image.NewNRGBA(image.Rect(0, 0, tw, th))
	draw.ApproxBiLinear.Scale(big, big.Bounds(), src, src.Bounds(), draw.Src, nil)
	src = nil
	upright := orientImage(big, orient)
	var out []encoded
	for i := len(widths) - 1; i >= 0; i-- {
		w := widths[i]
		img := upright
		if w != largest {
			h := max(1, upright.Bounds().Dy()*w/upright.Bounds().Dx())
			small := image.NewNRGBA(image.Rect(0, 0, w, h))
			draw.CatmullRom.Scale(small, small.Bounds(), upright, upright.Bounds(), draw.Src, nil)
			img = small
		}
		var jb, wb bytes.Buffer
		if err := jpeg.Encode(&jb, img, &jpeg.Options{Quality: 80}); err != nil {
			return nil, 0, 0, err
		}
		if err := webp.Encode(&wb, img, &webp.Options{Quality: 75}); err != nil {
			return nil, 0, 0, err
		}
		h := img.Bounds().Dy()
		out = append(out, encoded{w, h, "image/webp", wb.Bytes()}, encoded{w, h, "image/jpeg", jb.Bytes()})
	}
	return out, upright.Bounds().Dx(), upright.Bounds().Dy(), nil
}

// orientImage applies an EXIF orientation (1-8) to an image.
func orientImage(src *image.NRGBA, o int) *image.NRGBA {
	if o < 2 || o > 8 {
		return src
	}
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			si, di := src.PixOffset(x, y), dst.PixOffset(dx, dy)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}

// exifOrientation finds the Orientation tag (0x0112) in a JPEG's Exif
// segment; 1 (upright) when there is none or it cannot be read.
func exifOrientation(b []byte) int {
	i := 2
	for i+4 <= len(b) && b[i] == 0xFF {
		marker, size := b[i+1], int(binary.BigEndian.Uint16(b[i+2:i+4]))
		if marker == 0xDA || size < 2 || i+2+size > len(b) { // image data starts: no more metadata
			return 1
		}
		seg := b[i+4 : i+2+size]
		if marker == 0xE1 && len(seg) > 14 && bytes.Equal(seg[:6], []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		i += 2 + size
	}
	return 1
}

func tiffOrientation(t []byte) int {
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	ifd := int(order.Uint32(t[4:8]))
	if ifd+2 > len(t) {
		return 1
	}
	n := int(order.Uint16(t[ifd : ifd+2]))
	for k := 0; k < n; k++ {
		e := ifd + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if order.Uint16(t[e:e+2]) == 0x0112 {
			if v := int(order.Uint16(t[e+8 : e+10])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// UprightJPEG turns a phone photo into a JPEG at most longest pixels on its
// longer side, upright by its Exif orientation and with no metadata at all:
// for private photos (a payout's proof) that need no public variants.
func UprightJPEG(r io.Reader, longest int) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxUploadBytes+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxUploadBytes {
		return nil, ErrNotAPhoto
	}
	format, w, h, err := checkImage(raw)
	if err != nil || w*h > maxPixels || w > maxSide || h > maxSide {
		return nil, ErrNotAPhoto
	}
	src, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, ErrNotAPhoto
	}
	orient := 1
	if format == "jpeg" {
		orient = exifOrientation(raw)
	}
	tw, th := w, h
	if long := max(w, h); long > longest {
		tw, th = max(1, w*longest/long), max(1, h*longest/long)
	}
	scaled := image.NewNRGBA(image.Rect(0, 0, tw, th))
	draw.ApproxBiLinear.Scale(scaled, scaled.Bounds(), src, src.Bounds(), draw.Src, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, orientImage(scaled, orient), &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
