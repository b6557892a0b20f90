package orders

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
)

// ScaleShop is a shop of a benchmark data set with the people who move its
// orders: the staff member of its unit who confirms bank transfers, and
// its seller, who ships and delivers.
type ScaleShop struct {
	ID, StaffID, SellerID string
}

const (
	// scaleChunk is how many order lines one transaction loads: large
	// enough for set-based SQL to pay off, small enough to keep a
	// transaction's writes bounded.
	scaleChunk = 1_000_000
	// scaleLedgerBatch is how many orders' ledger transactions commit
	// together, on a connection of their own. The balance trigger
	// remembers each ledger transaction it checked in a setting of its
	// own, which stays in the session, and PostgreSQL 15 sorts all of a
	// session's settings again for each new one: a commit of n ledger
	// transactions costs about n squared (20,000 took 97 s, 1,000 0.1 s),
	// and each later commit in that session pays for all before it.
	scaleLedgerBatch = 500
	// maxScaleBuyers bounds the buyers whose keyed hashes are made in Go
	// and sent to the database.
	maxScaleBuyers = 500_000
)

// scaleID is a UUIDv7 for the time in the given SQL expression, as
// domain.NewID makes them at checkout: ids of one table then sort by
// creation like the real ones, which their indexes feel.
const scaleID = `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
	substring(int8send(floor(extract(epoch FROM %s) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid`

