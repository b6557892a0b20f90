package app

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// tryLoginFrom logs in through a proxy that names the client in
// X-Forwarded-For (app.Test's peer is 0.0.0.0, the trusted proxy here).
func tryLoginFrom(t *testing.T, a *App, email, password, forwardedFor string) (int, int) {
	t.Helper()
	req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)))
	req.Header.Set("Content-Type", "application/json")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	resp, err := a.HTTP().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	return resp.StatusCode, retry
}

func behindProxy(t *testing.T) *world {
	t.Helper()
	clock := newTestClock()
	cfg := testConfig(t)
	cfg.TrustedProxies = []string{"0.0.0.0/32", "10.0.0.0/8"}
	db := storagetest.DB(t)
	objects, _ := storagetest.Objects(t)
	return newWorldOn(t, mustNew(t, cfg, db, objects, WithClock(clock.Now)), clock)
}

func TestLoginBacksOffPerAccountAndAddress(t *testing.T) {
	w := behindProxy(t)
	const email, attacker, owner = "supa@uji.id", "198.51.100.66", "203.0.113.20"
	// A few mistakes cost nothing; then each failure from that address
	// doubles the wait, even for the right password.
	for i := range 3 {
		if s, _ := tryLoginFrom(t, w.a, email, "tebakan-"+strconv.Itoa(i), attacker); s != 401 {
			t.Fatalf("failure %d = %d, want 401", i+1, s)
		}
	}
	var waits []int
	for i := range 4 {
		s, retry := tryLoginFrom(t, w.a, email, "tebakan-lagi", attacker)
		if s != 429 || retry < 1 {
			t.Fatalf("attempt right after failure %d = %d (Retry-After %d), want 429", 3+i, s, retry)
		}
		waits = append(waits, retry)
		w.clock.Advance(time.Duration(retry) * time.Second)
		if s, _ := tryLoginFrom(t, w.a, email, "tebakan-lagi-"+strconv.Itoa(i), attacker); s != 401 {
			t.Fatalf("after waiting %ds = %d, want the password checked (401)", retry, s)
		}
	}
	if !slices.Equal(waits, []int{1, 2, 4, 8}) {
		t.Fatalf("waits after 3, 4, 5 and 6 failures = %v, want 1, 2, 4, 8 seconds", waits)
	}
	if s, _ := tryLoginFrom(t, w.a, email, worldPassword, attacker); s != 429 {
		t.Fatalf("the right password from the delayed address = %d, want 429", s)
	}
	// The attacker hammers on (20 attempts): the owner elsewhere still gets in.
	for range 20 {
		tryLoginFrom(t, w.a, email, "tebakan-terus", attacker)
	}
	if s, _ := tryLoginFrom(t, w.a, email, worldPassword, owner); s != 200 {
		t.Fatalf("the right password from another address = %d, want 200", s)
	}
	// Forging the left of X-Forwarded-For does not make the attacker the
	// owner: the trusted proxy appended the attacker's real address.
	if s, _ := tryLoginFrom(t, w.a, email, worldPassword, owner+", "+attacker); s != 429 {
		t.Fatalf("a forged X-Forwarded-For = %d, want still 429", s)
	}
	// A chain through a second trusted proxy names the client to its left.
	if s, _ := tryLoginFrom(t, w.a, email, worldPassword, attacker+", 10.1.2.3"); s != 429 {
		t.Fatalf("through two proxies = %d, want the attacker's address still delayed", s)
	}

	// The delay survives a restart (or another instance).
	restarted := mustNew(t, w.a.cfg, w.a.db, w.a.objects, WithClock(w.clock.Now))
	if s, _ := tryLoginFrom(t, restarted, email, worldPassword, attacker); s != 429 {
		t.Fatalf("after restart = %d, want still 429", s)
	}
	w.clock.Advance(15*time.Minute + time.Second)
	if s, _ := tryLoginFrom(t, restarted, email, worldPassword, attacker); s != 200 {
		t.Fatalf("after the window the right password = %d, want 200", s)
	}
}

func TestAccountWideLimitSparesCleanClients(t *testing.T) {
	w := behindProxy(t)
	const email = "supa@uji.id"
	// Many addresses, one guess each: the account reaches its limit.
	for i := range 25 {
		if s, _ := tryLoginFrom(t, w.a, email, "tebakan-tersebar", fmt.Sprintf("198.51.100.%d", i+1)); s != 401 && s != 429 {
			t.Fatalf("guess %d = %d", i, s)
		}
	}
	if s, _ := tryLoginFrom(t, w.a, email, worldPassword, "198.51.100.7"); s != 429 {
		t.Fatalf("an address that failed, past the account's limit = %d, want 429", s)
	}
	if s, _ := tryLoginFrom(t, w.a, email, "tebakan-baru", "198.51.100.200"); s != 401 {
		t.Fatalf("a fresh address may still try = %d, want 401", s)
	}
	if s, _ := tryLoginFrom(t, w.a, email, worldPassword, "203.0.113.20"); s != 200 {
		t.Fatalf("the owner from a clean address = %d, want 200", s)
	}
}

