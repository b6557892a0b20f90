// Package catalogtest builds a small real marketplace for tests of the
// domains that sell: a Balai with staff, PM with consent to sell, their
// shops and published products, over a fresh database and bucket.
package catalogtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
	"github.com/sentrakreasi/atensi/vault"
)

// Clock is a clock tests move by hand.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock is a clock standing at now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// World is the marketplace of a test.
type World struct {
	DB       *storage.DB
	Objects  *storage.Objects
	Clock    *Clock
	Accounts *accounts.Service
	Cases    *cases.Service
	Catalog  *catalog.Service
	Admin    access.Actor
	Unit     accounts.Unit
	Staff    access.Actor
	n        int
}

// New builds a world: one Balai that publishes without review, with a
// receiving account for transfers, and its staff.
func New(t testing.TB) *World {
	t.Helper()
	w := &World{DB: storagetest.DB(t), Clock: NewClock(time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC))}
	w.Objects, _ = storagetest.Objects(t)
	v, err := vault.New(bytes.Repeat([]byte{5}, 32))
	must(t, err)
	w.Accounts = accounts.NewService(w.DB, w.Clock.Now)
	w.Cases = cases.NewService(w.DB, v, w.Accounts, w.Clock.Now)
	w.Catalog = catalog.NewService(w.DB, w.Objects, w.Cases, w.Accounts, w.Clock.Now, "/media", 0)
	w.Cases.OnConsentChange(w.Catalog.FollowSellingConsent)
	w.Cases.CountListingsWith(w.Catalog)
	ctx := context.Background()
	admin, err := w.Accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: "admin@uji.id", Password: "sandi-pengelola-uji", Name: "Admin", Role: access.Admin})
	must(t, err)
	w.Admin = access.Actor{UserID: admin.ID, Role: access.Admin}
	w.Unit, err = w.Accounts.CreateUnit(ctx, w.Admin, accounts.NewUnit{Kind: accounts.Balai, Name: "Balai Uji", ProvinceCode: "32", RegencyCode: "3275"})
	must(t, err)
	must(t, w.DB.Gorm.Exec("UPDATE units SET publish_without_review = true WHERE id = ?", w.Unit.ID).Error)
	// Where its buyers transfer money: a bank-transfer checkout needs it.
	_, err = w.Accounts.SetReceivingAccount(ctx, w.Admin, w.Unit.ID, accounts.ReceivingAccountInput{Bank: "Bank Rakyat Indonesia",
		AccountNo: "0123456789012", AccountName: "Balai Uji Penerimaan"})
	must(t, err)
	w.Staff = w.User(t, access.Staff)
	return w
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// User creates a user of the world's unit with the given role.
func (w *World) User(t testing.TB, role access.Role) access.Actor {
	t.Helper()
	w.n++
	var unit *string
	if role != access.Buyer && role != access.Admin {
		unit = &w.Unit.ID
	}
	u, err := w.Accounts.CreateUserAsOperator(context.Background(), accounts.NewUser{Email: fmt.Sprintf("%s%d@uji.id", role, w.n),
		Password: "sandi-uji-panjang", Name: fmt.Sprintf("Pengguna %d", w.n), Role: role, UnitID: unit})
	must(t, err)
	a := access.Actor{UserID: u.ID, Name: u.Name, Role: role}
	if unit != nil {
		a.UnitID = *unit
	}
	return a
}

// Shop is a PM's shop with its seller.
type Shop struct {
	catalog.Shop
	Seller access.Actor
}

// PMShop opens a case for a new PM with consent to sell and to feed the
// case record, and their shop.
func (w *World) PMShop(t testing.TB, name string) Shop {
	t.Helper()
	ctx := context.Background()
	seller := w.User(t, access.Seller)
	c, err := w.Cases.Create(ctx, w.Staff, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{LegalName: "PM " + name, BirthDate: "1980-01-01", Sex: "female", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 3},
		Cluster:     cases.ClusterDisabilitas, Pillar: "komunitas", UnitID: w.Unit.ID,
		Consents: []cases.ConsentInput{{Purpose: cases.PurposeSelling, GivenBy: "self"}, {Purpose: cases.PurposeDataBridge, GivenBy: "self"}},
	})
	must(t, err)
	sh, err := w.Catalog.CreateShop(ctx, w.Staff, catalog.NewShop{Kind: catalog.BeneficiaryShop, DisplayName: "Toko " + name,
		UnitID: w.Unit.ID, CaseID: &c.ID, OwnerUserID: seller.UserID})
	must(t, err)
	return Shop{Shop: sh, Seller: seller}
}

// Product publishes a product with the given price and stock in a shop.
func (w *World) Product(t testing.TB, shop Shop, title string, price domain.IDR, stock int) catalog.Product {
	t.Helper()
	ctx := context.Background()
	cat := "kerajinan"
	p, err := w.Catalog.CreateProduct(ctx, shop.Seller, shop.ID, catalog.ProductInput{Title: &title, Category: &cat, PriceIDR: &price, Stock: &stock})
	must(t, err)
	// Stands in for a photo whose processing job has run.
	variants, _ := json.Marshal([]map[string]any{{"key": "img/" + p.ID + ".jpg", "width": 640, "type": "image/jpeg"}})
	must(t, w.DB.Gorm.Exec(`INSERT INTO product_images (id, product_id, position, alt, upload_key, status, width, height, variants, created_at)
		VALUES (?, ?, 0, ?, '', 'ready', 640, 480, ?, now())`, domain.NewID(), p.ID, "Foto "+title, variants).Error)
	p, err = w.Catalog.Publish(ctx, shop.Seller, p.ID)
	must(t, err)
	return p
}

// Stock reads a product's stock from the database.
func (w *World) Stock(t testing.TB, productID string) int {
	t.Helper()
	var n int
	must(t, w.DB.Gorm.Raw("SELECT stock FROM products WHERE id = ?", productID).Scan(&n).Error)
	return n
}