// SeedScale loads lines completed order lines for a benchmark data set,
// in set-based SQL a million lines per transaction (their ledger in
// batches of scaleLedgerBatch orders). Each order is what a
// guest's bank-transfer checkout leaves once it has gone all the way: one
// order per group (pickup or courier), the transfer confirmed by staff,
// shipped and delivered by the seller, then confirmed by the buyer or
// completed when the return window passed; with its history, the ledger's
// payment and completion transactions, and the makers' sale_completed and
// first_sale events (for cases without a sale before). Orders are spread
// over the last twelve months up to ten days ago, in Asia/Jakarta daytime,
// so every one is past its return window. Stock is left as it is: the
// products are taken to be restocked. Buyer messages are not queued; they
// would have been sent long ago. A failed load leaves what its committed
// chunks wrote.
func (s *Service) SeedScale(ctx context.Context, shops []ScaleShop, lines int) error {
	if lines <= 0 || len(shops) == 0 {
		return nil
	}
	if s.cases == nil {
		return errors.New("seed orders: no case record to write the sales into")
	}
	ids, staff, sellers := make(pq.StringArray, len(shops)), make(pq.StringArray, len(shops)), make(pq.StringArray, len(shops))
	for i, sh := range shops {
		ids[i], staff[i], sellers[i] = sh.ID, sh.StaffID, sh.SellerID
	}
	consented, err := s.scaleConsents(ctx, ids)
	if err != nil {
		return err
	}
	var unsold pq.StringArray
	if err := s.db.Gorm.WithContext(ctx).Raw(`SELECT c FROM unnest(?::uuid[]) c
		WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c AND e.type = 'sale_completed')`, consented).Scan(&unsold).Error; err != nil {
		return fmt.Errorf("seed orders: cases without sales: %w", err)
	}
	// Guests, told apart by email as buyerIdentity tells them apart, so
	// the case record counts unique and repeat buyers as it would.
	n := max(1, min(lines/3, maxScaleBuyers))
	emails, hashes := make(pq.StringArray, n), make(pq.StringArray, n)
	for i := range n {
		emails[i] = fmt.Sprintf("pembeli%07d@skala.sentrakreasi.id", i)
		hashes[i] = s.cases.BuyerHash(buyerIdentity(groupRow{BuyerEmail: emails[i]}))
	}
	now := s.now().In(domain.Jakarta)
	first, last := now.AddDate(-1, 0, 0), now.AddDate(0, 0, -10)
	args := map[string]any{"lines": lines, "first_day": day(first).Format(time.DateOnly), "days": int(day(last).Sub(day(first)).Hours() / 24),
		"shops": ids, "staff": staff, "sellers": sellers, "emails": emails, "hashes": hashes, "consented": consented,
		"window": interval(returnWindow), "on_time": interval(shipOnTime)}

	// One connection throughout: the temporary tables live in its session,
	// across the chunks' transactions.
	return s.db.Gorm.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		defer func() {
			conn.Exec(`DROP TABLE IF EXISTS scale_buyers, scale_shops, scale_products, scale_orders, scale_lines`)
			conn.Exec(`RESET statement_timeout`)
		}()
		// A million lines take minutes, past the pool's per-statement ceiling.
		if err := conn.Exec(`SET statement_timeout = 0`).Error; err != nil {
			return err
		}
		if err := conn.Transaction(func(tx *gorm.DB) error { return runScale(tx, scaleSetup, args) }); err != nil {
			return fmt.Errorf("seed orders: %w", err)
		}
		for done := 0; done < lines; done += scaleChunk {
			target := min(scaleChunk, lines-done)
			args["target"], args["done"] = target, done
			var orders []string
			err := conn.Transaction(func(tx *gorm.DB) error {
				if err := runScale(tx, scaleChunkSteps, args); err != nil {
					return err
				}
				var got int
				if err := tx.Raw(`SELECT count(*) FROM scale_lines`).Scan(&got).Error; err != nil {
					return err
				}
				if got != target {
					return fmt.Errorf("%d order lines made of %d wanted: no published products in the shops?", got, target)
				}
				if err := tx.Raw(`SELECT id FROM scale_orders ORDER BY k`).Scan(&orders).Error; err != nil {
					return err
				}
				return runScale(tx, scaleWrites, args)
			})
			for from := 0; err == nil && from < len(orders); from += scaleLedgerBatch {
				err = s.postScaleLedger(ctx, orders[from:min(from+scaleLedgerBatch, len(orders))])
			}
			if err != nil {
				return fmt.Errorf("seed orders (lines %d to %d): %w", done, done+target, err)
			}
		}
		return conn.Transaction(func(tx *gorm.DB) error {
			// The other half of the case record's bulk write (see "case
			// events" in scaleWrites): first_sale, a copy of a case's
			// earliest sale_completed, for the cases that had none before
			// this load. It waits for every chunk because completion times
			// overlap at a chunk's end: a later chunk may hold a case's
			// earliest sale.
			if err := tx.Exec(`INSERT INTO case_events (case_id, type, occurred_at, actor_id, on_behalf_of, data)
				SELECT DISTINCT ON (case_id) case_id, 'first_sale', occurred_at, actor_id, on_behalf_of, data FROM case_events
				WHERE case_id = ANY(?::uuid[]) AND type = 'sale_completed' ORDER BY case_id, occurred_at, id`, unsold).Error; err != nil {
				return fmt.Errorf("seed orders: first sales: %w", err)
			}
			// Fresh statistics, or the planner guesses badly on the new rows.
			return tx.Exec(`ANALYZE order_groups, orders, order_lines, order_history, ledger_accounts, ledger_transactions, ledger_entries,
				case_events, case_month_sales`).Error
		})
	})
}

// scaleConsents are the maker cases of the shops' products whose latest
// data_bridge_to_case_record consent is given, asked of the case record
// once per case as writeSaleEvents asks it once per sale.
func (s *Service) scaleConsents(ctx context.Context, shopIDs pq.StringArray) (pq.StringArray, error) {
	var makers []string
	if err := s.db.Gorm.WithContext(ctx).Raw(`SELECT DISTINCT m.case_id FROM product_makers m JOIN products p ON p.id = m.product_id
		WHERE p.shop_id = ANY(?::uuid[]) AND p.status = 'published' ORDER BY 1`, shopIDs).Scan(&makers).Error; err != nil {
		return nil, fmt.Errorf("seed orders: makers: %w", err)
	}
	var out pq.StringArray
	for _, id := range makers {
		f, err := s.cases.Facts(ctx, id)
		if err != nil {
			return nil, err
		}
		if f.Consents[string(cases.PurposeDataBridge)] {
			out = append(out, id)
		}
	}
	return out, nil
}

// interval is d as PostgreSQL reads an interval.
func interval(d time.Duration) string { return fmt.Sprintf("%d seconds", int64(d.Seconds())) }

