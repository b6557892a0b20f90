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
	if fresh := rotated.Seal("Budi", "c"); string(fresh[1:1+fresh[0]]) != KeyID(key(2)) {
		t.Fatal("new values must be sealed with the current key")
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
