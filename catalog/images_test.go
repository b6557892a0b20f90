package catalog_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/catalog/catalogtest"
	"github.com/sentrakreasi/atensi/domain"
)

// photo is a w×h JPEG with a gradient, optionally carrying an Exif block
// with GPS coordinates and the given orientation, as phones write them.
func photo(t testing.TB, w, h int, orientation int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	if orientation == 0 {
		return b.Bytes()
	}
	// TIFF (little endian): IFD0 with Orientation and a GPS IFD pointer; the
	// GPS IFD holds a latitude reference "S" and a marker string.
	tiff := new(bytes.Buffer)
	le := binary.LittleEndian
	tiff.WriteString("II")
	binary.Write(tiff, le, uint16(42))
	binary.Write(tiff, le, uint32(8))
	binary.Write(tiff, le, uint16(2)) // two entries
	binary.Write(tiff, le, uint16(0x0112))
	binary.Write(tiff, le, uint16(3))
	binary.Write(tiff, le, uint32(1))
	binary.Write(tiff, le, uint16(orientation))
	binary.Write(tiff, le, uint16(0))
	binary.Write(tiff, le, uint16(0x8825)) // GPS IFD pointer
	binary.Write(tiff, le, uint16(4))
	binary.Write(tiff, le, uint32(1))
	binary.Write(tiff, le, uint32(8+2+24+4))
	binary.Write(tiff, le, uint32(0)) // no next IFD
	binary.Write(tiff, le, uint16(1))
	binary.Write(tiff, le, uint16(0x0001)) // GPSLatitudeRef
	binary.Write(tiff, le, uint16(2))
	binary.Write(tiff, le, uint32(2))
	tiff.WriteString("S\x00\x00\x00")
	binary.Write(tiff, le, uint32(0))
	tiff.WriteString("GPS-SECRET-LOCATION-6.2088S-106.8456E")
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	app1 = append(app1, seg...)
	out := append([]byte{}, b.Bytes()[:2]...)
	out = append(out, app1...)
	return append(out, b.Bytes()[2:]...)
}

func TestUploadRefusesWhatIsNotAGoodPhoto(t *testing.T) {
	w := catalogtest.New(t)
	shop := w.PMShop(t, "Foto")
	p := w.Product(t, shop, "Tas Foto", 50000, 1)
	ctx := context.Background()
	good := photo(t, 64, 48, 0)
	var bomb bytes.Buffer
	png.Encode(&bomb, image.NewGray(image.Rect(0, 0, 8, 8)))
	bombBytes := bomb.Bytes()
	binary.BigEndian.PutUint32(bombBytes[16:], 40000) // IHDR width and height claim 40000×40000
	binary.BigEndian.PutUint32(bombBytes[20:], 40000)
	for name, body := range map[string][]byte{
		"a PDF named .jpg":     []byte("%PDF-1.4 not a photo at all"),
		"a GIF":                []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
		"a truncated JPEG":     good[:len(good)/2],
		"a decompression bomb": bombBytes,
		"over 10 MB":           append(bytes.Clone(good), make([]byte, 10<<20)...),
	} {
		_, err := w.Catalog.UploadImage(ctx, shop.Seller, p.ID, bytes.NewReader(body), "foto")
		var v *domain.ValidationError
		if !errors.As(err, &v) || v.Fields[0].Field != "file" {
			t.Errorf("%s: %v, want a validation error on file", name, err)
		}
	}
}

