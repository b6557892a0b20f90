package locale

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// families are the key prefixes that code completes at run time (a status,
// a role, a month): printf "status.%s" in a template, "login.done." + x in
// Go. A prefix built at run time must be listed here, and the keys under it
// count as used.
var families = []string{
	"account.done.", "bstatus.", "cevent.", "cluster.", "component.", "consent.", "earnings.balance.", "earnings.mon.", "earnings.month.", "earnings.why.", "error.",
	"graduation.done.", "graduation.status.", "incomekind.", "login.done.", "lstatus.", "oevent.", "ostatus.", "outbox.",
	"order.done.", "outcomes.done.", "outcomes.wage.", "pay.", "payee.", "payment.", "paymethod.", "payouts.done.", "payroute.done.", "payroute.method.",
	"payroute.payee.", "pillar.", "purpose.", "reference.done.", "relation.", "role.", "scope.", "sellorders.done.",
	"receiving.done.", "shopsettings.done.", "shopstatus.", "sort.", "stafforders.done.", "status.", "tier.", "sell.done.", "change.", "pickupstatus.",
}

// source is every Go file (tests aside) and template of the project.
func source(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, "_test.go") || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".html") || strings.HasSuffix(path, ".tmpl")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if strings.HasSuffix(path, ".go") {
			// Comments may show keys without using them.
			b = goComment.ReplaceAll(b, nil)
		}
		out[path] = string(b)
		return err
	})
	if err != nil || len(out) < 50 {
		t.Fatalf("reading the sources: %v (%d files)", err, len(out))
	}
	return out
}

var (
	// A literal key handed to the catalogue: {{t "k"}} in a template;
	// translate(lang, "k"), .Text("k"), Key("k"), and the message keys of
	// domain.Invalid, domain.Errorf and ValidationError.Add in Go.
	usedKey = []*regexp.Regexp{
		regexp.MustCompile(`\bt "([a-z0-9_.]+)"`),
		regexp.MustCompile(`translate\([^,()]+, "([a-z0-9_.]+)"`),
		regexp.MustCompile(`\.Text\("([a-z0-9_.]+)"`),
		regexp.MustCompile(`\bKey\("([a-z0-9_.]+)"\)`),
		regexp.MustCompile(`\bInvalid\("[^"]*", "([a-z0-9_.]+)"`),
		regexp.MustCompile(`\.Add\("[^"]*", "([a-z0-9_.]+)"`),
		regexp.MustCompile(`\bErrorf\(domain\.Err[A-Za-z]+, "([a-z0-9_.]+)"`),
		regexp.MustCompile(`\bErrorf\(Err[A-Za-z]+, "([a-z0-9_.]+)"`),
	}
	// A key built at run time: label "x" (x.code) or printf "x.%s" in a
	// template, Sprintf("x.%d") or "x." + y in Go, or a prefix handed on
	// ("login.done.").
	builtKey = []*regexp.Regexp{
		regexp.MustCompile(`\blabel "([a-z0-9_.]+)"`),
		regexp.MustCompile(`printf "([a-z0-9_.]+\.)%`),
		regexp.MustCompile(`Sprintf\("([a-z0-9_.]+\.)%`),
		regexp.MustCompile(`(?:translate|Text|Key)\([^)]*"([a-z0-9_.]+\.)"\s*\+`),
		regexp.MustCompile(`doneFlash\(c, "([a-z0-9_.]+\.)"`),
	}
	goComment = regexp.MustCompile(`(?m)^\s*//.*$`)
	quoted    = regexp.MustCompile(`"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"`)
)

func inFamily(key string) bool {
	return slices.ContainsFunc(families, func(f string) bool { return strings.HasPrefix(key, f) })
}

// TestCatalogue: both languages have the same keys, every key the code asks
// for exists, every key is used, and every key built at run time belongs to
// a listed family.
func TestCatalogue(t *testing.T) {
	for _, k := range Keys(ID) {
		if !Has(EN, k) {
			t.Errorf("%q has no English text", k)
		}
	}
	for _, k := range Keys(EN) {
		if !Has(ID, k) {
			t.Errorf("%q has no Indonesian text", k)
		}
	}
	src := source(t)
	literal := map[string]bool{}
	for path, text := range src {
		for _, re := range usedKey {
			for _, m := range re.FindAllStringSubmatch(text, -1) {
				if !Has(ID, m[1]) || !Has(EN, m[1]) {
					t.Errorf("%s asks for %q, which is not in both catalogues", path, m[1])
				}
			}
		}
		for _, m := range quoted.FindAllStringSubmatch(text, -1) {
			literal[m[1]] = true
		}
		for _, re := range builtKey {
			for _, m := range re.FindAllStringSubmatch(text, -1) {
				prefix := strings.TrimSuffix(m[1], ".") + "."
				if !slices.Contains(families, prefix) {
					t.Errorf("%s builds keys %q... at run time: list the family in families", path, prefix)
				}
			}
		}
	}
	for _, f := range families {
		if !slices.ContainsFunc(Keys(ID), func(k string) bool { return strings.HasPrefix(k, f) }) {
			t.Errorf("family %q has no key", f)
		}
	}
	for _, k := range Keys(ID) {
		if !literal[k] && !inFamily(k) {
			t.Errorf("%q is not used", k)
		}
	}
}

// TestPrinter: English texts, the Indonesian default, plural forms, keys as
// arguments, and a missing key that shows itself.
func TestPrinter(t *testing.T) {
	for _, tt := range []struct {
		lang, key string
		args      []any
		want      string
	}{
		{EN, "nav.login", nil, "Log in"},
		{ID, "nav.login", nil, "Masuk"},
		{"fr", "nav.login", nil, "Masuk"},
		{EN, "shop.days", []any{1}, "1 day"},
		{EN, "shop.days", []any{3}, "3 days"},
		{ID, "shop.days", []any{1}, "1 hari"},
		{EN, "no.such.key", nil, "no.such.key"},
	} {
		if got := For(tt.lang).Text(tt.key, tt.args...); got != tt.want {
			t.Errorf("%s %s %v = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	for h, want := range map[string]string{
		"": ID, "en": EN, "en-US,en;q=0.9": EN, "id-ID": ID, "fr, en;q=0.5": EN, "de": ID, "id;q=0.4, en;q=0.8": EN, "%%%": ID,
	} {
		if got := FromAcceptLanguage(h); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", h, got, want)
		}
	}
}

// TestDates: days and times in WIB, labelled, in each language's way.
func TestDates(t *testing.T) {
	at := time.Date(2026, 12, 8, 7, 5, 0, 0, time.UTC) // 14.05 in Jakarta
	late := time.Date(2026, 12, 8, 18, 30, 0, 0, time.UTC)
	var none *time.Time
	day := "2026-03-01"
	for _, tt := range []struct {
		got, want string
	}{
		{For(ID).Date(at), "8 Desember 2026"},
		{For(EN).Date(at), "8 December 2026"},
		{For(ID).Date(late), "9 Desember 2026"}, // already the next day in WIB
		{For(ID).DateTime(at), "8 Desember 2026 pukul 14.05 WIB"},
		{For(EN).DateTime(&at), "8 December 2026 at 14:05 WIB"},
		{For(ID).Date(day), "1 Maret 2026"},
		{For(EN).Date(&day), "1 March 2026"},
		{For(ID).Date(none), ""},
		{For(ID).Date("2026-03"), "2026-03"},
		{For(ID).DateTime(time.Time{}), ""},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
