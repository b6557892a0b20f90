package app

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/frontend"
	"github.com/sentrakreasi/atensi/payouts"
	"github.com/sentrakreasi/atensi/vault"
)

// send posts body to path with headers; it answers the status, headers and body.
func send(t *testing.T, a *App, method, path, body string, headers map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := a.HTTP().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func TestMalformedJSONIs400(t *testing.T) {
	w := newWorld(t)
	admin := map[string]string{"Authorization": "Bearer " + w.tokens["admin"]}
	for _, tt := range []struct {
		path, body string
		headers    map[string]string
		want       int
	}{
		{"/api/v1/auth/login", `{"email": "buyer@uji.id", "password": `, nil, 400},
		{"/api/v1/auth/register", ``, nil, 400},
		{"/api/v1/checkout", `{items: []}`, nil, 400},
		{"/api/v1/units", `{"kind":"balai"} {"kind":"lks"}`, admin, 400},
		{"/api/v1/units", `{"kind":"balai"} x`, admin, 400},
		// Well-formed but invalid stays a validation error naming the field.
		{"/api/v1/auth/login", `{"email": 5, "password": "x"}`, nil, 422},
		{"/api/v1/checkout", `{"itemz": []}`, nil, 422},
	} {
		status, h, body := send(t, w.a, "POST", tt.path, tt.body, tt.headers)
		var p Problem
		_ = json.Unmarshal(body, &p)
		if status != tt.want || p.Status != tt.want || h.Get("Content-Type") != "application/problem+json" {
			t.Errorf("POST %s %q = %d %s, want a %d problem", tt.path, tt.body, status, body, tt.want)
		}
		if tt.want == 422 && len(p.Errors) == 0 {
			t.Errorf("POST %s %q: a validation problem must name the field: %s", tt.path, tt.body, body)
		}
	}
}

func TestRegistrationAnswersTheSameForATakenEmail(t *testing.T) {
	w := newWorld(t)
	register := func(email string) (int, map[string]string) {
		status, _, body := send(t, w.a, "POST", "/api/v1/auth/register",
			fmt.Sprintf(`{"name":"Calon Pembeli","email":%q,"password":"keripik-pisang-enak"}`, email), nil)
		var out map[string]string
		mustJSON(t, body, &out)
		return status, out
	}
	fresh, freshBody := register("Baru@Uji.id")
	taken, takenBody := register("BUYER@uji.id")
	if fresh != 202 || taken != fresh || takenBody["detail"] != freshBody["detail"] || len(takenBody) != len(freshBody) ||
		freshBody["email"] != "baru@uji.id" || takenBody["email"] != "buyer@uji.id" {
		t.Fatalf("new email: %d %v; taken email: %d %v; want the same answer", fresh, freshBody, taken, takenBody)
	}
	// The taken account is untouched and its owner is told, once a day.
	if _, _, err := w.a.accounts.Login(context.Background(), "buyer@uji.id", worldPassword, accounts.Client{IP: "192.0.2.90"}); err != nil {
		t.Fatalf("the owner's password must still work: %v", err)
	}
	register("buyer@uji.id")
	var notices []struct{ ToEmail, Subject, Body string }
	if err := w.a.db.Gorm.Raw("SELECT to_email, subject, body FROM notifications WHERE kind = 'registration_taken'").Scan(&notices).Error; err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || notices[0].ToEmail != "buyer@uji.id" || !strings.Contains(notices[0].Body, "sudah punya akun") {
		t.Fatalf("notices to the owner = %+v, want one to buyer@uji.id", notices)
	}
	var users int64
	w.a.db.Gorm.Raw("SELECT count(*) FROM users WHERE email IN ('buyer@uji.id', 'baru@uji.id')").Scan(&users)
	if users != 2 {
		t.Fatalf("%d accounts, want the old one and the new one", users)
	}
	if s, _, _ := send(t, w.a, "POST", "/api/v1/auth/login", `{"email":"baru@uji.id","password":"keripik-pisang-enak"}`, nil); s != 200 {
		t.Fatalf("the new account logs in: %d", s)
	}
	// The page answers the same too: no session for the new account, which
	// the taken one could not get.
	for _, email := range []string{"halaman.baru@uji.id", "buyer@uji.id"} {
		a := w.page(t, "anon", "POST", "/daftar", "name=Calon+Pembeli&email="+email+"&password=keripik-pisang-enak")
		if a.status != 303 || a.location != "/masuk?ok=registered" || strings.Contains(a.header.Get("Set-Cookie"), "atensi_session") {
			t.Errorf("register page with %s: %d %q %q, want 303 to /masuk?ok=registered and no session", email, a.status, a.location, a.header.Get("Set-Cookie"))
		}
	}
}

func checkoutBody(w *world) string {
	return fmt.Sprintf(`{"items":[{"product_id":%q,"quantity":1}],"buyer":{"name":"Tamu Sama","email":"tamu@uji.id","phone":"081234567890"},"shipping":{"method":"pickup"},"payment_method":"bank_transfer"}`,
		w.ids["productLive"])
}

type checkoutAnswer struct {
	GroupID string `json:"order_group_id"`
	Token   string `json:"access_token"`
}

func TestGuestIdempotencyKeysAreTheirOwn(t *testing.T) {
	w := behindProxy(t)
	const key = "5f0c2a8e-0b7e-4d7a-9a53-1d2f3e4a5b6c"
	body := checkoutBody(w)
	checkout := func(from, key string) (int, http.Header, checkoutAnswer, []byte) {
		status, h, b := send(t, w.a, "POST", "/api/v1/checkout", body, map[string]string{"Idempotency-Key": key, "X-Forwarded-For": from})
		var out checkoutAnswer
		_ = json.Unmarshal(b, &out)
		return status, h, out, b
	}
	s1, _, first, raw := checkout("198.51.100.1", key)
	s2, h2, second, _ := checkout("203.0.113.2", key)
	if s1 != 201 || s2 != 201 || first.Token == "" || second.Token == "" {
		t.Fatalf("two guests = %d, %d; want both 201 with a token: %s", s1, s2, raw)
	}
	if first.GroupID == second.GroupID || first.Token == second.Token || h2.Get("Idempotent-Replayed") != "" {
		t.Fatal("a second guest with the same key and body got the first guest's answer")
	}
	// The first guest retrying gets their own answer again.
	s3, h3, again, _ := checkout("198.51.100.1", key)
	if s3 != 201 || again != first || h3.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("the first guest's retry = %d %+v, want the first answer replayed", s3, again)
	}
	// Short keys from guests are refused; a signed-in user's are their own.
	s, _, _, raw := checkout("198.51.100.1", "retry-1")
	if s != 422 || !strings.Contains(string(raw), "Idempotency-Key") {
		t.Fatalf("a 7-character guest key = %d %s, want 422 on Idempotency-Key", s, raw)
	}
	if s, _, _ := send(t, w.a, "POST", "/api/v1/checkout", body, map[string]string{"Idempotency-Key": "retry-1",
		"Authorization": "Bearer " + w.tokens["buyer"]}); s != 201 {
		t.Fatalf("a short key of a signed-in buyer = %d, want 201", s)
	}

	// Nothing in the table opens an order: neither the token nor the key.
	var rows []struct {
		Key   string
		Scope string
		Body  []byte
	}
	if err := w.a.db.Gorm.Raw("SELECT key, scope, body FROM idempotency_keys").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d stored answers, want 3", len(rows))
	}
	for _, r := range rows {
		for _, secret := range []string{first.Token, second.Token, key, "198.51.100.1", "203.0.113.2"} {
			if strings.Contains(r.Key+r.Scope, secret) || bytes.Contains(r.Body, []byte(secret)) {
				t.Fatalf("stored answer %s/%s holds %q in clear", r.Scope, r.Key, secret)
			}
		}
	}

	// After 24 hours the answer is no longer replayed, and the prune job
	// deletes what is left.
	w.clock.Advance(24*time.Hour + time.Minute)
	s4, h4, later, _ := checkout("198.51.100.1", key)
	if s4 != 201 || later.GroupID == first.GroupID || h4.Get("Idempotent-Replayed") != "" {
		t.Fatalf("a day later the same key = %d %+v, want a new order", s4, later)
	}
	w.clock.Advance(24*time.Hour + time.Minute)
	if err := w.a.accounts.PruneExpired(context.Background()); err != nil {
		t.Fatal(err)
	}
	var left int64
	w.a.db.Gorm.Raw("SELECT count(*) FROM idempotency_keys").Scan(&left)
	if left != 0 {
		t.Fatalf("%d stored answers older than 24 hours survived the prune", left)
	}
}

