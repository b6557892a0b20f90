// Package locale holds every text a person reads (pages, emails, API
// errors) in one catalogue file per language, and prints them in the
// reader's language. It imports nothing of the project, so the domain
// packages, app and frontend can all use it.
package locale

import (
	"embed"
	"fmt"
	"slices"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

// The languages of the product; Bahasa Indonesia is the default.
const (
	ID = "id"
	EN = "en"
)

// Languages lists the catalogue's languages, the default first.
var Languages = []string{ID, EN}

// Cookie is the name of the cookie that remembers a visitor's language.
const Cookie = "lang"

//go:embed catalogue/*.json
var files embed.FS

// Key is an argument that is itself a catalogue key (a status, a role):
// it is printed in the reader's language too.
type Key string

var (
	bundle   = i18n.NewBundle(language.Indonesian)
	keys     = map[string]map[string]bool{}
	printers = map[string]*Printer{}
)

func init() {
	for _, lang := range Languages {
		path := "catalogue/" + lang + ".json"
		b, err := files.ReadFile(path)
		if err != nil {
			panic("locale: " + err.Error())
		}
		mf, err := bundle.ParseMessageFileBytes(b, path)
		if err != nil {
			panic("locale: " + path + ": " + err.Error())
		}
		keys[lang] = map[string]bool{}
		for _, m := range mf.Messages {
			keys[lang][m.ID] = true
		}
		// English falls back to Indonesian, which is complete.
		printers[lang] = &Printer{lang: lang, loc: i18n.NewLocalizer(bundle, lang, ID)}
	}
}

// Printer prints catalogue texts in one language.
type Printer struct {
	lang string
	loc  *i18n.Localizer
}

// For is the printer of lang; an unknown language gets Indonesian.
func For(lang string) *Printer {
	if p, ok := printers[lang]; ok {
		return p
	}
	return printers[ID]
}

// Lang is the printer's language code.
func (p *Printer) Lang() string { return p.lang }

// Text prints the text of key with fmt-style args (the catalogue's texts
// are fmt formats). The first integer argument picks the plural form of a
// text that has several. A missing key prints itself, so it is noticed.
func (p *Printer) Text(key string, args ...any) string {
	lc := &i18n.LocalizeConfig{MessageID: key, TemplateParser: template.IdentityParser{}}
	args = slices.Clone(args)
	for i, a := range args {
		switch v := a.(type) {
		case Key:
			args[i] = p.Text(string(v))
		case int, int8, int16, int32, int64: // go-i18n counts signed integers and strings only
			if lc.PluralCount == nil {
				lc.PluralCount = v
			}
		}
	}
	msg, err := p.loc.Localize(lc)
	if msg == "" && err != nil {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has says whether the catalogue of lang has key.
func Has(lang, key string) bool { return keys[lang][key] }

// Keys lists the keys of lang's catalogue, sorted.
func Keys(lang string) []string {
	out := make([]string, 0, len(keys[lang]))
	for k := range keys[lang] {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// FromAcceptLanguage is the language an Accept-Language header asks for
// among ours, by its order of preference; Indonesian when none.
func FromAcceptLanguage(header string) string {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return ID
	}
	for _, t := range tags {
		base, _ := t.Base()
		if l := strings.ToLower(base.String()); slices.Contains(Languages, l) {
			return l
		}
	}
	return ID
}
