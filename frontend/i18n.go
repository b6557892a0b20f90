package frontend

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/locale"
)

// Languages of the site; Bahasa Indonesia first.
const (
	LangID = locale.ID
	LangEN = locale.EN
)

// language is the request's language: ?lang= (which is then remembered),
// else the cookie, else Indonesian.
func language(c *fiber.Ctx) string {
	if l := c.Query("lang"); l == LangID || l == LangEN {
		c.Cookie(&fiber.Cookie{Name: locale.Cookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: fiber.CookieSameSiteLaxMode})
		return l
	}
	if c.Cookies(locale.Cookie) == LangEN {
		return LangEN
	}
	return LangID
}

// translate prints a catalogue text in lang.
func translate(lang, key string, args ...any) string {
	return locale.For(lang).Text(key, args...)
}

// rupiah writes an amount the Indonesian way: Rp25.000.
func rupiah(v any) string {
	n := fmt.Sprint(v)
	neg := strings.HasPrefix(n, "-")
	n = strings.TrimPrefix(n, "-")
	var b strings.Builder
	for i, r := range n {
		if i > 0 && (len(n)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-Rp" + b.String()
	}
	return "Rp" + b.String()
}
