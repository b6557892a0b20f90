package frontend

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/orders"
)

// Routes mounts the pages and their static files on app.
func (p *Pages) Routes(app fiber.Router) {
	app.Get("/static/:name", p.static)
	app.Get("/", p.home)
	app.Get("/cari", p.search)
	app.Get("/produk/:id", p.product)
	app.Get("/toko/:id", p.shop)
	app.Get("/keranjang", p.cart)
	app.Post("/keranjang", p.checkCSRF, p.setCart)
	app.Get("/checkout", p.checkoutForm)
	app.Post("/checkout", p.checkCSRF, p.checkout)
	app.Get("/pesanan/:id", p.orderGroup)
	app.Post("/pesanan/:group/:order/terima", p.checkCSRF, p.buyerMove(orders.Complete))
	app.Get("/akun/pesanan", p.myOrders)
	app.Get("/masuk", p.loginForm)
	app.Post("/masuk", p.checkCSRF, p.login)
	app.Get("/daftar", p.registerForm)
	app.Post("/daftar", p.checkCSRF, p.register)
	app.Post("/keluar", p.checkCSRF, p.logout)
	app.Get("/akun", p.account)
	app.Post("/akun/kata-sandi", p.checkCSRF, p.changePassword)
	app.Get("/atur-ulang/:token", p.resetForm)
	app.Post("/atur-ulang/:token", p.checkCSRF, p.reset)
	app.Get("/staf/pengguna", p.users)
	app.Post("/staf/pengguna", p.checkCSRF, p.createUser)
	app.Post("/staf/pengguna/:id/tautan-sandi", p.checkCSRF, p.passwordLink)
	app.Get("/jual", p.sell)
	app.Get("/jual/toko/:id/produk-baru", p.newProductForm)
	app.Post("/jual/toko/:id/produk-baru", p.checkCSRF, p.createProduct)
	app.Get("/jual/produk/:id", p.editProduct)
	app.Post("/jual/produk/:id", p.checkCSRF, p.updateProduct)
	app.Post("/jual/produk/:id/foto", p.checkCSRF, p.uploadPhoto)
	app.Post("/jual/produk/:id/terbitkan", p.checkCSRF, p.publishProduct)
	app.Get("/jual/pesanan", p.sellOrders)
	app.Post("/jual/pesanan/:id/kirim", p.checkCSRF, p.moveOrder(orders.Ship))
	app.Post("/jual/pesanan/:id/sampai", p.checkCSRF, p.moveOrder(orders.Deliver))
	app.Get("/jual/pendapatan", p.earnings)
	app.Get("/staf/pesanan", p.staffOrders)
	app.Post("/staf/pesanan/grup/:id/konfirmasi", p.checkCSRF, p.confirmTransfer)
	app.Post("/staf/pesanan/:id/batal", p.checkCSRF, p.staffCancel)
	app.Post("/staf/pesanan/:id/refund", p.checkCSRF, p.staffRefund)
	app.Get("/staf/kasir", p.pointOfSale)
	app.Post("/staf/kasir", p.checkCSRF, p.recordSale)
	app.Get("/staf/pembayaran", p.payoutsPage)
	app.Post("/staf/pembayaran", p.checkCSRF, p.draftBatch)
	app.Get("/staf/pembayaran/:id", p.batchPage)
	app.Post("/staf/pembayaran/:id/setujui", p.checkCSRF, p.batchStep(p.payouts.Approve, "approved"))
	app.Post("/staf/pembayaran/:id/batal", p.checkCSRF, p.batchStep(p.payouts.Cancel, "cancelled"))
	app.Get("/staf/pembayaran/:id/ekspor.csv", p.batchExport("csv"))
	app.Get("/staf/pembayaran/:id/ekspor.xlsx", p.batchExport("xlsx"))
	app.Post("/staf/pembayaran/:id/baris/:line/dibayar", p.checkCSRF, p.linePaid)
	app.Post("/staf/pembayaran/:id/baris/:line/diterima", p.checkCSRF, p.lineReceived)
	app.Get("/staf/pembayaran/:id/baris/:line/bukti", p.lineProof)
	app.Get("/staf/pembayaran/:id/baris/:line/kuitansi", p.lineReceipt)
	app.Get("/staf/persetujuan", p.approvals)
	app.Post("/staf/persetujuan/kelulusan/:case/:review/setujui", p.checkCSRF, p.decideGraduation(true))
	app.Post("/staf/persetujuan/kelulusan/:case/:review/tolak", p.checkCSRF, p.decideGraduation(false))
	app.Get("/admin/pesan", p.outboxPage)
	app.Get("/staf/tinjauan", p.reviewQueue)
	app.Post("/staf/tinjauan/:id/setujui", p.checkCSRF, p.approve)
	app.Post("/staf/tinjauan/:id/tolak", p.checkCSRF, p.reject)
	app.Get("/staf/kasus", p.caseload)
	app.Get("/staf/dasbor", p.dashboard)
	app.Get("/staf/dasbor/:id/ekspor.csv", p.dashboardExport("csv"))
	app.Get("/staf/dasbor/:id/ekspor.xlsx", p.dashboardExport("xlsx"))
	app.Get("/staf/dasbor/:id/ekspor-kasus.csv", p.caseOutcomesExport)
	app.Get("/admin/referensi", p.reference)
	app.Post("/admin/referensi/upah-minimum", p.checkCSRF, p.addWage)
	app.Post("/admin/referensi/garis-kemiskinan", p.checkCSRF, p.addPovertyLine)
	app.Get("/staf/kasus/baru", p.newCaseForm)
	app.Post("/staf/kasus/baru", p.checkCSRF, p.createCase)
	app.Get("/staf/kasus/:id", p.casePage)
	app.Post("/staf/kasus/:id/delegasi", p.checkCSRF, p.delegate)
	app.Post("/staf/kasus/:id/darurat", p.checkCSRF, p.breakGlass)
	app.Post("/staf/kasus/:id/asesmen", p.checkCSRF, p.recordAssessment())
	app.Post("/staf/kasus/:id/wali", p.checkCSRF, p.setGuardian())
	app.Post("/staf/kasus/:id/petugas", p.checkCSRF, p.caseStaff(false))
	app.Post("/staf/kasus/:id/tunjuk", p.checkCSRF, p.caseStaff(true))
	app.Post("/staf/kasus/:id/layanan", p.checkCSRF, p.recordService())
	app.Post("/staf/kasus/:id/kelulusan", p.checkCSRF, p.reviewGraduation())
	app.Post("/staf/kasus/:id/pendapatan", p.checkCSRF, p.recordIncome())
	app.Post("/staf/kasus/:id/rumah-tangga", p.checkCSRF, p.recordHousehold())
	app.Post("/staf/delegasi/:id/cabut", p.checkCSRF, p.revoke)
	app.Get("/staf/toko/:id/pembayaran", p.payoutRoute)
	app.Post("/staf/toko/:id/pembayaran", p.checkCSRF, p.setPayoutRoute)
	app.Post("/staf/toko/:id/pembayaran/konfirmasi", p.checkCSRF, p.confirmPayoutRoute)
}