// day is the midnight that starts t's day, in t's zone.
func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// scaleStep is one statement of the load; its named parameters (@name)
// come from the load's arguments.
type scaleStep struct{ name, sql string }

// runScale runs steps in order. GORM appends arguments a statement does
// not name to its end, so only statements with named parameters get them.
func runScale(tx *gorm.DB, steps []scaleStep, args map[string]any) error {
	for _, st := range steps {
		var err error
		if strings.Contains(st.sql, "@") {
			err = tx.Exec(st.sql, args).Error
		} else {
			err = tx.Exec(st.sql).Error
		}
		if err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
	}
	return nil
}

// scaleSetup makes the temporary tables every chunk draws on: the buyers
// with their keyed hashes, the shops that have something on sale
// (numbered) and their products as catalog.Quote freezes them for
// checkout; and the shops' ledger accounts.
var scaleSetup = []scaleStep{
	// Left by a load that failed on this connection before.
	{"clean", `DROP TABLE IF EXISTS scale_buyers, scale_shops, scale_products, scale_orders, scale_lines`},
	{"buyers", `CREATE TEMP TABLE scale_buyers AS
		SELECT (b.n - 1)::int AS i, b.email, b.hash FROM unnest(CAST(@emails AS text[]), CAST(@hashes AS text[])) WITH ORDINALITY AS b(email, hash, n)`},
	// The shops that have something on sale, numbered.
	{"shops", `CREATE TEMP TABLE scale_shops AS
		SELECT (row_number() OVER (ORDER BY s.id) - 1)::int AS no, s.id, v.staff_id, v.seller_id, s.courier_flat_idr,
		       (SELECT count(*) FROM products p WHERE p.shop_id = s.id AND p.status = 'published')::int AS products
		FROM unnest(CAST(@shops AS uuid[]), CAST(@staff AS uuid[]), CAST(@sellers AS uuid[])) AS v(id, staff_id, seller_id) JOIN shops s ON s.id = v.id
		WHERE EXISTS (SELECT 1 FROM products p WHERE p.shop_id = s.id AND p.status = 'published')`},
	// Products as catalog.Quote freezes them for checkout.
	{"products", `CREATE TEMP TABLE scale_products AS
		SELECT sh.no AS shop_no, (row_number() OVER (PARTITION BY p.shop_id ORDER BY p.id) - 1)::int AS no, p.id, p.title, p.price_idr,
		       p.made_to_order,
		       (SELECT coalesce(json_agg(json_build_object('case_id', m.case_id, 'share_bp', m.share_bp) ORDER BY m.case_id), '[]')
		        FROM product_makers m WHERE m.product_id = p.id)::jsonb AS makers
		FROM products p JOIN scale_shops sh ON sh.id = p.shop_id WHERE p.status = 'published'`},
	{"analyze", `ANALYZE scale_buyers, scale_shops, scale_products`},
	{"accounts", `INSERT INTO ledger_accounts (code, kind, shop_id)
		SELECT 'clearing:bank_transfer', 'clearing', NULL
		UNION ALL SELECT 'seller_pending:' || id, 'seller_pending', id FROM scale_shops
		UNION ALL SELECT 'seller_available:' || id, 'seller_available', id FROM scale_shops
		ORDER BY 1 ON CONFLICT (code) DO NOTHING`},
}

