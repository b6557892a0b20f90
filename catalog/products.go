package catalog

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/storage"
)

// Product is a product as its seller side and staff see it.
type Product struct {
	ID             string        `json:"id"`
	ShopID         string        `json:"shop_id"`
	Title          string        `json:"title"`
	Description    string        `json:"description"`
	Category       string        `json:"category"`
	CategoryRoot   string        `json:"-"`
	PriceIDR       domain.IDR    `json:"price_idr" gorm:"column:price_idr"`
	Stock          int           `json:"stock"`
	WeightGrams    int           `json:"weight_grams"`
	MadeToOrder    bool          `json:"made_to_order"`
	ProcessingDays int           `json:"processing_days"`
	PirtNo         string        `json:"pirt_no"`
	HalalNo        string        `json:"halal_no"`
	BestBeforeDays *int          `json:"best_before_days"`
	Status         ProductStatus `json:"status"`
	RejectReason   string        `json:"reject_reason,omitempty"`
	ProvinceCode   string        `json:"-"`
	PublishedAt    *time.Time    `json:"published_at"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
	Makers         []Maker       `json:"makers" gorm:"-"`
	// Images are the photos as the seller side is making them: the
	// published ones with the captions and order waiting for review, and
	// those added or deleted since, marked (Image.Pending).
	Images []Image `json:"images" gorm:"-"`
	// Change is the next version of a published product's reviewed
	// fields, while it waits (Next lays it over the product).
	Change *Change `json:"pending_change,omitempty" gorm:"-"`
}

// Maker is a PM who made a product and their share of its sales, in
// percent with two decimals (stored as basis points).
type Maker struct {
	CaseID   string  `json:"case_id"`
	SharePct float64 `json:"share_pct"`
}

type makerRow struct {
	ProductID string
	CaseID    string
	ShareBP   int `gorm:"column:share_bp"`
}

func (makerRow) TableName() string { return "product_makers" }

// ProductInput is the body of a create, and of an update where nil fields
// are left as they are.
type ProductInput struct {
	Title          *string     `json:"title"`
	Description    *string     `json:"description"`
	Category       *string     `json:"category"`
	PriceIDR       *domain.IDR `json:"price_idr"`
	Stock          *int        `json:"stock"`
	WeightGrams    *int        `json:"weight_grams"`
	MadeToOrder    *bool       `json:"made_to_order"`
	ProcessingDays *int        `json:"processing_days"`
	PirtNo         *string     `json:"pirt_no"`
	HalalNo        *string     `json:"halal_no"`
	BestBeforeDays *int        `json:"best_before_days"`
	Makers         *[]Maker    `json:"makers"`
	// StockSeen is the stock the seller side last read: with it, Stock
	// moves the stock by Stock-StockSeen, so a restock typed while
	// checkouts take stock neither loses nor doubles what they took.
	StockSeen *int `json:"stock_seen,omitempty"`
	// FormToken is a page form's one-time token: the same form sent twice
	// (a double tap) is done once.
	FormToken string `json:"-"`
}

// apply copies the given fields onto p and validates the result.
func (in ProductInput) apply(p *Product, roots map[string]string) error {
	v := &domain.ValidationError{}
	if in.Title != nil {
		p.Title = strings.Join(strings.Fields(*in.Title), " ")
	}
	if in.Description != nil {
		p.Description = strings.TrimSpace(*in.Description)
	}
	if in.Category != nil {
		p.Category = *in.Category
	}
	if in.PriceIDR != nil {
		p.PriceIDR = *in.PriceIDR
	}
	if in.Stock != nil {
		p.Stock = *in.Stock
	}
	if in.WeightGrams != nil {
		p.WeightGrams = *in.WeightGrams
	}
	if in.MadeToOrder != nil {
		p.MadeToOrder = *in.MadeToOrder
	}
	if in.ProcessingDays != nil {
		p.ProcessingDays = *in.ProcessingDays
	}
	if in.PirtNo != nil {
		p.PirtNo = strings.TrimSpace(*in.PirtNo)
	}
	if in.HalalNo != nil {
		p.HalalNo = strings.TrimSpace(*in.HalalNo)
	}
	if in.BestBeforeDays != nil {
		p.BestBeforeDays = in.BestBeforeDays
		if *in.BestBeforeDays == 0 {
			p.BestBeforeDays = nil
		}
	}
	if l := len([]rune(p.Title)); l < 3 || l > 120 {
		v.Add("title", "catalog.product.title")
	}
	if len([]rune(p.Description)) > 5000 {
		v.Add("description", "catalog.product.description")
	}
	if root, ok := roots[p.Category]; ok {
		p.CategoryRoot = root
	} else {
		v.Add("category", "catalog.category.unknown")
	}
	if p.PriceIDR < 100 || p.PriceIDR > 100_000_000 {
		v.Add("price_idr", "catalog.product.price")
	}
	if p.Stock < 0 || p.Stock > 100_000 {
		v.Add("stock", "catalog.product.stock")
	}
	if p.WeightGrams < 0 || p.WeightGrams > 100_000 {
		v.Add("weight_grams", "catalog.product.weight")
	}
	if p.ProcessingDays < 0 || p.ProcessingDays > 60 {
		v.Add("processing_days", "catalog.product.processing")
	}
	if len(p.PirtNo) > 40 || len(p.HalalNo) > 40 {
		v.Add("pirt_no", "catalog.product.pirt")
	}
	if p.BestBeforeDays != nil && (*p.BestBeforeDays < 1 || *p.BestBeforeDays > 3650) {
		v.Add("best_before_days", "catalog.product.bestbefore")
	}
	if in.Makers != nil {
		p.Makers = *in.Makers
	}
	return v.Err()
}

// shareBP turns a percentage with at most two decimals into basis points.
func shareBP(pct float64) (int, bool) {
	bp := math.Round(pct * 100)
	return int(bp), bp >= 1 && bp <= 10000 && math.Abs(bp-pct*100) < 1e-6
}

// checkMakers applies the maker rules: a PM shop's product is made by its
// PM unless it says otherwise; a workshop product names PM of the LKS or of
// its Balai; shares are whole basis points summing to exactly 100%.
func (s *Service) checkMakers(ctx context.Context, sh Shop, unitParent string, makers []Maker) ([]makerRow, error) {
	v := &domain.ValidationError{}
	if len(makers) == 0 && sh.CaseID != nil {
		makers = []Maker{{CaseID: *sh.CaseID, SharePct: 100}}
	}
	rows := make([]makerRow, 0, len(makers))
	sum := 0
	for i, m := range makers {
		field := fmt.Sprintf("makers[%d]", i)
		bp, ok := shareBP(m.SharePct)
		if !ok {
			v.Add(field+".share_pct", "catalog.maker.share")
		}
		sum += bp
		facts, err := s.cases.Facts(ctx, m.CaseID)
		if err != nil || (facts.UnitID != sh.UnitID && facts.UnitID != unitParent) {
			v.Add(field+".case_id", "catalog.maker.case")
		}
		if slices.ContainsFunc(rows, func(r makerRow) bool { return r.CaseID == m.CaseID }) {
			v.Add(field+".case_id", "catalog.maker.twice")
		}
		rows = append(rows, makerRow{CaseID: m.CaseID, ShareBP: bp})
	}
	if len(rows) > 0 && sum != 10000 {
		v.Add("makers", "catalog.makers.total")
	}
	if len(rows) > 20 {
		v.Add("makers", "catalog.makers.max")
	}
	return rows, v.Err()
}

// CreateProduct adds a draft product to a shop.
func (s *Service) CreateProduct(ctx context.Context, actor access.Actor, shopID string, in ProductInput) (Product, error) {
	sh, err := s.shop(ctx, shopID)
	if err != nil {
		return Product{}, err
	}
	if err := access.Can(actor, access.ActForPM, sh.resource(access.ScopeListings), s.now()); err != nil {
		return Product{}, err
	}
	if sh.Status == ShopClosed {
		return Product{}, domain.Errorf(domain.ErrConflict, "catalog.shop.closed")
	}
	unit, err := s.accounts.Unit(ctx, sh.UnitID)
	if err != nil {
		return Product{}, err
	}
	cats, err := s.categoryRoots(ctx)
	if err != nil {
		return Product{}, err
	}
	now := s.now().UTC()
	p := Product{ID: domain.NewID(), ShopID: sh.ID, Status: Draft, ProvinceCode: unit.ProvinceCode, CreatedAt: now, UpdatedAt: now}
	verr := in.apply(&p, cats)
	makers, merr := s.checkMakers(ctx, sh, parentOf(unit), p.Makers)
	if err := joinValidation(verr, merr); err != nil {
		return Product{}, err
	}
	key := ""
	if in.FormToken != "" {
		key = "product-create:" + actor.UserID + ":" + in.FormToken
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.Once(ctx, key, p.ID); err != nil {
			return err
		}
		if err := tx.DB.Omit("Makers", "Images", "Change").Create(&p).Error; err != nil {
			return fmt.Errorf("create product: %w", err)
		}
		if err := saveMakers(tx.DB, p.ID, makers); err != nil {
			return err
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.create", p.ID)
	})
	var rep *storage.Repeated
	if errors.As(err, &rep) {
		return s.product(ctx, rep.Result)
	}
	if err != nil {
		return Product{}, err
	}
	return s.product(ctx, p.ID)
}

// UpdateProduct changes the given fields. On a published product of a
// unit that reviews, a change to what a reviewer checks (title,
// description, category, food certificates) is kept as the product's
// change, to be sent for review (Publish), while the product stays on sale
// as it was reviewed; price, stock and the rest apply at once.
func (s *Service) UpdateProduct(ctx context.Context, actor access.Actor, id string, in ProductInput) (Product, error) {
	p, sh, err := s.productForWrite(ctx, actor, id)
	if err != nil {
		return Product{}, err
	}
	unit, err := s.accounts.Unit(ctx, sh.UnitID)
	if err != nil {
		return Product{}, err
	}
	cats, err := s.categoryRoots(ctx)
	if err != nil {
		return Product{}, err
	}
	next := p.Next()
	verr := in.apply(&next, cats)
	var makers []makerRow
	var merr error
	if in.Makers != nil {
		makers, merr = s.checkMakers(ctx, sh, parentOf(unit), next.Makers)
	}
	if err := joinValidation(verr, merr); err != nil {
		return Product{}, err
	}
	now := s.now().UTC()
	live, wait := next, staged(p, unit)
	if wait {
		live.Title, live.Description, live.Category, live.CategoryRoot, live.PirtNo, live.HalalNo = p.Title, p.Description, p.Category, p.CategoryRoot, p.PirtNo, p.HalalNo
	}
	// updated_at is the version a checkout's quote freezes (Take refuses a
	// product edited since): a restock alone leaves it, so buyers paying
	// meanwhile are not turned away.
	cols := []string{"title", "description", "category", "category_root", "price_idr", "weight_grams",
		"made_to_order", "processing_days", "pirt_no", "halal_no", "best_before_days"}
	if !sameSale(p, live) || in.Makers != nil {
		live.UpdatedAt = now
		cols = append(cols, "updated_at")
	}
	key := ""
	if in.FormToken != "" {
		key = "product-edit:" + p.ID + ":" + in.FormToken
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.Once(ctx, key, ""); err != nil {
			return err
		}
		// UpdateColumns: GORM would otherwise set updated_at itself.
		if err := tx.DB.Model(&Product{ID: p.ID}).Select(cols).UpdateColumns(&live).Error; err != nil {
			return fmt.Errorf("update product: %w", err)
		}
		if err := setStock(tx.DB, p.ID, in); err != nil {
			return err
		}
		if wait {
			if err := s.saveChange(tx.DB, p, next, now); err != nil {
				return err
			}
		}
		if in.Makers != nil {
			if err := tx.DB.Where("product_id = ?", p.ID).Delete(&makerRow{}).Error; err != nil {
				return err
			}
			if err := saveMakers(tx.DB, p.ID, makers); err != nil {
				return err
			}
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, "product.update", p.ID)
	})
	var rep *storage.Repeated
	if err != nil && !errors.As(err, &rep) {
		return Product{}, err
	}
	return s.product(ctx, p.ID)
}

// sameSale says whether a and b sell the same: every column a checkout
// freezes or a buyer reads is equal (stock aside).
func sameSale(a, b Product) bool {
	bb := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	return reviewedFields(a) == reviewedFields(b) && a.PriceIDR == b.PriceIDR && a.WeightGrams == b.WeightGrams &&
		a.MadeToOrder == b.MadeToOrder && a.ProcessingDays == b.ProcessingDays && bb(a.BestBeforeDays) == bb(b.BestBeforeDays)
}

// setStock writes the stock the seller side set. The count read before
// may be stale, as checkouts take stock all the time: with StockSeen the
// stock moves by what the seller changed (never below zero), else it is
// set as given.
func setStock(tx *gorm.DB, id string, in ProductInput) error {
	var err error
	switch {
	case in.Stock == nil:
		return nil
	case in.StockSeen != nil:
		if d := *in.Stock - *in.StockSeen; d != 0 {
			err = tx.Exec("UPDATE products SET stock = least(greatest(stock + ?, 0), 100000) WHERE id = ?", d, id).Error
		}
	default:
		err = tx.Exec("UPDATE products SET stock = ? WHERE id = ?", *in.Stock, id).Error
	}
	if err != nil {
		return fmt.Errorf("set stock: %w", err)
	}
	return nil
}

// Publish sends a draft (or rejected) product to review, or publishes it
// at once where the unit needs no review; for a published product it sends
// its change the same way. It needs at least one ready photo, each with
// its description for screen readers.
func (s *Service) Publish(ctx context.Context, actor access.Actor, id string) (Product, error) {
	p, sh, err := s.productForWrite(ctx, actor, id)
	if err != nil {
		return Product{}, err
	}
	change := p.Status == Published && p.Change != nil && p.Change.Status != ChangePending
	if p.Status != Draft && p.Status != Rejected && !change {
		if p.Change != nil && p.Change.Status == ChangePending {
			return Product{}, domain.Errorf(domain.ErrConflict, "catalog.change.waiting")
		}
		return Product{}, domain.Errorf(domain.ErrConflict, "catalog.product.submit", locale.Key("status."+string(p.Status)))
	}
	v := &domain.ValidationError{}
	ready := 0
	for _, img := range p.Images {
		if img.Status == ImageReady && img.Pending != PhotoRemoved {
			ready++
			if strings.TrimSpace(img.Alt) == "" {
				v.Add("images", "catalog.product.alt")
			}
		}
	}
	if ready == 0 {
		v.Add("images", "catalog.product.photo")
	}
	if sh.Kind == WorkshopShop && len(p.Makers) == 0 {
		v.Add("makers", "catalog.product.makers")
	}
	if sh.Status != ShopActive {
		v.Add("shop", "catalog.shop.inactive")
	}
	if err := v.Err(); err != nil {
		return Product{}, err
	}
	unit, err := s.accounts.Unit(ctx, sh.UnitID)
	if err != nil {
		return Product{}, err
	}
	if change {
		if err := s.submitChange(ctx, actor, sh, p, !unit.PublishWithoutReview); err != nil {
			return Product{}, err
		}
		return s.product(ctx, p.ID)
	}
	to := PendingReview
	if unit.PublishWithoutReview {
		to = Published
	}
	if err := s.transition(ctx, actor, sh, p, to, "", "product.submit"); err != nil {
		return Product{}, err
	}
	return s.product(ctx, p.ID)
}

// Approve publishes a product waiting for review, or the change of a
// published product waiting for it.
func (s *Service) Approve(ctx context.Context, actor access.Actor, id string) (Product, error) {
	return s.review(ctx, actor, id, Published, "")
}

// Reject sends a product, or a published product's change, back to its
// seller with a reason; a published product stays on sale as it was.
func (s *Service) Reject(ctx context.Context, actor access.Actor, id, reason string) (Product, error) {
	return s.review(ctx, actor, id, Rejected, strings.TrimSpace(reason))
}

func (s *Service) review(ctx context.Context, actor access.Actor, id string, to ProductStatus, reason string) (Product, error) {
	p, err := s.product(ctx, id)
	if err != nil {
		return Product{}, err
	}
	sh, err := s.shop(ctx, p.ShopID)
	if err != nil {
		return Product{}, err
	}
	if err := access.Can(actor, access.ReviewProduct, access.Resource{UnitID: sh.UnitID}, s.now()); err != nil {
		return Product{}, err
	}
	if to == Rejected && (reason == "" || len(reason) > 500) {
		return Product{}, domain.Invalid("reason", "catalog.reject.reason")
	}
	switch {
	case p.Status == PendingReview:
		err = s.transition(ctx, actor, sh, p, to, reason, "product.review")
	case p.Status == Published && p.Change != nil && p.Change.Status == ChangePending && to == Published:
		err = s.db.InTx(ctx, func(tx *storage.Tx) error {
			if err := s.applyChange(ctx, tx, p.ID, s.now().UTC()); err != nil {
				return err
			}
			return s.recordListingAction(ctx, tx.DB, actor, sh, "product.review", p.ID)
		})
	case p.Status == Published && p.Change != nil && p.Change.Status == ChangePending:
		err = s.rejectChange(ctx, actor, sh, p.ID, reason)
	default:
		return Product{}, domain.Errorf(domain.ErrConflict, "catalog.product.notpending", locale.Key("status."+string(p.Status)))
	}
	if err != nil {
		return Product{}, err
	}
	return s.product(ctx, p.ID)
}

// Archive takes a product off sale for good; it stays in old orders.
func (s *Service) Archive(ctx context.Context, actor access.Actor, id string) (Product, error) {
	p, sh, err := s.productForWrite(ctx, actor, id)
	if err != nil {
		return Product{}, err
	}
	if p.Status == Archived {
		return p, nil
	}
	if err := s.transition(ctx, actor, sh, p, Archived, "", "product.archive"); err != nil {
		return Product{}, err
	}
	return s.product(ctx, p.ID)
}

// transition moves a product to a new status if nobody moved it meanwhile,
// writing first_listing into the PM's case on a first publication.
func (s *Service) transition(ctx context.Context, actor access.Actor, sh Shop, p Product, to ProductStatus, reason, action string) error {
	now := s.now().UTC()
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		updates := map[string]any{"status": to, "reject_reason": reason, "updated_at": now}
		if to == Published {
			updates["published_at"] = now
		}
		res := tx.DB.Model(&Product{}).Where("id = ? AND status = ?", p.ID, p.Status).Updates(updates)
		if res.Error != nil {
			return fmt.Errorf("%s: %w", action, res.Error)
		}
		if res.RowsAffected != 1 {
			return domain.Errorf(domain.ErrConflict, "catalog.product.changed")
		}
		if to == Published {
			if err := s.firstListing(ctx, tx.DB, actor, sh, p.ID, now); err != nil {
				return err
			}
		}
		return s.recordListingAction(ctx, tx.DB, actor, sh, action, p.ID)
	})
}

// firstListing writes the case event the first time a PM's shop publishes.
func (s *Service) firstListing(ctx context.Context, db *gorm.DB, actor access.Actor, sh Shop, productID string, now time.Time) error {
	if sh.CaseID == nil {
		return nil
	}
	var published int64
	if err := db.Model(&Product{}).Where("shop_id = ? AND published_at IS NOT NULL", sh.ID).Count(&published).Error; err != nil {
		return err
	}
	if published != 1 {
		return nil
	}
	return cases.AppendEvent(ctx, db, *sh.CaseID, "first_listing", now, actor, map[string]any{"product_id": productID, "shop_id": sh.ID})
}

// recordListingAction audits a listing change with who did it and, under a
// delegation, the PM it was done for.
func (s *Service) recordListingAction(ctx context.Context, db *gorm.DB, actor access.Actor, sh Shop, action, productID string) error {
	s.cache.clear()
	e := audit.Entry{ActorID: actor.UserID, Action: action, ResourceKind: "product", ResourceID: productID}
	if actor.Role == access.Pendamping && sh.CaseID != nil {
		e.OnBehalfOf = *sh.CaseID
	}
	return audit.Record(ctx, db, e)
}

// productForWrite loads a product for its seller side, checking the policy.
func (s *Service) productForWrite(ctx context.Context, actor access.Actor, id string) (Product, Shop, error) {
	p, err := s.product(ctx, id)
	if err != nil {
		return Product{}, Shop{}, err
	}
	sh, err := s.shop(ctx, p.ShopID)
	if err != nil {
		return Product{}, Shop{}, err
	}
	if err := access.Can(actor, access.ActForPM, sh.resource(access.ScopeListings), s.now()); err != nil {
		return Product{}, Shop{}, err
	}
	return p, sh, nil
}

// product loads a product with its makers and images.
func (s *Service) product(ctx context.Context, id string) (Product, error) {
	var p Product
	db := s.db.Gorm.WithContext(ctx)
	if err := storage.Find(ctx, db, &p, id, "product"); err != nil {
		return p, err
	}
	var makers []makerRow
	if err := db.Where("product_id = ?", id).Order("share_bp DESC, case_id").Find(&makers).Error; err != nil {
		return p, fmt.Errorf("product makers: %w", err)
	}
	p.Makers = []Maker{}
	for _, m := range makers {
		p.Makers = append(p.Makers, Maker{CaseID: m.CaseID, SharePct: float64(m.ShareBP) / 100})
	}
	images, err := s.images(ctx, db, []string{id}, false)
	if err != nil {
		return p, err
	}
	p.Images = images[id]
	if p.Images == nil {
		p.Images = []Image{}
	}
	ch, err := changes(ctx, db, []string{id})
	if err != nil {
		return p, err
	}
	p.Change = ch[id]
	return p, nil
}

func saveMakers(db *gorm.DB, productID string, rows []makerRow) error {
	for i := range rows {
		rows[i].ProductID = productID
	}
	if len(rows) == 0 {
		return nil
	}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
		return fmt.Errorf("save makers: %w", err)
	}
	return nil
}

// parentOf is the Balai whose network an LKS belongs to, or "".
func parentOf(u accounts.Unit) string {
	if u.ParentID == nil {
		return ""
	}
	return *u.ParentID
}

// joinValidation merges validation errors so a form shows all its problems.
func joinValidation(errs ...error) error {
	all := &domain.ValidationError{}
	for _, err := range errs {
		if err == nil {
			continue
		}
		v, ok := err.(*domain.ValidationError)
		if !ok {
			return err
		}
		all.Fields = append(all.Fields, v.Fields...)
	}
	return all.Err()
}