func (p *Pages) static(c *fiber.Ctx) error {
	a, ok := p.assets[c.Params("name")]
	if !ok {
		return domain.ErrNotFound
	}
	// The name carries the content's hash: it never changes, so it may be kept forever.
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, a.ct)
	return c.Send(a.body)
}

func actorOf(c *fiber.Ctx) access.Actor { return access.ActorFrom(c.UserContext()) }

// requireLogin sends a visitor to the login page and back.
func requireLogin(c *fiber.Ctx) (access.Actor, bool, error) {
	a := access.ActorFrom(c.UserContext())
	if a.Anonymous() {
		return a, false, c.Redirect("/masuk?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	return a, true, nil
}

type loginForm struct{ Email, Next string }

// localPath is target as a path on this site, for a redirect or a link
// built from input, or false. Browsers drop tabs and newlines from a URL
// and read a backslash as a slash, so "/\t/evil.example" and
// "/\evil.example" lead off the site as "//evil.example" does, and a CR
// or LF in a Location header would start a header of its own: a path with
// a scheme, a host, a control character or a backslash, raw or decoded, is
// refused.
func localPath(target string) (string, bool) {
	u, err := url.Parse(target)
	if err != nil || !strings.HasPrefix(target, "/") || u.Scheme != "" || u.Host != "" || u.User != nil ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "", false
	}
	query, err := url.QueryUnescape(u.RawQuery)
	if err != nil {
		return "", false
	}
	for _, s := range []string{target, u.Path, query, u.Fragment} {
		if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
			return "", false
		}
	}
	return u.String(), true
}

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
	return p.render(c, fiber.StatusOK, "login", "login.title", loginForm{Next: c.Query("next")}, doneFlash(c, "login.done.", []string{"reset", "registered"}))
}

func (p *Pages) login(c *fiber.Ctx) error {
	form := loginForm{Email: c.FormValue("email"), Next: c.FormValue("next")}
	token, u, err := p.accounts.Login(c.UserContext(), form.Email, c.FormValue("password"), accounts.ClientOf(c))
	if err != nil {
		var rl *domain.RateLimitError
		var de *domain.Error
		status, msg := fiber.StatusUnauthorized, ""
		switch {
		case errors.As(err, &rl):
			status, msg = fiber.StatusTooManyRequests, translate(language(c), "error.429")
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(rl.RetryAfter.Seconds())+1))
		case errors.As(err, &de) && errors.Is(err, domain.ErrUnauthorized):
			msg = de.Text(locale.For(language(c)))
		default:
			return err
		}
		return p.render(c, status, "login", "login.title", form, &view{FormError: msg})
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
		return p.formFailed(c, "register", "register.title", form, err)
	}
	// The same answer whether the email was free or already had an account
	// (whose owner is mailed): logging the new account in at once would
	// tell the two apart.
	return c.Redirect("/masuk?ok=registered", fiber.StatusSeeOther)
}