func TestForwardedForIgnoredFromUntrustedPeers(t *testing.T) {
	w := newWorld(t) // no TRUSTED_PROXIES: the header is the client's claim
	const email = "supa@uji.id"
	for i := range 4 {
		tryLoginFrom(t, w.a, email, "tebakan", fmt.Sprintf("198.51.100.%d", i+1))
	}
	if s, _ := tryLoginFrom(t, w.a, email, worldPassword, "203.0.113.20"); s != 429 {
		t.Fatalf("a made-up X-Forwarded-For from an untrusted peer = %d, want 429 (it is the same client)", s)
	}
}

func TestThrottlePerAddress(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	client := accounts.Client{IP: "203.0.113.7"}
	// One address spraying many accounts, one guess each, is stopped even
	// though no account reaches its own limit.
	var err error
	for i := 0; i < 60; i++ {
		_, _, err = w.a.accounts.Login(ctx, fmt.Sprintf("orang%d@uji.id", i), "bukan-sandinya-x", client)
		if errors.Is(err, domain.ErrRateLimited) {
			break
		}
	}
	if !errors.Is(err, domain.ErrRateLimited) {
		t.Fatalf("60 failures from one address: last error %v, want throttled", err)
	}
	if _, _, err := w.a.accounts.Login(ctx, "buyer@uji.id", worldPassword, accounts.Client{IP: "198.51.100.1"}); err != nil {
		t.Fatalf("another address must still log in: %v", err)
	}
}

// Guesses sent all at once are counted as they come: only the free ones
// reach the password check, the rest wait their turn. (Checked before
// counting, twenty parallel guesses all passed the check.)
func TestParallelGuessesAreCountedTogether(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	client := accounts.Client{IP: "198.51.100.77"}
	const guesses = 20
	errs := make(chan error, guesses)
	for i := range guesses {
		go func() {
			_, _, err := w.a.accounts.Login(ctx, "supa@uji.id", fmt.Sprintf("tebakan-%d", i), client)
			errs <- err
		}()
	}
	checked := 0
	for range guesses {
		switch err := <-errs; {
		case errors.Is(err, domain.ErrUnauthorized):
			checked++
		case !errors.Is(err, domain.ErrRateLimited):
			t.Fatalf("a guess answered %v", err)
		}
	}
	if checked != 3 {
		t.Fatalf("%d of %d parallel guesses reached the password check, want the 3 free ones", checked, guesses)
	}
}

