package catalog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/chai2010/webp"
	"golang.org/x/image/draw"
	xwebp "golang.org/x/image/webp"
)

// Photo limits. A phone photo is 3-12 MP and a few MB; anything far larger
// is a mistake or an attack (a small file that decodes to gigabytes).
const (
	maxUploadBytes = 10 << 20
	maxPixels      = 50_000_000
	maxSide        = 12_000
	// maxDecodeBytes bounds the memory one photo may take to process: its
	// decoded pixels and what the decoder and the scaling hold on the way,
	// estimated from the header before anything is decoded. It admits a
	// 50 MP baseline JPEG or a 24 MP progressive one, and refuses a
	// 7000×7000 16-bit PNG (392 MB of pixels from a 372 KB file). With
	// IMAGE_WORKERS photos at once, it bounds what photos take of an
	// instance's memory.
	maxDecodeBytes = 192 << 20
)

// variantWidths are the widths pages ask for in srcset.
var variantWidths = []int{320, 640, 1280}

// ErrNotAPhoto covers everything that is not a readable JPEG, PNG or WebP
// within the photo limits.
var ErrNotAPhoto = errors.New("not a JPEG, PNG or WebP image")

// TooBigError is a photo within the file size that would take more memory
// to decode than a photo may (maxDecodeBytes); it is an ErrNotAPhoto.
type TooBigError struct {
	Width, Height int
	Need, Limit   int64 // bytes
}

func (e *TooBigError) Error() string {
	return fmt.Sprintf("photo %d×%d needs %d MB to decode, over the %d MB limit", e.Width, e.Height, e.Need>>20, e.Limit>>20)
}

// Is makes errors.Is(err, ErrNotAPhoto) true.
func (e *TooBigError) Is(target error) bool { return target == ErrNotAPhoto }

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

// photoHeader is what a photo's header says, read before any decoding.
type photoHeader struct {
	format string
	cfg    image.Config
	cost   int64 // bytes decoding and scaling it takes (decodeCost)
}

// inspect reads a photo's header only: its format, size and the memory its
// decoding would take, and refuses it (ErrNotAPhoto, *TooBigError) before
// a byte of pixels is allocated. Every decode in this package starts here.
func inspect(b []byte) (photoHeader, error) {
	h := photoHeader{format: sniff(b)}
	var err error
	switch h.format {
	case "jpeg":
		h.cfg, err = jpeg.DecodeConfig(bytes.NewReader(b))
	case "png":
		h.cfg, err = png.DecodeConfig(bytes.NewReader(b))
	case "webp":
		h.cfg, err = xwebp.DecodeConfig(bytes.NewReader(b))
	default:
		return h, ErrNotAPhoto
	}
	w, ht := h.cfg.Width, h.cfg.Height
	if err != nil || w < 1 || ht < 1 || w > maxSide || ht > maxSide || w*ht > maxPixels {
		return h, ErrNotAPhoto
	}
	h.cost = decodeCost(b, h.format, h.cfg)
	if h.cost > maxDecodeBytes {
		return h, &TooBigError{Width: w, Height: ht, Need: h.cost, Limit: maxDecodeBytes}
	}
	return h, nil
}

// decode decodes a photo inspect admitted, with its own format's decoder
// (so what inspect estimated is what runs).
func decode(b []byte, format string) (image.Image, error) {
	var img image.Image
	var err error
	switch format {
	case "jpeg":
		img, err = jpeg.Decode(bytes.NewReader(b))
	case "png":
		img, err = png.Decode(bytes.NewReader(b))
	case "webp":
		img, err = xwebp.Decode(bytes.NewReader(b))
	default:
		return nil, ErrNotAPhoto
	}
	if err != nil {
		return nil, ErrNotAPhoto
	}
	return img, nil
}

// decodeCost is the memory, in bytes, that decoding a photo and scaling it
// down take, from the header alone and as Go's decoders allocate: the
// decoded pixels at their bytes per pixel (a 16-bit PNG takes 8, a JPEG's
// 4:2:0 planes 1.5), what the decoder holds besides (a progressive JPEG's
// coefficients, 4 bytes per sample; an interlaced PNG's largest pass; a
// lossless WebP's ARGB buffer), and process's two scaled copies.
func decodeCost(b []byte, format string, cfg image.Config) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	var cost int64
	switch format {
	case "jpeg":
		samples, progressive, ok := jpegSamples(b, cfg.Width, cfg.Height)
		if !ok {
			samples = 3 * px
		}
		cost = samples
		if progressive {
			cost += 4 * samples
		}
		if cfg.ColorModel == color.CMYKModel {
			cost += 4 * px // converted from the decoder's planes
		}
	case "png":
		bpp, interlaced := pngLayout(b)
		cost = bpp * px
		if interlaced {
			cost += cost / 2 // the last Adam7 pass holds half the pixels
		}
	case "webp":
		switch cfg.ColorModel {
		case color.YCbCrModel: // lossy: 4:2:0 planes in whole macroblocks
			cost = 2 * px
		case color.NYCbCrAModel: // lossy with an alpha plane, itself maybe lossless
			cost = 7 * px
		default: // lossless: ARGB words, then NRGBA
			cost = 9 * px
		}
	}
	sw := min(cfg.Width, variantWidths[len(variantWidths)-1])
	scaled := int64(sw) * int64(max(1, cfg.Height*sw/cfg.Width)) * 4
	return cost + 2*scaled // process's largest variant and its upright copy
}

