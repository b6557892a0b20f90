package orders

import (
	"testing"

	"github.com/sentrakreasi/atensi/locale"
)

// TestStatusNewsHasTexts: every status a buyer is told of has its news and
// its subject word in both languages (keys held in a table, which the
// catalogue test cannot check).
func TestStatusNewsHasTexts(t *testing.T) {
	for to, news := range statusNews {
		for _, lang := range locale.Languages {
			if !locale.Has(lang, news.body) || !locale.Has(lang, news.subject) {
				t.Errorf("status %s: %q or %q has no %s text", to, news.body, news.subject, lang)
			}
		}
	}
}