// An IPv6 client holds a whole /64: guesses spread over its addresses
// count as one client's.
func TestIPv6ClientIsItsSlash64(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for i := range 3 {
		if _, _, err := w.a.accounts.Login(ctx, "supa@uji.id", "tebakan", accounts.Client{IP: fmt.Sprintf("2001:db8:7:9::%x", i+1)}); !errors.Is(err, domain.ErrUnauthorized) {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	if _, _, err := w.a.accounts.Login(ctx, "supa@uji.id", worldPassword, accounts.Client{IP: "2001:db8:7:9:ffff::1"}); !errors.Is(err, domain.ErrRateLimited) {
		t.Fatalf("a fourth address of the same /64: %v, want throttled", err)
	}
	if _, _, err := w.a.accounts.Login(ctx, "supa@uji.id", worldPassword, accounts.Client{IP: "2001:db8:7:a::1"}); err != nil {
		t.Fatalf("the next /64 is another client and logs in: %v", err)
	}
}

func TestSessionsExpireAndAreRevoked(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	status := func(actor string) int {
		s, _ := w.do(t, actor, "GET", "/api/v1/me", "")
		return s
	}
	if status("staffA") != 200 || status("buyer") != 200 {
		t.Fatal("fresh sessions must work")
	}
	// Staff sessions end after 2 idle hours; a buyer's last a week.
	w.clock.Advance(2*time.Hour + time.Minute)
	if status("staffA") != 401 {
		t.Fatal("a staff session idle for over 2 hours must end")
	}
	if status("buyer") != 200 {
		t.Fatal("a buyer session must survive 2 idle hours")
	}
	// Used every 6 days, a buyer's session still ends after 30 days.
	for i := 0; i < 4; i++ {
		w.clock.Advance(6 * 24 * time.Hour)
		if status("buyer") != 200 {
			t.Fatalf("an active buyer session ended early, day %d", (i+1)*6)
		}
	}
	w.clock.Advance(6 * 24 * time.Hour) // now past 30 days, though used 6 days ago
	if status("buyer") != 401 {
		t.Fatal("a session must end at its absolute expiry")
	}

	// Changing the password revokes every other session.
	w.clock.Advance(time.Hour)
	first, second := w.login(t, "seller"), w.login(t, "seller")
	w.tokens["seller"] = first
	s, body := w.do(t, "seller", "POST", "/api/v1/auth/password", `{"current_password":"`+worldPassword+`","new_password":"sandi-baru-yang-panjang"}`)
	if s != 200 || !strings.Contains(string(body), `"token"`) {
		t.Fatalf("change password = %d %s", s, body)
	}
	for _, tok := range []string{first, second} {
		if _, err := w.a.accounts.Authenticate(ctx, tok); !errors.Is(err, domain.ErrUnauthorized) {
			t.Fatalf("an old session survived a password change: %v", err)
		}
	}
	// Logout revokes the token used.
	w.tokens["buyer"] = w.login(t, "buyer")
	if s, _ := w.do(t, "buyer", "POST", "/api/v1/auth/logout", ""); s != 204 {
		t.Fatalf("logout = %d", s)
	}
	if status("buyer") != 401 {
		t.Fatal("a logged-out token must stop working")
	}
}

func TestPasswordLinkIsSingleUseAndExpires(t *testing.T) {
	w := newWorld(t)
	issue := func() string {
		s, body := w.do(t, "staffA", "POST", "/api/v1/users/"+w.ids["seller"]+"/password-link", "")
		if s != 201 {
			t.Fatalf("issue link = %d %s", s, body)
		}
		var link accounts.ResetLink
		mustJSON(t, body, &link)
		return link.Token
	}
	redeem := func(token, password string) int {
		s, _ := w.do(t, "anon", "POST", "/api/v1/auth/password-reset", fmt.Sprintf(`{"token":%q,"password":%q}`, token, password))
		return s
	}
	token := issue()
	if s := redeem(token, "123456"); s != 422 {
		t.Fatalf("a weak password through the link = %d, want 422", s)
	}
	if s := redeem(token, "sandi-dari-tautan-1"); s != 204 {
		t.Fatalf("redeem = %d, want 204", s)
	}
	if s := redeem(token, "sandi-dari-tautan-2"); s != 422 {
		t.Fatalf("a second use of the link = %d, want 422", s)
	}
	if _, _, err := w.a.accounts.Login(context.Background(), "seller@uji.id", "sandi-dari-tautan-1", accounts.Client{IP: "192.0.2.50"}); err != nil {
		t.Fatalf("the new password must work: %v", err)
	}
	if _, err := w.a.accounts.Authenticate(context.Background(), w.tokens["seller"]); err == nil {
		t.Fatal("setting a password through a link must revoke old sessions")
	}
	late := issue()
	w.clock.Advance(24*time.Hour + time.Minute)
	if s := redeem(late, "sandi-terlambat-1"); s != 422 {
		t.Fatalf("an expired link = %d, want 422", s)
	}
}

func TestPasswordRules(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct {
		password string
		ok       bool
	}{
		{"pendek", false},
		{"password123", false},
		{"bismillah", false},
		{"Penjual Bagus", false}, // contains the name
		{"keripik-pisang-enak", true},
	} {
		s, body := w.do(t, "staffA", "POST", "/api/v1/users",
			fmt.Sprintf(`{"email":"aturan%d@uji.id","password":%q,"name":"Penjual Bagus","role":"seller"}`, len(tt.password), tt.password))
		if (s == 201) != tt.ok {
			t.Errorf("password %q: %d %s", tt.password, s, body)
		}
	}
	s, body := w.do(t, "staffA", "POST", "/api/v1/users", `{"email":"seller@uji.id","password":"keripik-pisang-enak","name":"Dua","role":"seller"}`)
	if s != 422 || !strings.Contains(string(body), `"field":"email"`) {
		t.Errorf("a taken email = %d %s, want 422 on email", s, body)
	}
}

func TestAdminCreateUserCommand(t *testing.T) {
	t.Parallel()
	url := storagetestURL(t)
	env := []string{"DATABASE_URL=" + url}
	if code, out := runBinary(t, env, "admin", "create-user", "--email", "ops@uji.id", "--password", "sandi-operator-2026", "--name", "Tim Ops", "--role", "admin"); code != 0 || !strings.Contains(out, "created admin ops@uji.id") {
		t.Fatalf("create-user: exit %d: %s", code, out)
	}
	if code, out := runBinary(t, env, "admin", "create-user", "--email", "ops@uji.id", "--password", "sandi-operator-2026", "--name", "Tim Ops", "--role", "admin"); code == 0 || !strings.Contains(out, "already registered") {
		t.Fatalf("an existing email: exit %d: %s", code, out)
	}
	if code, out := runBinary(t, env, "admin", "create-user", "--email", "ops2@uji.id", "--password", "123456", "--name", "Tim Ops", "--role", "admin"); code == 0 || !strings.Contains(out, "password") {
		t.Fatalf("a weak password: exit %d: %s", code, out)
	}
}
