package orders

import (
	"context"
	"crypto/subtle"
	"fmt"
	"slices"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage"
)

// GroupView is an order group with its orders, for the buyer and staff.
type GroupView struct {
	ID            string     `json:"id"`
	PaymentMethod string     `json:"payment_method"`
	PaymentStatus string     `json:"payment_status"`
	PaymentRef    string     `json:"payment_reference"`
	TotalIDR      domain.IDR `json:"total_idr"`
	ExpiresAt     time.Time  `json:"payment_expires_at"`
	PaidAt        *time.Time `json:"paid_at"`
	// Instructions say where and how to transfer, for a bank-transfer group.
	Instructions *Instructions `json:"instructions,omitempty"`
	Orders       []Order       `json:"orders"`
}

// In words the group's system notes in p's language.
func (g GroupView) In(p *locale.Printer) GroupView {
	g.Orders = slices.Clone(g.Orders)
	for i, o := range g.Orders {
		g.Orders[i] = o.In(p)
	}
	return g
}

// Unpaid tells whether the group still waits for its money, which is when
// its buyer may cancel it.
func (g GroupView) Unpaid() bool { return g.PaymentStatus == "pending" }

func (s *Service) group(ctx context.Context, id string) (groupRow, error) {
	var g groupRow
	err := storage.Find(ctx, s.db.Gorm, &g, id, "order group")
	return g, err
}

func (s *Service) groupView(ctx context.Context, id string) (GroupView, error) {
	g, err := s.group(ctx, id)
	if err != nil {
		return GroupView{}, err
	}
	var orders []Order
	if err := s.db.Gorm.WithContext(ctx).Where("group_id = ?", id).Order("shop_id").Find(&orders).Error; err != nil {
		return GroupView{}, fmt.Errorf("orders of group: %w", err)
	}
	if err := s.fill(ctx, orders); err != nil {
		return GroupView{}, err
	}
	return GroupView{ID: g.ID, PaymentMethod: g.PaymentMethod, PaymentStatus: g.PaymentStatus, PaymentRef: g.PaymentRef,
		TotalIDR: g.TotalIDR, ExpiresAt: g.ExpiresAt, PaidAt: g.PaidAt, Instructions: g.instructions(), Orders: orders}, nil
}

// fill loads the lines, history, shop names and group facts of orders,
// four queries for all of them.
func (s *Service) fill(ctx context.Context, orders []Order) error {
	if len(orders) == 0 {
		return nil
	}
	ids := make([]string, len(orders))
	groupIDs := make([]string, len(orders))
	at := map[string]int{}
	for i, o := range orders {
		ids[i], groupIDs[i], at[o.ID] = o.ID, o.GroupID, i
		orders[i].Lines, orders[i].History = []Line{}, []Change{}
	}
	db := s.db.Gorm.WithContext(ctx)
	var groups []groupRow
	if err := db.Select("id, payment_method, payment_ref, shipping_method, shipping_address, buyer_name, buyer_phone, store_unit_id").
		Where("id IN ?", groupIDs).Find(&groups).Error; err != nil {
		return fmt.Errorf("order groups: %w", err)
	}
	byID := make(map[string]groupRow, len(groups))
	for _, g := range groups {
		byID[g.ID] = g
	}
	for i := range orders {
		g := byID[orders[i].GroupID]
		orders[i].PaymentMethod, orders[i].PaymentRef = g.PaymentMethod, g.PaymentRef
		orders[i].Shipping = ShipTo{Method: g.ShippingMethod, Name: g.BuyerName, Phone: g.BuyerPhone, Address: g.ShippingAddress, InStore: g.StoreUnitID != nil}
	}
	var shopIDs []string
	for _, o := range orders {
		if !slices.Contains(shopIDs, o.ShopID) {
			shopIDs = append(shopIDs, o.ShopID)
		}
	}
	shops, err := s.catalog.ShopsOf(ctx, shopIDs)
	if err != nil {
		return err
	}
	for i := range orders {
		orders[i].ShopName = shops[orders[i].ShopID].DisplayName
	}
	var lines []Line
	if err := db.Where("order_id IN ?", ids).Order("order_id, id").Find(&lines).Error; err != nil {
		return fmt.Errorf("order lines: %w", err)
	}
	for _, l := range lines {
		orders[at[l.OrderID]].Lines = append(orders[at[l.OrderID]].Lines, l)
	}
	var hist []historyRow
	if err := db.Where("order_id IN ?", ids).Order("order_id, id").Find(&hist).Error; err != nil {
		return fmt.Errorf("order history: %w", err)
	}
	for _, h := range hist {
		i := at[h.OrderID]
		orders[i].History = append(orders[i].History, Change{From: h.FromStatus, To: h.ToStatus, Event: h.Event,
			ActorID: h.ActorID, OnBehalfOf: h.OnBehalfOf, Note: h.Note, NoteKey: h.NoteKey, At: h.At})
	}
	return nil
}

