package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/orders"
	"github.com/sentrakreasi/atensi/storage"
)

// DemoPassword is the password of every demo account (README.md lists them).
const DemoPassword = "sentra-demo-2026"

// SeedDemo loads the demo data set once; later runs find its marker and
// change nothing. The marker is claimed first under a lock, so two seeds
// started together do not both load.
func (a *App) SeedDemo(ctx context.Context) error {
	return a.seedOnce(ctx, "demo", func() error {
		admin, err := a.accounts.CreateUserAsOperator(ctx, accounts.NewUser{
			Email: "admin@demo.sentrakreasi.id", Password: DemoPassword, Name: "Admin Platform", Role: access.Admin})
		if err != nil {
			return err
		}
		asAdmin := access.Actor{UserID: admin.ID, Role: access.Admin}
		bekasi, err := a.accounts.CreateUnit(ctx, asAdmin, accounts.NewUnit{Kind: accounts.Balai,
			Name: "Balai Pangudi Luhur Bekasi", ProvinceCode: "32", RegencyCode: "3275"})
		if err != nil {
			return err
		}
		jakarta, err := a.accounts.CreateUnit(ctx, asAdmin, accounts.NewUnit{Kind: accounts.Balai,
			Name: "Balai Budhi Dharma Jakarta", ProvinceCode: "31", RegencyCode: "3172"})
		if err != nil {
			return err
		}
		lks, err := a.accounts.CreateUnit(ctx, asAdmin, accounts.NewUnit{Kind: accounts.LKS,
			Name: "Yayasan Karya Mandiri Bekasi", ProvinceCode: "32", RegencyCode: "3275", ParentID: &bekasi.ID})
		if err != nil {
			return err
		}
		// Where buyers of each Balai's shops transfer money; the LKS of the
		// Bekasi network has none of its own, so its buyers pay the Balai.
		for _, ra := range []struct {
			unit string
			in   accounts.ReceivingAccountInput
		}{
			{bekasi.ID, accounts.ReceivingAccountInput{Bank: "Bank Rakyat Indonesia (BRI)", AccountNo: "034101000743305", AccountName: "BPL Bekasi Penerimaan Sentra"}},
			{jakarta.ID, accounts.ReceivingAccountInput{Bank: "Bank Negara Indonesia (BNI)", AccountNo: "0987654321", AccountName: "Balai Budhi Dharma Penerimaan"}},
		} {
			if _, err := a.accounts.SetReceivingAccount(ctx, asAdmin, ra.unit, ra.in); err != nil {
				return err
			}
		}
		people := []struct {
			email, name string
			role        access.Role
			unit        string
		}{
			{"supervisor@demo.sentrakreasi.id", "Ibu Ratna (Kepala Balai)", access.Supervisor, bekasi.ID},
			{"staff@demo.sentrakreasi.id", "Dewi Lestari (Pekerja Sosial)", access.Staff, bekasi.ID},
			{"staff.jakarta@demo.sentrakreasi.id", "Agus Salim (Pekerja Sosial)", access.Staff, jakarta.ID},
			{"lks@demo.sentrakreasi.id", "Pak Joko (Pengelola Bengkel)", access.LKSManager, lks.ID},
			{"pendamping@demo.sentrakreasi.id", "Rina (PSM Bekasi)", access.Pendamping, bekasi.ID},
			{"penjual@demo.sentrakreasi.id", "Sari", access.Seller, bekasi.ID},
		}
		ids := map[string]string{}
		for _, p := range people {
			unit := p.unit
			u, err := a.accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: p.email, Password: DemoPassword, Name: p.name, Role: p.role, UnitID: &unit})
			if err != nil {
				return err
			}
			ids[p.email] = u.ID
		}
		if _, err := a.accounts.Register(ctx, accounts.NewUser{Email: "pembeli@demo.sentrakreasi.id", Password: DemoPassword, Name: "Budi Pembeli"}); err != nil {
			return err
		}

		staff := access.Actor{UserID: ids["staff@demo.sentrakreasi.id"], Role: access.Staff, UnitID: bekasi.ID}
		all := []cases.ConsentInput{{Purpose: cases.PurposeCaseManagement, GivenBy: "self"}, {Purpose: cases.PurposeSelling, GivenBy: "self"},
			{Purpose: cases.PurposeDataBridge, GivenBy: "self"}, {Purpose: cases.PurposeReporting, GivenBy: "self"}}
		pms := []cases.NewCase{
			{Beneficiary: cases.NewBeneficiary{LegalName: "Sari Wulandari", NIK: "3275014507850001", BirthDate: "1985-07-05", Sex: "female",
				ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 4}, Cluster: cases.ClusterDisabilitas, Pillar: "komunitas", Consents: all},
			{Beneficiary: cases.NewBeneficiary{LegalName: "Slamet Riyadi", BirthDate: "1956-02-11", Sex: "male",
				ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 2}, Cluster: cases.ClusterLansia, Pillar: "keluarga", Consents: all},
			{Beneficiary: cases.NewBeneficiary{LegalName: "Rizky Pratama", BirthDate: "1998-10-20", Sex: "male",
				ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 5}, Cluster: cases.ClusterNapza, Pillar: "residensial", Consents: all},
		}
		var caseIDs []string
		for i, pm := range pms {
			pm.UnitID = bekasi.ID
			c, err := a.cases.Create(ctx, staff, pm)
			if err != nil {
				return fmt.Errorf("demo case %d: %w", i, err)
			}
			caseIDs = append(caseIDs, c.ID)
		}
		if _, err := a.cases.Delegate(ctx, staff, cases.NewDelegation{PendampingID: ids["pendamping@demo.sentrakreasi.id"], CaseID: caseIDs[0],
			Scopes: access.Scopes, ExpiresAt: a.now().AddDate(0, 6, 0)}); err != nil {
			return err
		}
		// Rina helps Pak Slamet too, with his listings and orders only: she switches between the two.
		if _, err := a.cases.Delegate(ctx, staff, cases.NewDelegation{PendampingID: ids["pendamping@demo.sentrakreasi.id"], CaseID: caseIDs[1],
			Scopes: []access.Scope{access.ScopeListings, access.ScopeOrders}, ExpiresAt: a.now().AddDate(0, 3, 0)}); err != nil {
			return err
		}

		// The shops: each PM's own, and the LKS workshop whose products two PM make together.
		sellers := []access.Actor{{UserID: ids["penjual@demo.sentrakreasi.id"], Role: access.Seller, UnitID: bekasi.ID}}
		for _, pm := range []struct{ email, name string }{{"slamet@demo.sentrakreasi.id", "Pak Slamet"}, {"rizky@demo.sentrakreasi.id", "Rizky"}} {
			u, err := a.accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: pm.email, Password: DemoPassword, Name: pm.name, Role: access.Seller, UnitID: &bekasi.ID})
			if err != nil {
				return err
			}
			sellers = append(sellers, access.Actor{UserID: u.ID, Role: access.Seller, UnitID: bekasi.ID})
		}
		var shops []catalog.Shop
		for i, name := range []string{"Dapur Bu Sari", "Kebun Pak Slamet", "Kopi Rizky"} {
			sh, err := a.catalog.CreateShop(ctx, staff, catalog.NewShop{Kind: catalog.BeneficiaryShop, DisplayName: name, UnitID: bekasi.ID,
				CaseID: &caseIDs[i], OwnerUserID: sellers[i].UserID})
			if err != nil {
				return err
			}
			shops = append(shops, sh)
		}
		lksManager := access.Actor{UserID: ids["lks@demo.sentrakreasi.id"], Role: access.LKSManager, UnitID: lks.ID}
		workshop, err := a.catalog.CreateShop(ctx, lksManager, catalog.NewShop{Kind: catalog.WorkshopShop, DisplayName: "Bengkel Karya Mandiri",
			UnitID: lks.ID, OwnerUserID: lksManager.UserID, Story: "Bengkel anyaman dan kayu tempat para penerima manfaat belajar dan berkarya."})
		if err != nil {
			return err
		}
		shops, sellers = append(shops, workshop), append(sellers, lksManager)
		// A PM's address never reaches a buyer (DOMAIN.md rule 4): orders are
		// collected at the Balai's Sentra or at the workshop.
		sentra := catalog.ShopSettings{CourierFlatIDR: 15000, PickupPlace: "Sentra Kreasi ATENSI Bekasi",
			PickupAddress: "Jl. H. Moelyadi Djoyomartono No. 19, Margahayu, Bekasi Timur, Kota Bekasi", PickupHours: "Senin–Jumat 08.00–15.00 WIB"}
		for i, sh := range shops {
			set, by := sentra, staff
			if sh.Kind == catalog.WorkshopShop {
				set, by = catalog.ShopSettings{CourierFlatIDR: 20000, PickupPlace: "Bengkel Yayasan Karya Mandiri",
					PickupAddress: "Jl. Cut Meutia No. 7, Margahayu, Bekasi Timur, Kota Bekasi", PickupHours: "Senin–Sabtu 09.00–16.00 WIB"}, lksManager
			}
			if shops[i], err = a.catalog.SetShopSettings(ctx, by, sh.ID, set); err != nil {
				return err
			}
		}
		makers := [][]catalog.Maker{nil, nil, nil, {{CaseID: caseIDs[0], SharePct: 60}, {CaseID: caseIDs[1], SharePct: 40}}}
		// The head of the Balai reviews for the Balai and its LKS network.
		head := access.Actor{UserID: ids["supervisor@demo.sentrakreasi.id"], Role: access.Supervisor, UnitID: bekasi.ID, Network: []string{lks.ID}}
		if err := a.seedDemoCatalog(ctx, head, shops, sellers, makers); err != nil {
			return err
		}
		return a.seedDemoSales(ctx, head)
	})
}

