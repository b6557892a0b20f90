package frontend

import "testing"

// TestTemplateTextReadsPointers: a field a template passes as a pointer
// (a product's shelf life) shows its number, in the right plural form.
func TestTemplateTextReadsPointers(t *testing.T) {
	one, three := 1, 3
	if got := templateText(LangEN)("shop.days", &one); got != "1 day" {
		t.Errorf("en shop.days &1 = %q", got)
	}
	if got := templateText(LangID)("shop.days", &three); got != "3 hari" {
		t.Errorf("id shop.days &3 = %q", got)
	}
}
