package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// ProcessImageArgs is the job that turns an upload into the cleaned,
// resized variants of a photo.
type ProcessImageArgs struct {
	ImageID string `json:"image_id"`
}

// Kind names the job in the queue.
func (ProcessImageArgs) Kind() string { return "process_image" }

// ProcessImageWorker runs ProcessImageArgs jobs.
type ProcessImageWorker struct {
	river.WorkerDefaults[ProcessImageArgs]
	Catalog *Service
}

// Work processes one photo. A photo deleted meanwhile is done; one that
// cannot be decoded is marked failed and not retried; a store or database
// error is returned so the queue retries with backoff.
func (w *ProcessImageWorker) Work(ctx context.Context, job *river.Job[ProcessImageArgs]) error {
	err := w.Catalog.ProcessImage(ctx, job.Args.ImageID)
	if errors.Is(err, ErrNotAPhoto) {
		return river.JobCancel(err)
	}
	return err
}

// ProcessNow processes a photo just uploaded while its uploader waits, so
// the answer can give its URL and size (CONTRACT.md). When that fails the
// photo stays processing, its queued job retries, and the answer says so.
func (s *Service) ProcessNow(ctx context.Context, img Image) Image {
	if err := s.ProcessImage(ctx, img.ID); err != nil {
		return img
	}
	var row imageRow
	if err := storage.Find(ctx, s.db.Gorm, &row, img.ID, "image"); err != nil {
		return img
	}
	if ready, err := s.imageOf(row); err == nil {
		return ready
	}
	return img
}

// ProcessImage makes a photo's variants and marks it ready. Running it
// twice is harmless: keys are content-addressed and a ready photo is left.
func (s *Service) ProcessImage(ctx context.Context, imageID string) error {
	var img imageRow
	if err := storage.Find(ctx, s.db.Gorm, &img, imageID, "image"); err != nil {
		if errors.Is(err, domain.ErrNotFound) {
			return nil
		}
		return err
	}
	if img.Status != ImageProcessing {
		return nil
	}
	r, _, err := s.objects.Get(ctx, img.UploadKey)
	if err != nil {
		return fmt.Errorf("read upload: %w", err)
	}
	variants, w, h, err := process(r)
	_ = r.Close()
	if errors.Is(err, ErrNotAPhoto) {
		if uerr := s.db.Gorm.WithContext(ctx).Model(&imageRow{}).Where("id = ?", img.ID).Update("status", ImageFailed).Error; uerr != nil {
			return uerr
		}
		return err
	}
	if err != nil {
		return err
	}
	stored := make([]storedVariant, 0, len(variants))
	for _, v := range variants {
		key := v.key()
		if _, err := s.objects.Put(ctx, key, bytes.NewReader(v.body), int64(len(v.body)), v.mime); err != nil {
			return err
		}
		stored = append(stored, storedVariant{Key: key, Width: v.width, Type: v.mime})
	}
	raw, _ := json.Marshal(stored)
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		res := tx.DB.Model(&imageRow{}).Where("id = ? AND status = ?", img.ID, ImageProcessing).
			Updates(map[string]any{"status": ImageReady, "width": w, "height": h, "variants": raw, "upload_key": ""})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // deleted or done meanwhile
		}
		s.cache.clear()
		return tx.Enqueue(ctx, storage.DeleteObjectArgs{Key: img.UploadKey}, nil)
	})
}
