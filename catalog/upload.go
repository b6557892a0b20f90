package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

const maxPhotos = 10

// UploadImage takes a photo for a product: in one of the instance's image
// slots, its type is read from its bytes, its size and the memory its
// decoding takes are checked from the header before anything is decoded,
// and then it is decoded once into the cleaned variants the answer names.
// A broken photo is refused now, not later; the original is never stored.
func (s *Service) UploadImage(ctx context.Context, actor access.Actor, productID string, body io.Reader, alt string) (Image, error) {
	p, sh, err := s.productForWrite(ctx, actor, productID)
	if err != nil {
		return Image{}, err
	}
	if body == nil {
		return Image{}, domain.Invalid("file", "catalog.upload.nofile")
	}
	alt = strings.TrimSpace(alt)
	if utf8.RuneCountInString(alt) > 300 {
		return Image{}, domain.Invalid("alt", "catalog.upload.alt")
	}
	if len(p.Images) >= maxPhotos {
		return Image{}, domain.Invalid("file", "catalog.upload.count", maxPhotos)
	}
	stored, w, h, hd, err := s.makeVariants(ctx, func() ([]byte, error) { return readPhoto(body) })
	switch {
	case errors.Is(err, errTooLarge):
		return Image{}, domain.Invalid("file", "catalog.upload.size")
	case errors.Is(err, ErrNotAPhoto):
		return Image{}, photoInvalid(err, hd)
	case err != nil:
		return Image{}, err
	}
	variants, _ := json.Marshal(stored)
	img := imageRow{ID: domain.NewID(), ProductID: p.ID, Alt: alt, Status: ImageReady, Width: &w, Height: &h, Variants: variants, CreatedAt: s.now().UTC()}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Raw("SELECT coalesce(max(position) + 1, 0) FROM product_images WHERE product_id = ?", p.ID).Scan(&img.Position).Error; err != nil {
			return err
		}
		if err := tx.DB.Create(&img).Error; err != nil {
			return fmt.Errorf("save image: %w", err)
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.image_upload", p.ID)
	})
	if err != nil {
		return Image{}, err // the variants stay: content-addressed, maybe another photo's too
	}
	s.cache.clear()
	return s.imageOf(img)
}

// photoInvalid is the seller's message for a photo refused: not a photo,
// too many pixels, too big to process (naming the limit), or broken.
func photoInvalid(err error, hd photoHeader) error {
	var big *TooBigError
	w, h := hd.cfg.Width, hd.cfg.Height
	switch {
	case errors.As(err, &big):
		return domain.Invalid("file", "catalog.upload.memory",
			big.Width, big.Height, (big.Need+1<<20-1)>>20, big.Limit>>20)
	case hd.format == "" || w < 1 || h < 1:
		return domain.Invalid("file", "catalog.upload.format")
	case w > maxSide || h > maxSide || w*h > maxPixels:
		return domain.Invalid("file", "catalog.upload.pixels", w, h)
	}
	return domain.Invalid("file", "catalog.upload.broken")
}

// imageForWrite loads a photo and checks the actor may change its product.
func (s *Service) imageForWrite(ctx context.Context, actor access.Actor, imageID string) (imageRow, Shop, error) {
	var img imageRow
	if err := storage.Find(ctx, s.db.Gorm, &img, imageID, "image"); err != nil {
		return img, Shop{}, err
	}
	_, sh, err := s.productForWrite(ctx, actor, img.ProductID)
	return img, sh, err
}

// SetImageAlt changes a photo's alt text.
func (s *Service) SetImageAlt(ctx context.Context, actor access.Actor, imageID, alt string) (Image, error) {
	img, sh, err := s.imageForWrite(ctx, actor, imageID)
	if err != nil {
		return Image{}, err
	}
	alt = strings.TrimSpace(alt)
	if utf8.RuneCountInString(alt) > 300 {
		return Image{}, domain.Invalid("alt", "catalog.upload.alt")
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Model(&imageRow{}).Where("id = ?", img.ID).Update("alt", alt).Error; err != nil {
			return err
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.image_alt", img.ProductID)
	})
	img.Alt = alt
	if err != nil {
		return Image{}, err
	}
	return s.imageOf(img)
}

// DeleteImage removes a photo and, through jobs committed with it, its objects.
func (s *Service) DeleteImage(ctx context.Context, actor access.Actor, imageID string) error {
	img, sh, err := s.imageForWrite(ctx, actor, imageID)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Where("id = ?", img.ID).Delete(&imageRow{}).Error; err != nil {
			return err
		}
		if err := s.deleteObjects(ctx, tx, []imageRow{img}); err != nil {
			return err
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.image_delete", img.ProductID)
	})
}

// DeleteProduct removes a product that was never published, with its
// photos' objects. A product that was ever on sale is archived instead, so
// old orders keep pointing at it.
func (s *Service) DeleteProduct(ctx context.Context, actor access.Actor, productID string) error {
	p, sh, err := s.productForWrite(ctx, actor, productID)
	if err != nil {
		return err
	}
	if p.PublishedAt != nil || p.Status == Published || p.Status == Archived {
		return domain.Errorf(domain.ErrConflict, "catalog.product.delete")
	}
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		var imgs []imageRow
		if err := tx.DB.Where("product_id = ?", p.ID).Find(&imgs).Error; err != nil {
			return err
		}
		if err := s.deleteObjects(ctx, tx, imgs); err != nil {
			return err
		}
		if err := tx.DB.Where("id = ?", p.ID).Delete(&Product{}).Error; err != nil {
			return fmt.Errorf("delete product: %w", err)
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.delete", p.ID)
	})
}

// deleteObjects enqueues the removal of every object of the photos. Keys
// are content-addressed, so a variant another photo still uses is kept.
func (s *Service) deleteObjects(ctx context.Context, tx *storage.Tx, imgs []imageRow) error {
	for _, img := range imgs {
		keys := []string{img.UploadKey}
		var vs []storedVariant
		if err := json.Unmarshal(img.Variants, &vs); err != nil {
			return err
		}
		for _, v := range vs {
			var others int64
			if err := tx.DB.Raw(`SELECT count(*) FROM product_images WHERE id <> ? AND variants @> ?::jsonb`, img.ID,
				fmt.Sprintf(`[{"key": %q}]`, v.Key)).Scan(&others).Error; err != nil {
				return err
			}
			if others == 0 {
				keys = append(keys, v.Key)
			}
		}
		for _, k := range keys {
			if k == "" {
				continue
			}
			if err := tx.Enqueue(ctx, storage.DeleteObjectArgs{Key: k}, nil); err != nil {
				return err
			}
		}
	}
	return nil
}
