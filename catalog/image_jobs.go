package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/riverqueue/river"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// DefaultImageWorkers is how many photos an instance processes at once
// unless configured (IMAGE_WORKERS). Each may take up to maxDecodeBytes.
const DefaultImageWorkers = 2

// LimitImageJobs sets how many photos this instance processes at once, by
// upload and by queued job together (at least 1). Call it before serving.
func (s *Service) LimitImageJobs(n int) { s.imageSlots = make(chan struct{}, max(1, n)) }

// imageJob runs fn in one of the instance's image slots, waiting for one
// to be free: decoding is where a photo takes its memory, so it is bounded
// here for every path that decodes, not per request.
func (s *Service) imageJob(ctx context.Context, fn func() error) error {
	select {
	case s.imageSlots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.imageSlots }()
	if s.imageJobHook != nil {
		s.imageJobHook()
	}
	return fn()
}

// errTooLarge is a file over maxUploadBytes.
var errTooLarge = errors.New("photo file over the size limit")

// readPhoto reads a photo file whole, at most maxUploadBytes, into a
// buffer of its own size when the reader knows it (an upload's multipart
// part does): growing a buffer by doubling would take twice the file for
// every upload at once.
func readPhoto(r io.Reader) ([]byte, error) {
	size := int64(-1)
	switch r := r.(type) {
	case interface{ Len() int }:
		size = int64(r.Len())
	case interface{ Size() int64 }:
		size = r.Size()
	}
	if size > maxUploadBytes {
		return nil, errTooLarge
	}
	if size >= 0 {
		raw := make([]byte, size)
		if _, err := io.ReadFull(r, raw); err != nil {
			return nil, fmt.Errorf("read photo: %w", err)
		}
		return raw, nil
	}
	raw, err := io.ReadAll(io.LimitReader(r, maxUploadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read photo: %w", err)
	}
	if len(raw) > maxUploadBytes {
		return nil, errTooLarge
	}
	return raw, nil
}

// makeVariants reads a photo with read and processes it, both in one of
// the instance's image slots (so photos waiting their turn hold no copy of
// their file), then stores the variants. The header it read is returned
// even when the photo is refused, for the seller's message.
func (s *Service) makeVariants(ctx context.Context, read func() ([]byte, error)) (stored []storedVariant, w, h int, hd photoHeader, err error) {
	var variants []encoded
	err = s.imageJob(ctx, func() error {
		raw, err := read()
		if err != nil {
			return err
		}
		if hd, err = inspect(raw); err != nil {
			return err
		}
		variants, w, h, err = process(raw, hd)
		return err
	})
	if err != nil {
		return nil, 0, 0, hd, err
	}
	stored = make([]storedVariant, 0, len(variants))
	for _, v := range variants {
		key := v.key()
		if _, err := s.objects.Put(ctx, key, bytes.NewReader(v.body), int64(len(v.body)), v.mime); err != nil {
			return nil, 0, 0, hd, err
		}
		stored = append(stored, storedVariant{Key: key, Width: v.width, Type: v.mime})
	}
	return stored, w, h, hd, nil
}

// ProcessImageArgs is the job that turns an upload into the cleaned,
// resized variants of a photo: photos uploaded before uploads were
// processed at once, and kept so their queued jobs still run.
type ProcessImageArgs struct {
	ImageID string `json:"image_id"`
}

// Kind names the job in the queue.
func (ProcessImageArgs) Kind() string { return "process_image" }

// ProcessImageJob does a ProcessImageArgs job. A photo deleted meanwhile is
// done; one that cannot be decoded is marked failed and not retried; a
// store or database error is returned so the queue retries with backoff.
func (s *Service) ProcessImageJob(ctx context.Context, args ProcessImageArgs) error {
	err := s.ProcessImage(ctx, args.ImageID)
	if errors.Is(err, ErrNotAPhoto) {
		return river.JobCancel(err)
	}
	return err
}

// ProcessImage makes the variants of a photo still processing and marks it
// ready. Running it twice is harmless: keys are content-addressed and a
// ready photo is left.
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
	stored, w, h, _, err := s.makeVariants(ctx, func() ([]byte, error) {
		r, _, err := s.objects.Get(ctx, img.UploadKey)
		if err != nil {
			return nil, fmt.Errorf("read upload: %w", err)
		}
		defer r.Close()
		raw, err := readPhoto(r)
		if errors.Is(err, errTooLarge) {
			return nil, ErrNotAPhoto
		}
		return raw, err
	})
	if errors.Is(err, ErrNotAPhoto) {
		if uerr := s.db.Gorm.WithContext(ctx).Model(&imageRow{}).Where("id = ?", img.ID).Update("status", ImageFailed).Error; uerr != nil {
			return uerr
		}
		return err
	}
	if err != nil {
		return err
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
