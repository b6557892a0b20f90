package app

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/storage/storagetest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// TestMain removes the binary built for the command tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		_ = os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// binary builds the real command once per test run.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "atensi-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "atensi")
		out, err := exec.Command("go", "build", "-o", binPath, "..").CombinedOutput()
		if err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("build binary: %v", binErr)
	}
	return binPath
}

func runBinary(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out.String()
}

func TestCommandRejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  string
		want string
	}{
		{"DATA_KEY=tooshort", "DATA_KEY"},
		{"DATABASE_URL=postgres://x:y@h:bad/db", "DATABASE_URL"},
		// A real binary under APP_ENV=test is not go test: the public
		// development key is refused.
		{"APP_ENV=test", "APP_ENV=test uses the public development key only under go test"},
	}
	for _, tt := range tests {
		code, out := runBinary(t, []string{tt.env}, "migrate")
		if code == 0 || !strings.Contains(out, tt.want) {
			t.Errorf("%s: exit %d, output %q; want non-zero naming %s", tt.env, code, out, tt.want)
		}
	}
	if code, out := runBinary(t, nil, "frobnicate"); code != 2 || !strings.Contains(out, "usage") {
		t.Errorf("unknown command: exit %d, output %q; want 2 and the usage", code, out)
	}
}

func TestServeExitsZeroOnSIGTERM(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := mln.Addr().String()
	mln.Close()
	_, s3 := storagetest.Objects(t)
	cmd := exec.Command(binary(t))
	cmd.Env = append(os.Environ(), "DATABASE_URL="+storagetest.DatabaseURL(t), "HTTP_ADDR="+addr, "METRICS_ADDR="+metricsAddr,
		"S3_BUCKET="+s3.Bucket, "SHUTDOWN_TIMEOUT=5s")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("server did not become ready: %s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	for url, want := range map[string]int{"http://" + metricsAddr + "/metrics": 200, "http://" + addr + "/metrics": 404} {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", url, resp.StatusCode, want)
		}
	}
	start := time.Now()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, out.String())
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("no exit within 10s of SIGTERM\n%s", out.String())
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("shutdown took %v, over SHUTDOWN_TIMEOUT", took)
	}
}

func TestRotateKeysCommand(t *testing.T) {
	t.Parallel()
	url := storagetestURL(t)
	_, s3 := storagetest.Objects(t)
	base := []string{"DATABASE_URL=" + url, "S3_BUCKET=" + s3.Bucket}
	// A user is created under the development key, which pins the hash key.
	if code, out := runBinary(t, base, "admin", "create-user", "--email", "ops@uji.id", "--password", "sandi-operator-2026", "--name", "Tim Ops", "--role", "admin"); code != 0 {
		t.Fatalf("create-user: exit %d: %s", code, out)
	}
	rotated := append(base, "DATA_KEY=QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk=", "DATA_KEYS_OLD="+devDataKey)
	code, out := runBinary(t, rotated, "admin", "rotate-keys", "--batch", "10")
	if code != 0 || !strings.Contains(out, "vault_keys.sealed: 1/1 re-sealed") || !strings.Contains(out, "every sealed value is under the current key") {
		t.Fatalf("rotate-keys: exit %d: %s", code, out)
	}
	if code, out := runBinary(t, rotated, "admin", "rotate-keys", "--batch", "0"); code != 2 || !strings.Contains(out, "--batch") {
		t.Fatalf("rotate-keys --batch 0: exit %d: %s", code, out)
	}
	// Without the old key the new one alone starts, the old one alone does not.
	if code, out := runBinary(t, append(base, "DATA_KEY=QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk="), "admin", "rotate-keys"); code != 0 {
		t.Fatalf("the new key alone: exit %d: %s", code, out)
	}
	if code, out := runBinary(t, base, "admin", "rotate-keys"); code == 0 || !strings.Contains(out, "DATA_KEYS_OLD") {
		t.Fatalf("the retired key alone: exit %d: %s", code, out)
	}
}
