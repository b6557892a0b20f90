package storage_test

import (
	"context"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/sentrakreasi/atensi/migrations"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// TestMigrationMovesShopsOwnedByAPendamping: a PM's shop recorded with a
// pendamping as its owner before migration 00022 loses that owner, and the
// pendamping gets a 30-day delegation for the case instead (granted by the
// staff who opened the shop, in the case's timeline and the audit log).
// A seller's shop is left as it was.
func TestMigrationMovesShopsOwnedByAPendamping(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := storage.Open(ctx, storagetest.EmptyDatabaseURL(t), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	p, err := goose.NewProvider(goose.DialectPostgres, db.SQL, migrations.SQL,
		goose.WithGoMigrations(migrations.Go...), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 21); err != nil {
		t.Fatal(err)
	}
	const (
		unit, staff, pendamping, seller = "00000000-0000-0000-0000-0000000000a1", "00000000-0000-0000-0000-0000000000b1",
			"00000000-0000-0000-0000-0000000000b2", "00000000-0000-0000-0000-0000000000b3"
		ben1, ben2, case1, case2   = "00000000-0000-0000-0000-0000000000c1", "00000000-0000-0000-0000-0000000000c2", "00000000-0000-0000-0000-0000000000d1", "00000000-0000-0000-0000-0000000000d2"
		shopPendamping, shopSeller = "00000000-0000-0000-0000-0000000000e1", "00000000-0000-0000-0000-0000000000e2"
	)
	for _, q := range []string{
		`INSERT INTO units (id, kind, name, province_code, regency_code) VALUES ('` + unit + `', 'balai', 'Balai Uji', '32', '3275')`,
		`INSERT INTO users (id, email, name, role, unit_id, password_hash) VALUES
			('` + staff + `', 's@uji.id', 'Staf', 'staff', '` + unit + `', 'x'),
			('` + pendamping + `', 'p@uji.id', 'PSM', 'pendamping', '` + unit + `', 'x'),
			('` + seller + `', 'j@uji.id', 'Penjual', 'seller', '` + unit + `', 'x')`,
		`INSERT INTO beneficiaries (id, legal_name_enc, birth_date, sex, province_code, regency_code, household_size) VALUES
			('` + ben1 + `', 'x', '1980-01-01', 'female', '32', '3275', 3), ('` + ben2 + `', 'x', '1981-01-01', 'male', '32', '3275', 3)`,
		`INSERT INTO cases (id, case_no, beneficiary_id, unit_id, cluster, pillar, sensitivity, is_child, opened_on, created_by) VALUES
			('` + case1 + `', 'ATN-1', '` + ben1 + `', '` + unit + `', 'lansia', 'keluarga', 'audited', false, '2026-01-01', '` + staff + `'),
			('` + case2 + `', 'ATN-2', '` + ben2 + `', '` + unit + `', 'lansia', 'keluarga', 'audited', false, '2026-01-01', '` + staff + `')`,
		`INSERT INTO shops (id, kind, display_name, unit_id, case_id, owner_user_id, created_at, updated_at) VALUES
			('` + shopPendamping + `', 'beneficiary', 'Toko Satu', '` + unit + `', '` + case1 + `', '` + pendamping + `', now(), now()),
			('` + shopSeller + `', 'beneficiary', 'Toko Dua', '` + unit + `', '` + case2 + `', '` + seller + `', now(), now())`,
		`INSERT INTO audit_log (actor_id, action, resource_kind, resource_id, outcome) VALUES ('` + staff + `', 'shop.create', 'shop', '` + shopPendamping + `', 'ok')`,
	} {
		if err := db.Gorm.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}

	var owners []struct {
		ID    string
		Owner *string `gorm:"column:owner_user_id"`
	}
	if err := db.Gorm.Raw("SELECT id, owner_user_id FROM shops ORDER BY id").Scan(&owners).Error; err != nil {
		t.Fatal(err)
	}
	if len(owners) != 2 || owners[0].Owner != nil || owners[1].Owner == nil || *owners[1].Owner != seller {
		t.Fatalf("owners after the migration: %+v", owners)
	}
	var d struct {
		PendampingID, CaseID, CreatedBy string
		Scopes                          string
		Days                            float64
	}
	if err := db.Gorm.Raw(`SELECT pendamping_id, case_id, created_by, array_to_string(scopes, ',') AS scopes,
		extract(epoch FROM expires_at - created_at) / 86400 AS days FROM delegations`).Scan(&d).Error; err != nil {
		t.Fatal(err)
	}
	if d.PendampingID != pendamping || d.CaseID != case1 || d.CreatedBy != staff || d.Scopes != "listings,orders,shipping,earnings" || d.Days != 30 {
		t.Fatalf("the pendamping's delegation: %+v", d)
	}
	var events, audits int64
	db.Gorm.Raw("SELECT count(*) FROM case_events WHERE case_id = ? AND type = 'delegation_granted' AND actor_id = ?", case1, staff).Scan(&events)
	db.Gorm.Raw("SELECT count(*) FROM audit_log WHERE action = 'shop.owner_cleared' AND resource_id = ?", shopPendamping).Scan(&audits)
	if events != 1 || audits != 1 {
		t.Fatalf("delegation_granted events %d, audit rows %d; want 1 and 1", events, audits)
	}
	// A workshop must still have its manager.
	if err := db.Gorm.Exec(`INSERT INTO shops (id, kind, display_name, unit_id, created_at, updated_at)
		VALUES (gen_random_uuid(), 'lks_workshop', 'Bengkel', '` + unit + `', now(), now())`).Error; err == nil {
		t.Fatal("a workshop shop without an owner was stored")
	}
}
