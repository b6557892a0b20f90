package app

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/domain"
)

func (w *world) tryLogin(t *testing.T, a *App, email, password string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.HTTP().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

func TestBruteForceIsThrottledAndSurvivesRestart(t *testing.T) {
	w := newWorld(t)
	const email = "seller@uji.id"
	var statuses []int
	for i := 0; i < 20; i++ {
		status, retry := w.tryLogin(t, w.a, email, "tebak-tebakan-"+strconv.Itoa(i))
		statuses = append(statuses, status)
		if status == 429 {
			if s, err := strconv.Atoi(retry); err != nil || s < 1 || s > 15*60 {
				t.Fatalf("429 without a sensible Retry-After: %q", retry)
			}
		}
	}
	if statuses[0] != 401 || statuses[9] != 401 || statuses[10] != 429 || statuses[19] != 429 {
		t.Fatalf("20 wrong passwords answered %v; want 401 ten times, then 429", statuses)
	}
	if status, _ := w.tryLogin(t, w.a, email, worldPassword); status != 429 {
		t.Fatalf("the right password while throttled = %d, want 429", status)
	}

	// Another instance over the same database (a restart, or a second
	// server behind the load balancer) throttles too.
	restarted := mustNew(t, testConfig(t), w.a.db, w.a.objects, WithClock(w.clock.Now))
	if status, _ := w.tryLogin(t, restarted, email, worldPassword); status != 429 {
		t.Fatalf("after restart the right password = %d, want still 429", status)
	}
	// Other accounts are not locked out by someone guessing this one.
	if status, _ := w.tryLogin(t, restarted, "buyer@uji.id", worldPassword); status != 200 {
		t.Fatalf("another account = %d, want 200", status)
	}

	w.clock.Advance(15*time.Minute + time.Second)
	if status, _ := w.tryLogin(t, restarted, email, worldPassword); status != 200 {
		t.Fatalf("after the window the right password = %d, want 200", status)
	}
	if status, _ := w.tryLogin(t, restarted, email, "salah-lagi-sekali"); status != 401 {
		t.Fatalf("a success resets the account's run: got %d, want 401", status)
	}
}

func TestThrottlePerAddress(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	client := accounts.Client{IP: "203.0.113.7"}
	// One address spraying many accounts is stopped even though no single
	// account reaches its own limit.
	var err error
	for i := 0; i < 60; i++ {
		_, _, err = w.a.accounts.Login(ctx, fmt.Sprintf("orang%d@uji.id", i%12), "bukan-sandinya-x", client)
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
	if code, out := runBinary(t, env, "admin", "create-user", "--email", "ops@uji.id", "--password", "sandi-operator-2026", "--name", "Tim Ops", "--role", "admin"); code == 0 || !strings.Contains(out, "sudah terdaftar") {
		t.Fatalf("an existing email: exit %d: %s", code, out)
	}
	if code, out := runBinary(t, env, "admin", "create-user", "--email", "ops2@uji.id", "--password", "123456", "--name", "Tim Ops", "--role", "admin"); code == 0 || !strings.Contains(out, "password") {
		t.Fatalf("a weak password: exit %d: %s", code, out)
	}
}
