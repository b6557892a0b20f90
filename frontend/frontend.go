// Package frontend renders the server-side pages (html/template, embedded)
// from the domain services. It has no SQL and no rules of its own: every
// decision about who may see what is the services' (and the access
// package's). Every form works without JavaScript.
package frontend

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/notify"
	"github.com/sentrakreasi/atensi/orders"
	"github.com/sentrakreasi/atensi/payouts"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// srcset is the srcset attribute of a photo's variants of one type
// ("image/webp"): built in Go, as a page of 24 cards would otherwise run a
// template comparison for every variant of every card.
func srcset(variants []catalog.Variant, typ string) string {
	var b strings.Builder
	for _, v := range variants {
		if v.Type == typ {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %dw", v.URL, v.Width)
		}
	}
	return b.String()
}

// Config is what the pages need from the app.
type Config struct {
	BaseURL string
	Secure  bool   // https: cookies are Secure
	Key     []byte // signs the CSRF tokens
	// StatusOf is the HTTP status the app answers an error with (its
	// problem mapping), for a form's page shown again with that error.
	StatusOf func(error) int
	// Now is the app's clock, for the access rules the pages ask (the
	// menu, a delegation in force); time.Now when nil.
	Now func() time.Time
}

// Pages serves the web pages.
type Pages struct {
	cfg      Config
	log      *slog.Logger
	accounts *accounts.Service
	cases    *cases.Service
	catalog  *catalog.Service
	orders   *orders.Service
	payouts  *payouts.Service
	outbox   *notify.Outbox
	// pages holds each page's template per language, built once at start
	// with that language's t, so a request only executes one.
	pages    map[string]map[string]*template.Template
	assets   map[string]asset // by fingerprinted name
	assetURL map[string]string
}

type asset struct {
	body []byte
	ct   string
}

// Services are the domain services the pages render from.
type Services struct {
	Accounts *accounts.Service
	Cases    *cases.Service
	Catalog  *catalog.Service
	Orders   *orders.Service
	Payouts  *payouts.Service
	Outbox   *notify.Outbox
}

// New parses the templates and fingerprints the static files.
func New(cfg Config, log *slog.Logger, svc Services) (*Pages, error) {
	p := &Pages{cfg: cfg, log: log, accounts: svc.Accounts, cases: svc.Cases, catalog: svc.Catalog, orders: svc.Orders, payouts: svc.Payouts, outbox: svc.Outbox,
		pages:  map[string]map[string]*template.Template{},
		assets: map[string]asset{}, assetURL: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(path, "static/")
		dot := strings.LastIndex(name, ".")
		fp := name[:dot] + "." + hex.EncodeToString(sum[:4]) + name[dot:]
		ct := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}[name[dot:]]
		p.assets[fp] = asset{body: b, ct: ct}
		p.assetURL[name] = "/static/" + fp
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	funcs := template.FuncMap{
		"asset":     func(name string) string { return p.assetURL[name] },
		"rupiah":    rupiah,
		"hasPrefix": strings.HasPrefix,
		"srcset":    srcset,
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		// t, label, date and datetime are replaced in each language's
		// copy of a page, built in New: {{date .At}} is "8 Desember 2026",
		// {{datetime .At}} adds the time in WIB with its label.
		"t":        func(string, ...any) string { return "" },
		"label":    func(string, any) string { return "" },
		"date":     func(any) string { return "" },
		"datetime": func(any) string { return "" },
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if strings.HasSuffix(n, "/layout.html") || strings.HasSuffix(n, "/partials.html") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		p.pages[name] = map[string]*template.Template{}
		for _, lang := range []string{LangID, LangEN} {
			t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", n, err)
			}
			pr := locale.For(lang)
			t.Funcs(template.FuncMap{"t": templateText(lang), "label": templateLabel(lang), "date": pr.Date, "datetime": pr.DateTime})
			p.pages[name][lang] = t
		}
	}
	return p, nil
}

func (p *Pages) now() time.Time {
	if p.cfg.Now != nil {
		return p.cfg.Now()
	}
	return time.Now()
}

