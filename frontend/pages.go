package frontend

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
)

// Routes mounts the pages and their static files on app, each in a group
// that says who may open it (see group).
func (p *Pages) Routes(app fiber.Router) {
	pub := group{r: app, csrf: p.checkCSRF}
	user := pub.with(loggedIn)
	// The seller pages, done for a PM under a delegation when the actor holds one.
	seller := user.with(p.onBehalf)
	pub.get("/static/:name", p.static)
	pub.get("/", p.home)
	pub.get("/cari", p.search)
	pub.get("/produk/:id", p.product)
	pub.get("/toko/:id", p.shop)
	pub.form("/keranjang", p.cart, p.setCart)
	pub.post("/keranjang/hapus", p.removeFromCart)
	pub.form("/checkout", p.checkoutForm, p.checkout)
	pub.get("/pesanan/:id", p.orderGroup)
	pub.post("/pesanan/:group/:order/terima", p.buyerMove(orders.Complete))
	pub.form("/pesanan/:id/batal", p.cancelForm, p.cancelGroup)
	pub.form("/masuk", p.loginForm, p.login)
	pub.form("/daftar", p.registerForm, p.register)
	pub.post("/keluar", p.logout)
	pub.form("/atur-ulang/:token", p.resetForm, p.reset)
	pub.form("/lupa-sandi", p.forgotForm, p.forgot)
	pub.form("/verifikasi/:token", p.verifyForm, p.verify)
	// Everything else is for people who logged in; the services decide what each may see and do.
	user.get("/akun/pesanan", p.myOrders)
	user.get("/akun", p.account)
	user.post("/akun/kata-sandi", p.changePassword)
	user.post("/akun/verifikasi", p.sendVerification)
	user.form("/staf/pengguna", p.users, p.createUser)
	user.post("/staf/pengguna/:id/tautan-sandi", p.passwordLink)
	seller.get("/jual", p.sell)
	seller.form("/jual/toko/:id/produk-baru", p.newProductForm, p.createProduct)
	seller.form("/jual/produk/:id", p.editProduct, p.updateProduct)
	seller.get("/jual/pesanan", p.sellOrders)
	seller.post("/jual/pesanan/:id/kirim", p.moveOrder(orders.Ship))
	seller.post("/jual/pesanan/:id/sampai", p.moveOrder(orders.Deliver))
	seller.get("/jual/pendapatan", p.earnings)
	user.post("/jual/atas-nama", p.switchActing)
	user.get("/staf/pesanan", p.staffOrders)
	user.post("/staf/pesanan/grup/:id/konfirmasi", p.confirmTransfer)
	user.form("/staf/pesanan/:id/batal", p.staffCancelForm, p.staffCancel)
	user.form("/staf/pesanan/:id/refund", p.staffRefundForm, p.staffRefund)
	user.form("/staf/kasir", p.pointOfSale, p.recordSale)
	user.form("/staf/pembayaran", p.payoutsPage, p.draftBatch)
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
	user.form("/staf/kasus/baru", p.newCaseForm, p.createCase)
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
	user.form("/staf/toko/:id/pembayaran", p.payoutRoute, p.setPayoutRoute)
	user.post("/staf/toko/:id/pembayaran/konfirmasi", p.confirmPayoutRoute)
	user.form("/staf/toko/:id/pengiriman", p.shopSettings, p.setShopSettings)
	user.get("/staf/rekening-penerimaan", p.receivingAccounts)
	user.post("/staf/rekening-penerimaan/:id", p.setReceivingAccount)
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
