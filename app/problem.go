package app

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/domain"
)

// Problem is an RFC 9457 problem details document, the body of every error
// answer of the API.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Errors    []domain.FieldError `json:"errors,omitempty"`
	RequestID string              `json:"request_id,omitempty"`

	retryAfter time.Duration
}

// detail is the user-facing message of a domain.Error anywhere in the
// chain, else def. Wrapping context ("reserve stock: ...") is for logs only.
func detail(err error, def string) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Message
	}
	return def
}

// problemFor is the one place that decides which HTTP status an error gets.
// Anything it does not recognise is a 500 whose cause is logged, not shown.
func problemFor(err error) (p Problem, internal bool) {
	var fe *fiber.Error
	var ve *domain.ValidationError
	var rl *domain.RateLimitError
	switch {
	case errors.As(err, &rl):
		return Problem{Type: "/problems/rate-limited", Title: "Too Many Requests", Status: http.StatusTooManyRequests,
			Detail:     detail(err, fmt.Sprintf("Terlalu banyak percobaan. Coba lagi dalam %d menit.", int(math.Ceil(rl.RetryAfter.Minutes())))),
			retryAfter: rl.RetryAfter}, false
	case errors.As(err, &ve):
		return Problem{Type: "/problems/validation", Title: "Data yang dikirim tidak valid", Status: http.StatusUnprocessableEntity,
			Detail: "Periksa isian yang ditandai.", Errors: ve.Fields}, false
	case errors.Is(err, domain.ErrInvalid):
		return Problem{Type: "/problems/validation", Title: "Data yang dikirim tidak valid", Status: http.StatusUnprocessableEntity,
			Detail: detail(err, "Periksa isian Anda.")}, false
	case errors.Is(err, domain.ErrBadRequest):
		return Problem{Type: "about:blank", Title: "Bad Request", Status: http.StatusBadRequest, Detail: detail(err, "")}, false
	case errors.Is(err, domain.ErrNotFound):
		return Problem{Type: "about:blank", Title: "Not Found", Status: http.StatusNotFound, Detail: detail(err, "")}, false
	case errors.Is(err, domain.ErrConflict):
		return Problem{Type: "/problems/conflict", Title: "Conflict", Status: http.StatusConflict,
			Detail: detail(err, "Permintaan bertentangan dengan keadaan data saat ini.")}, false
	case errors.Is(err, domain.ErrUnauthorized):
		return Problem{Type: "about:blank", Title: "Unauthorized", Status: http.StatusUnauthorized,
			Detail: detail(err, "Silakan masuk terlebih dahulu.")}, false
	case errors.Is(err, domain.ErrForbidden):
		return Problem{Type: "about:blank", Title: "Forbidden", Status: http.StatusForbidden,
			Detail: detail(err, "Anda tidak berwenang melakukan ini.")}, false
	case errors.As(err, &fe) && fe.Code == http.StatusRequestEntityTooLarge:
		// fasthttp refuses a body over the limit while reading it, before any route.
		return Problem{Type: "/problems/too-large", Title: "Content Too Large", Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("Data yang dikirim lebih dari %d MB. Foto paling besar 10 MB.", bodyLimit>>20)}, false
	case errors.As(err, &fe):
		return Problem{Type: "about:blank", Title: http.StatusText(fe.Code), Status: fe.Code, Detail: fe.Message}, fe.Code >= 500
	default:
		return Problem{Type: "about:blank", Title: "Internal Server Error", Status: http.StatusInternalServerError,
			Detail: "Terjadi kesalahan di server. Coba lagi nanti."}, true
	}
}

// PageErrors renders an error as a friendly HTML page; the frontend sets it.
type PageErrors func(c *fiber.Ctx, p Problem) error

// errorHandler answers every error returned by a handler or middleware:
// problem JSON for the API and for clients that want JSON, a friendly page
// for browsers when pages is set.
func errorHandler(log *slog.Logger, pages *PageErrors, hsts bool) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		if requestID(c) == "" {
			// fasthttp refused the request before the middleware ran (a
			// body over the limit): it still gets an id and the headers.
			setRequestID(c)
			setSecurityHeaders(c, hsts)
		}
		p, internal := problemFor(err)
		p.RequestID = requestID(c)
		if internal {
			log.ErrorContext(c.UserContext(), "request failed", "error", err.Error(), "request_id", p.RequestID,
				"method", c.Method(), "path", c.Path())
		}
		if p.Status == http.StatusMethodNotAllowed {
			p.Detail = "" // fasthttp's message names no method worth repeating
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
