package payouts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// proofSide is the longer side of a stored proof photo: enough to read a
// transfer slip or a signature, small enough to open on a phone.
const proofSide = 2000

// AttachProof stores a photo of a line's payment (a transfer receipt, a
// signed cash slip) privately, turned upright and encoded again from its
// pixels, so no Exif or XMP data (GPS above all) is ever stored.
func (s *Service) AttachProof(ctx context.Context, actor access.Actor, batchID, lineID string, body io.Reader) (Line, error) {
	b, err := s.batchRow(ctx, batchID)
	if err != nil {
		return Line{}, err
	}
	if err := access.Can(actor, access.ManagePayouts, access.Resource{UnitID: b.UnitID}, s.now()); err != nil {
		return Line{}, err
	}
	if body == nil {
		return Line{}, domain.Invalid("file", "payouts.proof.nofile")
	}
	clean, err := s.shops.UprightJPEG(ctx, body, proofSide)
	if errors.Is(err, catalog.ErrNotAPhoto) {
		return Line{}, domain.Invalid("file", "payouts.proof.format")
	}
	if err != nil {
		return Line{}, fmt.Errorf("proof photo: %w", err)
	}
	key := "payout-proofs/" + batchID + "/" + lineID + "/" + domain.NewID() + ".jpg"
	var old *string
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		l, err := s.lockLine(ctx, tx, batchID, lineID)
		if err != nil {
			return err
		}
		if _, err := s.objects.Put(ctx, key, bytes.NewReader(clean), int64(len(clean)), "image/jpeg"); err != nil {
			return err
		}
		old = l.ProofKey
		if err := tx.DB.WithContext(ctx).Model(&Line{}).Where("id = ?", l.ID).Update("proof_key", key).Error; err != nil {
			return fmt.Errorf("save proof: %w", err)
		}
		if old != nil {
			if err := tx.Enqueue(ctx, storage.DeleteObjectArgs{Key: *old}, nil); err != nil {
				return err
			}
		}
		return s.step(ctx, tx.DB, actor, "payout_line.proof", batchID, "", map[string]any{"line_id": l.ID})
	})
	if err != nil {
		_ = s.objects.Delete(context.WithoutCancel(ctx), key)
		return Line{}, err
	}
	return s.line(ctx, batchID, lineID)
}

// ProofLink is a short-lived presigned link to a line's proof photo, for
// staff of the batch's unit. A signed slip or a transfer receipt names the
// PM, so for a PM's shop it opens only to a reader with the right to the
// PM's legal name (the case audits it); every link given is in the
// batch's history.
func (s *Service) ProofLink(ctx context.Context, actor access.Actor, batchID, lineID string) (string, error) {
	b, err := s.batchRow(ctx, batchID)
	if err != nil {
		return "", err
	}
	if err := access.Can(actor, access.ManagePayouts, access.Resource{UnitID: b.UnitID}, s.now()); err != nil {
		return "", err
	}
	l, err := s.line(ctx, batchID, lineID)
	if err != nil {
		return "", err
	}
	if l.ProofKey == nil {
		return "", fmt.Errorf("proof of line %s: %w", lineID, domain.ErrNotFound)
	}
	sh, err := s.shops.ShopOf(ctx, l.ShopID)
	if err != nil {
		return "", err
	}
	open, err := s.openNames(ctx, actor, sh, "payout_proof")
	if err != nil {
		return "", err
	}
	if !open {
		return "", domain.Errorf(domain.ErrForbidden, "payouts.proof.forbidden")
	}
	if err := s.step(ctx, s.db.Gorm, actor, "payout_line.proof_read", b.ID, deref(sh.CaseID), map[string]any{"line_id": l.ID}); err != nil {
		return "", err
	}
	return s.objects.PresignGet(ctx, *l.ProofKey, s.settings.ProofLinkTTL)
}

func (s *Service) line(ctx context.Context, batchID, lineID string) (Line, error) {
	var l Line
	if !domain.ValidID(lineID) {
		return l, fmt.Errorf("payout line %q: %w", lineID, domain.ErrNotFound)
	}
	if err := s.db.Gorm.WithContext(ctx).Take(&l, "id = ? AND batch_id = ?", lineID, batchID).Error; err != nil {
		return l, storage.NotFound(err, "payout line")
	}
	return s.withShares(ctx, l)
}
