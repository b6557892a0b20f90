package frontend

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
)

// TestFormAgainTakesTheAppsStatus: a form answered again gets the status
// the app's one mapping gives its error (Config.StatusOf), never one the
// pages decide, with the fields marked as the form asks or the error's
// own message; an error the person cannot act on goes to the error page.
func TestFormAgainTakesTheAppsStatus(t *testing.T) {
	var asked []error
	p, err := New(Config{Key: []byte("k"), StatusOf: func(err error) int { asked = append(asked, err); return 299 }},
		slog.New(slog.DiscardHandler), Services{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		err   error
		m     marks
		wants []string // in the page
		page  bool
	}{
		{"fields", domain.Invalid("email", "email tidak valid"), marks{}, []string{`id="email-error">email tidak valid`, "Periksa isian"}, true},
		{"fields of one form of several", domain.Invalid("name", "nama wajib"), marks{prefix: "x"}, []string{"Periksa isian"}, true},
		{"a form that marks no field", domain.Invalid("email", "email tidak valid"), marks{none: true}, []string{`role="alert">email tidak valid.`}, true},
		{"a conflict", domain.Errorf(domain.ErrConflict, "Sudah dibayar."), marks{}, []string{`role="alert">Sudah dibayar.`}, true},
		{"a refusal", domain.Errorf(domain.ErrForbidden, "Bukan untuk Anda."), marks{}, []string{"Bukan untuk Anda."}, true},
		{"stock ran out", fmt.Errorf("checkout: %w", &catalog.ErrOutOfStock{Title: "Keripik"}), marks{}, []string{"stok Keripik tidak cukup."}, true},
		{"not found", domain.ErrNotFound, marks{}, nil, false},
		{"a server fault", errors.New("db down"), marks{}, nil, false},
	} {
		asked = nil
		app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error { return c.Status(599).SendString(err.Error()) }})
		app.Get("/", func(c *fiber.Ctx) error {
			return p.again(c, tt.err, tt.m, p.pageOf(c, "register", "register.title", registerForm{}))
		})
		resp, err := app.Test(httptest.NewRequest("GET", "/", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		body := string(b)
		if !tt.page {
			if resp.StatusCode != 599 || len(asked) != 0 {
				t.Errorf("%s: %d, want the error page", tt.name, resp.StatusCode)
			}
			continue
		}
		if resp.StatusCode != 299 || len(asked) != 1 || asked[0] != tt.err {
			t.Errorf("%s: %d (asked for %v), want the app's status 299 for the error", tt.name, resp.StatusCode, asked)
		}
		for _, w := range tt.wants {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page lacks %q", tt.name, w)
			}
		}
		if tt.m.prefix != "" && strings.Contains(body, `id="name-error"`) {
			t.Errorf("%s: a field of another form is marked", tt.name)
		}
	}
}
