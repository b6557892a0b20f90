package catalog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// shopFixture is a Balai with one PM, their shop, and a workshop LKS.
type shopFixture struct {
	db       *storage.DB
	svc      *catalog.Service
	cases    *cases.Service
	staff    access.Actor
	seller   access.Actor
	unit     string
	lks      string
	caseID   string
	shopID   string
	legal    string
	clockNow time.Time
}

func newShopFixture(t testing.TB) *shopFixture {
	t.Helper()
	ctx := context.Background()
	f := &shopFixture{db: storagetest.DB(t), clockNow: time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC), legal: "Wartini Binti Sukarman"}
	now := func() time.Time { return f.clockNow }
	objects, _ := storagetest.Objects(t)
	people := accounts.NewService(f.db, now)
	v, _ := vault.New(bytes.Repeat([]byte{3}, 32))
	f.cases = cases.NewService(f.db, v, people, now)
	f.svc = catalog.NewService(f.db, objects, f.cases, people, now, "https://cdn.example/media", time.Minute)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	admin, err := people.CreateUserAsOperator(ctx, accounts.NewUser{Email: "a@uji.id", Password: "sandi-admin-uji", Name: "A", Role: access.Admin})
	must(err)
	asAdmin := access.Actor{UserID: admin.ID, Role: access.Admin}
	unit, err := people.CreateUnit(ctx, asAdmin, accounts.NewUnit{Kind: accounts.Balai, Name: "Balai Uji Bekasi", ProvinceCode: "32", RegencyCode: "3275"})
	must(err)
	lks, err := people.CreateUnit(ctx, asAdmin, accounts.NewUnit{Kind: accounts.LKS, Name: "LKS Uji", ProvinceCode: "32", RegencyCode: "3275", ParentID: &unit.ID})
	must(err)
	f.unit, f.lks = unit.ID, lks.ID
	staff, err := people.CreateUserAsOperator(ctx, accounts.NewUser{Email: "s@uji.id", Password: "sandi-staf-uji", Name: "S", Role: access.Staff, UnitID: &unit.ID})
	must(err)
	seller, err := people.CreateUserAsOperator(ctx, accounts.NewUser{Email: "p@uji.id", Password: "sandi-penjual-uji", Name: "P", Role: access.Seller, UnitID: &unit.ID})
	must(err)
	f.staff = access.Actor{UserID: staff.ID, Role: access.Staff, UnitID: unit.ID}
	f.seller = access.Actor{UserID: seller.ID, Role: access.Seller, UnitID: unit.ID}
	c, err := f.cases.Create(ctx, f.staff, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{LegalName: f.legal, NIK: "3275016612700005", BirthDate: "1970-12-26", Sex: "female", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 5},
		Cluster:     cases.ClusterDisabilitas, Pillar: "komunitas", UnitID: unit.ID,
		Consents: []cases.ConsentInput{{Purpose: cases.PurposeSelling, GivenBy: "self"}},
	})
	must(err)
	f.caseID = c.ID
	shop, err := f.svc.CreateShop(ctx, f.staff, catalog.NewShop{Kind: catalog.BeneficiaryShop, DisplayName: "Dapur Bu War", UnitID: unit.ID, CaseID: &c.ID, OwnerUserID: seller.ID})
	must(err)
	f.shopID = shop.ID
	return f
}

func ptr[T any](v T) *T { return &v }