// formFailed shows a form again with its errors, or the error page when
// the error is not about the form's fields.
func (p *Pages) formFailed(c *fiber.Ctx, page, title string, data any, err error) error {
	fields, other := formErrors(c, err)
	if other != nil {
		return other
	}
	return p.render(c, fiber.StatusUnprocessableEntity, page, title, data, &view{Errors: fields, FormError: translate(language(c), "error.form")})
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
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	d, err := p.accountData(c, actor)
	if err != nil {
		return err
	}
	v := &view{}
	if c.Query("ok") == "1" {
		v.Flash = translate(language(c), "account.changed")
	}
	return p.render(c, fiber.StatusOK, "account", "account.title", d, v)
}

func (p *Pages) changePassword(c *fiber.Ctx) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	token, err := p.accounts.ChangePassword(c.UserContext(), actor, c.FormValue("current_password"), c.FormValue("new_password"), accounts.ClientOf(c))
	if err != nil {
		d, derr := p.accountData(c, actor)
		if derr != nil {
			return derr
		}
		return p.formFailed(c, "account", "account.title", d, err)
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
		return p.formFailed(c, "reset", "reset.title", map[string]string{"Token": token}, err)
	}
	return c.Redirect("/masuk?ok=reset", fiber.StatusSeeOther)
}

type usersData struct {
	UnitName string
	Users    []accounts.User
	Roles    []access.Role
	Form     accounts.NewUser
	Link     *linkShown
}

type linkShown struct{ URL, Expires string }

func (p *Pages) usersData(c *fiber.Ctx, actor access.Actor) (usersData, error) {
	d := usersData{Roles: []access.Role{access.Seller, access.Pendamping}}
	if actor.Role == access.Supervisor {
		d.Roles = append(d.Roles, access.Staff)
	}
	list, err := p.accounts.UnitUsers(c.UserContext(), actor, actor.UnitID, domain.Page{Limit: domain.MaxLimit})
	if err != nil {
		return d, err
	}
	d.Users = list.Items
	if unit, err := p.accounts.Unit(c.UserContext(), actor.UnitID); err == nil {
		d.UnitName = unit.Name
	}
	d.Form.Role = access.Seller
	return d, nil
}

func (p *Pages) users(c *fiber.Ctx) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	d, err := p.usersData(c, actor)
	if err != nil {
		return err
	}
	v := &view{}
	created := c.Query("dibuat") // after the form: the account made, if it is the unit's
	for _, u := range d.Users {
		if created != "" && u.ID == created {
			v.Flash = translate(language(c), "users.created", u.Email)
		}
	}
	return p.render(c, fiber.StatusOK, "users", "users.title", d, v)
}

func (p *Pages) createUser(c *fiber.Ctx) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	// The page is the unit's: whoever may not see it may not use its form.
	d, err := p.usersData(c, actor)
	if err != nil {
		return err
	}
	in := accounts.NewUser{Name: c.FormValue("name"), Email: c.FormValue("email"), Password: c.FormValue("password"), Role: access.Role(c.FormValue("role"))}
	u, cerr := p.accounts.CreateUser(c.UserContext(), actor, in)
	if cerr != nil {
		in.Password = ""
		d.Form = in
		return p.formFailed(c, "users", "users.title", d, cerr)
	}
	return c.Redirect("/staf/pengguna?dibuat="+url.QueryEscape(u.ID), fiber.StatusSeeOther)
}

func (p *Pages) passwordLink(c *fiber.Ctx) error {
	actor, ok, err := requireLogin(c)
	if !ok {
		return err
	}
	d, err := p.usersData(c, actor)
	if err != nil {
		return err
	}
	link, err := p.accounts.IssuePasswordLink(c.UserContext(), actor, strings.Clone(c.Params("id")))
	if err != nil {
		return err
	}
	d.Link = &linkShown{URL: p.cfg.BaseURL + "/atur-ulang/" + link.Token, Expires: link.ExpiresAt.In(jakarta).Format("2006-01-02 15:04 WIB")}
	return p.render(c, fiber.StatusOK, "users", "users.title", d, nil)
}

var jakarta = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Jakarta"); err == nil {
		return loc
	}
	return time.FixedZone("WIB", 7*3600)
}()
