package app

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
	"github.com/sentrakreasi/atensi/orders"
)

// TestSeedScaleLoadsCompletedOrders loads a small scale data set and checks
// its orders are what the real flow leaves behind: money, history and the
// case record. A second load into the same shops, after one PM withdrew
// the data bridge consent, checks consent and first_sale across loads; a
// real sale afterwards checks the seeded data and the real flow agree.
func TestSeedScaleLoadsCompletedOrders(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	size := ScaleSize{Products: 200, Cases: 4, OrderLines: 300}
	if err := a.SeedScale(ctx, size); err != nil {
		t.Fatal(err)
	}
	if err := a.SeedScale(ctx, size); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, a, `SELECT count(*) FROM order_lines`); n != 300 {
		t.Fatalf("order lines after loading twice = %d, want 300", n)
	}
	checkScaleOrders(t, a, nil, true)

	var shops []struct{ ShopID, CaseID, StaffID, SellerID, UnitID string }
	if err := a.db.Gorm.Raw(`SELECT s.id AS shop_id, c.id AS case_id, c.assigned_staff_id AS staff_id, s.owner_user_id AS seller_id, s.unit_id
		FROM shops s JOIN cases c ON c.id = s.case_id
		ORDER BY (SELECT count(*) FROM orders o WHERE o.shop_id = s.id) DESC, s.id`).Scan(&shops).Error; err != nil {
		t.Fatal(err)
	}
	if len(shops) != 4 {
		t.Fatalf("%d shops, want 4", len(shops))
	}
	// The busiest shop's PM withdraws: the next load must leave their case alone.
	busiest := shops[0]
	staff := access.Actor{UserID: busiest.StaffID, Role: access.Staff, UnitID: busiest.UnitID}
	if _, err := a.cases.RecordConsent(ctx, staff, busiest.CaseID, cases.ConsentInput{Purpose: cases.PurposeDataBridge, GivenBy: "self",
		Method: "written", Action: "withdrawn"}); err != nil {
		t.Fatal(err)
	}
	frozen := countRows(t, a, `SELECT count(*) FROM case_events WHERE case_id = ? AND type = 'sale_completed'`, busiest.CaseID)
	before := countRows(t, a, `SELECT count(*) FROM orders WHERE shop_id = ?`, busiest.ShopID)
	more := make([]orders.ScaleShop, len(shops))
	for i, sh := range shops {
		more[i] = orders.ScaleShop{ID: sh.ShopID, StaffID: sh.StaffID, SellerID: sh.SellerID}
	}
	if err := a.orders.SeedScale(ctx, more, 200); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, a, `SELECT count(*) FROM order_lines`); n != 500 {
		t.Fatalf("order lines after the second load = %d, want 500", n)
	}
	if after := countRows(t, a, `SELECT count(*) FROM orders WHERE shop_id = ?`, busiest.ShopID); after == before {
		t.Fatal("the second load sold nothing of the busiest shop: the consent check is not exercised")
	}
	checkScaleOrders(t, a, map[string]int64{busiest.CaseID: frozen}, false)

	// A real sale of a seeded product, in the same shape as the seed's
	// pickup orders, on top of the seeded data.
	other := shops[1]
	staff = access.Actor{UserID: other.StaffID, Role: access.Staff, UnitID: other.UnitID}
	var product string
	if err := a.db.Gorm.Raw(`SELECT id FROM products WHERE shop_id = ? AND stock > 0 ORDER BY id LIMIT 1`, other.ShopID).Scan(&product).Error; err != nil || product == "" {
		t.Fatalf("a product in stock: %q %v", product, err)
	}
	var in orders.CheckoutInput
	in.Items = []orders.Item{{ProductID: product, Quantity: 1}}
	in.Buyer.Name, in.Buyer.Email, in.Buyer.Phone = "Pembeli Nyata", "nyata@uji.id", "081234567890"
	in.Shipping.Method, in.PaymentMethod = "pickup", "bank_transfer"
	g, err := a.orders.Checkout(ctx, access.Actor{}, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.orders.ConfirmTransfer(ctx, staff, g.ID, g.Payment.Instructions.Reference); err != nil {
		t.Fatal(err)
	}
	for _, e := range []orders.Event{orders.Ship, orders.Deliver, orders.Complete} {
		if _, err := a.orders.MoveOrder(ctx, staff, g.Orders[0].ID, orders.Move{Event: e}); err != nil {
			t.Fatalf("%s: %v", e, err)
		}
	}
	checkScaleOrders(t, a, map[string]int64{busiest.CaseID: frozen}, false)
	var real, seeded []string
	if err := a.db.Gorm.Raw(`SELECT DISTINCT (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(e.data) k)
		FROM case_events e JOIN orders o ON o.id::text = e.data->>'order_id' JOIN order_groups g ON g.id = o.group_id
		WHERE e.type = 'sale_completed' AND g.shipping_method = 'pickup' AND g.id = ?`, g.ID).Scan(&real).Error; err != nil {
		t.Fatal(err)
	}
	if err := a.db.Gorm.Raw(`SELECT DISTINCT (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(e.data) k)
		FROM case_events e JOIN orders o ON o.id::text = e.data->>'order_id' JOIN order_groups g ON g.id = o.group_id
		WHERE e.type = 'sale_completed' AND g.shipping_method = 'pickup' AND g.id <> ?`, g.ID).Scan(&seeded).Error; err != nil {
		t.Fatal(err)
	}
	if len(real) != 1 || !slices.Equal(real, seeded) {
		t.Errorf("sale_completed keys of a pickup order: real %v, seeded %v", real, seeded)
	}
}

