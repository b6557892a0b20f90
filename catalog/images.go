package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ImageStatus is where a photo is in its processing.
type ImageStatus string

// The image statuses.
const (
	ImageProcessing ImageStatus = "processing" // uploaded; variants not made yet (pages show a placeholder)
	ImageReady      ImageStatus = "ready"
	ImageFailed     ImageStatus = "failed"
)

// Variant is one resized, metadata-free encoding of a photo.
type Variant struct {
	URL   string `json:"url"`
	Width int    `json:"width"`
	Type  string `json:"type"` // image/webp or image/jpeg
}

// Image is a product photo. URL is the 640 px JPEG, which every browser
// shows; Srcset lists every variant for responsive pages.
type Image struct {
	ID     string      `json:"id"`
	Alt    string      `json:"alt"`
	Status ImageStatus `json:"status"`
	URL    string      `json:"url,omitempty"`
	Width  int         `json:"width,omitempty"`
	Height int         `json:"height,omitempty"`
	Srcset []Variant   `json:"srcset,omitempty"`
}

// storedVariant is a variant as kept in product_images.variants.
type storedVariant struct {
	Key   string `json:"key"`
	Width int    `json:"width"`
	Type  string `json:"type"`
}

type imageRow struct {
	ID        string
	ProductID string
	Position  int
	Alt       string
	UploadKey string
	Status    ImageStatus
	Width     *int
	Height    *int
	Variants  []byte `gorm:"type:jsonb"`
	CreatedAt time.Time
}

func (imageRow) TableName() string { return "product_images" }

// images loads the photos of several products in one query, in order.
func (s *Service) images(ctx context.Context, db *gorm.DB, productIDs []string) (map[string][]Image, error) {
	var rows []imageRow
	if err := db.WithContext(ctx).Where("product_id IN ?", productIDs).Order("product_id, position, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("product images: %w", err)
	}
	out := make(map[string][]Image, len(productIDs))
	for _, r := range rows {
		img, err := s.imageOf(r)
		if err != nil {
			return nil, err
		}
		out[r.ProductID] = append(out[r.ProductID], img)
	}
	return out, nil
}

func (s *Service) imageOf(r imageRow) (Image, error) {
	img := Image{ID: r.ID, Alt: r.Alt, Status: r.Status}
	if r.Status != ImageReady {
		return img, nil
	}
	var variants []storedVariant
	if err := json.Unmarshal(r.Variants, &variants); err != nil {
		return img, fmt.Errorf("image %s variants: %w", r.ID, err)
	}
	if r.Width != nil && r.Height != nil {
		img.Width, img.Height = *r.Width, *r.Height
	}
	for _, v := range variants {
		img.Srcset = append(img.Srcset, Variant{URL: s.mediaURL(v.Key), Width: v.Width, Type: v.Type})
		if v.Type == "image/jpeg" && (img.URL == "" || v.Width == 640) {
			img.URL = s.mediaURL(v.Key)
		}
	}
	return img, nil
}
