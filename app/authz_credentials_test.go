package app

import (
	"strings"
	"testing"
	"time"
)

// TestAuthorizationTableWithoutValidCredentials sends every route of the
// authorization table once with no credentials and once with credentials
// that have expired: a session of the unit's supervisor past its end. An
// expired session opens nothing: a page treats it as nobody, and the API
// answers 401 wherever a token is read (a public route too, so the client
// learns to drop it), except on the routes that start a session, which a
// client holding a stale token must still reach.
func TestAuthorizationTableWithoutValidCredentials(t *testing.T) {
	w := newWorld(t)
	expired := w.login(t, "supA")
	if err := w.a.db.Gorm.Exec("UPDATE sessions SET expires_at = ?, idle_until = ? WHERE user_id = ?",
		w.clock.Now().Add(-time.Minute), w.clock.Now().Add(-time.Minute), w.ids["supA"]).Error; err != nil {
		t.Fatal(err)
	}
	tokens := w.tokens
	defer func() { w.tokens = tokens }()
	for c, cred := range []struct{ name, token string }{{"no token", ""}, {"expired token", expired}} {
		w.tokens = map[string]string{"caller": cred.token}
		for i, r := range authzTable {
			want := r.want["anon"]
			if cred.token != "" && strings.HasPrefix(r.path, "/api/") && !(r.method == "POST" && startsSession[r.path]) {
				want = 401
			}
			if prepare := prepares[r.method+" "+r.path]; prepare != nil {
				prepare(t, w)
			}
			n := 900000 + 1000*c + i
			got, b := w.do(t, "caller", r.method, w.expand(r.path, n), w.expand(r.body, n))
			if got != want {
				t.Errorf("%s %s with %s = %d, want %d: %.300s", r.method, r.path, cred.name, got, want, b)
			}
			w.checkPrivacy(t, r.method+" "+r.path+" with "+cred.name, b, false)
		}
	}
}
