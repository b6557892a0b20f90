// Package vault encrypts the sensitive fields of a case (legal name, NIK,
// notes, account numbers) with AES-256-GCM under keys derived from DATA_KEY,
// and makes keyed hashes that find equal values without decrypting them.
//
// # Keys
//
// DATA_KEY is never used as it is. Each purpose gets its own key, derived
// with HKDF-SHA256 (DeriveKey): "seal" encrypts fields, "csrf" signs the
// pages' form tokens, and so on, so a key leaked through one use (a CSRF
// token is an HMAC anyone can collect) tells nothing about another.
//
// Rotation: the vault seals with the key derived from the current DATA_KEY
// and opens with any key it was given (DATA_KEYS_OLD), because every sealed
// value starts with the id of the key that sealed it. `atensi admin
// rotate-keys` then re-seals the rows still under an old key (Reseal), after
// which the old key can go.
//
// The transition from the first version, which sealed with the raw
// DATA_KEY: each key given to New is also accepted as it is, under its old
// id (KeyID of the raw key), for opening only. Rows sealed before keys were
// derived therefore stay readable, and rotate-keys moves them to the
// derived key like any other old row.
//
// The hash key is different: a keyed hash cannot be re-made without the
// value, and some hashed values are not kept at all (a buyer's identity in a
// sale event), so the hash key must never change when DATA_KEY does. It is
// pinned: app stores it sealed in the database (vault_keys) the first time
// it runs, derived exactly as the first version derived it from the key of
// that time (LegacyHashKey), and hands it to SetHashKey at every start;
// rotate-keys re-seals it like any other value.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// Vault holds the current sealing key and any retired ones still needed to
// read old values.
type Vault struct {
	current string
	aeads   map[string]cipher.AEAD
	hashKey []byte
}

// New builds a vault whose current key is derived from key (32 bytes, the
// DATA_KEY); older keys (DATA_KEYS_OLD) may follow, for reading. Until
// SetHashKey is called, Hash uses LegacyHashKey(key).
func New(key []byte, old ...[]byte) (*Vault, error) {
	v := &Vault{aeads: map[string]cipher.AEAD{}}
	for i, k := range append([][]byte{key}, old...) {
		if len(k) != 32 {
			return nil, fmt.Errorf("vault: key %d is %d bytes, want 32", i, len(k))
		}
		sealing := DeriveKey(k, "seal")
		for _, raw := range [][]byte{sealing, k} { // k itself: values sealed before keys were derived
			aead, err := newAEAD(raw)
			if err != nil {
				return nil, err
			}
			v.aeads[KeyID(raw)] = aead
		}
		if i == 0 {
			v.current = KeyID(sealing)
		}
	}
	v.hashKey = LegacyHashKey(key)
	return v, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// DeriveKey is the 32-byte key for one purpose ("seal", "csrf", ...) made
// from a DATA_KEY with HKDF-SHA256. Keys of different purposes are
// independent: knowing one tells nothing of the others or of DATA_KEY.
func DeriveKey(dataKey []byte, purpose string) []byte {
	k, err := hkdf.Key(sha256.New, dataKey, nil, "atensi/"+purpose, 32)
	if err != nil {
		panic(err) // only for lengths SHA-256 cannot give; 32 always works
	}
	return k
}

// LegacyHashKey is the hash key the first version derived from its
// DATA_KEY. It seeds the pinned hash key once, so hashes stored by that
// version (NIK lookups, buyer hashes) keep matching.
func LegacyHashKey(dataKey []byte) []byte {
	mac := hmac.New(sha256.New, dataKey)
	mac.Write([]byte("atensi vault hash key"))
	return mac.Sum(nil)
}

// SetHashKey replaces the key of Hash with the pinned one (32 bytes).
func (v *Vault) SetHashKey(key []byte) error {
	if len(key) != 32 {
		return fmt.Errorf("vault: hash key is %d bytes, want 32", len(key))
	}
	v.hashKey = key
	return nil
}

// KeyID names a key without revealing it: the first 8 hex digits of its SHA-256.
func KeyID(key []byte) string {
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:4])
}

// Seal encrypts plaintext. context binds the value to where it is stored
// (say "beneficiary/<id>/nik"), so a sealed value copied to another row or
// field does not open there.
func (v *Vault) Seal(plaintext, context string) []byte {
	aead := v.aeads[v.current]
	prefix := v.currentPrefix()
	out := make([]byte, 0, len(prefix)+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out = append(out, prefix...)
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, []byte(plaintext), []byte(context))
}

// currentPrefix is how every value sealed now begins: the length of the
// key id, then the id.
func (v *Vault) currentPrefix() []byte {
	return append([]byte{byte(len(v.current))}, v.current...)
}

// ErrUnreadable is returned for a value that was tampered with, moved, or
// sealed with a key this vault does not have.
var ErrUnreadable = errors.New("vault: value cannot be opened")

// Open decrypts a value made by Seal with the same context.
func (v *Vault) Open(sealed []byte, context string) (string, error) {
	if len(sealed) < 1 || len(sealed) < 1+int(sealed[0]) {
		return "", ErrUnreadable
	}
	id := string(sealed[1 : 1+sealed[0]])
	aead, ok := v.aeads[id]
	if !ok {
		return "", fmt.Errorf("%w: unknown key %s", ErrUnreadable, id)
	}
	rest := sealed[1+sealed[0]:]
	if len(rest) < aead.NonceSize() {
		return "", ErrUnreadable
	}
	plain, err := aead.Open(nil, rest[:aead.NonceSize()], rest[aead.NonceSize():], []byte(context))
	if err != nil {
		return "", ErrUnreadable
	}
	return string(plain), nil
}

// Hash is a keyed hash of value within a purpose ("nik", "buyer"): equal
// inputs give equal hashes, and without the hash key nobody can test guesses.
func (v *Vault) Hash(purpose, value string) []byte {
	mac := hmac.New(sha256.New, v.hashKey)
	mac.Write([]byte(purpose))
	mac.Write([]byte{0})
	mac.Write([]byte(value))
	return mac.Sum(nil)
}
