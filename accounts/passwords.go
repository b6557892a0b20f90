package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/sentrakreasi/atensi/domain"
)

// argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes), which
// keeps a login under 50 ms on the small machines this runs on.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	minPassword  = 8
	maxPassword  = 128
)

//go:embed common_passwords.txt
var commonPasswordList string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(commonPasswordList) {
		m[strings.ToLower(p)] = true
	}
	return m
}()

// checkPassword says what is wrong with a new password, if anything. The
// messages are for people who may be choosing their first password ever.
func checkPassword(field, password string, personal ...string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < minPassword:
		return domain.Invalid(field, "accounts.password.short", minPassword)
	case n > maxPassword:
		return domain.Invalid(field, "accounts.password.long", maxPassword)
	case commonPasswords[strings.ToLower(password)]:
		return domain.Invalid(field, "accounts.password.common")
	}
	lower := strings.ToLower(password)
	for _, p := range personal {
		if p = strings.ToLower(strings.TrimSpace(p)); len(p) >= 4 && strings.Contains(lower, p) {
			return domain.Invalid(field, "accounts.password.personal")
		}
	}
	return nil
}

// hashPassword makes a PHC-format argon2id hash with a random salt.
func hashPassword(password string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// verifyPassword checks a password against a hash made by hashPassword,
// with the parameters stored in the hash so they can be raised later.
func verifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var memory, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, time, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when the email is unknown, so a login takes
// as long whether or not the account exists.
var dummyHash = hashPassword("not a real password, only for timing")