// scaleChunkSteps make one chunk's orders and lines in temporary tables.
var scaleChunkSteps = []scaleStep{
	{"clean", `DROP TABLE IF EXISTS scale_orders, scale_lines`},
	// Orders: a shop each (a few shops sell much more than most, as in
	// life), one to three distinct products of it, until the chunk has
	// its lines; then the times of each step, the creation times rising
	// with the line number across the year, in Jakarta daytime.
	{"orders", fmt.Sprintf(`CREATE TEMP TABLE scale_orders AS
		WITH g AS MATERIALIZED (
			SELECT k, floor((SELECT count(*) FROM scale_shops) * power(random(), 1.5))::int AS shop_no,
			       random() AS r_product, random() AS r_buyer, random() < 0.65 AS courier, random() < 0.6 AS auto,
			       random() AS r_pay, random() AS r_ship, random() AS r_deliver, random() AS r_complete, random() AS r_carrier
			FROM generate_series(1, CAST(@target AS int)) k
		), c AS (
			SELECT g.*, sh.id AS shop_id, sh.staff_id, sh.seller_id, sh.products, sh.courier_flat_idr,
			       least(1 + g.k %% 3, sh.products) AS want
			FROM g JOIN scale_shops sh ON sh.no = g.shop_no
		), s AS (
			SELECT c.*, sum(want) OVER (ORDER BY k) - want AS before FROM c
		), w AS (
			SELECT s.*, least(want, CAST(@target AS bigint) - before)::int AS n, (CAST(@done AS bigint) + before)::float8 / CAST(@lines AS bigint) * CAST(@days AS int) AS x,
			       (5 + floor(r_pay * 25)) * interval '1 minute' AS to_paid,
			       CASE WHEN courier THEN interval '3 hours' + r_ship * interval '57 hours' ELSE interval '1 hour' + r_ship * interval '23 hours' END AS to_shipped,
			       CASE WHEN courier THEN interval '1 day' + r_deliver * interval '3 days' ELSE interval '1 hour' + r_deliver * interval '2 days' END AS to_delivered,
			       CASE WHEN auto THEN CAST(@window AS interval) + r_complete * interval '1 hour'
			            ELSE interval '10 minutes' + r_complete * interval '2 days' END AS to_completed
			FROM s WHERE before < CAST(@target AS bigint)
		), t AS (
			SELECT w.*, ((CAST(@first_day AS date) + floor(x)::int)::timestamp + interval '8 hours' + (x - floor(x)) * interval '13 hours')
			            AT TIME ZONE 'Asia/Jakarta' AS created_at
			FROM w
		)
		SELECT k, %s AS id, %s AS group_id, shop_no, shop_id, staff_id, seller_id, n, products, floor(r_product * products)::int AS base,
		       floor(r_buyer * (SELECT count(*) FROM scale_buyers))::int AS buyer, courier, auto,
		       'ATN' || upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 20)) AS payment_ref,
		       0::bigint AS subtotal_idr, (CASE WHEN courier THEN courier_flat_idr ELSE 0 END)::bigint AS shipping_idr, 0::bigint AS total_idr,
		       CASE WHEN courier THEN (ARRAY['JNE', 'J&T Express', 'SiCepat', 'Pos Indonesia'])[1 + floor(r_carrier * 4)::int] ELSE '' END AS carrier,
		       CASE WHEN courier THEN upper(substr(md5(random()::text), 1, 12)) ELSE '' END AS tracking_no,
		       created_at, created_at + to_paid AS paid_at, created_at + to_paid + to_shipped AS shipped_at,
		       created_at + to_paid + to_shipped + to_delivered AS delivered_at,
		       created_at + to_paid + to_shipped + to_delivered + to_completed AS completed_at
		FROM t`, fmt.Sprintf(scaleID, "created_at"), fmt.Sprintf(scaleID, "created_at"))},
	{"analyze orders", `ANALYZE scale_orders`},
	{"lines", fmt.Sprintf(`CREATE TEMP TABLE scale_lines AS
		SELECT %s AS id, o.id AS order_id, p.id AS product_id, p.title, p.price_idr AS unit_price_idr,
		       CASE WHEN random() < 0.8 THEN 1 ELSE 2 + floor(random() * 3)::int END AS quantity, p.makers, NOT p.made_to_order AS stock_reserved
		FROM scale_orders o CROSS JOIN LATERAL generate_series(0, o.n - 1) j
		JOIN scale_products p ON p.shop_no = o.shop_no AND p.no = (o.base + j) %% o.products`,
		fmt.Sprintf(scaleID, "o.created_at"))},
	{"totals", `UPDATE scale_orders o SET subtotal_idr = l.subtotal, total_idr = l.subtotal + o.shipping_idr
		FROM (SELECT order_id, sum(unit_price_idr * quantity) AS subtotal FROM scale_lines GROUP BY order_id) l WHERE l.order_id = o.id`},
	{"analyze lines", `ANALYZE scale_orders, scale_lines`},
}

