package catalog

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// ChangeStatus is where a change to a published product is.
type ChangeStatus string

// The change statuses.
const (
	ChangeDraft    ChangeStatus = "draft"    // saved by the seller side, not sent yet
	ChangePending  ChangeStatus = "pending"  // sent, in the unit's review queue
	ChangeRejected ChangeStatus = "rejected" // sent back with a reason
)

// Change is the next version of what a reviewer checks of a published
// product (its title, description, category and food certificates, and
// its photos, which carry their own pending marks). The product stays on
// sale as it was reviewed until staff approve the change; price and stock
// never wait (UpdateProduct applies them at once).
type Change struct {
	ProductID    string       `json:"-" gorm:"primaryKey"`
	Status       ChangeStatus `json:"status"`
	Title        string       `json:"title"`
	Description  string       `json:"description"`
	Category     string       `json:"category"`
	CategoryRoot string       `json:"-"`
	PirtNo       string       `json:"pirt_no"`
	HalalNo      string       `json:"halal_no"`
	RejectReason string       `json:"reject_reason,omitempty"`
	SubmittedAt  *time.Time   `json:"submitted_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// TableName is the change's table.
func (Change) TableName() string { return "product_changes" }

// Next is the product as its seller side is making it: the published
// version with the change waiting for review laid over it. It is what the
// seller's form shows and what a review approves.
func (p Product) Next() Product {
	if p.Change == nil {
		return p
	}
	n := p
	c := p.Change
	n.Title, n.Description, n.Category, n.CategoryRoot, n.PirtNo, n.HalalNo = c.Title, c.Description, c.Category, c.CategoryRoot, c.PirtNo, c.HalalNo
	return n
}

// reviewedFields are the fields a reviewer checks, for comparing versions.
func reviewedFields(p Product) [5]string {
	return [5]string{p.Title, p.Description, p.Category, p.PirtNo, p.HalalNo}
}

// staged says whether a change to p's reviewed fields and photos waits for
// review instead of showing at once: p is on sale in a unit that reviews.
// A draft or a product in its first review is nobody's but its seller's
// and the reviewers', so it is edited in place.
func staged(p Product, unit accounts.Unit) bool {
	return p.Status == Published && !unit.PublishWithoutReview
}

// saveChange keeps next's reviewed fields as p's change: a new change, or
// an edit that sends a change back to draft (what staff approve is always
// what the seller side last sent). An edit that touches none of them (a
// restock through the same form) leaves the change as it is; one that
// restores the published version drops a change holding nothing else.
func (s *Service) saveChange(tx *gorm.DB, p, next Product, now time.Time) error {
	if reviewedFields(next) == reviewedFields(p.Next()) {
		return nil
	}
	if reviewedFields(next) == reviewedFields(p) {
		var photos int64
		if err := tx.Model(&imageRow{}).Where("product_id = ? AND (pending <> '' OR pending_alt IS NOT NULL OR pending_position IS NOT NULL)", p.ID).
			Count(&photos).Error; err != nil {
			return err
		}
		if photos == 0 {
			return tx.Where("product_id = ?", p.ID).Delete(&Change{}).Error
		}
	}
	c := Change{ProductID: p.ID, Status: ChangeDraft, Title: next.Title, Description: next.Description, Category: next.Category,
		CategoryRoot: next.CategoryRoot, PirtNo: next.PirtNo, HalalNo: next.HalalNo, UpdatedAt: now}
	if p.Change != nil {
		c.RejectReason = p.Change.RejectReason // still why it came back, until it is sent again
	}
	err := tx.Exec(`INSERT INTO product_changes (product_id, status, title, description, category, category_root, pirt_no, halal_no, reject_reason, updated_at)
		VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (product_id) DO UPDATE SET status = 'draft', title = excluded.title, description = excluded.description,
			category = excluded.category, category_root = excluded.category_root, pirt_no = excluded.pirt_no, halal_no = excluded.halal_no,
			updated_at = excluded.updated_at`,
		c.ProductID, c.Title, c.Description, c.Category, c.CategoryRoot, c.PirtNo, c.HalalNo, c.RejectReason, now).Error
	if err != nil {
		return fmt.Errorf("save change: %w", err)
	}
	return nil
}

// photosChanged records that a photo of a published product changed: the
// product's change (a copy of its published fields when it had none) is a
// draft again, to be sent for review with the photos.
func photosChanged(tx *gorm.DB, productID string, now time.Time) error {
	err := tx.Exec(`INSERT INTO product_changes (product_id, status, title, description, category, category_root, pirt_no, halal_no, updated_at)
		SELECT id, 'draft', title, description, category, category_root, pirt_no, halal_no, ? FROM products WHERE id = ?
		ON CONFLICT (product_id) DO UPDATE SET status = 'draft', updated_at = excluded.updated_at`, now, productID).Error
	if err != nil {
		return fmt.Errorf("photo change: %w", err)
	}
	return nil
}

// submitChange sends a published product's change for review, or applies
// it at once where the unit needs no review.
func (s *Service) submitChange(ctx context.Context, actor access.Actor, sh Shop, p Product, review bool) error {
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		res := tx.DB.Model(&Change{}).Where("product_id = ? AND status <> ? AND updated_at = ?", p.ID, ChangePending, p.Change.UpdatedAt).
			Updates(map[string]any{"status": ChangePending, "submitted_at": now, "reject_reason": ""})
		if res.Error != nil {
			return fmt.Errorf("submit change: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return domain.Errorf(domain.ErrConflict, "catalog.product.changed")
		}
		if !review {
			if err := s.applyChange(ctx, tx, p.ID, now); err != nil {
				return err
			}
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.submit_change", p.ID)
	})
}

// applyChange publishes a product's pending change inside tx: its fields
// onto the product (the word dictionary's trigger counts the new text and
// stops counting the old), its photos' captions and order made the
// published ones, the photos deleted meanwhile removed at last. Taking the
// change row is what makes two approvals, or an approval racing a new
// edit, publish at most one version: the one that was sent.
func (s *Service) applyChange(ctx context.Context, tx *storage.Tx, productID string, now time.Time) error {
	var c []Change
	if err := tx.DB.Raw(`DELETE FROM product_changes WHERE product_id = ? AND status = 'pending'
		RETURNING product_id, title, description, category, category_root, pirt_no, halal_no`, productID).Scan(&c).Error; err != nil {
		return fmt.Errorf("apply change: %w", err)
	}
	if len(c) != 1 {
		return domain.Errorf(domain.ErrConflict, "catalog.product.changed")
	}
	res := tx.DB.Model(&Product{}).Where("id = ? AND status = ?", productID, Published).Updates(map[string]any{
		"title": c[0].Title, "description": c[0].Description, "category": c[0].Category, "category_root": c[0].CategoryRoot,
		"pirt_no": c[0].PirtNo, "halal_no": c[0].HalalNo, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("apply change: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return domain.Errorf(domain.ErrConflict, "catalog.product.changed")
	}
	var removed []imageRow
	if err := tx.DB.Where("product_id = ? AND pending = 'remove'", productID).Find(&removed).Error; err != nil {
		return err
	}
	if len(removed) > 0 {
		if err := tx.DB.Where("product_id = ? AND pending = 'remove'", productID).Delete(&imageRow{}).Error; err != nil {
			return err
		}
		if err := s.deleteObjects(ctx, tx, removed); err != nil {
			return err
		}
	}
	return tx.DB.Exec(`UPDATE product_images SET alt = coalesce(pending_alt, alt), position = coalesce(pending_position, position),
		pending = '', pending_alt = NULL, pending_position = NULL WHERE product_id = ?`, productID).Error
}

// rejectChange sends a pending change back to the seller side with the
// reviewer's reason; the product stays on sale as it was.
func (s *Service) rejectChange(ctx context.Context, actor access.Actor, sh Shop, productID, reason string) error {
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		res := tx.DB.Model(&Change{}).Where("product_id = ? AND status = ?", productID, ChangePending).
			Updates(map[string]any{"status": ChangeRejected, "reject_reason": reason})
		if res.Error != nil {
			return fmt.Errorf("reject change: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return domain.Errorf(domain.ErrConflict, "catalog.product.changed")
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.review", productID)
	})
}

// changes loads the changes of several products.
func changes(ctx context.Context, db *gorm.DB, productIDs []string) (map[string]*Change, error) {
	var rows []Change
	if err := db.WithContext(ctx).Where("product_id IN ?", productIDs).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("product changes: %w", err)
	}
	out := make(map[string]*Change, len(rows))
	for i := range rows {
		out[rows[i].ProductID] = &rows[i]
	}
	return out, nil
}
