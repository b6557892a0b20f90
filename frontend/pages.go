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
	"github.com/sentrakreasi/atensi/orders"
)

// Routes mounts the pages and their static files on app, each in a group
// that says who may open it (see group).
func (p *Pages) Routes(app fiber.Router) {
	pub := group{r: app, csrf: p.checkCSRF}
	user := pub.with(loggedIn)
	pub.get("/static/:name", p.static)
	pub.get("/", p.home)
	pub.get("/cari", p.search)
	pub.get("/produk/:id", p.product)
	pub.get("/toko/:id", p.shop)
	pub.get("/keranjang", p.cart)
	pub.post("/keranjang", p.setCart)
	pub.get("/checkout", p.checkoutForm)
	pub.post("/checkout", p.checkout)
	pub.get("/pesanan/:id", p.orderGroup)
	pub.post("/pesanan/:group/:order/terima", p.buyerMove(orders.Complete))
	pub.get("/masuk", p.loginForm)
	pub.post("/masuk", p.login)
	pub.get("/daftar", p.registerForm)
	pub.post("/daftar", p.register)
	pub.post("/keluar", p.logout)
	pub.get("/atur-ulang/:token", p.resetForm)
	pub.post("/atur-ulang/:token", p.reset)
	// Everything else is for people who logged in; the services decide what each may see and do.
	user.get("/akun/pesanan", p.myOrders)
	user.get("/akun", p.account)
	user.post("/akun/kata-sandi", p.changePassword)
	user.get("/staf/pengguna", p.users)
	user.post("/staf/pengguna", p.createUser)
	user.post("/staf/pengguna/:id/tautan-sandi", p.passwordLink)
	user.get("/jual", p.sell)
	user.get("/jual/toko/:id/produk-baru", p.newProductForm)
	user.post("/jual/toko/:id/produk-baru", p.createProduct)
	user.get("/jual/produk/:id", p.editProduct)
	user.post("/jual/produk/:id", p.updateProduct)
	user.post("/jual/produk/:id/foto", p.uploadPhoto)
	user.post("/jual/produk/:id/terbitkan", p.publishProduct)
	user.get("/jual/pesanan", p.sellOrders)
	user.post("/jual/pesanan/:id/kirim", p.moveOrder(orders.Ship))
	user.post("/jual/pesanan/:id/sampai", p.moveOrder(orders.Deliver))
	user.get("/jual/pendapatan", p.earnings)
	user.get("/staf/pesanan", p.staffOrders)
	user.post("/staf/pesanan/grup/:id/konfirmasi", p.confirmTransfer)
	user.post("/staf/pesanan/:id/batal", p.staffCancel)
	user.post("/staf/pesanan/:id/refund", p.staffRefund)
	user.get("/staf/kasir", p.pointOfSale)
	user.post("/staf/kasir", p.recordSale)
	user.get("/staf/pembayaran", p.payoutsPage)
	user.post("/staf/pembayaran", p.draftBatch)
	user.get("/staf/pembayaran/:id", p.batchPage)
	user.post("/staf/pembayaran/:id/setujui", p.batchStep(p.payouts.Approve, "approved"))
	user.post("/staf/pembayaran/:id/batal", p.batchStep(p.payouts.Cancel, "cancelled"))
	user.get("/staf/pembayaran/:id/ekspor.csv", p.batchExport("csv"))
	user.get("/staf/pembayaran/:id/ekspor.xlsx", p.batchExport("xlsx"))
	user.post("/staf/pembayaran/:id/baris/:line/dibayar", p.linePaid)
	user.post("/staf/pembayaran/:id/baris/:line/diterima", p.lineReceived)
	user.get("/staf/pembayaran/:id/baris/:line/bukti", p.lineProof)
	user.get("/staf/pembayaran/:id/baris/:line/kuitansi", p.lineReceipt)
	user.get("/staf/persetujuan", p.approvals)
	user.post("/staf/persetujuan/kelulusan/:case/:review/setujui", p.decideGraduation(true))
	user.post("/staf/persetujuan/kelulusan/:case/:review/tolak", p.decideGraduation(false))
	user.get("/admin/pesan", p.outboxPage)
	user.get("/staf/tinjauan", p.reviewQueue)
	user.post("/staf/tinjauan/:id/setujui", p.approve)
	user.post("/staf/tinjauan/:id/tolak", p.reject)
	user.get("/staf/kasus", p.caseload)
	user.get("/staf/dasbor", p.dashboard)
	user.get("/staf/dasbor/:id/ekspor.csv", p.dashboardExport("csv"))
	user.get("/staf/dasbor/:id/ekspor.xlsx", p.dashboardExport("xlsx"))
	user.get("/staf/dasbor/:id/ekspor-kasus.csv", p.caseOutcomesExport)
	user.get("/admin/referensi", p.reference)
	user.post("/admin/referensi/upah-minimum", p.addWage)
	user.post("/admin/referensi/garis-kemiskinan", p.addPovertyLine)
	user.get("/staf/kasus/baru", p.newCaseForm)
	user.post("/staf/kasus/baru", p.createCase)
	user.get("/staf/kasus/:id", p.casePage)
	user.post("/staf/kasus/:id/delegasi", p.delegate)
	user.post("/staf/kasus/:id/darurat", p.breakGlass)
	user.post("/staf/kasus/:id/asesmen", p.recordAssessment())
	user.post("/staf/kasus/:id/wali", p.setGuardian())
	user.post("/staf/kasus/:id/petugas", p.caseStaff(false))
	user.post("/staf/kasus/:id/tunjuk", p.caseStaff(true))
	user.post("/staf/kasus/:id/layanan", p.recordService())
	user.post("/staf/kasus/:id/kelulusan", p.reviewGraduation())
	user.post("/staf/kasus/:id/pendapatan", p.recordIncome())
	user.post("/staf/kasus/:id/rumah-tangga", p.recordHousehold())
	user.post("/staf/delegasi/:id/cabut", p.revoke)
	user.get("/staf/toko/:id/pembayaran", p.payoutRoute)
	user.post("/staf/toko/:id/pembayaran", p.setPayoutRoute)
	user.post("/staf/toko/:id/pembayaran/konfirmasi", p.confirmPayoutRoute)
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
		var msg string
		switch {
		case errors.As(err, &rl):
			msg = translate(language(c), "error.429")
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(rl.RetryAfter.Seconds())+1))
		case errors.As(err, &de) && errors.Is(err, domain.ErrUnauthorized):
			msg = de.Message
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
	if _, err := p.accounts.Register(c.UserContext(), accounts.NewUser{Name: form.Name, Email: form.Email, Password: password}); err != nil {
		return p.again(c, err, marks{}, p.pageOf(c, "register", "register.title", form))
	}
	// The same answer whether the email was free or already had an account
	// (whose owner is mailed): logging the new account in at once would
	// tell the two apart.
	return c.Redirect("/masuk?ok=registered", fiber.StatusSeeOther)
}

