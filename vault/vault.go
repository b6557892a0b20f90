// Package vault encrypts the sensitive fields of a case (legal name, NIK,
// notes, account numbers) with AES-256-GCM under DATA_KEY, and makes keyed
// hashes that find equal values without decrypting them.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// Vault holds the current key and any retired ones still needed to read old
// values. A sealed value starts with the id of the key that sealed it, so a
// key can be rotated by adding the new one as current and re-sealing rows.
type Vault struct {
	current string
	aeads   map[string]cipher.AEAD
	hashKey []byte
}

// New builds a vault whose current key is key (32 bytes); retired keys may
// follow.
func New(key []byte, retired ...[]byte) (*Vault, error) {
	v := &Vault{aeads: map[string]cipher.AEAD{}}
	for i, k := range append([][]byte{key}, retired...) {
		if len(k) != 32 {
			return nil, fmt.Errorf("vault: key %d is %d bytes, want 32", i, len(k))
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		id := KeyID(k)
		v.aeads[id] = aead
		if i == 0 {
			v.current = id
		}
	}
	// The hash key is derived, not the encryption key itself, so the two
	// uses can never interfere.
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("atensi vault hash key"))
	v.hashKey = mac.Sum(nil)
	return v, nil
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
	out := make([]byte, 0, 1+len(v.current)+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out = append(out, byte(len(v.current)))
	out = append(out, v.current...)
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, []byte(plaintext), []byte(context))
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
// inputs give equal hashes, and without DATA_KEY nobody can test guesses.
func (v *Vault) Hash(purpose, value string) []byte {
	mac := hmac.New(sha256.New, v.hashKey)
	mac.Write([]byte(purpose))
	mac.Write([]byte{0})
	mac.Write([]byte(value))
	return mac.Sum(nil)
}