var errSeeded = errors.New("already loaded")

// seedOnce runs load unless the named data set is already in. load runs
// outside the marker's transaction (domain services open their own), so a
// failed load removes the marker again.
func (a *App) seedOnce(ctx context.Context, name string, load func() error) error {
	err := a.db.InTx(ctx, func(tx *storage.Tx) error {
		res := tx.DB.Exec("INSERT INTO seeds (name, loaded_at) VALUES (?, ?) ON CONFLICT DO NOTHING", name, time.Now().UTC())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errSeeded
		}
		return nil
	})
	if errors.Is(err, errSeeded) {
		a.log.Info("seed already loaded", "seed", name)
		return nil
	}
	if err != nil {
		return fmt.Errorf("seed %s: %w", name, err)
	}
	if err := load(); err != nil {
		if derr := a.db.Gorm.WithContext(ctx).Exec("DELETE FROM seeds WHERE name = ?", name).Error; derr != nil {
			return errors.Join(err, derr)
		}
		return fmt.Errorf("seed %s: %w", name, err)
	}
	a.log.Info("seed loaded", "seed", name)
	return nil
}

// ScaleSize is the size of a benchmark data set (seed --scale).
type ScaleSize struct {
	Products int // published products
	// Cases is the number of PM cases, each with its shop; 0 is one per 50
	// products (at least one).
	Cases int
	// OrderLines is the number of completed order lines; 0 is two per product.
	OrderLines int
}

