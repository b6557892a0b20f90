package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// Session lifetimes. Staff sessions open case data, so they end sooner;
// sellers and buyers on their own phones stay logged in longer.
func lifetime(r access.Role) (idle, absolute time.Duration) {
	switch r {
	case access.Admin, access.Staff, access.Supervisor, access.LKSManager:
		return 2 * time.Hour, 12 * time.Hour
	default:
		return 7 * 24 * time.Hour, 30 * 24 * time.Hour
	}
}

// Login throttling: failures counted per account and per client address in
// a sliding window, in PostgreSQL so it holds across instances and restarts.
const (
	throttleWindow     = 15 * time.Minute
	maxAccountFailures = 10
	maxAddressFailures = 50
	// touchEvery limits session writes to one per minute per session.
	touchEvery = time.Minute
)

type session struct {
	TokenHash  []byte `gorm:"primaryKey"`
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	IdleUntil  time.Time
	ExpiresAt  time.Time
	UserAgent  string
}

type loginFailure struct {
	ID  int64 `gorm:"primaryKey"`
	Key string
	At  time.Time
}

// Client describes where a login comes from.
type Client struct {
	IP        string
	UserAgent string
}

// Login checks an email and password and opens a session. It answers
// domain.ErrUnauthorized for a wrong email or password alike, and a
// *domain.RateLimitError while the account or address is throttled, even
// for the right password.
func (s *Service) Login(ctx context.Context, email, password string, client Client) (string, User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	keys := []string{"email:" + email, "ip:" + client.IP}
	if err := s.throttled(ctx, keys); err != nil {
		return "", User{}, err
	}
	var u User
	err := s.db.Gorm.WithContext(ctx).First(&u, "email = ?", email).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return "", User{}, fmt.Errorf("login: %w", err)
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = dummyHash
	}
	if !verifyPassword(hash, password) || u.ID == "" {
		now := s.now().UTC()
		err := s.db.InTx(ctx, func(tx *storage.Tx) error {
			for _, k := range keys {
				if err := tx.DB.Create(&loginFailure{Key: k, At: now}).Error; err != nil {
					return err
				}
			}
			if u.ID == "" {
				return nil
			}
			return audit.Record(ctx, tx.DB, audit.Entry{ActorID: u.ID, Action: "auth.login", ResourceKind: "user", ResourceID: u.ID, Outcome: audit.Denied})
		})
		if err != nil {
			return "", User{}, fmt.Errorf("record failed login: %w", err)
		}
		return "", User{}, domain.Errorf(domain.ErrUnauthorized, "Email atau kata sandi salah.")
	}
	var token string
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		// A success ends the account's run of failures; the address's stay,
		// so one address cannot spray many accounts.
		if err := tx.DB.Where("key = ?", keys[0]).Delete(&loginFailure{}).Error; err != nil {
			return err
		}
		var err error
		if token, err = s.openSession(tx.DB, u, client.UserAgent); err != nil {
			return err
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: u.ID, Action: "auth.login", ResourceKind: "user", ResourceID: u.ID})
	})
	if err != nil {
		return "", User{}, fmt.Errorf("login: %w", err)
	}
	return token, u, nil
}

func (s *Service) throttled(ctx context.Context, keys []string) error {
	now := s.now().UTC()
	limits := map[string]int64{keys[0]: maxAccountFailures, keys[1]: maxAddressFailures}
	type count struct {
		Key    string
		N      int64
		Oldest time.Time
	}
	var counts []count
	err := s.db.Gorm.WithContext(ctx).Model(&loginFailure{}).
		Select("key, count(*) AS n, min(at) AS oldest").
		Where("key IN ? AND at > ?", keys, now.Add(-throttleWindow)).
		Group("key").Scan(&counts).Error
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	var wait time.Duration
	for _, c := range counts {
		if c.N >= limits[c.Key] {
			if w := c.Oldest.Add(throttleWindow).Sub(now); w > wait {
				wait = w
			}
		}
	}
	if wait > 0 {
		return &domain.RateLimitError{RetryAfter: max(wait, time.Second)}
	}
	return nil
}

func (s *Service) openSession(db *gorm.DB, u User, userAgent string) (string, error) {
	token := newToken()
	now := s.now().UTC()
	idle, absolute := lifetime(u.Role)
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	err := db.Create(&session{TokenHash: tokenHash(token), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		IdleUntil: now.Add(idle), ExpiresAt: now.Add(absolute), UserAgent: userAgent}).Error
	if err != nil {
		return "", fmt.Errorf("open session: %w", err)
	}
	return token, nil
}