// templateText is a page's t: translate, with the pointers a template hands
// on as they are ({{with .BestBeforeDays}} keeps the *int) read through, so
// a text shows the number, not an address.
func templateText(lang string) func(string, ...any) string {
	return func(key string, args ...any) string {
		for i, a := range args {
			if v := reflect.ValueOf(a); v.Kind() == reflect.Pointer && !v.IsNil() {
				args[i] = v.Elem().Interface()
			}
		}
		return translate(lang, key, args...)
	}
}

// templateLabel is a page's label: {{label "cluster" .Cluster}} shows a
// code (a cluster, a status, a payment method) by its catalogue text
// kind.code, never the code itself. A label stands alone on a page (a
// table cell, after a ·), so it starts with a capital; the same texts
// stay lower case inside the sentences of errors.
func templateLabel(lang string) func(string, any) string {
	return func(kind string, code any) string {
		if v := reflect.ValueOf(code); v.Kind() == reflect.Pointer && !v.IsNil() {
			code = v.Elem().Interface()
		}
		key := kind + "." + fmt.Sprint(code)
		if !locale.Has(LangID, key) {
			return "" // TestCatalogue and the pages' language test name the missing label
		}
		text := translate(lang, key)
		r, n := utf8.DecodeRuneInString(text)
		return string(unicode.ToUpper(r)) + text[n:]
	}
}

// view is what every template gets.
type view struct {
	Lang      string
	Title     string
	Actor     access.Actor
	CSRF      string
	Path      string
	Flash     string
	Errors    map[string]string // field -> message
	FormError string
	// FormToken keys the forms of the page that move money or stock
	// (field _form): fresh at every render, so a form sent twice is done
	// once and a new page's form is a new request.
	FormToken string
	// Menu is what the header offers this actor (menu.go).
	Menu menu
	// Acting names the PM whose shop the page works on, for a pendamping
	// under a delegation (acting.go); nil otherwise.
	Acting *acting
	// CartCount is how many items the visitor's cart holds, for the
	// header's cart link (0 without a cart).
	CartCount int
	Data      any
}