// partyOf says in which role actor (or the holder of a guest's order
// token) stands to an order; not being party to it is not found.
func (s *Service) partyOf(ctx context.Context, actor access.Actor, token string, o Order, g groupRow, scope access.Scope) (Party, catalog.Shop, error) {
	sh, err := s.catalog.ShopOf(ctx, o.ShopID)
	if err != nil {
		return "", sh, err
	}
	now := s.now()
	switch {
	case access.Can(actor, access.ManageOrders, access.Resource{UnitID: sh.UnitID}, now) == nil:
		return Staff, sh, nil
	case !actor.Anonymous() && access.Can(actor, access.ActForPM, shopResource(sh, scope), now) == nil:
		return Seller, sh, nil
	case g.BuyerUserID != nil && *g.BuyerUserID == actor.UserID:
		return Buyer, sh, nil
	case token != "" && subtle.ConstantTimeCompare(hashToken(token), g.AccessHash) == 1:
		return Buyer, sh, nil
	case actor.Anonymous() && token == "":
		return "", sh, domain.ErrUnauthorized
	}
	return "", sh, fmt.Errorf("order %s: %w", o.ID, domain.ErrNotFound)
}

func shopResource(sh catalog.Shop, scope access.Scope) access.Resource {
	r := access.Resource{UnitID: sh.UnitID, OwnerID: sh.OwnerUserID, Scope: scope}
	if sh.CaseID != nil {
		r.CaseID = *sh.CaseID
	}
	return r
}

// ReadOrder answers an order to its buyer (account or private link), its
// shop's seller side and staff of the shop's unit.
func (s *Service) ReadOrder(ctx context.Context, actor access.Actor, token, id string) (Order, error) {
	var o Order
	if err := storage.Find(ctx, s.db.Gorm, &o, id, "order"); err != nil {
		return o, err
	}
	g, err := s.group(ctx, o.GroupID)
	if err != nil {
		return o, err
	}
	if _, _, err := s.partyOf(ctx, actor, token, o, g, access.ScopeOrders); err != nil {
		return Order{}, err
	}
	orders := []Order{o}
	if err := s.fill(ctx, orders); err != nil {
		return Order{}, err
	}
	return orders[0], nil
}

// ShopOrders lists a shop's orders, newest first, for its seller side and staff.
func (s *Service) ShopOrders(ctx context.Context, actor access.Actor, shopID string, page domain.Page) (domain.List[Order], error) {
	out := domain.List[Order]{Items: []Order{}}
	sh, err := s.catalog.ShopOf(ctx, shopID)
	if err != nil {
		return out, err
	}
	if err := access.Can(actor, access.ActForPM, shopResource(sh, access.ScopeOrders), s.now()); err != nil {
		return out, err
	}
	return s.listOrders(ctx, page, "shop_id = ?", shopID)
}

// ShopBalance is what a shop has earned, for its seller side and staff.
func (s *Service) ShopBalance(ctx context.Context, actor access.Actor, shopID string) (Balance, error) {
	sh, err := s.catalog.ShopOf(ctx, shopID)
	if err != nil {
		return Balance{}, err
	}
	if err := access.Can(actor, access.ActForPM, shopResource(sh, access.ScopeEarnings), s.now()); err != nil {
		return Balance{}, err
	}
	return s.shopBalance(ctx, shopID)
}

// MyOrders lists a buyer's orders, newest first.
func (s *Service) MyOrders(ctx context.Context, actor access.Actor, page domain.Page) (domain.List[Order], error) {
	out := domain.List[Order]{Items: []Order{}}
	if actor.Anonymous() {
		return out, domain.ErrUnauthorized
	}
	return s.listOrders(ctx, page, "group_id IN (SELECT id FROM order_groups WHERE buyer_user_id = ?)", actor.UserID)
}

