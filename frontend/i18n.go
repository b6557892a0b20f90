package frontend

import (
	"fmt"
	"reflect"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/domain"
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

// rupiah writes any whole number a page holds as domain.IDR does:
// Rp25.000.
func rupiah(v any) string {
	if n := reflect.ValueOf(v); n.CanInt() {
		return domain.IDR(n.Int()).String()
	}
	return fmt.Sprint(v)
}
