package app

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestPhotoUploadAnswersItsURLAndSize: CONTRACT.md answers an upload with
// {id, url, width, height}, so the API processes the photo before it answers.
func TestPhotoUploadAnswersItsURLAndSize(t *testing.T) {
	w := newWorld(t)
	img := image.NewRGBA(image.Rect(0, 0, 900, 600))
	for x := range 900 {
		img.Set(x, x%600, color.RGBA{200, 40, 40, 255})
	}
	var file bytes.Buffer
	if err := png.Encode(&file, img); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	part, _ := form.CreateFormFile("file", "tas.png")
	part.Write(file.Bytes())
	form.WriteField("alt", "Tas anyaman merah")
	form.Close()

	req := httptest.NewRequest(http.MethodPost, "/api/v1/products/"+w.ids["productPhotos"]+"/images", &body)
	req.Header.Set("Content-Type", form.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+w.login(t, "seller"))
	var out struct {
		ID, URL, Alt, Status string
		Width, Height        int
	}
	if resp := call(t, w.a, req, &out); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %+v", resp.StatusCode, out)
	}
	if out.ID == "" || out.Status != "ready" || out.Width != 900 || out.Height != 600 || out.Alt != "Tas anyaman merah" {
		t.Fatalf("upload answered %+v, want a ready 900×600 photo", out)
	}
	u, err := url.Parse(out.URL)
	if err != nil || !strings.HasPrefix(u.Path, "/media/") || u.IsAbs() {
		t.Fatalf("url %q is not a served photo", out.URL)
	}
	if resp := call(t, w.a, get(u.Path), nil); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET %s: %d %s", u.Path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
