package app

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
)

// Problem is an RFC 9457 problem details document, the body of every error
// answer of the API.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Errors    []FieldMessage `json:"errors,omitempty"`
	RequestID string         `json:"request_id,omitempty"`

	retryAfter time.Duration
}

// FieldMessage is what is wrong with one field, in the reader's language.
type FieldMessage struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// detail is the user-facing message of a domain error anywhere in the
// chain, else the text of key. Wrapping context ("reserve stock: ...") is
// for logs only.
func detail(err error, p *locale.Printer, key string, args ...any) string {
	var le domain.Localized
	if errors.As(err, &le) {
		return le.Text(p)
	}
	if key == "" {
		return ""
	}
	return p.Text(key, args...)
}

// problemFor is the one place that decides which HTTP status an error gets,
// and words it in lang. Anything it does not recognise is a 500 whose cause
// is logged, not shown.
func problemFor(err error, lang string) (p Problem, internal bool) {
	pr := locale.For(lang)
	var fe *fiber.Error
	var ve *domain.ValidationError
	var rl *domain.RateLimitError
	switch {
	case errors.As(err, &rl):
		return Problem{Type: "/problems/rate-limited", Title: pr.Text("problem.ratelimited"), Status: http.StatusTooManyRequests,
			Detail:     detail(err, pr, "problem.ratelimited.detail", int(math.Ceil(rl.RetryAfter.Minutes()))),
			retryAfter: rl.RetryAfter}, false
	case errors.As(err, &ve):
		fields := make([]FieldMessage, len(ve.Fields))
		for i, f := range ve.Fields {
			fields[i] = FieldMessage{Field: f.Field, Message: f.Text(pr)}
		}
		return Problem{Type: "/problems/validation", Title: pr.Text("problem.invalid"), Status: http.StatusUnprocessableEntity,
			Detail: pr.Text("problem.invalid.fields"), Errors: fields}, false
	case errors.Is(err, domain.ErrInvalid):
		return Problem{Type: "/problems/validation", Title: pr.Text("problem.invalid"), Status: http.StatusUnprocessableEntity,
			Detail: detail(err, pr, "problem.invalid.detail")}, false
	case errors.Is(err, domain.ErrBadRequest):
		return Problem{Type: "about:blank", Title: pr.Text("problem.badrequest"), Status: http.StatusBadRequest, Detail: detail(err, pr, "")}, false
	case errors.Is(err, domain.ErrNotFound):
		return Problem{Type: "about:blank", Title: pr.Text("problem.notfound"), Status: http.StatusNotFound, Detail: detail(err, pr, "")}, false
	case errors.Is(err, domain.ErrConflict):
		return Problem{Type: "/problems/conflict", Title: pr.Text("problem.conflict"), Status: http.StatusConflict,
			Detail: detail(err, pr, "problem.conflict.detail")}, false
	case errors.Is(err, domain.ErrUnauthorized):
		return Problem{Type: "about:blank", Title: pr.Text("problem.unauthorized"), Status: http.StatusUnauthorized,
			Detail: detail(err, pr, "problem.unauthorized.detail")}, false
	case errors.Is(err, domain.ErrForbidden):
		return Problem{Type: "about:blank", Title: pr.Text("problem.forbidden"), Status: http.StatusForbidden,
			Detail: detail(err, pr, "problem.forbidden.detail")}, false
	case errors.As(err, &fe) && fe.Code == http.StatusRequestEntityTooLarge:
		// fasthttp refuses a body over the limit while reading it, before any route.
		return Problem{Type: "/problems/too-large", Title: pr.Text("problem.toolarge"), Status: http.StatusRequestEntityTooLarge,
			Detail: pr.Text("problem.toolarge.detail", bodyLimit>>20)}, false
	case errors.As(err, &fe) && fe.Code == http.StatusNotFound:
		// Fiber's "Cannot GET /x": no such route.
		return Problem{Type: "about:blank", Title: pr.Text("problem.notfound"), Status: fe.Code, Detail: pr.Text("problem.notfound.route")}, false
	case errors.As(err, &fe) && fe.Code == http.StatusMethodNotAllowed:
		// No detail: fasthttp's message names no method worth repeating.
		return Problem{Type: "about:blank", Title: pr.Text("problem.method"), Status: fe.Code}, false
	case errors.As(err, &fe):
		return Problem{Type: "about:blank", Title: http.StatusText(fe.Code), Status: fe.Code, Detail: fe.Message}, fe.Code >= 500
	default:
		return Problem{Type: "about:blank", Title: pr.Text("problem.internal"), Status: http.StatusInternalServerError,
			Detail: pr.Text("problem.internal.detail")}, true
	}
}

// problemLanguage is the language of a request's problem: Accept-Language
// for the API; elsewhere the visitor's choice as the pages keep it (?lang=,
// then the cookie), else Indonesian, so an error page and its detail agree.
func problemLanguage(c *fiber.Ctx) string {
	if strings.HasPrefix(c.Path(), "/api/") {
		return locale.FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage))
	}
	for _, l := range []string{c.Query(locale.Cookie), c.Cookies(locale.Cookie)} {
		if l == locale.EN || l == locale.ID {
			return l
		}
	}
	return locale.ID
}

// PageErrors renders an error as a friendly HTML page; the frontend sets it.
type PageErrors func(c *fiber.Ctx, p Problem) error

// errorHandler answers every error returned by a handler or middleware:
// problem JSON for the API and for clients that want JSON, a friendly page
// for browsers when pages is set.
func errorHandler(log *slog.Logger, pages *PageErrors, hp headerPolicy) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		if requestID(c) == "" {
			// fasthttp refused the request before the middleware ran (a
			// body over the limit): it still gets an id and the headers.
			setRequestID(c)
			setSecurityHeaders(c, hp)
		}
		p, internal := problemFor(err, problemLanguage(c))
		p.RequestID = requestID(c)
		if internal {
			log.ErrorContext(c.UserContext(), "request failed", "error", err.Error(), "request_id", p.RequestID,
				"method", c.Method(), "path", c.Path())
		}
		if p.retryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(p.retryAfter.Seconds()))))
		}
		if *pages != nil && !strings.HasPrefix(c.Path(), "/api/") && strings.Contains(c.Get(fiber.HeaderAccept), "text/html") {
			c.Status(p.Status)
			return (*pages)(c, p)
		}
		c.Status(p.Status)
		c.Set(fiber.HeaderContentType, "application/problem+json")
		return c.JSON(p, "application/problem+json")
	}
}