func TestKeysAreDerivedPerPurpose(t *testing.T) {
	w := newWorld(t)
	dataKey := w.a.cfg.DataKey
	if bytes.Equal(csrfKey(dataKey), dataKey) || bytes.Equal(csrfKey(dataKey), vault.DeriveKey(dataKey, "seal")) {
		t.Fatal("the CSRF key must be neither DATA_KEY nor the sealing key")
	}
	// The login form's token is signed with the derived key, not DATA_KEY.
	resp, err := w.a.HTTP().Test(httptest.NewRequest("GET", "/masuk", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	var seed string
	for _, c := range resp.Cookies() {
		if c.Name == "atensi_csrf" {
			seed = c.Value
		}
	}
	page, _ := io.ReadAll(resp.Body)
	if seed == "" || !strings.Contains(string(page), frontend.CSRFToken(csrfKey(dataKey), seed)) ||
		strings.Contains(string(page), frontend.CSRFToken(dataKey, seed)) {
		t.Fatal("the CSRF token must be an HMAC under the derived CSRF key")
	}
	// Values are sealed under the derived key's id.
	var sealed []byte
	w.a.db.Gorm.Raw("SELECT legal_name_enc FROM beneficiaries LIMIT 1").Row().Scan(&sealed)
	if id := string(sealed[1 : 1+sealed[0]]); id != vault.KeyID(vault.DeriveKey(dataKey, "seal")) || id == vault.KeyID(dataKey) {
		t.Fatalf("sealed under key id %s, want the derived sealing key's", id)
	}
}

// legacySeal seals as the first version did: AES-GCM under the raw DATA_KEY.
func legacySeal(t *testing.T, key []byte, plaintext, context string) []byte {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, _ := cipher.NewGCM(block)
	id := vault.KeyID(key)
	out := append([]byte{byte(len(id))}, id...)
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	return aead.Seal(append(out, nonce...), nonce, []byte(plaintext), []byte(context))
}

func TestRotateKeys(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	oldKey := w.a.cfg.DataKey
	staffA := access.Actor{UserID: w.ids["staffA"], Role: access.Staff, UnitID: w.ids["unitA"]}
	caseID := w.ids["caseAudited"]
	before, err := w.a.cases.Read(ctx, staffA, caseID, true)
	if err != nil {
		t.Fatal(err)
	}
	// A row sealed by the first version (raw DATA_KEY) and its NIK hash, as
	// it left them in the database.
	var benID string
	w.a.db.Gorm.Raw("SELECT beneficiary_id FROM cases WHERE id = ?", caseID).Row().Scan(&benID)
	if err := w.a.db.Gorm.Exec("UPDATE beneficiaries SET legal_name_enc = ? WHERE id = ?",
		legacySeal(t, oldKey, before.Beneficiary.LegalName, "beneficiary/"+benID+"/legal_name"), benID).Error; err != nil {
		t.Fatal(err)
	}
	if got, err := w.a.cases.Read(ctx, staffA, caseID, true); err != nil || got.Beneficiary.LegalName != "Sumarni Binti Kasan" {
		t.Fatalf("a value sealed by the first version: %q, %v", got.Beneficiary.LegalName, err)
	}
	if _, err := w.a.payouts.SetRoute(ctx, staffA, w.ids["shopPM"], payouts.RouteInput{PayeeKind: payouts.PayeePM, Method: payouts.BankTransfer,
		AccountName: "Rekening Uji", Bank: "BRI", AccountNo: "0099887766554"}); err != nil {
		t.Fatal(err)
	}
	status, _, _ := send(t, w.a, "POST", "/api/v1/checkout", checkoutBody(w), map[string]string{"Idempotency-Key": "an-answer-to-reseal-0001"})
	if status != 201 {
		t.Fatalf("checkout = %d", status)
	}

	newKey := bytes.Repeat([]byte{7}, 32)
	rotating := w.a.cfg
	rotating.DataKey, rotating.OldDataKeys = newKey, [][]byte{oldKey}
	a2 := mustNew(t, rotating, w.a.db, w.a.objects, WithClock(w.clock.Now))
	var out bytes.Buffer
	if err := a2.RotateKeys(ctx, 2, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"beneficiaries.legal_name_enc: 2/", "beneficiaries.nik_enc: ", "payout_routes.account_no_enc: 2/2",
		"idempotency_keys.body: 1/1", "vault_keys.sealed: 1/1", "every sealed value is under the current key"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("rotate-keys progress lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := a2.RotateKeys(ctx, 2, &out); err != nil || strings.Contains(out.String(), "re-seal") {
		t.Fatalf("a second run must find nothing to do: %v\n%s", err, out.String())
	}

	// No sealed column anywhere is left under an old key: every bytea
	// column named *_enc, the stored answers and the pinned hash key.
	var cols []struct{ Table, Column string }
	if err := w.a.db.Gorm.Raw(`SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
		WHERE table_schema = 'public' AND data_type = 'bytea' AND (column_name LIKE '%\_enc' OR (table_name, column_name) IN
		(('idempotency_keys', 'body'), ('vault_keys', 'sealed')))`).Scan(&cols).Error; err != nil || len(cols) < 10 {
		t.Fatalf("sealed columns: %v %v", cols, err)
	}
	current := vault.KeyID(vault.DeriveKey(newKey, "seal"))
	for _, c := range cols {
		var stale int64
		w.a.db.Gorm.Raw(fmt.Sprintf("SELECT count(*) FROM %s WHERE %s IS NOT NULL AND substring(%s FROM 2 FOR 8) <> ?", c.Table, c.Column, c.Column), current).Scan(&stale)
		if stale > 0 {
			t.Errorf("%s.%s: %d values still under an old key after rotate-keys", c.Table, c.Column, stale)
		}
	}

	// Only the new key from now on.
	only := w.a.cfg
	only.DataKey, only.OldDataKeys = newKey, nil
	a3 := mustNew(t, only, w.a.db, w.a.objects, WithClock(w.clock.Now))
	got, err := a3.cases.Read(ctx, staffA, caseID, true)
	if err != nil || got.Beneficiary.LegalName != before.Beneficiary.LegalName || got.Beneficiary.NIK != "3275014101800002" {
		t.Fatalf("after rotation with only the new key: %+v, %v", got.Beneficiary, err)
	}
	route, err := a3.payouts.ReadRoute(ctx, staffA, w.ids["shopPM"], true)
	if err != nil || route.Pending == nil || route.Pending.AccountNo != "0099887766554" {
		t.Fatalf("payout route after rotation: %+v, %v", route, err)
	}
	status, h, _ := send(t, a3, "POST", "/api/v1/checkout", checkoutBody(w), map[string]string{"Idempotency-Key": "an-answer-to-reseal-0001"})
	if status != 201 || h.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a stored answer after rotation = %d (replayed %q)", status, h.Get("Idempotent-Replayed"))
	}
	// NIK lookups still find the PM: the same NIK is refused as a duplicate.
	_, err = a3.cases.Create(ctx, staffA, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{LegalName: "Sumarni Lagi", NIK: "3275014101800002", BirthDate: "1980-01-01", Sex: "female",
			ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 3},
		Cluster: cases.ClusterDisabilitas, Pillar: "komunitas", UnitID: w.ids["unitA"],
		Consents: []cases.ConsentInput{{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}},
	})
	if !errors.Is(err, domain.ErrConflict) || !strings.Contains(err.Error(), "NIK") {
		t.Fatalf("the same NIK after rotation: %v, want refused as a duplicate", err)
	}
	// The old key alone opens nothing any more, the pinned hash key included.
	stale := w.a.cfg
	stale.DataKey, stale.OldDataKeys = oldKey, nil
	if _, err := New(stale, slog.New(slog.DiscardHandler), w.a.db, w.a.objects); err == nil || !strings.Contains(err.Error(), "DATA_KEYS_OLD") {
		t.Fatalf("starting with only the retired key: %v, want a clear refusal", err)
	}
}
