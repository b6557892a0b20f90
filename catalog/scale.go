package catalog

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/lib/pq"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// ScaleShop is a PM shop of a benchmark data set.
type ScaleShop struct {
	UnitID, CaseID, OwnerID string
}

// seedChunk is how many products one statement of SeedScale loads: a
// statement takes seconds even on a busy 2-core machine (50,000 took more
// than 30 s there), and a million products show their progress often.
var seedChunk = 10_000

// SeedScale creates the shops and n published products spread over them,
// in set-based SQL, seedChunk products (with their makers and photos) per
// statement in one transaction, so 100,000 products load in seconds and a
// million in minutes; progress, when given, hears the count after each
// chunk. Titles combine word lists so search has realistic Indonesian
// words to find, descriptions name a town (words found in descriptions
// only); photos, when given, are reused from already processed images.
// It returns the shop ids in order.
func (s *Service) SeedScale(ctx context.Context, shops []ScaleShop, n int, photos []Image, progress func(loaded int)) ([]string, error) {
	now := s.now().UTC()
	shopIDs := make([]string, len(shops))
	variants := make([]string, len(photos))
	for i, p := range photos {
		vs := make([]storedVariant, 0, len(p.Srcset))
		for _, v := range p.Srcset {
			vs = append(vs, storedVariant{Key: v.URL[len(s.mediaURL("")):], Width: v.Width, Type: v.Type})
		}
		b, _ := json.Marshal(vs)
		variants[i] = string(b)
	}
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		// A bulk load for benchmarks, not a request: the request-sized
		// statement timeout does not apply.
		if err := tx.DB.Exec("SET LOCAL statement_timeout = '10min'").Error; err != nil {
			return err
		}
		rows := make([]Shop, len(shops))
		for i, sh := range shops {
			caseID := sh.CaseID
			shopIDs[i] = domain.NewID()
			rows[i] = Shop{ID: shopIDs[i], Kind: BeneficiaryShop, DisplayName: fmt.Sprintf("Toko Binaan %05d", i), UnitID: sh.UnitID,
				CaseID: &caseID, OwnerUserID: sh.OwnerID, Status: ShopActive, CreatedAt: now, UpdatedAt: now}
		}
		if err := tx.DB.CreateInBatches(rows, 1000).Error; err != nil {
			return fmt.Errorf("seed shops: %w", err)
		}
		for from := 0; from < n; from += seedChunk {
			to := min(n, from+seedChunk)
			// Each product is made by its shop's PM, as checkMakers records
			// it when a PM shop names no makers; checkout freezes these shares.
			err := tx.DB.Exec(`
				WITH shop AS (
					SELECT s.id, s.case_id, u.province_code, row_number() OVER (ORDER BY s.id) - 1 AS i, count(*) OVER () AS n
					FROM shops s JOIN units u ON u.id = s.unit_id WHERE s.id = ANY(?::uuid[])
				), words AS (
					SELECT ARRAY['Keripik','Kue Kering','Sambal','Kopi','Wedang','Batik','Tas','Anyaman','Gantungan Kunci','Kaos'] AS noun,
					       ARRAY['keripik','kue_kering','sambal','kopi','jamu','batik','tas','anyaman','cindera_mata','fesyen'] AS cat,
					       ARRAY['Pisang','Singkong','Tempe','Nanas','Bawang','Jahe','Pandan','Rotan','Kayu Jati','Mega Mendung','Sogan','Bambu'] AS kind,
					       ARRAY['Manis','Pedas','Original','Balado','Premium','Motif Bunga','Klasik','Mini','Jumbo','Rumahan'] AS style,
					       ARRAY['Bekasi','Garut','Cirebon','Pekalongan','Lasem','Tasikmalaya','Kudus','Jepara','Solo','Klaten','Magelang','Malang',
					             'Lumajang','Banyuwangi','Madura','Tuban','Lamongan','Sragen','Wonosobo','Purwakarta','Sumedang','Kuningan','Cianjur',
					             'Sukabumi','Bogor','Serang','Pandeglang','Lebak','Karawang','Subang','Indramayu'] AS town
				), g AS (SELECT gs AS k FROM generate_series(?::int, ?::int - 1) gs
				), ins AS (
					INSERT INTO products (id, shop_id, title, description, category, category_root, price_idr, stock, weight_grams, status,
					                      province_code, published_at, created_at, updated_at)
					SELECT gen_random_uuid(), shop.id,
					       w.noun[1 + k % 10] || ' ' || w.kind[1 + (k / 10) % 12] || ' ' || w.style[1 + (k / 120) % 10] || ' ' || (k % 97),
					       'Buatan tangan PM binaan. ' || w.noun[1 + k % 10] || ' ' || lower(w.kind[1 + (k / 10) % 12]) ||
					           ' dengan bahan pilihan, oleh-oleh khas ' || w.town[1 + (k / 7) % 31] || '.',
					       w.cat[1 + k % 10], COALESCE((SELECT parent_slug FROM categories WHERE slug = w.cat[1 + k % 10]), w.cat[1 + k % 10]),
					       5000 + (k * 7919) % 295000, k % 40, 100 + k % 900, 'published',
					       shop.province_code, ?::timestamptz - make_interval(secs => k), now(), now()
					FROM g CROSS JOIN words w JOIN shop ON shop.i = g.k % shop.n
					RETURNING id, shop_id, title
				), makers AS (
					INSERT INTO product_makers (product_id, case_id, share_bp)
					SELECT ins.id, shop.case_id, 10000 FROM ins JOIN shop ON shop.id = ins.shop_id
				)
				INSERT INTO product_images (id, product_id, position, alt, upload_key, status, width, height, variants, created_at)
				SELECT gen_random_uuid(), ins.id, 0, 'Foto ' || ins.title, '', 'ready', 1280, 960,
				       (?::text[])[1 + (row_number() OVER (ORDER BY ins.id)) % ?]::jsonb, now()
				FROM ins WHERE ? > 0`,
				pq.StringArray(shopIDs), from, to, now, pq.StringArray(variants), max(1, len(variants)), len(variants)).Error
			if err != nil {
				return fmt.Errorf("seed products %d-%d: %w", from, to, err)
			}
			if progress != nil {
				progress(to)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Fresh statistics and a set visibility map: without them the planner
	// guesses badly on the new rows and index-only scans read the heap
	// (a fresh 100,000-product load searched 30 % slower).
	if err := s.db.Gorm.WithContext(ctx).Exec("VACUUM (ANALYZE) shops, products, product_makers, product_images, search_words").Error; err != nil {
		return nil, err
	}
	return shopIDs, nil
}