func TestPhotoIsTurnedUprightCleanedAndServed(t *testing.T) {
	w := catalogtest.New(t)
	shop := w.PMShop(t, "Foto Bersih")
	p := w.Product(t, shop, "Batik Foto", 90000, 1)
	ctx := context.Background()
	raw := photo(t, 1600, 1200, 6) // a phone held upright: stored sideways, Exif says turn 90°
	if !bytes.Contains(raw, []byte("GPS-SECRET")) {
		t.Fatal("the test photo must carry GPS data")
	}
	img, err := w.Catalog.UploadImage(ctx, shop.Seller, p.ID, bytes.NewReader(raw), "Batik tulis motif parang")
	if err != nil {
		t.Fatal(err)
	}
	if img.Status != catalog.ImageReady || img.URL == "" || img.Width != 1200 || img.Height != 1600 {
		t.Fatalf("the upload's answer: %+v, want the ready photo", img)
	}
	if err := w.Catalog.ProcessImage(ctx, img.ID); err != nil { // a stray job for a ready photo is harmless
		t.Fatal(err)
	}
	prod, err := w.Catalog.ReadProduct(ctx, shop.Seller, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ready catalog.Image
	for _, i := range prod.(catalog.PublicProduct).Images {
		if i.ID == img.ID {
			ready = i
		}
	}
	if ready.Status != catalog.ImageReady || ready.Width != 1200 || ready.Height != 1600 || len(ready.Srcset) != 6 {
		t.Fatalf("processed photo: %+v (upright 1200×1600, 3 widths × WebP and JPEG)", ready)
	}
	for _, v := range ready.Srcset {
		key := strings.TrimPrefix(v.URL, "/media/")
		r, _, err := w.Objects.Get(ctx, key)
		if err != nil {
			t.Fatalf("variant %s: %v", key, err)
		}
		body, _ := io.ReadAll(r)
		r.Close()
		sum := sha256.Sum256(body)
		if !strings.Contains(key, hex.EncodeToString(sum[:])) {
			t.Errorf("%s is not addressed by its content", key)
		}
		if bytes.Contains(body, []byte("GPS-SECRET")) || bytes.Contains(body, []byte("Exif")) {
			t.Errorf("%s still carries metadata", key)
		}
		if v.Type == "image/jpeg" {
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(body))
			if err != nil || cfg.Width != v.Width || cfg.Height <= cfg.Width {
				t.Errorf("%s: %dx%d, want %d wide and upright (taller than wide)", key, cfg.Width, cfg.Height, v.Width)
			}
		}
	}
	if _, err := w.Objects.Stat(ctx, "uploads/"+img.ID); err == nil {
		t.Fatal("the original, with its metadata, was stored")
	}

	// Served through the app with long cache headers and an ETag.
	app := fiber.New()
	catalog.MediaRoutes(app, w.Catalog)
	url := ready.Srcset[1].URL
	resp, err := app.Test(httptest.NewRequest("GET", url, nil), -1)
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || resp.Header.Get("ETag") == "" {
		t.Fatalf("GET %s: %v %v", url, resp, err)
	}
	req := httptest.NewRequest("GET", url, nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	if resp, _ := app.Test(req, -1); resp.StatusCode != 304 {
		t.Fatalf("If-None-Match: %d, want 304", resp.StatusCode)
	}
	for _, bad := range []string{"/media/img/" + strings.Repeat("0", 64) + ".jpg", "/media/img/..%2Fuploads"} {
		if resp, _ := app.Test(httptest.NewRequest("GET", bad, nil), -1); resp.StatusCode == 200 {
			t.Errorf("GET %s = 200", bad)
		}
	}

	// Deleting the photo queues the deletion of every object.
	if err := w.Catalog.DeleteImage(ctx, shop.Seller, img.ID); err != nil {
		t.Fatal(err)
	}
	var jobs int64
	w.DB.Gorm.Raw("SELECT count(*) FROM river_job WHERE kind = 'delete_object'").Scan(&jobs)
	if jobs != 6 {
		t.Fatalf("%d delete jobs, want one for each of the six variants", jobs)
	}
}

// TestUprightJPEGTurnsAndCleansAPrivatePhoto: a proof photo taken sideways
// comes out upright, within the size asked, without Exif or GPS.
func TestUprightJPEGTurnsAndCleansAPrivatePhoto(t *testing.T) {
	svc := newShopFixture(t).svc
	ctx := context.Background()
	raw := photo(t, 400, 300, 6) // the camera held on its side
	out, err := svc.UprightJPEG(ctx, bytes.NewReader(raw), 200)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 150 || cfg.Height != 200 {
		t.Fatalf("upright photo is %dx%d, want 150x200", cfg.Width, cfg.Height)
	}
	if bytes.Contains(out, []byte("GPS-SECRET")) || bytes.Contains(out, []byte("Exif")) {
		t.Fatal("metadata survived")
	}
	if _, err := svc.UprightJPEG(ctx, strings.NewReader("not a photo"), 200); !errors.Is(err, catalog.ErrNotAPhoto) {
		t.Fatalf("a text file: %v, want ErrNotAPhoto", err)
	}
}
