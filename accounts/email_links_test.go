package accounts_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func setup(t *testing.T) (*storage.DB, *accounts.Service, *clock) {
	t.Helper()
	db := storagetest.DB(t)
	c := &clock{now: time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)}
	svc := accounts.NewService(db, c.Now)
	svc.UseSiteURL("https://pasar.example")
	return db, svc, c
}

type mail struct{ Subject, Body string }

// outbox is what was mailed to an address of a kind, oldest first.
func outbox(t *testing.T, db *storage.DB, to, kind string) []mail {
	t.Helper()
	var out []mail
	if err := db.Gorm.Raw("SELECT subject, body FROM notifications WHERE to_email = ? AND kind = ? ORDER BY id", to, kind).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	resetLink  = regexp.MustCompile(`https://pasar\.example/atur-ulang/([A-Za-z0-9_-]{43})`)
	verifyLink = regexp.MustCompile(`https://pasar\.example/verifikasi/([A-Za-z0-9_-]{43})`)
)

func lastToken(t *testing.T, msgs []mail, re *regexp.Regexp) string {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatal("no message was mailed")
	}
	m := re.FindStringSubmatch(msgs[len(msgs)-1].Body)
	if m == nil {
		t.Fatalf("no link in %q", msgs[len(msgs)-1].Body)
	}
	return m[1]
}

const pw = "kopi-tubruk-pagi"

func register(t *testing.T, svc *accounts.Service, email, lang string) accounts.User {
	t.Helper()
	u, err := svc.Register(context.Background(), accounts.NewUser{Name: "Sari Pembeli", Email: email, Password: pw, Lang: lang})
	if err != nil || u.ID == "" {
		t.Fatalf("register %s: %+v %v", email, u, err)
	}
	return u
}

// TestPasswordResetByEmail: the link is mailed in the reader's language,
// works once and for an hour, ends every older session and every other
// open link, and the answer is the same for an address without an account.
func TestPasswordResetByEmail(t *testing.T) {
	db, svc, clk := setup(t)
	ctx := context.Background()
	u := register(t, svc, "sari@contoh.id", "en")
	client := accounts.Client{IP: "203.0.113.7"}
	session, _, err := svc.Login(ctx, u.Email, pw, client)
	if err != nil {
		t.Fatal(err)
	}

	if err := svc.RequestPasswordReset(ctx, "nobody@contoh.id", "id", client); err != nil {
		t.Fatalf("an address without an account must get the same answer: %v", err)
	}
	if got := outbox(t, db, "nobody@contoh.id", "password_reset"); len(got) != 0 {
		t.Fatalf("mailed an address without an account: %+v", got)
	}
	if err := svc.RequestPasswordReset(ctx, "  Sari@Contoh.ID ", "en", client); err != nil {
		t.Fatal(err)
	}
	msgs := outbox(t, db, u.Email, "password_reset")
	if len(msgs) != 1 || msgs[0].Subject != "Set a new password" || !strings.Contains(msgs[0].Body, "60 minutes") {
		t.Fatalf("reset mail: %+v", msgs)
	}
	first := lastToken(t, msgs, resetLink)
	var stored int64
	db.Gorm.Raw("SELECT count(*) FROM password_resets WHERE position(convert_to(?, 'UTF8') IN token_hash) > 0", first).Scan(&stored)
	if stored != 0 {
		t.Fatal("the token is stored as it is, not hashed")
	}
	if err := svc.RequestPasswordReset(ctx, u.Email, "id", client); err != nil {
		t.Fatal(err)
	}
	msgs = outbox(t, db, u.Email, "password_reset")
	if len(msgs) != 2 || msgs[1].Subject != "Membuat kata sandi baru" {
		t.Fatalf("second reset mail (Indonesian): %+v", msgs)
	}
	second := lastToken(t, msgs, resetLink)

	if err := svc.RedeemPasswordLink(ctx, first, "short"); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("weak password: %v", err)
	}
	if err := svc.RedeemPasswordLink(ctx, first, "sambal-roa-pedas-sekali"); err != nil {
		t.Fatalf("redeem: %v", err)
	}
	if _, err := svc.Authenticate(ctx, session); !errors.Is(err, domain.ErrUnauthorized) {
		t.Fatalf("the session from before the reset still works: %v", err)
	}
	if err := svc.RedeemPasswordLink(ctx, first, "sambal-roa-pedas-lagi"); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a link used twice: %v", err)
	}
	if err := svc.RedeemPasswordLink(ctx, second, "sambal-roa-pedas-lagi"); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("the other open link must end with the reset: %v", err)
	}
	if _, _, err := svc.Login(ctx, u.Email, "sambal-roa-pedas-sekali", client); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
	// Opening a mailed link proves the inbox: the email is verified.
	if after, _ := svc.User(ctx, u.ID); after.EmailVerifiedAt == nil {
		t.Fatal("a redeemed mailed link must verify the email")
	}

	// An hour later a link no longer works.
	clk.Advance(2 * time.Hour)
	if err := svc.RequestPasswordReset(ctx, u.Email, "id", client); err != nil {
		t.Fatal(err)
	}
	late := lastToken(t, outbox(t, db, u.Email, "password_reset"), resetLink)
	clk.Advance(61 * time.Minute)
	if err := svc.RedeemPasswordLink(ctx, late, "sambal-roa-pedas-lagi"); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a link after an hour: %v", err)
	}
}

