package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/api"
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

// Login throttling, in PostgreSQL so it holds across instances and
// restarts. Failures count in a sliding window under three keys:
//   - the account at one client address: after a few failures each further
//     attempt from there waits twice as long as the last (backoff), the
//     right password included, so guessing from one place is slow;
//   - the account anywhere: past a softer limit, addresses that have
//     failed on it are held off until the window passes, but an address
//     that has not failed may still try, so an attacker cannot lock the
//     owner out (say a supervisor before the approvals);
//   - the address on any account: one address spraying many accounts stops.
const (
	throttleWindow     = 15 * time.Minute
	freePairFailures   = 3
	maxBackoff         = 15 * time.Minute
	maxAccountFailures = 20
	maxAddressFailures = 50
	// touchEvery limits session writes to one per minute per session.
	touchEvery = time.Minute
)

// backoff is how long an account and address wait after n failures in the
// window: nothing for the first few, then 1 s, 2 s, 4 s ... up to maxBackoff.
func backoff(n int64) time.Duration {
	if n < freePairFailures {
		return 0
	}
	shift := n - freePairFailures
	if shift > 20 {
		return maxBackoff
	}
	return min(time.Second<<shift, maxBackoff)
}

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
// *domain.RateLimitError while this client is throttled for the account
// (see throttleWindow), even for the right password.
func (s *Service) Login(ctx context.Context, email, password string, client Client) (string, User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	address := addressKey(client.IP)
	keys := throttleKeys{account: "email:" + email, address: "ip:" + address, pair: "pair:" + email + "|" + address}
	attempt, err := s.reserveAttempt(ctx, keys)
	if err != nil {
		return "", User{}, err
	}
	var u User
	err = s.db.Gorm.WithContext(ctx).First(&u, "email = ?", email).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return "", User{}, fmt.Errorf("login: %w", err)
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = dummyHash
	}
	if !verifyPassword(hash, password) || u.ID == "" {
		// The attempt's reserved failures stay: they are its record.
		if u.ID != "" {
			if err := audit.Record(ctx, s.db.Gorm.WithContext(ctx), audit.Entry{ActorID: u.ID, Action: "auth.login", ResourceKind: "user", ResourceID: u.ID, Outcome: audit.Denied}); err != nil {
				return "", User{}, fmt.Errorf("record failed login: %w", err)
			}
		}
		return "", User{}, domain.Errorf(domain.ErrUnauthorized, "accounts.login.wrong")
	}
	var token string
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		// A success is no failure, and it ends this client's run of
		// failures on the account. The account's and the address's
		// earlier counts stay: a success from one place must not reset
		// what an attacker elsewhere has used up.
		if err := tx.DB.Where("id IN ? OR key = ?", attempt, keys.pair).Delete(&loginFailure{}).Error; err != nil {
			return err
		}
		var err error
		if token, err = s.openSession(tx.DB, u, client.UserAgent); err != nil {
			return err
		}
		// Guest orders placed with the address since the last login join
		// the account (only once the address is verified, see EmailHook).
		if u.EmailVerifiedAt != nil {
			if err := s.runVerifiedHooks(ctx, tx, u.ID, u.Email); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: u.ID, Action: "auth.login", ResourceKind: "user", ResourceID: u.ID})
	})
	if err != nil {
		return "", User{}, fmt.Errorf("login: %w", err)
	}
	return token, u, nil
}

// addressKey is the part of a client address that one client holds: the
// address itself for IPv4, its /64 for IPv6, where one household or phone
// is given a whole /64 and could spread its guesses over it.
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Unmap().Is4() {
		return ip
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// throttleKeys name a login's failure counts: the account, the client
// address, and the two together.
type throttleKeys struct{ account, address, pair string }

// reserveAttempt lets a login try its password unless the client is
// throttled, and counts it as a failure before the password is checked
// (its rows' ids come back, for a success to take back). The check and
// the count are one step under locks on the address and on the account
// at that address (taken in that order), so guesses sent in parallel see
// each other: without them, twenty at once all passed a check that had
// counted none of them.
func (s *Service) reserveAttempt(ctx context.Context, keys throttleKeys) ([]int64, error) {
	var ids []int64
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		for _, k := range []string{keys.address, keys.pair} {
			if err := tx.DB.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", k).Error; err != nil {
				return err
			}
		}
		now := s.now().UTC()
		if err := s.throttled(tx.DB, now, keys); err != nil {
			return err
		}
		for _, k := range []string{keys.account, keys.address, keys.pair} {
			f := loginFailure{Key: k, At: now}
			if err := tx.DB.Create(&f).Error; err != nil {
				return err
			}
			ids = append(ids, f.ID)
		}
		return nil
	})
	return ids, err
}

func (s *Service) throttled(db *gorm.DB, now time.Time, keys throttleKeys) error {
	type count struct {
		Key            string
		N              int64
		Oldest, Latest time.Time
	}
	var rows []count
	err := db.Model(&loginFailure{}).
		Select("key, count(*) AS n, min(at) AS oldest, max(at) AS latest").
		Where("key IN ? AND at > ?", []string{keys.account, keys.address, keys.pair}, now.Add(-throttleWindow)).
		Group("key").Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	counts := map[string]count{}
	for _, r := range rows {
		counts[r.Key] = r
	}
	pair, account, address := counts[keys.pair], counts[keys.account], counts[keys.address]
	var wait time.Duration
	if d := backoff(pair.N); d > 0 {
		wait = max(wait, pair.Latest.Add(d).Sub(now))
	}
	if account.N >= maxAccountFailures && pair.N > 0 {
		wait = max(wait, account.Oldest.Add(throttleWindow).Sub(now))
	}
	if address.N >= maxAddressFailures {
		wait = max(wait, address.Oldest.Add(throttleWindow).Sub(now))
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
		return access.Actor{}, domain.Errorf(domain.ErrUnauthorized, "accounts.session.expired")
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
		return "", domain.Invalid("current_password", "accounts.password.current")
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

// PruneExpired deletes sessions, reset links, login failures and stored
// Idempotency-Key answers that can no longer matter. A periodic job calls it.
func (s *Service) PruneExpired(ctx context.Context) error {
	now := s.now().UTC()
	db := s.db.Gorm.WithContext(ctx)
	if err := db.Where("expires_at < ? OR idle_until < ?", now, now).Delete(&session{}).Error; err != nil {
		return err
	}
	if err := db.Where("at < ?", now.Add(-throttleWindow)).Delete(&loginFailure{}).Error; err != nil {
		return err
	}
	if err := db.Where("expires_at < ?", now.Add(-24*time.Hour)).Delete(&passwordReset{}).Error; err != nil {
		return err
	}
	if err := db.Where("expires_at < ?", now.Add(-24*time.Hour)).Delete(&emailVerification{}).Error; err != nil {
		return err
	}
	if err := db.Where("at < ?", now.Add(-resetRequestWindow)).Delete(&resetRequest{}).Error; err != nil {
		return err
	}
	// Not the accounts' own tables, but the same kind of hourly sweep.
	if err := s.db.PruneOnce(ctx, now); err != nil {
		return err
	}
	return api.PruneAnswers(ctx, s.db, now)
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
