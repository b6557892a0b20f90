package app

import (
	"bytes"
	"mime/multipart"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/domain"
)

// refuseBrokenText answers 400 for a request whose path, query, form fields
// or JSON strings hold a NUL character or bytes that are not UTF-8. Nobody
// types either, PostgreSQL refuses both in text (SQLSTATE 22021), and a
// handler that passed them on would answer 500; refusing them here keeps
// every route clean without each one checking.
func refuseBrokenText(c *fiber.Ctx) error {
	if strings.HasPrefix(c.Path(), "/webhooks/") {
		return c.Next() // a provider's event is theirs to word: refusing it would only make them retry
	}
	bad := func(s []byte) bool { return bytes.IndexByte(s, 0) >= 0 || !utf8.Valid(s) }
	if bad(c.Request().URI().Path()) {
		return domain.Errorf(domain.ErrBadRequest, "input.path.chars")
	}
	var found bool
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) { found = found || bad(k) || bad(v) })
	if found {
		return domain.Errorf(domain.ErrBadRequest, "input.query.chars")
	}
	form, err := (*multipart.Form)(nil), error(nil)
	if strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm) {
		form, err = c.MultipartForm()
	}
	if form != nil && err == nil {
		// The files are binary; only the text fields are checked.
		for k, vs := range form.Value {
			for _, v := range vs {
				found = found || bad([]byte(k)) || bad([]byte(v))
			}
		}
	} else {
		// JSON handlers read the body whatever its declared type.
		// encoding/json turns bytes that are not UTF-8 into U+FFFD, but
		// decodes the escape \u0000 into a NUL.
		found = bytes.Contains(c.Body(), []byte(`\u0000`)) && jsonNUL.Match(c.Body())
		c.Request().PostArgs().VisitAll(func(k, v []byte) { found = found || bad(k) || bad(v) })
	}
	if found {
		return domain.Errorf(domain.ErrBadRequest, "input.form.chars")
	}
	return c.Next()
}

// jsonNUL finds the escape \u0000 that is not itself an escaped backslash
// followed by the text "u0000".
var jsonNUL = regexp.MustCompile(`(^|[^\\])(\\\\)*\\u0000`)