// checkScaleOrders checks every order in the database: completed, its
// money in the ledger and its shop's balance, its sales in the makers'
// case records. frozen names cases that withdrew the data bridge consent,
// with the sales their record had then. firstIsEarliest says no load went
// back in time after a case's first_sale (a second load fills in earlier
// sales, which the real flow never does).
func checkScaleOrders(t *testing.T, a *App, frozen map[string]int64, firstIsEarliest bool) {
	t.Helper()
	ctx := context.Background()
	db := a.db.Gorm.WithContext(ctx)
	orderCount := countRows(t, a, `SELECT count(*) FROM orders`)
	lineCount := countRows(t, a, `SELECT count(*) FROM order_lines`)
	if completed := countRows(t, a, `SELECT count(*) FROM orders WHERE status = 'completed'`); completed != orderCount || orderCount < lineCount/3 || orderCount > lineCount {
		t.Errorf("%d completed of %d orders for %d lines, want all completed with one to three lines each", completed, orderCount, lineCount)
	}
	for name, q := range map[string]string{
		"not paid, or a group total not the order's": `SELECT count(*) FROM orders o JOIN order_groups g ON g.id = o.group_id
			WHERE g.payment_status <> 'paid' OR g.paid_at IS NULL OR g.total_idr <> o.total_idr OR g.payment_method <> 'bank_transfer'`,
		"a subtotal not its lines' sum": `SELECT count(*) FROM orders o
			WHERE o.subtotal_idr <> (SELECT sum(line_total_idr) FROM order_lines l WHERE l.order_id = o.id)`,
		"a line not at its product's price, or its makers not frozen as checkout does": `SELECT count(*) FROM order_lines l JOIN products p ON p.id = l.product_id
			JOIN orders o ON o.id = l.order_id
			WHERE l.unit_price_idr <> p.price_idr OR l.title <> p.title OR p.shop_id <> o.shop_id
			   OR l.makers <> (SELECT jsonb_agg(jsonb_build_object('case_id', m.case_id, 'share_bp', m.share_bp) ORDER BY m.case_id)
			                   FROM product_makers m WHERE m.product_id = l.product_id)`,
		"a product twice in one order": `SELECT count(*) FROM (SELECT 1 FROM order_lines GROUP BY order_id, product_id HAVING count(*) > 1) d`,
		"a history other than the real moves": `SELECT count(*) FROM orders o
			WHERE (SELECT string_agg(from_status || '>' || to_status || ':' || event, ' ' ORDER BY id) FROM order_history h WHERE h.order_id = o.id)
			      <> '>pending_payment:checkout pending_payment>paid:pay paid>shipped:ship shipped>delivered:deliver delivered>completed:complete'
			   OR (SELECT bool_or(h2.at < h1.at) FROM order_history h1 JOIN order_history h2 ON h2.order_id = h1.order_id AND h2.id > h1.id
			       WHERE h1.order_id = o.id)`,
		"completed in the future or more than a year ago": `SELECT count(*) FROM orders
			WHERE updated_at > now() OR created_at < now() - interval '366 days'`,
		"a courier order without carrier or fee": `SELECT count(*) FROM orders o JOIN order_groups g ON g.id = o.group_id
			WHERE g.shipping_method = 'courier' AND (o.carrier = '' OR o.shipping_idr <= 0 OR g.shipping_address = '')`,
	} {
		if n := countRows(t, a, q); n != 0 {
			t.Errorf("%d orders with %s", n, name)
		}
	}
	if months := countRows(t, a, `SELECT count(DISTINCT to_char(created_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM')) FROM orders`); months < 12 {
		t.Errorf("orders in %d months, want the last 12", months)
	}
	if buyers := countRows(t, a, `SELECT count(DISTINCT buyer_email) FROM order_groups`); buyers < orderCount/5 {
		t.Errorf("%d buyers for %d orders, want many", buyers, orderCount)
	}

	check, err := a.orders.CheckLedger(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !check.Balanced || check.Transactions != 2*orderCount {
		t.Errorf("ledger %+v, want balanced with a payment and a completion per order (%d)", check, 2*orderCount)
	}
	var owed []struct {
		ID   string
		Owed domain.IDR
	}
	if err := db.Raw(`SELECT s.id, coalesce(sum(o.total_idr - o.refunded_idr) FILTER (WHERE o.status = 'completed'), 0) AS owed
		FROM shops s LEFT JOIN orders o ON o.shop_id = s.id GROUP BY s.id`).Scan(&owed).Error; err != nil {
		t.Fatal(err)
	}
	for _, sh := range owed {
		b, err := ledger.ShopBalance(ctx, a.db.Gorm, sh.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b.AvailableIDR != sh.Owed || b.PendingIDR != 0 {
			t.Errorf("shop %s: balance %+v, its completed orders owe it %d", sh.ID, b, sh.Owed)
		}
	}

	var perCase []struct {
		ID                    string
		Orders, Sales, Firsts int64
		Attributed, Sold      int64
		FirstMatches          bool
	}
	if err := db.Raw(`SELECT c.id,
			(SELECT count(DISTINCT o.id) FROM orders o JOIN order_lines l ON l.order_id = o.id, jsonb_array_elements(l.makers) m
			 WHERE o.status = 'completed' AND m->>'case_id' = c.id::text) AS orders,
			(SELECT coalesce(sum(l.line_total_idr * (m->>'share_bp')::bigint / 10000), 0) FROM orders o JOIN order_lines l ON l.order_id = o.id,
			   jsonb_array_elements(l.makers) m WHERE o.status = 'completed' AND m->>'case_id' = c.id::text) AS sold,
			(SELECT count(*) FROM case_events e WHERE e.case_id = c.id AND e.type = 'sale_completed') AS sales,
			(SELECT coalesce(sum(e.attributed_idr), 0) FROM case_events e WHERE e.case_id = c.id AND e.type = 'sale_completed') AS attributed,
			(SELECT count(*) FROM case_events e WHERE e.case_id = c.id AND e.type = 'first_sale') AS firsts,
			coalesce((SELECT f.occurred_at = s.occurred_at AND f.data = s.data AND f.id > s.id
			 FROM case_events f, LATERAL (SELECT * FROM case_events s WHERE s.case_id = c.id AND s.type = 'sale_completed' ORDER BY occurred_at, id LIMIT 1) s
			 WHERE f.case_id = c.id AND f.type = 'first_sale' LIMIT 1), false) AS first_matches
		FROM cases c ORDER BY c.id`).Scan(&perCase).Error; err != nil {
		t.Fatal(err)
	}
	withSales := 0
	for _, c := range perCase {
		want, ok := frozen[c.ID]
		if !ok {
			want = c.Orders
			// Every scale product has one maker, so the parts are exact.
			if c.Attributed != c.Sold {
				t.Errorf("case %s: sales attribute %d, its completed lines make %d", c.ID, c.Attributed, c.Sold)
			}
		}
		if c.Sales != want {
			t.Errorf("case %s: %d sale_completed, want %d (%d completed orders carry its maker)", c.ID, c.Sales, want, c.Orders)
		}
		if c.Sales > 0 {
			withSales++
			if c.Firsts != 1 || (firstIsEarliest && !c.FirstMatches) {
				t.Errorf("case %s: %d first_sale (matching its first sale: %v), want exactly one", c.ID, c.Firsts, c.FirstMatches)
			}
		} else if c.Firsts != 0 {
			t.Errorf("case %s: first_sale without a sale", c.ID)
		}
	}
	if withSales == 0 {
		t.Error("no case has a sale")
	}

	// At the completion, and on time as saleFacts reads it from the history.
	if n := countRows(t, a, `SELECT count(*) FROM case_events e
		JOIN order_history c ON c.order_id::text = e.data->>'order_id' AND c.event = 'complete'
		JOIN order_history p ON p.order_id = c.order_id AND p.event = 'pay' JOIN order_history s ON s.order_id = c.order_id AND s.event = 'ship'
		WHERE e.type IN ('sale_completed', 'first_sale')
		  AND (e.occurred_at <> c.at OR (e.data->'shipped_on_time') IS DISTINCT FROM
		       (SELECT CASE WHEN g.shipping_method = 'courier' THEN to_jsonb(s.at - p.at <= interval '48 hours') END
		        FROM orders o JOIN order_groups g ON g.id = o.group_id WHERE o.id = c.order_id))`); n != 0 {
		t.Errorf("%d sale events not at their order's completion or with the wrong shipped_on_time", n)
	}

	// Nothing about the buyer but the keyed hash, and that the real one.
	if n := countRows(t, a, `SELECT count(*) FROM case_events e, order_groups g
		WHERE strpos(e.data::text, g.buyer_email) > 0 OR strpos(e.data::text, g.buyer_name) > 0 OR strpos(e.data::text, g.buyer_phone) > 0
		   OR (g.shipping_address <> '' AND strpos(e.data::text, g.shipping_address) > 0)`); n != 0 {
		t.Errorf("%d case events carry a buyer's name, email, phone or address", n)
	}
	var events []struct {
		Data     []byte
		Email    string
		Shipping string
	}
	if err := db.Raw(`SELECT e.data, g.buyer_email AS email, g.shipping_method AS shipping
		FROM case_events e JOIN orders o ON o.id::text = e.data->>'order_id' JOIN order_groups g ON g.id = o.group_id
		WHERE e.type IN ('sale_completed', 'first_sale')`).Scan(&events).Error; err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, a, `SELECT count(*) FROM case_events WHERE type IN ('sale_completed', 'first_sale')`); int64(len(events)) != n {
		t.Errorf("%d of %d sale events name an order", len(events), n)
	}
	for _, e := range events {
		var data map[string]any
		if err := json.Unmarshal(e.Data, &data); err != nil {
			t.Fatal(err)
		}
		keys := make([]string, 0, len(data))
		for k := range data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		want := []string{"assisted", "attributed_idr", "buyer_hash", "order_id", "shop_id"}
		if e.Shipping == "courier" {
			want = []string{"assisted", "attributed_idr", "buyer_hash", "order_id", "shipped_on_time", "shop_id"}
		}
		if !slices.Equal(keys, want) {
			t.Errorf("event data keys %v, want %v", keys, want)
		}
		if data["buyer_hash"] != a.cases.BuyerHash("email:"+e.Email) {
			t.Errorf("event buyer_hash %v is not the keyed hash of its buyer", data["buyer_hash"])
		}
	}
}

func countRows(t *testing.T, a *App, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := a.db.Gorm.Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