// SeedScale loads a benchmark data set: ten Balai with their LKS, the PM
// cases and their shops, the published products and the completed orders,
// in bulk SQL. Running it again with the same number of products changes
// nothing.
func (a *App) SeedScale(ctx context.Context, size ScaleSize) error {
	n := size.Products
	return a.seedOnce(ctx, fmt.Sprintf("scale-%d", n), func() error {
		start := time.Now()
		shops := size.Cases
		if shops <= 0 {
			shops = max(1, n/50)
		}
		lines := size.OrderLines
		if lines <= 0 {
			lines = 2 * n
		}
		admin, err := a.accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: fmt.Sprintf("admin-skala-%d@skala.sentrakreasi.id", n),
			Password: DemoPassword, Name: "Admin Skala", Role: access.Admin})
		if err != nil {
			return err
		}
		units, err := a.accounts.SeedScaleUnits(ctx, access.Actor{UserID: admin.ID, Role: access.Admin})
		if err != nil {
			return err
		}
		var staff []string
		for i, b := range units.Balai {
			u, err := a.accounts.CreateUserAsOperator(ctx, accounts.NewUser{Email: fmt.Sprintf("staf%02d-%d@skala.sentrakreasi.id", i, n),
				Password: DemoPassword, Name: fmt.Sprintf("Staf Skala %d", i), Role: access.Staff, UnitID: &b.ID})
			if err != nil {
				return err
			}
			staff = append(staff, u.ID)
		}
		sellers, err := a.accounts.SeedScaleSellers(ctx, units.Balai, shops, DemoPassword)
		if err != nil {
			return err
		}
		places := make([]cases.ScaleCase, shops)
		for i := range places {
			b := units.Balai[i%len(units.Balai)]
			places[i] = cases.ScaleCase{UnitID: b.ID, ProvinceCode: b.ProvinceCode, RegencyCode: b.RegencyCode, StaffID: staff[i%len(staff)]}
		}
		caseIDs, err := a.cases.SeedScale(ctx, places)
		if err != nil {
			return err
		}
		scaleShops := make([]catalog.ScaleShop, shops)
		for i := range scaleShops {
			scaleShops[i] = catalog.ScaleShop{UnitID: places[i].UnitID, CaseID: caseIDs[i], OwnerID: sellers[i]}
		}
		shopIDs, err := a.catalog.SeedScale(ctx, scaleShops, n, nil, func(loaded int) {
			a.log.Info("scale products", "loaded", loaded, "of", n, "took", time.Since(start).Round(time.Second).String())
		})
		if err != nil {
			return err
		}
		a.log.Info("scale catalog loaded", "products", n, "shops", shops, "took", time.Since(start))
		// A shop's transfers are confirmed by the staff of its Balai, the
		// one who opened its case.
		sold := make([]orders.ScaleShop, shops)
		for i, id := range shopIDs {
			sold[i] = orders.ScaleShop{ID: id, StaffID: places[i].StaffID, SellerID: sellers[i]}
		}
		if err := a.orders.SeedScale(ctx, sold, lines); err != nil {
			return err
		}
		a.log.Info("scale data loaded", "products", n, "shops", shops, "order_lines", lines, "took", time.Since(start))
		return nil
	})
}