// Authenticate turns a session token into the actor it belongs to, with the
// unit network the policy needs (app adds a pendamping's delegations). An unknown, revoked or
// expired token is domain.ErrUnauthorized.
func (s *Service) Authenticate(ctx context.Context, token string) (access.Actor, error) {
	now := s.now().UTC()
	var row struct {
		TokenHash  []byte
		UserID     string
		LastSeenAt time.Time
		Role       access.Role
		Name       string
		UnitID     *string
	}
	err := s.db.Gorm.WithContext(ctx).Table("sessions").
		Select("sessions.token_hash, sessions.user_id, sessions.last_seen_at, users.role, users.name, users.unit_id").
		Joins("JOIN users ON users.id = sessions.user_id").
		Where("sessions.token_hash = ? AND sessions.idle_until > ? AND sessions.expires_at > ?", tokenHash(token), now, now).
		Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return access.Actor{}, domain.Errorf(domain.ErrUnauthorized, "Sesi tidak berlaku atau sudah berakhir; silakan masuk lagi.")
	}
	if err != nil {
		return access.Actor{}, fmt.Errorf("authenticate: %w", err)
	}
	if now.Sub(row.LastSeenAt) > touchEvery {
		idle, _ := lifetime(row.Role)
		err := s.db.Gorm.WithContext(ctx).Model(&session{}).Where("token_hash = ?", row.TokenHash).
			Updates(map[string]any{"last_seen_at": now, "idle_until": now.Add(idle)}).Error
		if err != nil {
			return access.Actor{}, fmt.Errorf("touch session: %w", err)
		}
	}
	a := access.Actor{UserID: row.UserID, Name: row.Name, Role: row.Role}
	if row.UnitID != nil {
		a.UnitID = *row.UnitID
	}
	if a.Role == access.Supervisor {
		if a.Network, err = s.network(ctx, a.UnitID); err != nil {
			return access.Actor{}, fmt.Errorf("authenticate: %w", err)
		}
	}
	return a, nil
}

// Logout revokes one session.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.db.Gorm.WithContext(ctx).Where("token_hash = ?", tokenHash(token)).Delete(&session{}).Error
}

// ChangePassword checks the current password, sets the new one, revokes
// every session of the user and opens a fresh one for this client.
func (s *Service) ChangePassword(ctx context.Context, actor access.Actor, current, next string, client Client) (string, error) {
	u, err := s.User(ctx, actor.UserID)
	if err != nil {
		return "", err
	}
	if !verifyPassword(u.PasswordHash, current) {
		return "", domain.Invalid("current_password", "kata sandi saat ini salah")
	}
	if err := checkPassword("new_password", next, u.Name, strings.Split(u.Email, "@")[0]); err != nil {
		return "", err
	}
	var token string
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := s.setPassword(tx, u.ID, next); err != nil {
			return err
		}
		if token, err = s.openSession(tx.DB, u, client.UserAgent); err != nil {
			return err
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: u.ID, Action: "auth.change_password", ResourceKind: "user", ResourceID: u.ID})
	})
	return token, err
}

// setPassword stores a new hash and revokes every session of the user.
func (s *Service) setPassword(tx *storage.Tx, userID, password string) error {
	err := tx.DB.Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"password_hash": hashPassword(password), "updated_at": s.now().UTC()}).Error
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if err := tx.DB.Where("user_id = ?", userID).Delete(&session{}).Error; err != nil {
		return fmt.Errorf("revoke sessions: %w", err)
	}
	return nil
}

// PruneExpired deletes sessions, reset links and login failures that can no
// longer matter. A periodic job calls it.
func (s *Service) PruneExpired(ctx context.Context) error {
	now := s.now().UTC()
	db := s.db.Gorm.WithContext(ctx)
	if err := db.Where("expires_at < ? OR idle_until < ?", now, now).Delete(&session{}).Error; err != nil {
		return err
	}
	if err := db.Where("at < ?", now.Add(-throttleWindow)).Delete(&loginFailure{}).Error; err != nil {
		return err
	}
	return db.Where("expires_at < ?", now.Add(-24*time.Hour)).Delete(&passwordReset{}).Error
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
