package accounts

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/notify"
	"github.com/sentrakreasi/atensi/storage"
)

// Links mailed to the owner of an address: a verification link (at
// registration and on request) and a password link the owner asks for
// ("Lupa kata sandi?"). Both are single-use tokens stored as their SHA-256,
// like sessions. The email that carries one sits in the outbox until it is
// sent (notify), so a mailed password link lives an hour, not the day a
// staff-made one does.
const (
	verifyValidity      = 48 * time.Hour
	mailedResetValidity = time.Hour
	// maxMailedPerHour bounds the links of each kind one account is mailed
	// in an hour, so nobody can flood a stranger's inbox through us.
	maxMailedPerHour = 3
	// One client address may ask for password links this often, whatever
	// the addresses: the answer never tells whether an account exists, so
	// the limit counts every request.
	resetRequestWindow = 15 * time.Minute
	maxResetRequests   = 10
)

// EmailHook runs inside the transaction that verifies an account's email,
// and at each login of a verified account: orders uses it to move the
// guest orders placed with that address into the account.
type EmailHook func(ctx context.Context, tx *storage.Tx, userID, email string) error

// OnEmailVerified registers a hook (see EmailHook).
func (s *Service) OnEmailVerified(h EmailHook) { s.verifiedHooks = append(s.verifiedHooks, h) }

// UseSiteURL sets the address the links in emails start with (BASE_URL).
// Links are never built from a request's Host header, which a client
// chooses.
func (s *Service) UseSiteURL(base string) { s.siteURL = strings.TrimRight(base, "/") }

type emailVerification struct {
	TokenHash []byte `gorm:"primaryKey"`
	UserID    string
	Email     string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

type resetRequest struct {
	ID int64 `gorm:"primaryKey"`
	IP string
	At time.Time
}

func (resetRequest) TableName() string { return "password_reset_requests" }

// linkRef names a mailed link in the outbox without giving the token away.
func linkRef(token string) string { return hex.EncodeToString(tokenHash(token)[:12]) }

// queueVerification writes a verification link for u's address and the
// email that carries it, in tx.
func (s *Service) queueVerification(ctx context.Context, tx *storage.Tx, u User, lang string) error {
	now := s.now().UTC()
	token := newToken()
	err := tx.DB.Create(&emailVerification{TokenHash: tokenHash(token), UserID: u.ID, Email: u.Email,
		CreatedAt: now, ExpiresAt: now.Add(verifyValidity)}).Error
	if err != nil {
		return fmt.Errorf("verification link: %w", err)
	}
	p := locale.For(lang)
	return notify.Queue(ctx, tx.DB, notify.Message{To: u.Email, Subject: p.Text("email.verify.subject"),
		Body: p.Text("email.verify.body", u.Name, s.siteURL+"/verifikasi/"+token, int(verifyValidity.Hours())),
		Kind: "email_verify", Ref: linkRef(token)}, now)
}

// SendVerification mails the actor a new verification link. An address
// already verified needs none: nothing is sent.
func (s *Service) SendVerification(ctx context.Context, actor access.Actor, lang string) error {
	if actor.Anonymous() {
		return domain.ErrUnauthorized
	}
	u, err := s.User(ctx, actor.UserID)
	if err != nil || u.EmailVerifiedAt != nil {
		return err
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		// The user's row, locked, so two tabs asking at once count each other.
		if err := tx.DB.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id").Take(&User{}, "id = ?", u.ID).Error; err != nil {
			return fmt.Errorf("send verification: %w", err)
		}
		var n int64
		if err := tx.DB.Model(&emailVerification{}).Where("user_id = ? AND created_at > ?", u.ID, now.Add(-time.Hour)).Count(&n).Error; err != nil {
			return err
		}
		if n >= maxMailedPerHour {
			return domain.Errorf(domain.ErrConflict, "accounts.verify.toomany")
		}
		return s.queueVerification(ctx, tx, u, lang)
	})
}

// errVerifyUnusable covers unknown, used and expired verification links.
var errVerifyUnusable = domain.Invalid("token", "accounts.verify.expired")

// VerifyEmail redeems a verification link: the account's email is verified
// (when it is still the address the link was sent to) and the link stops
// working.
func (s *Service) VerifyEmail(ctx context.Context, token string) error {
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		var r emailVerification
		err := tx.DB.Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", tokenHash(token), now).Take(&r).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errVerifyUnusable
		}
		if err != nil {
			return fmt.Errorf("verify email: %w", err)
		}
		if err := tx.DB.Model(&emailVerification{}).Where("token_hash = ?", r.TokenHash).Update("used_at", now).Error; err != nil {
			return err
		}
		var u User
		if err := tx.DB.Take(&u, "id = ?", r.UserID).Error; err != nil {
			return fmt.Errorf("verify email: %w", err)
		}
		if u.Email != r.Email {
			return errVerifyUnusable
		}
		return s.markVerified(ctx, tx, u, "auth.verify_email")
	})
}

