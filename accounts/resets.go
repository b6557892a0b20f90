package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// resetValidity is how long a password link works. Staff usually hand it to
// the seller in person the same day.
const resetValidity = 24 * time.Hour

type passwordReset struct {
	TokenHash []byte `gorm:"primaryKey"`
	UserID    string
	CreatedBy string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	// SentTo is the address a link the owner asked for was mailed to; nil
	// for a staff-made link.
	SentTo *string
}

// ResetLink is a one-time password link, shown once to the staff who made it.
type ResetLink struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// IssuePasswordLink makes a single-use link for a seller (or pendamping, or
// LKS manager) of the actor's unit to set a new password.
func (s *Service) IssuePasswordLink(ctx context.Context, actor access.Actor, userID string) (ResetLink, error) {
	u, err := s.User(ctx, userID)
	if err != nil {
		return ResetLink{}, err
	}
	res := access.Resource{Role: u.Role}
	if u.UnitID != nil {
		res.UnitID = *u.UnitID
	}
	if err := access.Can(actor, access.IssuePasswordLink, res, s.now()); err != nil {
		return ResetLink{}, err
	}
	now := s.now().UTC()
	link := ResetLink{Token: newToken(), ExpiresAt: now.Add(resetValidity)}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		r := passwordReset{TokenHash: tokenHash(link.Token), UserID: u.ID, CreatedBy: actor.UserID, CreatedAt: now, ExpiresAt: link.ExpiresAt}
		if err := tx.DB.Create(&r).Error; err != nil {
			return fmt.Errorf("issue password link: %w", err)
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: "user.reset_password", ResourceKind: "user", ResourceID: u.ID})
	})
	return link, err
}

// errLinkUnusable covers unknown, used and expired links alike.
var errLinkUnusable = domain.Invalid("token", "accounts.reset.expired")

// RedeemPasswordLink sets a new password through a link; the link then stops
// working and every session of the user is revoked.
func (s *Service) RedeemPasswordLink(ctx context.Context, token, password string) error {
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		var r passwordReset
		err := tx.DB.Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", tokenHash(token), now).Take(&r).Error
		if err != nil {
			return errLinkUnusable
		}
		u, err := s.User(ctx, r.UserID)
		if err != nil {
			return err
		}
		if err := checkPassword("password", password, u.Name, strings.Split(u.Email, "@")[0]); err != nil {
			return err
		}
		res := tx.DB.Model(&passwordReset{}).Where("token_hash = ? AND used_at IS NULL", r.TokenHash).Update("used_at", now)
		if res.Error != nil || res.RowsAffected != 1 {
			return errors.Join(errLinkUnusable, res.Error)
		}
		// The other links still open for the account end too: a new
		// password is the answer to all of them.
		if err := tx.DB.Model(&passwordReset{}).Where("user_id = ? AND used_at IS NULL", u.ID).Update("used_at", now).Error; err != nil {
			return err
		}
		if err := s.setPassword(tx, u.ID, password); err != nil {
			return err
		}
		// A link mailed to the account's address was opened by whoever
		// reads that inbox: the address is verified as a verification
		// link would have done.
		if r.SentTo != nil && *r.SentTo == u.Email {
			if err := s.markVerified(ctx, tx, u, "auth.verify_email"); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: u.ID, Action: "auth.redeem_password_link", ResourceKind: "user", ResourceID: u.ID})
	})
}
