package app

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

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
	// about three minutes on a loaded 2-core machine.
	run, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(run, node, "--test", "--test-reporter=spec", "e2e/")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "BASE_URL="+base, "DEMO_PASSWORD="+DemoPassword)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so a timeout also ends Chromium
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("browser checks failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
