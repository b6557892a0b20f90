package frontend

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
)

type loginForm struct{ Email, Next string }

// homeOf is where a role starts: the page of its daily work.
func homeOf(r access.Role) string {
	switch r {
	case access.Staff, access.Supervisor:
		return "/staf/kasus"
	case access.Seller, access.Pendamping, access.LKSManager:
		return "/jual"
	case access.Admin:
		return "/admin/referensi"
	}
	return "/akun"
}

// safeNext is where a login goes on: next when it is a path on this site,
// else the role's home.
func safeNext(next string, role access.Role) string {
	if path, ok := localPath(next); ok {
		return path
	}
	return homeOf(role)
}

func (p *Pages) loginForm(c *fiber.Ctx) error {
	return p.render(c, fiber.StatusOK, "login", "login.title", loginForm{Next: c.Query("next")}, doneFlash(c, "login.done.", []string{"reset", "registered", "verified"}))
}

func (p *Pages) login(c *fiber.Ctx) error {
	form := loginForm{Email: c.FormValue("email"), Next: c.FormValue("next")}
	token, u, err := p.accounts.Login(c.UserContext(), form.Email, c.FormValue("password"), accounts.ClientOf(c))
	if err != nil {
		var rl *domain.RateLimitError
		var de *domain.Error
		var msg string
		switch {
		case errors.As(err, &rl):
			msg = translate(language(c), "error.429")
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(rl.RetryAfter.Seconds())+1))
		case errors.As(err, &de) && errors.Is(err, domain.ErrUnauthorized):
			msg = de.Text(locale.For(language(c)))
		default:
			return err
		}
		return p.render(c, p.cfg.StatusOf(err), "login", "login.title", form, &view{FormError: msg})
	}
	c.Cookie(accounts.SessionCookieFor(token, u.Role, p.cfg.Secure))
	return c.Redirect(safeNext(form.Next, u.Role), fiber.StatusSeeOther)
}

type registerForm struct{ Name, Email string }

func (p *Pages) registerForm(c *fiber.Ctx) error {
	return p.render(c, fiber.StatusOK, "register", "register.title", registerForm{}, nil)
}

func (p *Pages) register(c *fiber.Ctx) error {
	form := registerForm{Name: c.FormValue("name"), Email: c.FormValue("email")}
	password := c.FormValue("password")
	if _, err := p.accounts.Register(c.UserContext(), accounts.NewUser{Name: form.Name, Email: form.Email, Password: password, Lang: language(c)}); err != nil {
		return p.again(c, err, marks{}, p.pageOf(c, "register", "register.title", form))
	}
	// The same answer whether the email was free or already had an account
	// (whose owner is mailed): logging the new account in at once would
	// tell the two apart.
	return c.Redirect("/masuk?ok=registered", fiber.StatusSeeOther)
}

func (p *Pages) logout(c *fiber.Ctx) error {
	if token := c.Cookies(accounts.SessionCookie); token != "" {
		if err := p.accounts.Logout(c.UserContext(), token); err != nil {
			return err
		}
	}
	c.ClearCookie(accounts.SessionCookie)
	return c.Redirect("/", fiber.StatusSeeOther)
}

type accountData struct {
	User     accounts.User
	UnitName string
}

func (p *Pages) accountData(c *fiber.Ctx, actor access.Actor) (accountData, error) {
	u, err := p.accounts.User(c.UserContext(), actor.UserID)
	if err != nil {
		return accountData{}, err
	}
	d := accountData{User: u}
	if u.UnitID != nil {
		if unit, err := p.accounts.Unit(c.UserContext(), *u.UnitID); err == nil {
			d.UnitName = unit.Name
		}
	}
	return d, nil
}

func (p *Pages) account(c *fiber.Ctx) error {
	actor := api.Actor(c)
	d, err := p.accountData(c, actor)
	if err != nil {
		return err
	}
	v := doneFlash(c, "account.done.", []string{"verified", "sent"})
	if c.Query("ok") == "1" {
		v.Flash = translate(language(c), "account.changed")
	}
	return p.render(c, fiber.StatusOK, "account", "account.title", d, v)
}

