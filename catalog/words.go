package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/lib/pq"
	"gorm.io/gorm"
)

// maxWords bounds how many words of a query are searched; the rest are
// dropped (a buyer's query is a few words; this keeps a pasted paragraph
// from costing more than a query).
const maxWords = 8

// correctionSimilarity is how alike (pg_trgm similarity, 0 to 1) an
// unknown word and a catalog word must be for the one to correct the
// other: "kripik" and "keripik" are 0.5, "durian" and "dari" 0.09.
const correctionSimilarity = 0.4

// queryWords splits a search text into the lower-case words it searches,
// each once, the way PostgreSQL's parser splits a title: on anything that
// is neither a letter nor a digit.
func queryWords(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(out) == maxWords {
			break
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// dictionaryShaped says whether the word dictionary (search_words) can hold
// w: letters only, 3 to 40 of them, as search_words_of keeps them. Other
// words (numbers, "xl") are searched as typed and never corrected.
func dictionaryShaped(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return n >= 3 && n <= 40
}

// terms is a search text after the dictionary has seen it.
type terms struct {
	words     []string // what is searched, corrections applied
	corrected bool     // a word was replaced
	// none: a word is in no published product and like none, so nothing
	// can match and the product tables need not be read at all.
	none bool
	// rootless: a word is in no product of the query's root category, so
	// nothing in the category matches (but the category facet, which
	// leaves the category out, may count others).
	rootless bool
	// titleless: no product holds every word in its title, so the title
	// tiers of the ranking are skipped; bodyless: every product holding a
	// word holds it in its title, so the description tiers are skipped.
	titleless, bodyless bool
	// bound is at least the number of matches (the fewest products any
	// word is in), or -1 when no word is in the dictionary's shape.
	bound int64
}

// tsquery is the words as a PostgreSQL text query: all of them, each
// stemmed by the 'indonesian' configuration. The words hold only letters
// and digits, so they need no quoting.
func (t terms) tsquery() string { return strings.Join(t.words, " & ") }

// lookUp checks every word of a query against the word dictionary in one
// statement: a known word (itself, or its Indonesian stem: "anyam" for
// "anyaman") is kept with its counts; an unknown one is replaced by the
// most similar catalog word, or marks the query as matching nothing. With
// root (the query's root category, or "") the counts are within it, and a
// word no product of the category holds also matches nothing.
func (s *Service) lookUp(ctx context.Context, db *gorm.DB, root string, words []string) (terms, error) {
	t := terms{words: append([]string(nil), words...), bound: -1}
	var shaped []string
	for _, w := range words {
		if dictionaryShaped(w) {
			shaped = append(shaped, w)
		}
	}
	if len(shaped) == 0 {
		return t, nil
	}
	rows, err := s.cache.words.lookUp(root, shaped, func(missing []string) ([]wordRow, error) {
		var rows []wordRow
		err := db.WithContext(ctx).Raw(`
			SELECT q.w AS word, k.products, k.titles, kr.products AS in_root,
				c.word AS correction, c.products AS c_products, c.titles AS c_titles, cr.products AS c_in_root
			FROM unnest(?::text[]) q (w)
			CROSS JOIN LATERAL (
				SELECT sum(d.products) AS products, sum(d.titles) AS titles FROM search_words d
				WHERE d.products > 0 AND (d.word = q.w OR d.lexeme = coalesce((ts_lexize('indonesian_stem', q.w))[1], q.w))) k
			LEFT JOIN LATERAL (
				SELECT sum(r.products) AS products FROM search_words d JOIN search_word_roots r ON r.word = d.word
				WHERE r.category_root = ? AND d.products > 0
					AND (d.word = q.w OR d.lexeme = coalesce((ts_lexize('indonesian_stem', q.w))[1], q.w))) kr ON true
			LEFT JOIN LATERAL (
				SELECT d.word, d.products, d.titles FROM search_words d
				WHERE k.products IS NULL AND d.products > 0 AND d.word % q.w AND similarity(d.word, q.w) >= ?
				ORDER BY similarity(d.word, q.w) DESC, d.products DESC, d.word LIMIT 1) c ON true
			LEFT JOIN LATERAL (SELECT r.products FROM search_word_roots r WHERE r.word = c.word AND r.category_root = ?) cr ON true`,
			pq.StringArray(missing), root, correctionSimilarity, root).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("search words: %w", err)
		}
		return rows, nil
	})
	if err != nil {
		return t, err
	}
	titleless, bodyless := false, len(rows) == len(words)
	for _, r := range rows {
		products, titles, inRoot := r.Products, r.Titles, r.InRoot
		if products == nil {
			if r.Correction == nil {
				return terms{none: true}, nil
			}
			for i, w := range t.words {
				if w == r.Word {
					t.words[i] = *r.Correction
				}
			}
			t.corrected = true
			products, titles, inRoot = r.CProducts, r.CTitles, r.CInRoot
		}
		titleless = titleless || *titles == 0
		bodyless = bodyless && *products == *titles
		bound := *products
		if root != "" {
			bound = 0
			if inRoot != nil {
				bound = min(*products, *inRoot)
			}
		}
		t.rootless = t.rootless || bound == 0
		if t.bound < 0 || bound < t.bound {
			t.bound = bound
		}
	}
	t.titleless, t.bodyless = titleless, bodyless
	return t, nil
}

// wordRow is the dictionary's answer for one query word: its counts when
// known, else the correction's (or no correction).
type wordRow struct {
	Word                        string
	Products, Titles, InRoot    *int64
	Correction                  *string
	CProducts, CTitles, CInRoot *int64
}

// wordTTL is how long an instance reuses the dictionary's answer for a
// word. Buyers type the same words all day; the dictionary changes only
// when a product is published, edited or withdrawn, which clears this
// instance's answers at once (others catch up within wordTTL: a new word
// is found, or a typo corrected to it, half a minute later there).
const wordTTL = 30 * time.Second

// wordCache keeps the dictionary's answers per word, bounded like the
// result cache.
type wordCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]wordEntry
	gen     uint64 // counts the clears, as resultCache.gen
}

type wordEntry struct {
	row     wordRow
	expires time.Time
}

func newWordCache(max int) *wordCache { return &wordCache{max: max, entries: map[string]wordEntry{}} }

// lookUp answers each word (within a root category, or "") from the
// cache, and the rest with one call to load.
func (c *wordCache) lookUp(root string, words []string, load func(missing []string) ([]wordRow, error)) ([]wordRow, error) {
	now := time.Now()
	rows := make([]wordRow, 0, len(words))
	var missing []string
	c.mu.Lock()
	gen := c.gen
	for _, w := range words {
		if e, ok := c.entries[root+"|"+w]; ok && now.Before(e.expires) {
			rows = append(rows, e.row)
		} else {
			missing = append(missing, w)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return rows, nil
	}
	loaded, err := load(missing)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen { // else a clear came while loading: the answer may be from before it
		if len(c.entries)+len(loaded) > c.max {
			c.entries = map[string]wordEntry{} // crude but bounded, as the result cache
		}
		for _, r := range loaded {
			c.entries[root+"|"+r.Word] = wordEntry{row: r, expires: now.Add(wordTTL)}
		}
	}
	c.mu.Unlock()
	return append(rows, loaded...), nil
}

// clear forgets every answer, after a change to the catalog.
func (c *wordCache) clear() {
	c.mu.Lock()
	c.entries = map[string]wordEntry{}
	c.gen++
	c.mu.Unlock()
}