// TestPasswordResetIsRateLimited: an account gets at most three links an
// hour, silently (the page still answers the same), and one address may
// ask ten times in a quarter of an hour whatever the emails.
func TestPasswordResetIsRateLimited(t *testing.T) {
	db, svc, clk := setup(t)
	ctx := context.Background()
	u := register(t, svc, "budi@contoh.id", "id")
	for i := range 5 {
		if err := svc.RequestPasswordReset(ctx, u.Email, "id", accounts.Client{IP: "198.51.100." + string(rune('1'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	if got := outbox(t, db, u.Email, "password_reset"); len(got) != 3 {
		t.Fatalf("%d links mailed in an hour, want 3", len(got))
	}
	one := accounts.Client{IP: "192.0.2.50"}
	var limited *domain.RateLimitError
	for i := range 11 {
		err := svc.RequestPasswordReset(ctx, "orang"+string(rune('a'+i))+"@contoh.id", "id", one)
		if i < 10 && err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		if i == 10 && !errors.As(err, &limited) {
			t.Fatalf("the 11th request from one address: %v, want a rate limit", err)
		}
	}
	clk.Advance(16 * time.Minute)
	if err := svc.RequestPasswordReset(ctx, "lagi@contoh.id", "id", one); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	if err := svc.RequestPasswordReset(ctx, "bukan email", "id", one); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a malformed address: %v", err)
	}
}

// TestUnitAccountsAreNotResetByEmail: a seller's (or staff) account gets a
// notice to ask their unit, never a link.
func TestUnitAccountsAreNotResetByEmail(t *testing.T) {
	db, svc, _ := setup(t)
	ctx := context.Background()
	admin, err := svc.CreateUserAsOperator(ctx, accounts.NewUser{Email: "admin@contoh.id", Password: "sandi-pengelola-uji", Name: "Admin", Role: access.Admin})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.RequestPasswordReset(ctx, admin.Email, "id", accounts.Client{IP: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	if got := outbox(t, db, admin.Email, "password_reset"); len(got) != 0 {
		t.Fatalf("an admin got a reset link by email: %+v", got)
	}
	notice := outbox(t, db, admin.Email, "password_reset_unit")
	if len(notice) != 1 || resetLink.MatchString(notice[0].Body) {
		t.Fatalf("notice: %+v", notice)
	}
}

// TestEmailVerification: registration mails a link in the reader's
// language; it verifies once, runs the hooks in its transaction, and a new
// link can be asked for (a few an hour) until the email is verified.
func TestEmailVerification(t *testing.T) {
	db, svc, clk := setup(t)
	ctx := context.Background()
	var hooked []string
	svc.OnEmailVerified(func(_ context.Context, _ *storage.Tx, userID, email string) error {
		hooked = append(hooked, userID+" "+email)
		return nil
	})
	u := register(t, svc, "wati@contoh.id", "id")
	msgs := outbox(t, db, u.Email, "email_verify")
	if len(msgs) != 1 || msgs[0].Subject != "Verifikasi email Anda" || !strings.Contains(msgs[0].Body, "48 jam") {
		t.Fatalf("verification mail: %+v", msgs)
	}
	first := lastToken(t, msgs, verifyLink)
	actor := access.Actor{UserID: u.ID, Role: access.Buyer}
	if err := svc.SendVerification(ctx, actor, "en"); err != nil {
		t.Fatal(err)
	}
	msgs = outbox(t, db, u.Email, "email_verify")
	if len(msgs) != 2 || msgs[1].Subject != "Verify your email" {
		t.Fatalf("on request (English): %+v", msgs)
	}
	if err := svc.SendVerification(ctx, actor, "en"); err != nil {
		t.Fatal(err)
	}
	if err := svc.SendVerification(ctx, actor, "en"); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a fourth link in an hour: %v", err)
	}
	if err := svc.VerifyEmail(ctx, "not-a-token"); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("unknown token: %v", err)
	}
	if err := svc.VerifyEmail(ctx, first); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.User(ctx, u.ID); got.EmailVerifiedAt == nil {
		t.Fatal("not verified")
	}
	if len(hooked) != 1 || hooked[0] != u.ID+" "+u.Email {
		t.Fatalf("hooks: %v", hooked)
	}
	if err := svc.VerifyEmail(ctx, first); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a link used twice: %v", err)
	}
	// Once verified, nothing more is sent, and each login runs the hooks
	// (guest orders placed since join the account).
	clk.Advance(2 * time.Hour)
	if err := svc.SendVerification(ctx, actor, "id"); err != nil {
		t.Fatal(err)
	}
	if got := outbox(t, db, u.Email, "email_verify"); len(got) != 3 {
		t.Fatalf("a verified address was mailed again: %d", len(got))
	}
	if _, _, err := svc.Login(ctx, u.Email, pw, accounts.Client{IP: "192.0.2.9"}); err != nil {
		t.Fatal(err)
	}
	if len(hooked) != 2 {
		t.Fatalf("login of a verified account must run the hooks: %v", hooked)
	}

	// A link expires after 48 hours.
	other := register(t, svc, "joko@contoh.id", "id")
	late := lastToken(t, outbox(t, db, other.Email, "email_verify"), verifyLink)
	clk.Advance(49 * time.Hour)
	if err := svc.VerifyEmail(ctx, late); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a link after 48 hours: %v", err)
	}
	// An unverified account's login runs no hook.
	if _, _, err := svc.Login(ctx, other.Email, pw, accounts.Client{IP: "192.0.2.9"}); err != nil || len(hooked) != 2 {
		t.Fatalf("login of an unverified account: %v, hooks %v", err, hooked)
	}
}
