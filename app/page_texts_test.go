package app

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/orders"
	"gorm.io/gorm"
)

// codeFamilies are the catalogue families whose keys end in a code the
// product stores (a cluster, a status, an event type): the code itself must
// never be what a page shows.
var codeFamilies = []string{
	"bstatus.", "cevent.", "cluster.", "component.", "graduation.status.", "incomekind.", "lstatus.", "ostatus.", "outbox.",
	"pay.", "payee.", "payment.", "paymethod.", "payroute.method.", "payroute.payee.", "pillar.", "purpose.", "relation.",
	"role.", "scope.", "shopstatus.", "status.", "tier.",
}

// notCodes are keys of those families that are texts of their own, not
// labels of a code.
var notCodes = []string{"all", "lead", "none", "title", "to"}

// otherWords are common words of the other language, which a page in lang
// must not hold outside what people typed.
var otherWords = map[string][]string{
	locale.EN: {"dan", "yang", "untuk", "dengan", "tidak", "atau", "ini", "dari", "anda", "belum", "sudah", "pada"},
	locale.ID: {"the", "and", "your", "with", "for", "you", "not", "this", "from", "has", "been"},
}

var (
	tagOrScript = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<!--.*?-->|<[^>]*>`)
	word        = regexp.MustCompile(`[\p{L}_]+`)
	// A time of day as each language writes it (14.05, 14:05), or a span
	// of them (08.00–15.00) labelled once; a number is 1.250 in
	// Indonesian and 0.95 in English.
	clock = map[string]*regexp.Regexp{
		locale.ID: regexp.MustCompile(`\b\d{1,2}\.\d{2}(?:\s*[–-]\s*\d{1,2}\.\d{2})?\b(\s*WIB)?`),
		locale.EN: regexp.MustCompile(`\b\d{1,2}:\d{2}(?:\s*[–-]\s*\d{1,2}:\d{2})?\b(\s*WIB)?`),
	}
	isoDay = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	piece  = regexp.MustCompile(`[·:()—]`)
)

// visibleText is what a person reads of a page: the text between its tags
// (attribute values, scripts and styles left out), one line per text node,
// with what people typed into the world taken out.
func visibleText(body string, typed []string) []string {
	var out []string
	for _, n := range tagOrScript.Split(body, -1) {
		if n = withoutTyped(html.UnescapeString(n), typed); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// withoutTyped is text with what people typed taken out.
func withoutTyped(text string, typed []string) string {
	for _, s := range typed {
		text = strings.ReplaceAll(text, s, " ")
	}
	return strings.TrimSpace(text)
}

// TestPagesSpeakOneLanguage renders the main pages of each role, in both
// languages, from the demo-like world: no page shows a stored code (a
// cluster, a purpose, a status, an event type, a category slug) as its
// text, no page holds common words of the other language, and every time
// of day is labelled WIB (and no day is written 2026-12-08).
func TestPagesSpeakOneLanguage(t *testing.T) {
	w := newWorld(t)
	// A timeline with events of several kinds, and a staff page with one.
	w.page(t, "staffA", "POST", "/staf/kasus/"+w.ids["caseAudited"]+"/asesmen", "assessment.date=2026-03-02&assessment.note=Kondisi+baik")

	codes := knownCodes(t, w.a.db.Gorm, locale.ID)
	for _, typ := range cases.EventTypes {
		if !locale.Has(locale.ID, "cevent."+typ) {
			t.Errorf("event type %s has no text cevent.%s", typ, typ)
		}
	}
	var written []string
	if err := w.a.db.Gorm.Raw(`SELECT DISTINCT type FROM case_events`).Scan(&written).Error; err != nil {
		t.Fatal(err)
	}
	for _, typ := range written {
		if !slices.Contains(cases.EventTypes, typ) {
			t.Errorf("the world wrote a case event %s that cases.EventTypes does not list", typ)
		}
	}
	if len(written) < 3 {
		t.Fatalf("the world's cases have only the events %v: the timeline shows too little", written)
	}
	typed := typedTexts(t, w.a.db.Gorm)

	pages := map[string][]string{
		"anon":   {"/", "/produk/" + w.ids["productLive"], "/toko/" + w.ids["shopPM"], "/keranjang", "/masuk", "/daftar"},
		"buyer":  {"/akun", "/akun/pesanan", "/pesanan/" + w.ids["group"]},
		"seller": {"/jual", "/jual/pesanan", "/jual/pendapatan", "/jual/produk/" + w.ids["productDraft"], "/jual/toko/" + w.ids["shopPM"] + "/produk-baru"},
		"staffA": {"/staf/kasus", "/staf/kasus/baru", "/staf/kasus/" + w.ids["caseAudited"], "/staf/pesanan", "/staf/kasir", "/staf/pembayaran",
			"/staf/pembayaran/" + w.ids["batch"], "/staf/pembayaran/" + w.ids["batch"] + "/baris/" + w.ids["line"] + "/kuitansi", "/staf/tinjauan", "/staf/dasbor", "/staf/toko/" + w.ids["shopPM"] + "/pembayaran"},
		"supA":  {"/staf/persetujuan", "/staf/kasus/" + w.ids["caseProtected"], "/staf/pengguna"},
		"admin": {"/admin/pesan", "/admin/referensi"},
	}
	for actor, paths := range pages {
		for _, path := range paths {
			for _, lang := range locale.Languages {
				got := w.page(t, actor, "GET", path, "", locale.Cookie+"="+lang)
				if got.status != 200 {
					t.Errorf("%s %s (%s): %d", actor, path, lang, got.status)
					continue
				}
				where := actor + " " + path + " (" + lang + ")"
				for _, text := range visibleText(got.body, typed) {
					checkText(t, where, lang, text, codes)
				}
			}
		}
	}
}

// knownCodes are the codes no text in lang may show: every code family of
// the catalogue, the category slugs and the case event types; a code whose
// label in lang is the same word ("paid" in English) is that word.
func knownCodes(t *testing.T, db *gorm.DB, lang string) map[string]bool {
	t.Helper()
	codes := map[string]bool{}
	for _, k := range locale.Keys(locale.ID) {
		for _, f := range codeFamilies {
			if code, ok := strings.CutPrefix(k, f); ok && !strings.Contains(code, ".") && !slices.Contains(notCodes, code) &&
				!strings.EqualFold(locale.For(lang).Text(k), code) {
				codes[code] = true
			}
		}
	}
	var slugs []string
	if err := db.Raw(`SELECT slug FROM categories`).Scan(&slugs).Error; err != nil {
		t.Fatal(err)
	}
	for _, s := range slugs {
		codes[s] = true
	}
	for _, typ := range cases.EventTypes {
		codes[typ] = true
	}
	return codes
}

// TestEmailsSpeakTheirReadersLanguage: a buyer who ordered in English and
// one who ordered in Indonesian get every message of the order (placed,
// paid, shipped) in their language, with no code and no time without WIB.
func TestEmailsSpeakTheirReadersLanguage(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	staffA := access.Actor{UserID: w.ids["staffA"], Role: access.Staff, UnitID: w.ids["unitA"]}
	for _, lang := range locale.Languages {
		email := "surat." + lang + "@uji.id"
		body := fmt.Sprintf(`{"items":[{"product_id":%q,"quantity":1}],"buyer":{"name":"Pembeli Surat","email":%q,"phone":"081234567890"},`+
			`"shipping":{"method":"courier","address":"Jl. Kenanga No. 1, Bekasi"},"payment_method":"bank_transfer"}`, w.ids["productLive"], email)
		status, _, b := send(t, w.a, "POST", "/api/v1/checkout", body, map[string]string{"Accept-Language": lang})
		if status != 201 {
			t.Fatalf("checkout in %s: %d %s", lang, status, b)
		}
		var g struct {
			ID      string                `json:"order_group_id"`
			Orders  []struct{ ID string } `json:"orders"`
			Payment struct {
				Instructions struct{ Reference string } `json:"instructions"`
			} `json:"payment"`
		}
		mustJSON(t, b, &g)
		if _, err := w.a.orders.ConfirmTransfer(ctx, staffA, g.ID, g.Payment.Instructions.Reference); err != nil {
			t.Fatal(err)
		}
		if _, err := w.a.orders.MoveOrder(ctx, staffA, g.Orders[0].ID, orders.Move{Event: orders.Ship, Carrier: "JNE", TrackingNo: "JNE123"}); err != nil {
			t.Fatal(err)
		}
		var mails []struct{ Subject, Body string }
		if err := w.a.db.Gorm.Raw("SELECT subject, body FROM notifications WHERE to_email = ? ORDER BY created_at", email).Scan(&mails).Error; err != nil {
			t.Fatal(err)
		}
		if len(mails) < 3 {
			t.Fatalf("%s buyer got %d messages, want placed, paid and shipped", lang, len(mails))
		}
		codes := knownCodes(t, w.a.db.Gorm, lang)
		for i, m := range mails {
			where := fmt.Sprintf("message %d to the %s buyer", i+1, lang)
			for _, text := range append([]string{m.Subject}, strings.Split(m.Body, "\n")...) {
				checkText(t, where, lang, strings.ReplaceAll(text, "Pembeli Surat", ""), codes)
			}
		}
	}
}

// typedTexts is what people typed (names, titles, stories, photo
// descriptions, pick-up places, the sources of reference rows), which is in
// their words, a kept email, which is in its
// reader's language, and the regions' one official names: the longest
// first, so a title is taken out of a text before a name inside it.
func typedTexts(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var typed []string
	if err := db.Raw(`SELECT name FROM users UNION SELECT name FROM units UNION SELECT title FROM products
		UNION SELECT description FROM products UNION SELECT display_name FROM shops UNION SELECT story FROM shops
		UNION SELECT source FROM minimum_wages UNION SELECT source FROM poverty_lines UNION SELECT subject FROM notifications UNION SELECT body FROM notifications
		UNION SELECT name FROM provinces UNION SELECT name FROM regencies UNION SELECT alt FROM product_images
		UNION SELECT pending_alt FROM product_images WHERE pending_alt IS NOT NULL
		UNION SELECT title FROM product_changes UNION SELECT description FROM product_changes
		UNION SELECT pickup_place FROM shops UNION SELECT pickup_address FROM shops UNION SELECT pickup_hours FROM shops`).Scan(&typed).Error; err != nil {
		t.Fatal(err)
	}
	for i := range typed {
		typed[i] = strings.TrimSpace(typed[i]) // a page shows a kept email without its last newline
	}
	typed = slices.DeleteFunc(typed, func(s string) bool { return s == "" })
	slices.SortFunc(typed, func(a, b string) int { return len(b) - len(a) })
	return typed
}

// checkText fails on a code, a word of the other language, a time without
// WIB or a day written as a code in one text node of a page.
func checkText(t *testing.T, where, lang, text string, codes map[string]bool) {
	t.Helper()
	for _, w := range word.FindAllString(text, -1) {
		if strings.Contains(w, "_") && codes[w] {
			t.Errorf("%s shows the code %q: %q", where, w, text)
		}
		if slices.Contains(otherWords[lang], strings.ToLower(w)) {
			t.Errorf("%s holds %q of the other language: %q", where, w, text)
		}
	}
	// A one-word code is a code when it stands alone: a cell, a piece
	// between ·, a value after a colon.
	for _, p := range piece.Split(text, -1) {
		if p = strings.TrimSpace(p); codes[p] {
			t.Errorf("%s shows the code %q: %q", where, p, text)
		}
	}
	for _, m := range clock[lang].FindAllStringSubmatch(text, -1) {
		if m[1] == "" {
			t.Errorf("%s shows a time without WIB: %q", where, text)
		}
	}
	if isoDay.MatchString(text) {
		t.Errorf("%s shows a day as 2006-01-02: %q", where, text)
	}
}