// jpegSamples counts a JPEG's decoded samples (every component at its own
// sampling) from its frame header, and says whether it is progressive.
func jpegSamples(b []byte, w, h int) (samples int64, progressive, ok bool) {
	i := 2
	for i+4 <= len(b) && b[i] == 0xFF {
		marker, size := b[i+1], int(binary.BigEndian.Uint16(b[i+2:i+4]))
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if size < 2 || i+2+size > len(b) {
			return 0, false, false
		}
		sof := marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
		if sof {
			seg := b[i+4 : i+2+size]
			if len(seg) < 6 {
				return 0, false, false
			}
			n := int(seg[5])
			if n < 1 || len(seg) < 6+3*n {
				return 0, false, false
			}
			hmax, vmax := 1, 1
			for c := 0; c < n; c++ {
				hmax, vmax = max(hmax, int(seg[7+3*c]>>4)), max(vmax, int(seg[7+3*c]&15))
			}
			for c := 0; c < n; c++ {
				hs, vs := max(1, int(seg[7+3*c]>>4)), max(1, int(seg[7+3*c]&15))
				// A component's plane, in whole 8×8 blocks of whole MCUs.
				cw := (w*hs/hmax + 8*hs) &^ 7
				ch := (h*vs/vmax + 8*vs) &^ 7
				samples += int64(cw) * int64(ch)
			}
			progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE
			return samples, progressive, true
		}
		if marker == 0xDA {
			return 0, false, false
		}
		i += 2 + size
	}
	return 0, false, false
}

// pngLayout reads a PNG's IHDR and the chunks up to its image data: the
// bytes per pixel of the image Go's decoder makes (a transparent grey or
// RGB becomes NRGBA), and whether it is interlaced.
func pngLayout(b []byte) (bpp int64, interlaced bool) {
	if len(b) < 33 {
		return 8, true
	}
	depth, ct := b[24], b[25]
	interlaced = b[28] != 0
	trns := false
	for i := 8; i+8 <= len(b); {
		n, typ := int(binary.BigEndian.Uint32(b[i:i+4])), string(b[i+4:i+8])
		if typ == "IDAT" || n < 0 || n > len(b) {
			break
		}
		trns = trns || typ == "tRNS"
		i += 12 + n
	}
	switch {
	case ct == 3: // paletted, one byte an index
		return 1, interlaced
	case depth == 16 && ct == 0 && !trns:
		return 2, interlaced
	case depth == 16:
		return 8, interlaced
	case ct == 0 && !trns:
		return 1, interlaced
	}
	return 4, interlaced
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

// process decodes a photo once, turns it upright (EXIF orientation), and
// makes the resized variants as WebP and JPEG. Encoding from pixels writes
// no metadata at all, so GPS and camera data never leave this function.
// The big step from the camera's size down to 1280 px uses a fast filter;
// the smaller ones are derived from that with a better one, which keeps a
// 12 MP photo well under a second and its memory to the decoded image.
// hd is the header inspect read and checked, so a photo too big to decode
// never is.
func process(raw []byte, hd photoHeader) ([]encoded, int, int, error) {
	src, err := decode(raw, hd.format)
	if err != nil {
		return nil, 0, 0, err
	}
	orient := 1
	if hd.format == "jpeg" {
		orient = exifOrientation(raw)
	}
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
// for private photos (a payout's proof) that need no public variants. It
// decodes in one of the instance's image slots, like every photo.
func (s *Service) UprightJPEG(ctx context.Context, r io.Reader, longest int) ([]byte, error) {
	var out []byte
	err := s.imageJob(ctx, func() (err error) {
		out, err = uprightJPEG(r, longest)
		return err
	})
	return out, err
}

func uprightJPEG(r io.Reader, longest int) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxUploadBytes+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxUploadBytes {
		return nil, ErrNotAPhoto
	}
	hd, err := inspect(raw)
	if err != nil {
		return nil, err
	}
	src, err := decode(raw, hd.format)
	if err != nil {
		return nil, err
	}
	orient := 1
	if hd.format == "jpeg" {
		orient = exifOrientation(raw)
	}
	w, h := hd.cfg.Width, hd.cfg.Height
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