// render writes a page. Templates call {{t "key"}} in the request's language.
func (p *Pages) render(c *fiber.Ctx, status int, page, title string, data any, v *view) error {
	if v == nil {
		v = &view{}
	}
	v.Lang = language(c)
	v.Actor = api.Actor(c)
	v.CSRF = p.csrfToken(c)
	v.Path = "/" // the language link's target: never another site's
	if path, ok := localPath(c.Path()); ok {
		v.Path = path
	}
	v.FormToken = newFormToken()
	v.CartCount = p.cartCount(c)
	v.Menu = menuFor(v.Actor, v.Path, p.now())
	v.Acting = actingOf(c)
	v.Data = data
	lang := v.Lang
	v.Title = translate(lang, title)
	t, ok := p.pages[page][lang]
	if !ok {
		return fmt.Errorf("no page %s", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// doneFlash is the message a finished action asks for with ?ok=done: only
// the listed ones, each under prefix in the catalogue.
func doneFlash(c *fiber.Ctx, prefix string, allowed []string) *view {
	v := &view{}
	if done := c.Query("ok"); slices.Contains(allowed, done) {
		v.Flash = translate(language(c), prefix+done)
	}
	return v
}

// formPage renders a form's page again with status, carrying v's errors.
type formPage func(status int, v *view) error

// marks says how a form's page shows the fields of a validation error.
type marks struct {
	// prefix names the form's fields on a page of several forms: its
	// field f is marked as prefix.f.
	prefix string
	// none is set for forms that mark no field: the page says the first
	// field's message instead.
	none bool
}

// again answers a form whose action failed with err. When the person can
// act on err (what they typed, a conflict, a refusal, stock that ran
// out), show renders the page again, with the status the app gives err
// (Config.StatusOf) and what to fix: the fields marked as m says, or the
// error's own message. Anything else is left for the error page.
func (p *Pages) again(c *fiber.Ctx, err error, m marks, show formPage) error {
	var ve *domain.ValidationError
	var de *domain.Error
	var short *catalog.ErrOutOfStock
	v := &view{}
	lp := locale.For(language(c))
	switch {
	case errors.As(err, &ve) && m.none && len(ve.Fields) > 0:
		v.FormError = ve.Fields[0].Text(lp) + "."
	case errors.As(err, &ve):
		v.Errors = map[string]string{}
		for _, f := range ve.Fields {
			name := f.Field
			if m.prefix != "" {
				name = m.prefix + "." + name
			}
			if _, seen := v.Errors[name]; !seen {
				v.Errors[name] = f.Text(lp)
			}
		}
		v.FormError = translate(language(c), "error.form")
	case errors.As(err, &short):
		v.FormError = short.Text(lp) + "." // someone bought it first: say which
	case errors.As(err, &de) && (errors.Is(err, domain.ErrConflict) || errors.Is(err, domain.ErrForbidden) || errors.Is(err, domain.ErrInvalid)):
		v.FormError = de.Text(lp)
	default:
		return err
	}
	return show(p.cfg.StatusOf(err), v)
}

// pageOf renders page with data: a form's page shown again (see again).
func (p *Pages) pageOf(c *fiber.Ctx, page, title string, data any) formPage {
	return func(status int, v *view) error { return p.render(c, status, page, title, data, v) }
}

// ErrorPage renders a friendly page for an error status.
func (p *Pages) ErrorPage(c *fiber.Ctx, status int, detail, requestID string) error {
	key := fmt.Sprintf("error.%d", status)
	switch {
	case locale.Has(LangID, key):
	case status < 500: // the visitor's request, never "a server error"
		key = "error.request"
	default:
		key = "error.500"
	}
	return p.render(c, status, "error", "error.title", map[string]string{"Message": key, "Detail": detail, "RequestID": requestID, "Back": backTo(c)}, nil)
}

// backTo is the page of this site the request came from (its Referer), for
// a way back to the form from an error page without script; else "".
func backTo(c *fiber.Ctx) string {
	ref, err := url.Parse(c.Get(fiber.HeaderReferer))
	if err != nil || ref.Host != c.Hostname() {
		return ""
	}
	path, _ := localPath(ref.RequestURI())
	return path
}

func newFormToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// formToken is the one-time token a form sent back (view.FormToken), or ""
// when it carries none or a malformed one.
func formToken(c *fiber.Ctx) string {
	t := c.FormValue("_form")
	if len(t) < 16 || len(t) > 64 || strings.ContainsFunc(t, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_')
	}) {
		return ""
	}
	return strings.Clone(t)
}

// csrfCookie holds a random value; forms carry an HMAC of it. A forged
// cross-site form can neither read the cookie nor compute the HMAC, and
// nothing is stored on the server, so any instance can check it.
const csrfCookie = "atensi_csrf"

func (p *Pages) csrfToken(c *fiber.Ctx) string {
	seed := c.Cookies(csrfCookie)
	if len(seed) < 20 {
		if v, ok := c.Locals(csrfCookie).(string); ok {
			seed = v
		} else {
			b := make([]byte, 18)
			_, _ = rand.Read(b)
			seed = base64.RawURLEncoding.EncodeToString(b)
			c.Locals(csrfCookie, seed)
			c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: seed, Path: "/", HTTPOnly: true, Secure: p.cfg.Secure, SameSite: fiber.CookieSameSiteLaxMode})
		}
	}
	return p.sign(seed)
}

func (p *Pages) sign(seed string) string { return CSRFToken(p.cfg.Key, seed) }

// CSRFToken is the form token that goes with a CSRF cookie value (tests
// that post forms compute it).
func CSRFToken(key []byte, seed string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("csrf:" + seed))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// checkCSRF guards every page form (it runs before each POST handler).
func (p *Pages) checkCSRF(c *fiber.Ctx) error {
	seed := c.Cookies(csrfCookie)
	if len(seed) < 20 || !hmac.Equal([]byte(c.FormValue("_csrf")), []byte(p.sign(seed))) {
		return p.render(c, fiber.StatusForbidden, "error", "error.title", map[string]string{"Message": "error.csrf"}, nil)
	}
	return c.Next()
}