// product creates a product in the PM's shop and, when publish is set,
// gives it a processed photo and takes it through review.
func (f *shopFixture) product(t *testing.T, title, desc, category string, price domain.IDR, publish bool) catalog.Product {
	t.Helper()
	ctx := context.Background()
	p, err := f.svc.CreateProduct(ctx, f.seller, f.shopID, catalog.ProductInput{Title: &title, Description: &desc, Category: &category, PriceIDR: &price, Stock: ptr(5)})
	if err != nil {
		t.Fatal(err)
	}
	if !publish {
		return p
	}
	f.readyImage(t, p.ID, "Foto "+title)
	if _, err := f.svc.Publish(ctx, f.seller, p.ID); err != nil {
		t.Fatal(err)
	}
	f.clockNow = f.clockNow.Add(time.Minute) // distinct publication times for "newest"
	p, err = f.svc.Approve(ctx, f.staff, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// readyImage stands in for an uploaded photo whose processing job has run.
func (f *shopFixture) readyImage(t *testing.T, productID, alt string) {
	t.Helper()
	variants, _ := json.Marshal([]map[string]any{{"key": "img/" + productID + ".jpg", "width": 640, "type": "image/jpeg"}})
	err := f.db.Gorm.Exec(`INSERT INTO product_images (id, product_id, position, alt, upload_key, status, width, height, variants, created_at)
		VALUES (?, ?, 0, ?, '', 'ready', 640, 480, ?, now())`, domain.NewID(), productID, alt, variants).Error
	if err != nil {
		t.Fatal(err)
	}
}

func titles(r catalog.Results) []string {
	out := []string{}
	for _, it := range r.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestSearchIndonesian(t *testing.T) {
	f := newShopFixture(t)
	f.product(t, "Keripik Pisang Manis", "Pisang kepok digoreng renyah", "keripik", 15000, true)
	f.product(t, "Tas Anyam Pandan", "Dianyam tangan dari daun pandan", "tas", 85000, true)
	f.product(t, "Kue Kering Nastar", "Selai nanas buatan sendiri", "kue_kering", 45000, true)
	f.product(t, "Kopi Robusta Bubuk", "Kopi dari Lampung", "kopi", 30000, true)
	f.product(t, "Keripik Singkong Pedas", "Draf yang belum terbit", "keripik", 12000, false)

	tests := []struct {
		q    string
		want string // must be among the results
		not  string // must not be
	}{
		{"pisang", "Keripik Pisang Manis", "Tas Anyam Pandan"},
		{"anyaman", "Tas Anyam Pandan", "Keripik Pisang Manis"},
		{"kripik", "Keripik Pisang Manis", "Kopi Robusta Bubuk"},
		{"nastar", "Kue Kering Nastar", ""},
		{"singkong", "", "Keripik Singkong Pedas"}, // drafts are never public
	}
	ctx := context.Background()
	for _, tt := range tests {
		r, err := f.svc.Search(ctx, catalog.Query{Text: tt.q, Page: domain.Page{Limit: 24}})
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(titles(r))
		if tt.want != "" && (len(r.Items) == 0 || r.Items[0].Title != tt.want) {
			t.Errorf("q=%q: %v, want %q first", tt.q, got, tt.want)
		}
		for _, it := range r.Items {
			if it.Title == tt.not {
				t.Errorf("q=%q: %v must not contain %q", tt.q, got, tt.not)
			}
		}
	}
}

func TestBrowseFiltersSortsFacetsAndCursor(t *testing.T) {
	f := newShopFixture(t)
	for i := 0; i < 7; i++ {
		f.product(t, fmt.Sprintf("Sambal Bawang %d", i), "", "sambal", domain.IDR(10000+i*1000), true)
	}
	f.product(t, "Batik Tulis Bekasi", "", "batik", 250000, true)
	ctx := context.Background()

	r, err := f.svc.Search(ctx, catalog.Query{Category: "makanan", Sort: "price_desc", Facets: catalog.AllFacets, Page: domain.Page{Limit: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(r); fmt.Sprint(got) != "[Sambal Bawang 6 Sambal Bawang 5 Sambal Bawang 4]" || r.NextCursor == "" {
		t.Fatalf("makanan by price desc, page 1: %v (cursor %q)", got, r.NextCursor)
	}
	if fmt.Sprint(r.Facets["category"]) != "[{makanan 7 false} {kerajinan 1 false}]" {
		t.Errorf("category facets %v: a facet counts as if its own filter were off", r.Facets["category"])
	}
	seen := len(r.Items)
	for r.NextCursor != "" {
		r, err = f.svc.Search(ctx, catalog.Query{Category: "makanan", Sort: "price_desc", Page: domain.Page{Limit: 3, Cursor: r.NextCursor}})
		if err != nil {
			t.Fatal(err)
		}
		seen += len(r.Items)
	}
	if seen != 7 {
		t.Fatalf("paging through makanan saw %d products, want 7", seen)
	}
	r, _ = f.svc.Search(ctx, catalog.Query{MinPrice: 100000, Page: domain.Page{Limit: 24}})
	if fmt.Sprint(titles(r)) != "[Batik Tulis Bekasi]" {
		t.Errorf("min price: %v", titles(r))
	}
	r, _ = f.svc.Search(ctx, catalog.Query{ProvinceCode: "31", Page: domain.Page{Limit: 24}})
	if len(r.Items) != 0 {
		t.Errorf("another province: %v", titles(r))
	}
	newest, _ := f.svc.Search(ctx, catalog.Query{Page: domain.Page{Limit: 1}})
	if newest.Items[0].Title != "Batik Tulis Bekasi" {
		t.Errorf("newest first: %v", titles(newest))
	}
	if _, err := f.svc.Search(ctx, catalog.Query{Sort: "price_asc", Page: domain.Page{Limit: 3, Cursor: newest.NextCursor}}); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("a cursor of another sort: %v, want invalid", err)
	}
	if _, err := f.svc.Search(ctx, catalog.Query{Category: "senjata", Page: domain.Page{Limit: 3}}); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("unknown category: %v, want invalid", err)
	}
}

func TestPublishAndReviewRules(t *testing.T) {
	f := newShopFixture(t)
	ctx := context.Background()
	p := f.product(t, "Keripik Tempe", "", "keripik", 12000, false)
	if _, err := f.svc.Publish(ctx, f.seller, p.ID); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("publishing without a photo: %v, want invalid", err)
	}
	f.readyImage(t, p.ID, "")
	if _, err := f.svc.Publish(ctx, f.seller, p.ID); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("publishing a photo without alt text: %v, want invalid", err)
	}
	f.db.Gorm.Exec("UPDATE product_images SET alt = 'Keripik tempe dalam plastik' WHERE product_id = ?", p.ID)
	p, err := f.svc.Publish(ctx, f.seller, p.ID)
	if err != nil || p.Status != catalog.PendingReview {
		t.Fatalf("publish = %v %v, want pending_review", p.Status, err)
	}
	if _, err := f.svc.Approve(ctx, f.seller, p.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a seller approving: %v, want not found", err)
	}
	p, err = f.svc.Reject(ctx, f.staff, p.ID, "Foto kurang jelas")
	if err != nil || p.Status != catalog.Rejected || p.RejectReason != "Foto kurang jelas" {
		t.Fatalf("reject = %+v %v", p, err)
	}
	if p, err = f.svc.Publish(ctx, f.seller, p.ID); err != nil {
		t.Fatal(err)
	}
	if p, err = f.svc.Approve(ctx, f.staff, p.ID); err != nil || p.Status != catalog.Published || p.PublishedAt == nil {
		t.Fatalf("approve = %+v %v", p, err)
	}
	// Price changes need no review; a new title does.
	if p, err = f.svc.UpdateProduct(ctx, f.seller, p.ID, catalog.ProductInput{PriceIDR: ptr(domain.IDR(13000))}); err != nil || p.Status != catalog.Published {
		t.Fatalf("price update: %v %v", p.Status, err)
	}
	if p, err = f.svc.UpdateProduct(ctx, f.seller, p.ID, catalog.ProductInput{Title: ptr("Keripik Tempe Sagu")}); err != nil ||
		p.Status != catalog.Published || p.Change == nil || p.Change.Status != catalog.ChangeDraft {
		t.Fatalf("title update: %v %+v %v, want on sale with a draft change", p.Status, p.Change, err)
	}
	events, err := f.cases.Events(ctx, f.staff, f.caseID, domain.Page{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range events.Items {
		count[e.Type]++
	}
	if count["shop_opened"] != 1 || count["first_listing"] != 1 {
		t.Fatalf("case events %v: want shop_opened and first_listing once each", count)
	}
}

func TestUnitWithoutReviewPublishesAtOnce(t *testing.T) {
	f := newShopFixture(t)
	f.db.Gorm.Exec("UPDATE units SET publish_without_review = true WHERE id = ?", f.unit)
	p := f.product(t, "Wedang Jahe", "", "jamu", 8000, false)
	f.readyImage(t, p.ID, "Wedang jahe dalam botol")
	p, err := f.svc.Publish(context.Background(), f.seller, p.ID)
	if err != nil || p.Status != catalog.Published {
		t.Fatalf("publish = %v %v, want published", p.Status, err)
	}
}

func TestShopRulesProtectSellers(t *testing.T) {
	f := newShopFixture(t)
	ctx := context.Background()
	child, err := f.cases.Create(ctx, f.staff, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{LegalName: "Anak Pembuat", BirthDate: "2012-01-01", Sex: "male", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 4},
		Cluster:     cases.ClusterAnak, Pillar: "residensial", UnitID: f.unit,
		Consents: []cases.ConsentInput{{Purpose: cases.PurposeSelling, GivenBy: "guardian"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.CreateShop(ctx, f.staff, catalog.NewShop{Kind: catalog.BeneficiaryShop, DisplayName: "Toko Anak", UnitID: f.unit, CaseID: &child.ID, OwnerUserID: f.seller.UserID})
	if !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a child's own shop: %v, want refused", err)
	}
	_, err = f.svc.CreateShop(ctx, f.staff, catalog.NewShop{Kind: catalog.BeneficiaryShop, DisplayName: "Toko Kedua", UnitID: f.unit, CaseID: &f.caseID, OwnerUserID: f.seller.UserID, Story: "Kisah hidup saya"})
	if !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a story without public_promotion consent: %v, want refused", err)
	}

	// A workshop product made by an adult PM and the child at 60/40 counts for both.
	lksStaff := access.Actor{UserID: f.staff.UserID, Role: access.Supervisor, UnitID: f.unit, Network: []string{f.lks}}
	ws, err := f.svc.CreateShop(ctx, lksStaff, catalog.NewShop{Kind: catalog.WorkshopShop, DisplayName: "Bengkel Uji", UnitID: f.lks, OwnerUserID: f.lksManager(t)})
	if err != nil {
		t.Fatal(err)
	}
	makers := []catalog.Maker{{CaseID: f.caseID, SharePct: 60}, {CaseID: child.ID, SharePct: 40}}
	p, err := f.svc.CreateProduct(ctx, lksStaff, ws.ID, catalog.ProductInput{Title: ptr("Tas Rajut"), Category: ptr("tas"), PriceIDR: ptr(domain.IDR(90000)), Stock: ptr(2), Makers: &makers})
	if err != nil || len(p.Makers) != 2 || p.Makers[0].SharePct != 60 || p.Makers[1].SharePct != 40 {
		t.Fatalf("workshop product makers: %+v %v", p.Makers, err)
	}
	bad := []catalog.Maker{{CaseID: f.caseID, SharePct: 60}, {CaseID: child.ID, SharePct: 30}}
	if _, err := f.svc.UpdateProduct(ctx, lksStaff, p.ID, catalog.ProductInput{Makers: &bad}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("shares summing to 90%%: %v, want invalid", err)
	}

	pub, err := f.svc.PublicShop(ctx, f.shopID)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(pub)
	for _, secret := range []string{f.legal, "3275016612700005", f.caseID, "disabilitas"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("public shop %s contains %q", raw, secret)
		}
	}
	if pub.Institution != "Balai Uji Bekasi" {
		t.Errorf("institution line %q", pub.Institution)
	}
}

func (f *shopFixture) lksManager(t *testing.T) string {
	t.Helper()
	var id string
	people := accounts.NewService(f.db, func() time.Time { return f.clockNow })
	u, err := people.CreateUserAsOperator(context.Background(), accounts.NewUser{Email: "lks@uji.id", Password: "sandi-lks-uji-1", Name: "L", Role: access.LKSManager, UnitID: &f.lks})
	if err != nil {
		t.Fatal(err)
	}
	id = u.ID
	return id
}

func TestWithdrawnSellingConsentPausesShop(t *testing.T) {
	f := newShopFixture(t)
	f.cases.OnConsentChange(f.svc.FollowSellingConsent)
	ctx := context.Background()
	f.product(t, "Rengginang Ketan", "", "keripik", 20000, true)
	visible := func() int {
		r, err := f.svc.Search(ctx, catalog.Query{ShopID: f.shopID, Page: domain.Page{Limit: 10}})
		if err != nil {
			t.Fatal(err)
		}
		return len(r.Items)
	}
	if visible() != 1 {
		t.Fatal("a published product of an active shop must be listed")
	}
	withdraw := cases.ConsentInput{Purpose: cases.PurposeSelling, GivenBy: "self", Action: "withdrawn"}
	if _, err := f.cases.RecordConsent(ctx, f.staff, f.caseID, withdraw); err != nil {
		t.Fatal(err)
	}
	if visible() != 0 {
		t.Fatal("withdrawing marketplace_selling must take the shop off sale at once")
	}
	if _, err := f.cases.RecordConsent(ctx, f.staff, f.caseID, cases.ConsentInput{Purpose: cases.PurposeSelling, GivenBy: "self"}); err != nil {
		t.Fatal(err)
	}
	if visible() != 1 {
		t.Fatal("consent given again reopens the shop")
	}
}

func TestClosedShopLeavesThePublicPages(t *testing.T) {
	f := newShopFixture(t)
	ctx := context.Background()
	f.product(t, "Emping Melinjo", "", "keripik", 30000, true)
	if _, err := f.svc.SetShopStatus(ctx, f.seller, f.shopID, catalog.ShopClosed); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a seller closing their shop: %v, want not found (staff decide)", err)
	}
	if _, err := f.svc.SetShopStatus(ctx, f.staff, f.shopID, catalog.ShopClosed); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PublicShop(ctx, f.shopID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a closed shop's page: %v", err)
	}
	if r, _ := f.svc.Search(ctx, catalog.Query{Text: "emping", Page: domain.Page{Limit: 5}}); len(r.Items) != 0 {
		t.Fatal("a closed shop's products must leave search")
	}
	if _, err := f.svc.SetShopStatus(ctx, f.staff, f.shopID, catalog.ShopActive); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("reopening a closed shop: %v", err)
	}
}

// TestPendampingNeverOwnsAShop: a PM's shop with a pendamping as its owner
// is refused on the owner field, so no pendamping acts outside a
// delegation's scopes, expiry and revocation.
func TestPendampingNeverOwnsAShop(t *testing.T) {
	f := newShopFixture(t)
	ctx := context.Background()
	people := accounts.NewService(f.db, func() time.Time { return f.clockNow })
	p, err := people.CreateUserAsOperator(ctx, accounts.NewUser{Email: "psm@uji.id", Password: "sandi-psm-uji-1", Name: "PSM", Role: access.Pendamping, UnitID: &f.unit})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.cases.Create(ctx, f.staff, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{LegalName: "PM Kedua", BirthDate: "1971-01-01", Sex: "male", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 2},
		Cluster:     cases.ClusterLansia, Pillar: "keluarga", UnitID: f.unit,
		Consents: []cases.ConsentInput{{Purpose: cases.PurposeSelling, GivenBy: "self"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.CreateShop(ctx, f.staff, catalog.NewShop{Kind: catalog.BeneficiaryShop, DisplayName: "Toko Pak Kedua", UnitID: f.unit, CaseID: &c.ID, OwnerUserID: p.ID})
	var v *domain.ValidationError
	if !errors.As(err, &v) || len(v.Fields) != 1 || v.Fields[0].Field != "owner_user_id" {
		t.Fatalf("a pendamping as owner: %v, want refused on owner_user_id", err)
	}
	var n int64
	f.db.Gorm.Raw("SELECT count(*) FROM shops WHERE case_id = ?", c.ID).Scan(&n)
	if n != 0 {
		t.Fatalf("%d shops made with a pendamping as owner", n)
	}
	// Migration 00022 leaves such a shop without an owner: it still reads,
	// and staff still work on it.
	if err := f.db.Gorm.Exec("UPDATE shops SET owner_user_id = NULL WHERE id = ?", f.shopID).Error; err != nil {
		t.Fatal(err)
	}
	sh, err := f.svc.ShopOf(ctx, f.shopID)
	if err != nil || sh.OwnerUserID != "" {
		t.Fatalf("a shop without an owner: %+v %v", sh, err)
	}
	if _, err := f.svc.CreateProduct(ctx, f.staff, f.shopID, catalog.ProductInput{Title: ptr("Kue Tanpa Pemilik"), Category: ptr("kue_kering"),
		PriceIDR: ptr(domain.IDR(10000)), Stock: ptr(1)}); err != nil {
		t.Fatalf("staff listing in a shop without an owner: %v", err)
	}
}