// UnitOrders lists the orders of every shop of a unit, newest first, for
// its staff (filter by status when given).
func (s *Service) UnitOrders(ctx context.Context, actor access.Actor, unitID string, status Status, page domain.Page) (domain.List[Order], error) {
	if err := access.Can(actor, access.ManageOrders, access.Resource{UnitID: unitID}, s.now()); err != nil {
		return domain.List[Order]{Items: []Order{}}, err
	}
	where, args := "shop_id IN (SELECT id FROM shops WHERE unit_id = ?)", []any{unitID}
	if status != "" {
		where, args = where+" AND status = ?", append(args, status)
	}
	return s.listOrders(ctx, page, where, args...)
}

// StaffOrders lists the orders of every unit whose orders actor works on:
// their own and, for a supervisor, the LKS of its network; newest first.
func (s *Service) StaffOrders(ctx context.Context, actor access.Actor, status Status, page domain.Page) (domain.List[Order], error) {
	var units []string
	for _, u := range append([]string{actor.UnitID}, actor.Network...) {
		if access.Can(actor, access.ManageOrders, access.Resource{UnitID: u}, s.now()) == nil {
			units = append(units, u)
		}
	}
	if len(units) == 0 {
		return domain.List[Order]{Items: []Order{}}, domain.ErrNotFound
	}
	where, args := "shop_id IN (SELECT id FROM shops WHERE unit_id IN ?)", []any{units}
	if status != "" {
		where, args = where+" AND status = ?", append(args, status)
	}
	list, err := s.listOrders(ctx, page, where, args...)
	if err != nil {
		return list, err
	}
	return list, s.fillGroupPayments(ctx, list.Items)
}

// fillGroupPayments adds to each order the whole of its group's payment and
// every shop's part, in two queries, so staff confirm a transfer knowing
// what it pays.
func (s *Service) fillGroupPayments(ctx context.Context, orders []Order) error {
	if len(orders) == 0 {
		return nil
	}
	ids := make([]string, len(orders))
	for i, o := range orders {
		ids[i] = o.GroupID
	}
	db := s.db.Gorm.WithContext(ctx)
	var groups []groupRow
	if err := db.Select("id, total_idr").Where("id IN ?", ids).Find(&groups).Error; err != nil {
		return fmt.Errorf("group totals: %w", err)
	}
	var parts []struct {
		GroupID string
		ShopPart
	}
	if err := db.Raw(`SELECT o.group_id, s.display_name AS shop_name, o.total_idr FROM orders o JOIN shops s ON s.id = o.shop_id
		WHERE o.group_id IN ? ORDER BY o.group_id, s.display_name, o.id`, ids).Scan(&parts).Error; err != nil {
		return fmt.Errorf("group parts: %w", err)
	}
	byID := make(map[string]*GroupPayment, len(groups))
	for _, g := range groups {
		byID[g.ID] = &GroupPayment{TotalIDR: g.TotalIDR}
	}
	for _, p := range parts {
		if g := byID[p.GroupID]; g != nil {
			g.Parts = append(g.Parts, p.ShopPart)
		}
	}
	for i := range orders {
		orders[i].Group = byID[orders[i].GroupID]
	}
	return nil
}

func (s *Service) listOrders(ctx context.Context, page domain.Page, where string, args ...any) (domain.List[Order], error) {
	out := domain.List[Order]{Items: []Order{}}
	q := s.db.Gorm.WithContext(ctx).Where(where, args...).Order("id DESC")
	if page.Cursor != "" {
		if !domain.ValidID(page.Cursor) {
			return out, domain.Invalid("cursor", "field.cursor")
		}
		q = q.Where("id < ?", page.Cursor)
	}
	out, err := storage.Page(q, page, "orders", func(o Order) string { return o.ID })
	if err != nil {
		return out, err
	}
	return out, s.fill(ctx, out.Items)
}

// ReadGroup answers an order group to its buyer: the account that placed
// it, or whoever holds its private link token.
func (s *Service) ReadGroup(ctx context.Context, actor access.Actor, token, groupID string) (GroupView, error) {
	g, err := s.group(ctx, groupID)
	if err != nil {
		return GroupView{}, err
	}
	mine := g.BuyerUserID != nil && *g.BuyerUserID == actor.UserID
	if !mine && (token == "" || subtle.ConstantTimeCompare(hashToken(token), g.AccessHash) != 1) {
		return GroupView{}, fmt.Errorf("order group %s: %w", groupID, domain.ErrNotFound)
	}
	return s.groupView(ctx, groupID)
}
