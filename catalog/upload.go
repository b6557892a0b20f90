package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"strings"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

const maxPhotos = 10

// UploadImage takes a photo for a product: its type is read from its
// bytes, its size checked from the header before anything is decoded, and
// the whole file decoded once so a broken one is refused now, not later.
// The upload is kept privately until the processing job has made the
// cleaned variants; the product shows a placeholder meanwhile.
func (s *Service) UploadImage(ctx context.Context, actor access.Actor, productID string, body io.Reader, alt string) (Image, error) {
	p, sh, err := s.productForWrite(ctx, actor, productID)
	if err != nil {
		return Image{}, err
	}
	if body == nil {
		return Image{}, domain.Invalid("file", "pilih foto untuk diunggah (kolom file)")
	}
	alt = strings.TrimSpace(alt)
	if len(alt) > 300 {
		return Image{}, domain.Invalid("alt", "teks alternatif maksimal 300 karakter")
	}
	if len(p.Images) >= maxPhotos {
		return Image{}, domain.Invalid("file", "paling banyak %d foto per produk", maxPhotos)
	}
	raw, err := io.ReadAll(io.LimitReader(body, maxUploadBytes+1))
	if err != nil {
		return Image{}, fmt.Errorf("read upload: %w", err)
	}
	if len(raw) > maxUploadBytes {
		return Image{}, domain.Invalid("file", "foto maksimal 10 MB")
	}
	format, w, h, err := checkImage(raw)
	if err != nil {
		return Image{}, domain.Invalid("file", "berkas harus foto JPEG, PNG atau WebP")
	}
	if w > maxSide || h > maxSide || w*h > maxPixels {
		return Image{}, domain.Invalid("file", "foto terlalu besar (%d×%d piksel); maksimal 50 megapiksel", w, h)
	}
	if _, _, err := image.Decode(bytes.NewReader(raw)); err != nil {
		return Image{}, domain.Invalid("file", "foto rusak atau tidak lengkap; coba unggah lagi")
	}
	img := imageRow{ID: domain.NewID(), ProductID: p.ID, Alt: alt, Status: ImageProcessing, Variants: []byte("[]"), CreatedAt: s.now().UTC()}
	img.UploadKey = "uploads/" + img.ID
	if _, err := s.objects.Put(ctx, img.UploadKey, bytes.NewReader(raw), int64(len(raw)), "image/"+format); err != nil {
		return Image{}, err
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Raw("SELECT coalesce(max(position) + 1, 0) FROM product_images WHERE product_id = ?", p.ID).Scan(&img.Position).Error; err != nil {
			return err
		}
		if err := tx.DB.Create(&img).Error; err != nil {
			return fmt.Errorf("save image: %w", err)
		}
		if err := tx.Enqueue(ctx, ProcessImageArgs{ImageID: img.ID}, nil); err != nil {
			return err
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.image_upload", p.ID)
	})
	if err != nil {
		_ = s.objects.Delete(context.WithoutCancel(ctx), img.UploadKey)
		return Image{}, err
	}
	return s.imageOf(img)
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
	if len(alt) > 300 {
		return Image{}, domain.Invalid("alt", "teks alternatif maksimal 300 karakter")
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
		return domain.Errorf(domain.ErrConflict, "Produk yang pernah terbit tidak dapat dihapus; arsipkan saja.")
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
