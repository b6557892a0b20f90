package app

import (
	"cmp"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// TestBrowserPages serves the app with the demo data and runs the browser
// checks in e2e/ against it in Debian's Chromium. Missing tools fail the
// test with how to get them: scripts/browser.sh setup (make test runs it).
func TestBrowserPages(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, need := range []string{"/usr/bin/chromium", filepath.Join(root, "node_modules", "playwright-core"), filepath.Join(root, "node_modules", "axe-core")} {
		if _, err := os.Stat(need); err != nil {
			t.Fatalf("%s is missing: run scripts/browser.sh setup (make test does)", need)
		}
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is missing: install Node.js")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	cfg := testConfig(t)
	cfg.BaseURL = base
	objects, _ := storagetest.Objects(t)
	a := mustNew(t, cfg, storagetest.DB(t), objects)
	if err := a.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln, false) }()
	defer func() {
		stop()
		<-served
	}()

	// A guard against a hung browser, not a speed check: the checks take
	// five to eight minutes on a loaded 2-core machine.
	run, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	// E2E=e2e/one.test.mjs runs one file while working on it; the page
	// texts are checked whenever the crawl (languages.test.mjs) ran.
	files := cmp.Or(os.Getenv("E2E"), "e2e/")
	cmd := exec.CommandContext(run, node, "--test", "--test-reporter=spec", files)
	cmd.Dir = root
	texts := filepath.Join(t.TempDir(), "page-texts.json")
	cmd.Env = append(os.Environ(), "BASE_URL="+base, "DEMO_PASSWORD="+DemoPassword, "PAGE_TEXTS="+texts)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so a timeout also ends Chromium
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("browser checks failed: %v\n%s", err, out)
	} else {
		t.Logf("%s", out)
	}
	if files == "e2e/" || strings.Contains(files, "languages") {
		checkPageTexts(t, a, texts)
	}
}

// checkPageTexts applies the page-text rules (checkText) to what the
// browser crawl (e2e/languages.test.mjs) read on every page it reached.
func checkPageTexts(t *testing.T, a *App, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the crawl wrote no page texts: %v", err)
	}
	var pages []struct {
		Where, Lang string
		Texts       []string
	}
	mustJSON(t, b, &pages)
	if len(pages) < 100 {
		t.Fatalf("the crawl read only %d pages", len(pages))
	}
	t.Logf("checking the texts of the %d pages the crawl read", len(pages))
	typed := typedTexts(t, a.db.Gorm)
	codes := map[string]map[string]bool{}
	for _, lang := range locale.Languages {
		codes[lang] = knownCodes(t, a.db.Gorm, lang)
	}
	for _, p := range pages {
		for _, text := range p.Texts {
			if text = withoutTyped(text, typed); text != "" {
				checkText(t, p.Where, p.Lang, text, codes[p.Lang])
			}
		}
	}
}