// pageOf renders page with data: a form's page shown again (see again).
func (p *Pages) pageOf(c *fiber.Ctx, page, title string, data any) formPage {
	return func(status int, v *view) error { return p.render(c, status, page, title, data, v) }
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
	actor := actorOf(c)
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
	actor := actorOf(c)
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

type usersData struct {
	UnitName string
	Users    []accounts.User
	Roles    []access.Role
	Form     accounts.NewUser
	Link     *linkShown
}

type linkShown struct{ URL, Expires string }

func (p *Pages) usersData(c *fiber.Ctx, actor access.Actor) (usersData, error) {
	var d usersData
	list, err := p.accounts.UnitUsers(c.UserContext(), actor, actor.UnitID, domain.Page{Limit: domain.MaxLimit})
	if err != nil {
		return d, err
	}
	d.Users = list.Items
	if d.Roles, err = p.accounts.CreatableRoles(c.UserContext(), actor, actor.UnitID); err != nil {
		return d, err
	}
	if unit, err := p.accounts.Unit(c.UserContext(), actor.UnitID); err == nil {
		d.UnitName = unit.Name
	}
	d.Form.Role = access.Seller
	return d, nil
}

func (p *Pages) users(c *fiber.Ctx) error {
	actor := actorOf(c)
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
	actor := actorOf(c)
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
		return p.again(c, cerr, marks{}, p.pageOf(c, "users", "users.title", d))
	}
	return c.Redirect("/staf/pengguna?dibuat="+url.QueryEscape(u.ID), fiber.StatusSeeOther)
}

func (p *Pages) passwordLink(c *fiber.Ctx) error {
	actor := actorOf(c)
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