// markVerified records that u's owner reads u.Email, and runs the hooks.
func (s *Service) markVerified(ctx context.Context, tx *storage.Tx, u User, action string) error {
	if u.EmailVerifiedAt != nil {
		return nil
	}
	now := s.now().UTC()
	res := tx.DB.Model(&User{}).Where("id = ? AND email = ? AND email_verified_at IS NULL", u.ID, u.Email).
		Updates(map[string]any{"email_verified_at": now, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("verify email: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil // verified meanwhile
	}
	if err := s.runVerifiedHooks(ctx, tx, u.ID, u.Email); err != nil {
		return err
	}
	return audit.Record(ctx, tx.DB, audit.Entry{ActorID: u.ID, Action: action, ResourceKind: "user", ResourceID: u.ID})
}

func (s *Service) runVerifiedHooks(ctx context.Context, tx *storage.Tx, userID, email string) error {
	for _, h := range s.verifiedHooks {
		if err := h(ctx, tx, userID, email); err != nil {
			return fmt.Errorf("email hook: %w", err)
		}
	}
	return nil
}

// RequestPasswordReset mails the owner of email a password link valid for
// an hour. It answers nil whether or not the address has an account, so the
// page says the same either way; only a client asking too often is told
// (a *domain.RateLimitError), and a malformed address. Buyers get the link;
// the accounts that units make (sellers, staff) are told to ask their unit,
// whose staff issue links in person (IssuePasswordLink): many sellers share
// or borrow an address, and a case worker's account must not open through
// a mailbox alone.
func (s *Service) RequestPasswordReset(ctx context.Context, email, lang string, client Client) error {
	v := &domain.ValidationError{}
	email = normalizeEmail(v, email)
	if err := v.Err(); err != nil {
		return err
	}
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		var seen struct {
			N      int64
			Oldest *time.Time
		}
		err := tx.DB.Model(&resetRequest{}).Select("count(*) AS n, min(at) AS oldest").
			Where("ip = ? AND at > ?", client.IP, now.Add(-resetRequestWindow)).Scan(&seen).Error
		if err != nil {
			return fmt.Errorf("reset requests: %w", err)
		}
		if seen.N >= maxResetRequests && seen.Oldest != nil {
			return &domain.RateLimitError{RetryAfter: max(seen.Oldest.Add(resetRequestWindow).Sub(now), time.Second)}
		}
		if err := tx.DB.Create(&resetRequest{IP: client.IP, At: now}).Error; err != nil {
			return fmt.Errorf("reset request: %w", err)
		}
		var u User
		err = tx.DB.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&u, "email = ?", email).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reset request: %w", err)
		}
		var sent int64
		err = tx.DB.Model(&passwordReset{}).Where("user_id = ? AND sent_to IS NOT NULL AND created_at > ?", u.ID, now.Add(-time.Hour)).Count(&sent).Error
		if err != nil || sent >= maxMailedPerHour {
			return err
		}
		p := locale.For(lang)
		if u.Role != access.Buyer {
			// At most one such notice an hour (the outbox keeps one message per ref).
			return notify.Queue(ctx, tx.DB, notify.Message{To: u.Email, Subject: p.Text("email.reset.subject"),
				Body: p.Text("email.reset.unit", u.Name), Kind: "password_reset_unit", Ref: u.ID + "/" + now.Truncate(time.Hour).Format(time.RFC3339)}, now)
		}
		token := newToken()
		r := passwordReset{TokenHash: tokenHash(token), UserID: u.ID, CreatedBy: u.ID, SentTo: &u.Email, CreatedAt: now, ExpiresAt: now.Add(mailedResetValidity)}
		if err := tx.DB.Create(&r).Error; err != nil {
			return fmt.Errorf("reset request: %w", err)
		}
		err = notify.Queue(ctx, tx.DB, notify.Message{To: u.Email, Subject: p.Text("email.reset.subject"),
			Body: p.Text("email.reset.body", u.Name, s.siteURL+"/atur-ulang/"+token, int(mailedResetValidity.Minutes())),
			Kind: "password_reset", Ref: linkRef(token)}, now)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: u.ID, Action: "auth.request_password_link", ResourceKind: "user", ResourceID: u.ID})
	})
}
