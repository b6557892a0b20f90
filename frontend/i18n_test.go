package frontend

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestEveryTextIsTranslated: each key a template asks for exists in
// Indonesian, and every Indonesian text has its English one.
func TestEveryTextIsTranslated(t *testing.T) {
	key := regexp.MustCompile(`\bt "([a-z0-9_.]+)"`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatal("no templates", err)
	}
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			if _, ok := catalogue[LangID][m[1]]; !ok {
				t.Errorf("%s uses %q, which has no Indonesian text", f, m[1])
			}
		}
	}
	for k := range catalogue[LangID] {
		if _, ok := catalogue[LangEN][k]; !ok && k != "site.name" && k != "role.admin" && k != "role.supervisor" && k != "role.pendamping" &&
			k != "case.pendamping" {
			t.Errorf("%q has no English text", k)
		}
	}
}
