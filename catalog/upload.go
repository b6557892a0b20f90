package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
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
	return s.UploadImageOnce(ctx, actor, productID, body, alt, "")
}

// UploadImageOnce is UploadImage for a page form with its one-time token:
// the same form sent twice (a double tap) saves one photo, and the repeat
// is answered with it.
func (s *Service) UploadImageOnce(ctx context.Context, actor access.Actor, productID string, body io.Reader, alt, formToken string) (Image, error) {
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
	if photoCount(p) >= maxPhotos {
		return Image{}, domain.Invalid("file", "catalog.upload.count", maxPhotos)
	}
	wait, err := s.stagedFor(ctx, p, sh)
	if err != nil {
		return Image{}, err
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
	if wait {
		img.Pending = PhotoAdded // buyers see it once the change is approved
	}
	key := ""
	if formToken != "" {
		key = "product-photo:" + p.ID + ":" + formToken
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.Once(ctx, key, img.ID); err != nil {
			return err
		}
		if err := tx.DB.Raw("SELECT coalesce(max(greatest(position, pending_position)) + 1, 0) FROM product_images WHERE product_id = ?", p.ID).
			Scan(&img.Position).Error; err != nil {
			return err
		}
		if err := tx.DB.Create(&img).Error; err != nil {
			return fmt.Errorf("save image: %w", err)
		}
		if wait {
			if err := photosChanged(tx.DB, p.ID, img.CreatedAt); err != nil {
				return err
			}
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.image_upload", p.ID)
	})
	var rep *storage.Repeated
	if errors.As(err, &rep) {
		var first imageRow
		if err := storage.Find(ctx, s.db.Gorm, &first, rep.Result, "image"); err != nil {
			return Image{}, err
		}
		return s.imageOf(first.next())
	}
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

// photoCount is how many photos a product has as its seller side is
// making it (those deleted in a change waiting for review not counted).
func photoCount(p Product) int {
	n := 0
	for _, img := range p.Images {
		if img.Pending != PhotoRemoved {
			n++
		}
	}
	return n
}

// stagedFor says whether photo changes of p wait for review (see staged).
func (s *Service) stagedFor(ctx context.Context, p Product, sh Shop) (bool, error) {
	if p.Status != Published {
		return false, nil
	}
	unit, err := s.accounts.Unit(ctx, sh.UnitID)
	if err != nil {
		return false, err
	}
	return staged(p, unit), nil
}

// imageForWrite loads a photo and checks the actor may change its product;
// wait says whether the change waits for review. A photo deleted in a
// change waiting for review is gone for its seller side.
func (s *Service) imageForWrite(ctx context.Context, actor access.Actor, imageID string) (img imageRow, sh Shop, wait bool, err error) {
	if err = storage.Find(ctx, s.db.Gorm, &img, imageID, "image"); err != nil {
		return img, Shop{}, false, err
	}
	p, sh, err := s.productForWrite(ctx, actor, img.ProductID)
	if err != nil {
		return img, Shop{}, false, err
	}
	if img.Pending == PhotoRemoved {
		return img, Shop{}, false, fmt.Errorf("image %s: %w", imageID, domain.ErrNotFound)
	}
	wait, err = s.stagedFor(ctx, p, sh)
	return img, sh, wait, err
}

// SetImageAlt changes a photo's description for screen readers. On a
// published product the new one waits for review with the product's
// change; buyers keep reading the published one until then.
func (s *Service) SetImageAlt(ctx context.Context, actor access.Actor, imageID, alt string) (Image, error) {
	img, sh, wait, err := s.imageForWrite(ctx, actor, imageID)
	if err != nil {
		return Image{}, err
	}
	alt = strings.TrimSpace(alt)
	if utf8.RuneCountInString(alt) > 300 {
		return Image{}, domain.Invalid("alt", "catalog.upload.alt")
	}
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		q := tx.DB.Model(&imageRow{}).Where("id = ?", img.ID)
		var err error
		if wait && img.Pending != PhotoAdded {
			img.PendingAlt = &alt
			err = q.Update("pending_alt", alt).Error
		} else {
			img.Alt = alt
			err = q.Update("alt", alt).Error
		}
		if err != nil {
			return err
		}
		if wait {
			if err := photosChanged(tx.DB, img.ProductID, now); err != nil {
				return err
			}
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.image_alt", img.ProductID)
	})
	if err != nil {
		return Image{}, err
	}
	return s.imageOf(img.next())
}

// DeleteImage removes a photo and, through jobs committed with it, its
// objects. A published photo of a published product is only marked: it
// stays on sale until the change is approved, then goes.
func (s *Service) DeleteImage(ctx context.Context, actor access.Actor, imageID string) error {
	img, sh, wait, err := s.imageForWrite(ctx, actor, imageID)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		if wait && img.Pending != PhotoAdded {
			if err := tx.DB.Model(&imageRow{}).Where("id = ?", img.ID).Update("pending", PhotoRemoved).Error; err != nil {
				return err
			}
			if err := photosChanged(tx.DB, img.ProductID, now); err != nil {
				return err
			}
		} else {
			if err := tx.DB.Where("id = ?", img.ID).Delete(&imageRow{}).Error; err != nil {
				return err
			}
			if err := s.deleteObjects(ctx, tx, []imageRow{img}); err != nil {
				return err
			}
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.image_delete", img.ProductID)
	})
}

// ReorderImages puts a product's photos in the order of ids, which must
// name each of them (as its seller side sees them) once; the first is the
// one lists show. On a published product the order waits for review.
func (s *Service) ReorderImages(ctx context.Context, actor access.Actor, productID string, ids []string) (Product, error) {
	p, sh, err := s.productForWrite(ctx, actor, productID)
	if err != nil {
		return Product{}, err
	}
	var have []string
	for _, img := range p.Images {
		if img.Pending != PhotoRemoved {
			have = append(have, img.ID)
		}
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	slices.Sort(have)
	if !slices.Equal(sorted, have) {
		return Product{}, domain.Invalid("image_ids", "catalog.photos.order")
	}
	wait, err := s.stagedFor(ctx, p, sh)
	if err != nil {
		return Product{}, err
	}
	now := s.now().UTC()
	col := "position"
	if wait {
		col = "pending_position"
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		for i, id := range ids {
			if err := tx.DB.Model(&imageRow{}).Where("id = ? AND product_id = ?", id, p.ID).Update(col, i).Error; err != nil {
				return err
			}
		}
		if wait {
			if err := photosChanged(tx.DB, p.ID, now); err != nil {
				return err
			}
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.image_order", p.ID)
	})
	if err != nil {
		return Product{}, err
	}
	return s.product(ctx, p.ID)
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