// postScaleLedger posts the payment (clearing to the shop's pending) and
// the completion (pending to available) of completed orders, as apply
// posts them on Pay and Complete, read from the orders as written; the
// deferred trigger checks each balances at commit. The cached balances
// move with the entries; pending nets to zero for a completed order. It
// runs on a connection that is closed afterwards (see scaleLedgerBatch).
func (s *Service) postScaleLedger(ctx context.Context, orderIDs []string) error {
	pooled, err := s.db.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	conn := pooled.Hijack()
	defer conn.Close(ctx)
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `WITH o AS MATERIALIZED (
				SELECT o.id, o.total_idr, g.paid_at, o.updated_at AS completed_at, p.id AS pending, a.id AS available
				FROM orders o JOIN order_groups g ON g.id = o.group_id
				JOIN ledger_accounts p ON p.code = 'seller_pending:' || o.shop_id JOIN ledger_accounts a ON a.code = 'seller_available:' || o.shop_id
				WHERE o.id = ANY($1::uuid[]) AND o.status = 'completed'
			), t AS (
				INSERT INTO ledger_transactions (kind, ref, at)
				SELECT kind, ref, at FROM (
					SELECT 'payment' AS kind, id::text AS ref, paid_at AS at FROM o
					UNION ALL SELECT 'complete', id::text, completed_at FROM o
				) x ORDER BY at, ref
				RETURNING id, kind, ref
			)
			INSERT INTO ledger_entries (transaction_id, account_id, amount_idr)
			SELECT t.id, e.account_id, e.amount
			FROM t JOIN o ON o.id::text = t.ref,
			LATERAL (VALUES
				('payment', (SELECT id FROM ledger_accounts WHERE code = 'clearing:bank_transfer'), o.total_idr),
				('payment', o.pending, -o.total_idr),
				('complete', o.available, -o.total_idr),
				('complete', o.pending, o.total_idr)
			) AS e(kind, account_id, amount)
			WHERE e.kind = t.kind
			ORDER BY t.id`, orderIDs); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE ledger_accounts a SET balance_idr = a.balance_idr + v.amount
			FROM (
				SELECT 'seller_available:' || shop_id AS code, -sum(total_idr) AS amount FROM orders
				WHERE id = ANY($1::uuid[]) AND status = 'completed' GROUP BY shop_id
				UNION ALL SELECT 'clearing:bank_transfer', sum(total_idr) FROM orders WHERE id = ANY($1::uuid[]) AND status = 'completed'
			) v
			WHERE a.code = v.code`, orderIDs); err != nil {
			return fmt.Errorf("ledger balances: %w", err)
		}
		return nil
	})
}

// scaleWrites fill the real tables from the chunk's temporary ones, as
// Checkout, ConfirmTransfer and apply write them for each move.
var scaleWrites = []scaleStep{
	{"order groups", `INSERT INTO order_groups (id, buyer_name, buyer_email, buyer_phone, shipping_method, shipping_address, payment_method,
			payment_status, payment_ref, total_idr, access_hash, expires_at, paid_at, created_at)
		SELECT o.group_id, 'Pembeli ' || (b.i + 1), b.email, '0812' || lpad(b.i::text, 8, '0'),
		       CASE WHEN o.courier THEN 'courier' ELSE 'pickup' END,
		       CASE WHEN o.courier THEN 'Jl. Melati No. ' || (1 + b.i % 200) || ', RT 00' || (1 + b.i % 9) || '/RW 00' || (1 + b.i % 7) || ', Kota Bekasi' ELSE '' END,
		       'bank_transfer', 'paid', o.payment_ref, o.total_idr,
		       -- the hash of a private link nobody holds: these buyers never come back for their orders
		       sha256(convert_to(gen_random_uuid()::text, 'UTF8')), o.created_at + interval '30 minutes', o.paid_at, o.created_at
		FROM scale_orders o JOIN scale_buyers b ON b.i = o.buyer ORDER BY o.k`},
	{"orders", `INSERT INTO orders (id, group_id, shop_id, status, subtotal_idr, shipping_idr, total_idr, refunded_idr, carrier, tracking_no,
			delivered_at, created_at, updated_at)
		SELECT id, group_id, shop_id, 'completed', subtotal_idr, shipping_idr, total_idr, 0, carrier, tracking_no, delivered_at, created_at, completed_at
		FROM scale_orders ORDER BY k`},
	{"order lines", `INSERT INTO order_lines (id, order_id, product_id, title, unit_price_idr, quantity, line_total_idr, makers, stock_reserved)
		SELECT id, order_id, product_id, title, unit_price_idr, quantity, unit_price_idr * quantity, makers, stock_reserved FROM scale_lines ORDER BY id`},
	// Each move as record writes it: the guest's checkout, staff confirming
	// the transfer, the seller shipping and delivering, and the buyer's
	// confirmation or the AutoComplete job.
	{"order history", `INSERT INTO order_history (order_id, from_status, to_status, event, actor_id, note, at)
		SELECT o.id, h.from_status, h.to_status, h.event, h.actor_id, h.note, h.at
		FROM scale_orders o CROSS JOIN LATERAL (VALUES
			(1, '', 'pending_payment', 'checkout', NULL::uuid, '', o.created_at),
			(2, 'pending_payment', 'paid', 'pay', o.staff_id, 'transfer ' || o.payment_ref, o.paid_at),
			(3, 'paid', 'shipped', 'ship', o.seller_id, '', o.shipped_at),
			(4, 'shipped', 'delivered', 'deliver', o.seller_id, '', o.delivered_at),
			(5, 'delivered', 'completed', 'complete', NULL, CASE WHEN o.auto THEN 'otomatis setelah masa pengembalian' ELSE '' END, o.completed_at)
		) AS h(step, from_status, to_status, event, actor_id, note, at)
		ORDER BY o.k, h.step`},
	// The case record's side of completion, as writeSaleEvents writes it
	// through cases.AppendEvent: with first_sale at the end of SeedScale,
	// the one place the seed writes case_events itself, because an event
	// per call would take hours. Each maker's part of a line is split by
	// the largest remainder (ledger.Split: floors, then a rupiah each to
	// the largest remainders, ties to the earlier maker), summed per order;
	// only consented cases get events; the data carry the keyed buyer hash
	// and never who the buyer is.
	{"case events", `WITH m AS (
			SELECT l.id AS line_id, l.order_id, l.unit_price_idr * l.quantity AS amount, x.ord, (x.e->>'case_id')::uuid AS case_id,
			       (x.e->>'share_bp')::bigint AS bp, (sum((x.e->>'share_bp')::bigint) OVER (PARTITION BY l.id))::bigint AS total_bp
			FROM scale_lines l CROSS JOIN LATERAL jsonb_array_elements(l.makers) WITH ORDINALITY AS x(e, ord)
		), floors AS (
			SELECT m.*, amount * bp / total_bp AS floored, amount * bp % total_bp AS rem FROM m
		), parts AS (
			SELECT order_id, case_id,
			       floored + CASE WHEN row_number() OVER (PARTITION BY line_id ORDER BY rem DESC, ord) <= amount - (sum(floored) OVER (PARTITION BY line_id))::bigint
			                      THEN 1 ELSE 0 END AS part
			FROM floors
		)
		INSERT INTO case_events (case_id, type, occurred_at, data)
		SELECT a.case_id, 'sale_completed', o.completed_at,
		       jsonb_build_object('order_id', o.id, 'shop_id', o.shop_id, 'attributed_idr', a.part, 'buyer_hash', b.hash, 'assisted', false)
		       || CASE WHEN o.courier THEN jsonb_build_object('shipped_on_time', o.shipped_at - o.paid_at <= CAST(@on_time AS interval)) ELSE '{}' END
		FROM (SELECT order_id, case_id, sum(part)::bigint AS part FROM parts GROUP BY 1, 2) a
		JOIN scale_orders o ON o.id = a.order_id JOIN scale_buyers b ON b.i = o.buyer
		WHERE a.case_id = ANY(CAST(@consented AS uuid[]))
		ORDER BY o.completed_at, o.k, a.case_id`},
}
