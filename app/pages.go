package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/frontend"
	"github.com/sentrakreasi/atensi/vault"
)

// csrfKey signs the pages' form tokens: derived for that use alone, since
// a CSRF token is an HMAC that anyone can collect (package vault).
func csrfKey(dataKey []byte) []byte { return vault.DeriveKey(dataKey, "csrf") }

// pages mounts the web pages after the API, and lets them render the
// friendly error page for browsers.
func (a *App) pages() error {
	p, err := frontend.New(frontend.Config{BaseURL: a.cfg.BaseURL, Secure: a.secure(), Key: csrfKey(a.cfg.DataKey),
		StatusOf: func(err error) int { pr, _ := problemFor(err, "id"); return pr.Status }, Now: a.now}, a.log,
		frontend.Services{Accounts: a.accounts, Cases: a.cases, Catalog: a.catalog, Orders: a.orders, Payouts: a.payouts, Outbox: a.outbox})
	if err != nil {
		return err
	}
	p.Routes(a.http)
	a.pageErrors = func(c *fiber.Ctx, pr Problem) error {
		detail := pr.Detail
		if pr.Status == fiber.StatusRequestEntityTooLarge {
			detail = "" // the page's own text says it, in the reader's language
		}
		return p.ErrorPage(c, pr.Status, detail, pr.RequestID)
	}
	return nil
}