// sendVerification mails the buyer a new link to verify their email.
func (p *Pages) sendVerification(c *fiber.Ctx) error {
	actor := api.Actor(c)
	if err := p.accounts.SendVerification(c.UserContext(), actor, language(c)); err != nil {
		d, derr := p.accountData(c, actor)
		if derr != nil {
			return derr
		}
		return p.again(c, err, marks{none: true}, p.pageOf(c, "account", "account.title", d))
	}
	return c.Redirect("/akun?ok=sent", fiber.StatusSeeOther)
}

type forgotForm struct {
	Email string
	Sent  bool
}

func (p *Pages) forgotForm(c *fiber.Ctx) error {
	return p.render(c, fiber.StatusOK, "forgot", "forgot.title", forgotForm{Sent: c.Query("ok") == "sent"}, nil)
}

// forgot mails a password link. The page after it says the same whether the
// address has an account or not (see accounts.RequestPasswordReset).
func (p *Pages) forgot(c *fiber.Ctx) error {
	form := forgotForm{Email: c.FormValue("email")}
	err := p.accounts.RequestPasswordReset(c.UserContext(), form.Email, language(c), accounts.ClientOf(c))
	var rl *domain.RateLimitError
	switch {
	case errors.As(err, &rl):
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(rl.RetryAfter.Seconds())+1))
		return p.render(c, fiber.StatusTooManyRequests, "forgot", "forgot.title", form, &view{FormError: translate(language(c), "error.429")})
	case err != nil:
		return p.again(c, err, marks{}, p.pageOf(c, "forgot", "forgot.title", form))
	}
	return c.Redirect("/lupa-sandi?ok=sent", fiber.StatusSeeOther)
}

func (p *Pages) verifyForm(c *fiber.Ctx) error {
	return p.render(c, fiber.StatusOK, "verify", "verify.title", map[string]string{"Token": c.Params("token")}, nil)
}

// verify redeems a verification link. Opening the link only shows a button:
// mail scanners that follow links must not spend it.
func (p *Pages) verify(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	if err := p.accounts.VerifyEmail(c.UserContext(), token); err != nil {
		return p.again(c, err, marks{}, p.pageOf(c, "verify", "verify.title", map[string]string{"Token": token}))
	}
	if api.Actor(c).Anonymous() {
		return c.Redirect("/masuk?ok=verified", fiber.StatusSeeOther)
	}
	return c.Redirect("/akun?ok=verified", fiber.StatusSeeOther)
}

func (p *Pages) changePassword(c *fiber.Ctx) error {
	actor := api.Actor(c)
	token, err := p.accounts.ChangePassword(c.UserContext(), actor, c.FormValue("current_password"), c.FormValue("new_password"), accounts.ClientOf(c))
	if err != nil {
		d, derr := p.accountData(c, actor)
		if derr != nil {
			return derr
		}
		return p.again(c, err, marks{}, p.pageOf(c, "account", "account.title", d))
	}
	c.Cookie(accounts.SessionCookieFor(token, actor.Role, p.cfg.Secure))
	return c.Redirect("/akun?ok=1", fiber.StatusSeeOther)
}

func (p *Pages) resetForm(c *fiber.Ctx) error {
	return p.render(c, fiber.StatusOK, "reset", "reset.title", map[string]string{"Token": c.Params("token")}, nil)
}

func (p *Pages) reset(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	if err := p.accounts.RedeemPasswordLink(c.UserContext(), token, c.FormValue("password")); err != nil {
		return p.again(c, err, marks{}, p.pageOf(c, "reset", "reset.title", map[string]string{"Token": token}))
	}
	return c.Redirect("/masuk?ok=reset", fiber.StatusSeeOther)
}
