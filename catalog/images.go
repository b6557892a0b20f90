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

// PhotoChange marks a photo of a published product changed since its
// review: added (not shown to buyers yet) or removed (shown until the
// change is approved).
type PhotoChange string

// The photo changes.
const (
	PhotoAdded   PhotoChange = "add"
	PhotoRemoved PhotoChange = "remove"
)

// Image is a product photo. URL is the 640 px JPEG, which every browser
// shows; Srcset lists every variant for responsive pages. Alt is the
// photo's description for screen readers (what the seller side last wrote,
// in the seller's views).
type Image struct {
	ID     string      `json:"id"`
	Alt    string      `json:"alt"`
	Status ImageStatus `json:"status"`
	// Pending and PublishedAlt are for the seller side and reviewers: a
	// photo added or removed in a change waiting for review, and the
	// description buyers read while a new one waits.
	Pending      PhotoChange `json:"pending,omitempty"`
	PublishedAlt *string     `json:"published_alt,omitempty"`
	URL          string      `json:"url,omitempty"`
	Width        int         `json:"width,omitempty"`
	Height       int         `json:"height,omitempty"`
	Srcset       []Variant   `json:"srcset,omitempty"`
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
	// Pending, PendingAlt and PendingPosition are a published product's
	// photo change waiting for review (migration 00032).
	Pending         PhotoChange
	PendingAlt      *string
	PendingPosition *int
}

func (imageRow) TableName() string { return "product_images" }

// images loads the photos of several products in one query, in order:
// as buyers see them (published), or as the seller side is making them.
func (s *Service) images(ctx context.Context, db *gorm.DB, productIDs []string, published bool) (map[string][]Image, error) {
	var rows []imageRow
	q := db.WithContext(ctx).Where("product_id IN ?", productIDs)
	if published {
		q = q.Where("pending <> ?", PhotoAdded).Order("product_id, position, id")
	} else {
		q = q.Order("product_id, coalesce(pending_position, position), id")
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("product images: %w", err)
	}
	out := make(map[string][]Image, len(productIDs))
	for _, r := range rows {
		if !published {
			r = r.next()
		}
		img, err := s.imageOf(r)
		if err != nil {
			return nil, err
		}
		out[r.ProductID] = append(out[r.ProductID], img)
	}
	return out, nil
}

// next is the photo as its seller side is making it: the caption waiting
// for review as its Alt, the published one kept beside it.
func (r imageRow) next() imageRow {
	if r.PendingAlt != nil && *r.PendingAlt != r.Alt {
		published := r.Alt
		r.Alt, r.PendingAlt = *r.PendingAlt, &published
	} else {
		r.PendingAlt = nil
	}
	return r
}

// imageOf is a row as an answer's photo; a row from next carries the
// published caption in PendingAlt.
func (s *Service) imageOf(r imageRow) (Image, error) {
	img := Image{ID: r.ID, Alt: r.Alt, Status: r.Status, Pending: r.Pending, PublishedAlt: r.PendingAlt}
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
