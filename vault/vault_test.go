package vault

import (
	"bytes"
	"errors"
	"testing"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func TestSealOpen(t *testing.T) {
	v, err := New(key(1))
	if err != nil {
		t.Fatal(err)
	}
	sealed := v.Seal("3275010101900001", "beneficiary/1/nik")
	if bytes.Contains(sealed, []byte("3275010101900001")) {
		t.Fatal("sealed value contains the plaintext")
	}
	got, err := v.Open(sealed, "beneficiary/1/nik")
	if err != nil || got != "3275010101900001" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if again := v.Seal("3275010101900001", "beneficiary/1/nik"); bytes.Equal(again, sealed) {
		t.Fatal("two seals of one value must differ (random nonce)")
	}
}

func TestOpenRefusesMovedOrTamperedValues(t *testing.T) {
	v, _ := New(key(1))
	sealed := v.Seal("Siti Aminah", "beneficiary/1/legal_name")
	if _, err := v.Open(sealed, "beneficiary/2/legal_name"); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("a value moved to another row opened: %v", err)
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	if _, err := v.Open(tampered, "beneficiary/1/legal_name"); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("a tampered value opened: %v", err)
	}
	for _, junk := range [][]byte{nil, {9}, {2, 'a'}} {
		if _, err := v.Open(junk, "x"); !errors.Is(err, ErrUnreadable) {
			t.Fatalf("Open(%v) = %v", junk, err)
		}
	}
}

func TestRotation(t *testing.T) {
	old, _ := New(key(1))
	sealed := old.Seal("Budi", "c")
	rotated, err := New(key(2), key(1))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rotated.Open(sealed, "c"); err != nil || got != "Budi" {
		t.Fatalf("a value sealed with the retired key: %q, %v", got, err)
	}
	if fresh := rotated.Seal("Budi", "c"); string(fresh[1:1+fresh[0]]) != KeyID(DeriveKey(key(2), "seal")) {
		t.Fatal("new values must be sealed with the key derived from the current one")
	}
	if _, err := old.Open(rotated.Seal("x", "c"), "c"); !errors.Is(err, ErrUnreadable) {
		t.Fatal("a vault without the new key must not open its values")
	}
}

func TestHash(t *testing.T) {
	v, _ := New(key(1))
	w, _ := New(key(2))
	if !bytes.Equal(v.Hash("nik", "1"), v.Hash("nik", "1")) {
		t.Fatal("hash must be deterministic")
	}
	if bytes.Equal(v.Hash("nik", "1"), v.Hash("buyer", "1")) || bytes.Equal(v.Hash("nik", "1"), w.Hash("nik", "1")) {
		t.Fatal("hash must depend on purpose and key")
	}
	if _, err := New([]byte("short")); err == nil {
		t.Fatal("a short key must be refused")
	}
}

// legacySeal seals as the first version did, under the raw key.
func legacySeal(t *testing.T, k []byte, plaintext, context string) []byte {
	t.Helper()
	aead, err := newAEAD(k)
	if err != nil {
		t.Fatal(err)
	}
	id := KeyID(k)
	out := append([]byte{byte(len(id))}, id...)
	nonce := make([]byte, aead.NonceSize())
	return aead.Seal(append(out, nonce...), nonce, []byte(plaintext), []byte(context))
}

func TestOpensValuesSealedBeforeKeysWereDerived(t *testing.T) {
	old := legacySeal(t, key(1), "3275010101900001", "beneficiary/1/nik")
	for _, v := range []func() (*Vault, error){
		func() (*Vault, error) { return New(key(1)) },         // the same DATA_KEY, now derived
		func() (*Vault, error) { return New(key(2), key(1)) }, // rotated, the old key in DATA_KEYS_OLD
	} {
		vv, err := v()
		if err != nil {
			t.Fatal(err)
		}
		if got, err := vv.Open(old, "beneficiary/1/nik"); err != nil || got != "3275010101900001" {
			t.Fatalf("a value sealed under the raw key: %q, %v", got, err)
		}
	}
	other, _ := New(key(2))
	if _, err := other.Open(old, "beneficiary/1/nik"); !errors.Is(err, ErrUnreadable) {
		t.Fatal("without the old key the value must not open")
	}
}

func TestDerivedKeysAreIndependent(t *testing.T) {
	seal, csrf := DeriveKey(key(1), "seal"), DeriveKey(key(1), "csrf")
	if len(seal) != 32 || bytes.Equal(seal, csrf) || bytes.Equal(seal, key(1)) || bytes.Equal(csrf, key(1)) ||
		bytes.Equal(seal, DeriveKey(key(2), "seal")) {
		t.Fatal("each purpose and each DATA_KEY must give its own key")
	}
	if !bytes.Equal(seal, DeriveKey(key(1), "seal")) {
		t.Fatal("derivation must be deterministic")
	}
}

func TestHashKeyIsTheFirstVersionsUntilPinned(t *testing.T) {
	// The first version hashed with HMAC(DATA_KEY, "atensi vault hash key").
	first, _ := New(key(1))
	want := first.Hash("nik", "3275010101900001")
	rotated, _ := New(key(2), key(1))
	if bytes.Equal(rotated.Hash("nik", "3275010101900001"), want) {
		t.Fatal("test premise: an unpinned vault hashes with its current key")
	}
	if err := rotated.SetHashKey(LegacyHashKey(key(1))); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rotated.Hash("nik", "3275010101900001"), want) {
		t.Fatal("the pinned hash key must give the hashes stored before rotation")
	}
	if err := rotated.SetHashKey([]byte("short")); err == nil {
		t.Fatal("a short hash key must be refused")
	}
}
