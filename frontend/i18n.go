package frontend

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Languages of the site; Bahasa Indonesia first.
const (
	LangID = "id"
	LangEN = "en"
)

// langCookie remembers a visitor's language choice.
const langCookie = "lang"

// language is the request's language: ?lang= (which is then remembered),
// else the cookie, else Indonesian.
func language(c *fiber.Ctx) string {
	if l := c.Query("lang"); l == LangID || l == LangEN {
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: fiber.CookieSameSiteLaxMode})
		return l
	}
	if c.Cookies(langCookie) == LangEN {
		return LangEN
	}
	return LangID
}

// translate looks a key up; a missing English text falls back to the
// Indonesian one, and a missing key shows itself so it is noticed.
func translate(lang, key string, args ...any) string {
	msg, ok := catalogue[lang][key]
	if !ok {
		msg, ok = catalogue[LangID][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// rupiah writes an amount the Indonesian way: Rp25.000.
func rupiah(v any) string {
	n := fmt.Sprint(v)
	neg := strings.HasPrefix(n, "-")
	n = strings.TrimPrefix(n, "-")
	var b strings.Builder
	for i, r := range n {
		if i > 0 && (len(n)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-Rp" + b.String()
	}
	return "Rp" + b.String()
}

// catalogue is every text of the pages, by language and key.
var catalogue = map[string]map[string]string{
	LangID: {
		"site.name":                          "Sentra Kreasi ATENSI",
		"site.tagline":                       "Karya penerima manfaat dan bengkel LKS binaan Kementerian Sosial: makanan, cindera mata, dan kerajinan.",
		"nav.skip":                           "Langsung ke isi",
		"nav.home":                           "Beranda",
		"nav.login":                          "Masuk",
		"nav.register":                       "Daftar",
		"nav.logout":                         "Keluar",
		"nav.account":                        "Akun saya",
		"nav.users":                          "Pengguna unit",
		"nav.newcase":                        "Kasus baru",
		"nav.language":                       "English",
		"nav.main":                           "Navigasi utama",
		"home.title":                         "Selamat datang",
		"home.lead":                          "Setiap pembelian di sini menjadi penghasilan bagi pembuatnya.",
		"home.staff":                         "Untuk petugas Balai",
		"login.title":                        "Masuk",
		"login.email":                        "Email",
		"login.password":                     "Kata sandi",
		"login.submit":                       "Masuk",
		"login.noaccount":                    "Belum punya akun?",
		"register.title":                     "Daftar sebagai pembeli",
		"register.name":                      "Nama",
		"register.submit":                    "Daftar",
		"register.hint":                      "Minimal 8 karakter, bukan kata sandi yang umum.",
		"account.title":                      "Akun saya",
		"account.role":                       "Peran",
		"account.unit":                       "Unit",
		"account.change":                     "Ganti kata sandi",
		"account.current":                    "Kata sandi saat ini",
		"account.new":                        "Kata sandi baru",
		"account.changed":                    "Kata sandi sudah diganti. Sesi di perangkat lain sudah diakhiri.",
		"reset.title":                        "Buat kata sandi baru",
		"reset.done":                         "Kata sandi sudah dibuat. Silakan masuk.",
		"users.title":                        "Pengguna unit saya",
		"users.create":                       "Buat akun penjual atau pendamping",
		"users.role":                         "Peran",
		"users.link":                         "Buat tautan kata sandi",
		"users.linkshown":                    "Tautan kata sandi sekali pakai (berlaku sampai %s). Berikan langsung kepada pemiliknya; tautan ini tidak ditampilkan lagi.",
		"users.none":                         "Belum ada pengguna.",
		"users.created":                      "Akun %s sudah dibuat.",
		"role.admin":                         "Admin",
		"role.staff":                         "Pekerja sosial",
		"role.supervisor":                    "Supervisor",
		"role.lks_manager":                   "Pengelola LKS",
		"role.pendamping":                    "Pendamping",
		"role.seller":                        "Penjual (PM)",
		"role.buyer":                         "Pembeli",
		"case.new":                           "Kasus baru",
		"case.identity":                      "Identitas penerima manfaat",
		"case.legal_name":                    "Nama lengkap",
		"case.nik":                           "NIK (boleh kosong)",
		"case.birth_date":                    "Tanggal lahir",
		"case.sex":                           "Jenis kelamin",
		"case.male":                          "Laki-laki",
		"case.female":                        "Perempuan",
		"case.province":                      "Kode provinsi",
		"case.regency":                       "Kode kabupaten/kota",
		"case.household":                     "Jumlah anggota rumah tangga",
		"case.cluster":                       "Klaster",
		"case.pillar":                        "Pilar",
		"case.victim":                        "Anak korban (kasus tertutup)",
		"case.consents":                      "Persetujuan",
		"case.given_by":                      "Diberikan oleh",
		"case.self":                          "Diri sendiri",
		"case.guardian":                      "Wali",
		"case.submit":                        "Simpan kasus",
		"case.title":                         "Kasus %s",
		"case.tier":                          "Tingkat kerahasiaan",
		"case.showidentity":                  "Tampilkan identitas",
		"case.identitylogged":                "Pembukaan identitas ini tercatat di log akses.",
		"case.timeline":                      "Riwayat kasus",
		"case.delegations":                   "Pendamping",
		"case.grant":                         "Beri kuasa pendamping",
		"case.pendamping":                    "Pendamping",
		"case.scopes":                        "Cakupan",
		"case.expires":                       "Berlaku sampai",
		"case.revoke":                        "Cabut",
		"case.revoked":                       "dicabut",
		"case.none":                          "Belum ada.",
		"purpose.case_management":            "Manajemen kasus",
		"purpose.marketplace_selling":        "Berjualan di marketplace",
		"purpose.data_bridge_to_case_record": "Data penjualan masuk catatan kasus",
		"purpose.aggregate_reporting":        "Laporan agregat",
		"purpose.public_promotion":           "Promosi publik (cerita/foto)",
		"scope.listings":                     "Produk",
		"scope.orders":                       "Pesanan",
		"scope.shipping":                     "Pengiriman",
		"scope.earnings":                     "Pendapatan",
		"error.title":                        "Terjadi kendala",
		"error.404":                          "Halaman tidak ditemukan.",
		"error.403":                          "Anda tidak berwenang membuka halaman ini.",
		"error.401":                          "Silakan masuk terlebih dahulu.",
		"error.429":                          "Terlalu banyak percobaan. Coba lagi nanti.",
		"error.500":                          "Maaf, terjadi kesalahan di server. Coba lagi nanti.",
		"error.back":                         "Kembali ke beranda",
		"error.form":                         "Periksa isian yang ditandai.",
		"error.csrf":                         "Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.",
		"shop.categories":                    "Kategori",
		"shop.newest":                        "Produk terbaru",
		"shop.all":                           "Lihat semua produk",
		"shop.search":                        "Cari produk",
		"shop.go":                            "Cari",
		"shop.resultsfor":                    "Hasil untuk “%s”",
		"shop.browse":                        "Semua produk",
		"shop.filters":                       "Saring produk",
		"shop.category":                      "Kategori",
		"shop.allcategories":                 "Semua kategori",
		"shop.minprice":                      "Harga terendah (Rp)",
		"shop.maxprice":                      "Harga tertinggi (Rp)",
		"shop.sort":                          "Urutkan",
		"shop.instock":                       "Hanya yang tersedia",
		"shop.apply":                         "Terapkan",
		"shop.noresults":                     "Belum ada produk yang cocok.",
		"shop.more":                          "Produk berikutnya",
		"shop.madetoorder":                   "Dibuat sesuai pesanan, sekitar %d hari.",
		"shop.stock":                         "Tersedia %d",
		"shop.soldout":                       "Stok habis",
		"shop.quantity":                      "Jumlah",
		"shop.addtocart":                     "Tambah ke keranjang",
		"shop.by":                            "Dijual oleh",
		"shop.description":                   "Deskripsi",
		"shop.bestbefore":                    "Masa simpan",
		"shop.days":                          "%d hari",
		"shop.products":                      "Produk",
		"sort.relevance":                     "Paling sesuai",
		"sort.newest":                        "Terbaru",
		"sort.price_asc":                     "Harga terendah",
		"sort.price_desc":                    "Harga tertinggi",
		"cart.title":                         "Keranjang",
		"cart.product":                       "Produk",
		"cart.total":                         "Jumlah harga",
		"cart.update":                        "Ubah",
		"cart.empty":                         "Keranjang masih kosong.",
		"cart.added":                         "Produk masuk keranjang.",
		"nav.cart":                           "Keranjang",
		"nav.sell":                           "Produk saya",
		"nav.review":                         "Tinjauan",
		"common.save":                        "Simpan",
		"common.requestid":                   "Kode permintaan",
	},
	LangEN: {
		"site.tagline":                       "Work of the beneficiaries and LKS workshops of the Ministry of Social Affairs: food, souvenirs and crafts.",
		"nav.skip":                           "Skip to content",
		"nav.home":                           "Home",
		"nav.login":                          "Log in",
		"nav.register":                       "Register",
		"nav.logout":                         "Log out",
		"nav.account":                        "My account",
		"nav.users":                          "Unit users",
		"nav.newcase":                        "New case",
		"nav.language":                       "Bahasa Indonesia",
		"nav.main":                           "Main navigation",
		"home.title":                         "Welcome",
		"home.lead":                          "Every purchase here becomes income for the person who made it.",
		"home.staff":                         "For Balai staff",
		"login.title":                        "Log in",
		"login.email":                        "Email",
		"login.password":                     "Password",
		"login.submit":                       "Log in",
		"login.noaccount":                    "No account yet?",
		"register.title":                     "Register as a buyer",
		"register.name":                      "Name",
		"register.submit":                    "Register",
		"register.hint":                      "At least 8 characters, not a common password.",
		"account.title":                      "My account",
		"account.role":                       "Role",
		"account.unit":                       "Unit",
		"account.change":                     "Change password",
		"account.current":                    "Current password",
		"account.new":                        "New password",
		"account.changed":                    "Password changed. Sessions on other devices were ended.",
		"reset.title":                        "Set a new password",
		"reset.done":                         "Password set. Please log in.",
		"users.title":                        "Users of my unit",
		"users.create":                       "Create a seller or pendamping account",
		"users.role":                         "Role",
		"users.link":                         "Make password link",
		"users.linkshown":                    "One-time password link (valid until %s). Hand it to its owner in person; it is not shown again.",
		"users.none":                         "No users yet.",
		"users.created":                      "Account %s created.",
		"role.staff":                         "Social worker",
		"role.lks_manager":                   "LKS manager",
		"role.seller":                        "Seller (PM)",
		"role.buyer":                         "Buyer",
		"case.new":                           "New case",
		"case.identity":                      "Beneficiary identity",
		"case.legal_name":                    "Full legal name",
		"case.nik":                           "NIK (optional)",
		"case.birth_date":                    "Date of birth",
		"case.sex":                           "Sex",
		"case.male":                          "Male",
		"case.female":                        "Female",
		"case.province":                      "Province code",
		"case.regency":                       "Regency/city code",
		"case.household":                     "Household size",
		"case.cluster":                       "Cluster",
		"case.pillar":                        "Pillar",
		"case.victim":                        "Child victim (closed case)",
		"case.consents":                      "Consents",
		"case.given_by":                      "Given by",
		"case.self":                          "Themselves",
		"case.guardian":                      "Guardian",
		"case.submit":                        "Save case",
		"case.title":                         "Case %s",
		"case.tier":                          "Sensitivity",
		"case.showidentity":                  "Show identity",
		"case.identitylogged":                "Opening this identity is recorded in the access log.",
		"case.timeline":                      "Case timeline",
		"case.delegations":                   "Pendamping",
		"case.grant":                         "Authorise a pendamping",
		"case.scopes":                        "Scopes",
		"case.expires":                       "Valid until",
		"case.revoke":                        "Revoke",
		"case.revoked":                       "revoked",
		"case.none":                          "None yet.",
		"purpose.case_management":            "Case management",
		"purpose.marketplace_selling":        "Selling on the marketplace",
		"purpose.data_bridge_to_case_record": "Sales data into the case record",
		"purpose.aggregate_reporting":        "Aggregate reporting",
		"purpose.public_promotion":           "Public promotion (story/photo)",
		"scope.listings":                     "Listings",
		"scope.orders":                       "Orders",
		"scope.shipping":                     "Shipping",
		"scope.earnings":                     "Earnings",
		"error.title":                        "Something went wrong",
		"error.404":                          "Page not found.",
		"error.403":                          "You may not open this page.",
		"error.401":                          "Please log in first.",
		"error.429":                          "Too many attempts. Try again later.",
		"error.500":                          "Sorry, the server had a problem. Try again later.",
		"error.back":                         "Back to home",
		"error.form":                         "Check the marked fields.",
		"error.csrf":                         "The form expired. Reload the page and try again.",
		"shop.categories":                    "Categories",
		"shop.newest":                        "New products",
		"shop.all":                           "See all products",
		"shop.search":                        "Search products",
		"shop.go":                            "Search",
		"shop.resultsfor":                    "Results for “%s”",
		"shop.browse":                        "All products",
		"shop.filters":                       "Filter products",
		"shop.category":                      "Category",
		"shop.allcategories":                 "All categories",
		"shop.minprice":                      "Lowest price (Rp)",
		"shop.maxprice":                      "Highest price (Rp)",
		"shop.sort":                          "Sort by",
		"shop.instock":                       "Only in stock",
		"shop.apply":                         "Apply",
		"shop.noresults":                     "No matching products yet.",
		"shop.more":                          "More products",
		"shop.madetoorder":                   "Made to order, about %d days.",
		"shop.stock":                         "%d available",
		"shop.soldout":                       "Sold out",
		"shop.quantity":                      "Quantity",
		"shop.addtocart":                     "Add to cart",
		"shop.by":                            "Sold by",
		"shop.description":                   "Description",
		"shop.bestbefore":                    "Best before",
		"shop.days":                          "%d days",
		"shop.products":                      "Products",
		"sort.relevance":                     "Best match",
		"sort.newest":                        "Newest",
		"sort.price_asc":                     "Lowest price",
		"sort.price_desc":                    "Highest price",
		"cart.title":                         "Cart",
		"cart.product":                       "Product",
		"cart.total":                         "Total",
		"cart.update":                        "Update",
		"cart.empty":                         "Your cart is empty.",
		"cart.added":                         "Added to your cart.",
		"nav.cart":                           "Cart",
		"nav.sell":                           "My products",
		"nav.review":                         "Review",
		"common.save":                        "Save",
		"common.requestid":                   "Request id",
	},
}
