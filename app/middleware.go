package app

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/locale"
)

const requestIDHeader = "X-Request-ID"

// An incoming request id is kept only when it is short and plain, so a client
// cannot smuggle anything into our logs.
var plainID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// withRequestID gives every request an id, echoed in the response and in
// every log line and problem document about it.
func withRequestID(c *fiber.Ctx) error {
	setRequestID(c)
	return c.Next()
}

func setRequestID(c *fiber.Ctx) {
	id := c.Get(requestIDHeader)
	if !plainID.MatchString(id) {
		var b [12]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	} else {
		id = strings.Clone(id) // fasthttp reuses the header buffer
	}
	c.Locals(requestIDHeader, id)
	c.Set(requestIDHeader, id)
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDHeader).(string)
	return id
}

// withClientAddr works out who is calling. Behind the proxies listed in
// TRUSTED_PROXIES (Fiber checks the peer against them) the client is the
// last address in X-Forwarded-For that is not one of those proxies: each
// proxy appends the peer it saw, so entries left of it are whatever the
// client claimed. Fiber's own c.IP() would take the leftmost, which anyone
// can forge, so it is not used for this.
func withClientAddr(trusted []netip.Prefix) fiber.Handler {
	isTrusted := func(a netip.Addr) bool {
		return slices.ContainsFunc(trusted, func(p netip.Prefix) bool { return p.Contains(a.Unmap()) })
	}
	return func(c *fiber.Ctx) error {
		addr := c.Context().RemoteIP().String()
		if c.IsProxyTrusted() {
			ips := c.IPs()
			for i := len(ips) - 1; i >= 0; i-- {
				a, err := netip.ParseAddr(strings.TrimSpace(ips[i]))
				if err != nil {
					break
				}
				addr = a.Unmap().String()
				if !isTrusted(a) {
					break
				}
			}
		}
		api.SetClientAddr(c, addr)
		return c.Next()
	}
}

// trustedPrefixes reads TRUSTED_PROXIES entries, which LoadConfig has
// checked: CIDRs, or single addresses.
func trustedPrefixes(entries []string) []netip.Prefix {
	var out []netip.Prefix
	for _, e := range entries {
		if p, err := netip.ParsePrefix(e); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(e); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return out
}

// withAccessLog writes one structured line per request. Query strings are
// left out: they may hold search terms or tokens that are nobody's business.
func withAccessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			// The error handler has not run yet; report the status it will give.
			p, _ := problemFor(err, locale.ID)
			status = p.Status
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		log.LogAttrs(c.UserContext(), level, "http request",
			slog.String("request_id", requestID(c)),
			slog.String("method", c.Method()),
			slog.String("route", routeLabel(c)),
			slog.String("path", c.Path()),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
		)
		return err
	}
}

// contentPolicy is the CSP every answer carries. It allows no inline script
// at all (pages load their JavaScript from files), and images only from this
// site, unless MEDIA_BASE_URL puts the photos elsewhere: then from that
// origin too. Photos are linked by relative URL (/media/...) by default, so
// they load whatever host the site is opened by.
func contentPolicy(mediaBase string) string {
	img := "img-src 'self' data: blob:"
	if u, err := url.Parse(mediaBase); err == nil && u.Scheme != "" && u.Host != "" {
		img += " " + u.Scheme + "://" + u.Host
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; " + img + "; " +
		"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
		"frame-ancestors 'none'"
}

// headerPolicy is what securityHeaders sets: HSTS over https, and the CSP.
type headerPolicy struct {
	hsts bool
	csp  string
}

// securityHeaders sets the headers every answer carries.
func securityHeaders(hp headerPolicy) fiber.Handler {
	return func(c *fiber.Ctx) error {
		setSecurityHeaders(c, hp)
		return c.Next()
	}
}

func setSecurityHeaders(c *fiber.Ctx, hp headerPolicy) {
	h := &c.Response().Header
	h.Set("Content-Security-Policy", hp.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "geolocation=(), microphone=(), payment=()")
	if hp.hsts {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
}
