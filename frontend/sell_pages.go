package frontend

import (
	"errors"
	"mime/multipart"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
)

type shopProducts struct {
	Shop     catalog.Shop
	Products []catalog.Product
	// PayoutRoute: the actor may look after where the shop's money goes
	// (the payouts service says so).
	PayoutRoute bool
	// Settings: the actor may set the shop's courier fee and pick-up place.
	Settings bool
}

// sellDoneProduct are the flash messages the seller's pages may be sent
// back with, under "sell.done." in the catalogue.
var sellDoneProduct = []string{"created", "saved", "uploaded", "caption", "moved", "deleted", "submitted", "published", "approved", "rejected"}

func (p *Pages) sell(c *fiber.Ctx) error {
	actor := api.Actor(c)
	shops, err := p.catalog.ShopsFor(c.UserContext(), actor)
	if err != nil {
		return err
	}
	var d []shopProducts
	for _, sh := range shops {
		ps, err := p.catalog.ShopProducts(c.UserContext(), actor, sh.ID)
		if err != nil {
			continue // a shop of the unit this actor may not list for
		}
		rights, err := p.payouts.RouteRightsOf(c.UserContext(), actor, sh.ID)
		if err != nil {
			return err
		}
		for i := range ps {
			ps[i] = ps[i].Next()
		}
		d = append(d, shopProducts{Shop: sh, Products: ps, PayoutRoute: rights.Change || rights.Confirm,
			Settings: p.catalog.MaySetShopSettings(actor, sh)})
	}
	data, title := map[string]any{"Shops": d}, "sell.title"
	if a := actingOf(c); a != nil {
		data["For"], title = a.PMName, "nav.sell.pm" // a pendamping's page is the PM's products, not theirs
	}
	return p.render(c, fiber.StatusOK, "sell", title, data, doneFlash(c, "sell.done.", sellDoneProduct))
}

// productForm is the product form as typed, shown again when a save fails
// so nothing typed is lost.
type productForm struct {
	Title, Description, Category, Price, Stock, StockSeen string
	// Alt is the description typed for a new photo; Captions those typed
	// for the photos already there, by photo id.
	Alt      string
	Captions map[string]string
}

type editData struct {
	Product    catalog.Product // as the seller side is making it (Next)
	Published  catalog.Product // as buyers see it, for a published product's change
	Categories []catalog.Category
	Action     string
	Form       productForm
	// Reviewer names the unit whose staff review the product.
	Reviewer string
	// Up and Down are the photo orders each move button asks for, and
	// Numbers each photo's place (from 1), by photo id.
	Up, Down map[string]string
	Numbers  map[string]int
}

// formOf is the form filled from a product.
func formOf(prod catalog.Product) productForm {
	f := productForm{Title: prod.Title, Description: prod.Description, Category: prod.Category, Stock: strconv.Itoa(prod.Stock),
		StockSeen: strconv.Itoa(prod.Stock), Captions: map[string]string{}}
	if prod.PriceIDR > 0 {
		f.Price = domain.IDR(prod.PriceIDR).String()
	}
	for _, img := range prod.Images {
		f.Captions[img.ID] = img.Alt
	}
	return f
}

// typedForm is the form as it was sent.
func typedForm(c *fiber.Ctx, prod catalog.Product) productForm {
	f := productForm{Title: c.FormValue("title"), Description: c.FormValue("description"), Category: c.FormValue("category"),
		Price: c.FormValue("price_idr"), Stock: c.FormValue("stock"), StockSeen: c.FormValue("stock_seen"), Alt: c.FormValue("alt"),
		Captions: map[string]string{}}
	for _, img := range prod.Images {
		f.Captions[img.ID] = c.FormValue("alt-" + img.ID)
	}
	return f
}

func (p *Pages) editData(c *fiber.Ctx, prod catalog.Product, action string, form productForm) (editData, error) {
	cats, err := p.catalog.Categories(c.UserContext())
	if err != nil {
		return editData{}, err
	}
	d := editData{Product: prod.Next(), Published: prod, Categories: cats, Action: action, Form: form, Up: map[string]string{}, Down: map[string]string{}, Numbers: map[string]int{}}
	var ids []string
	for _, img := range prod.Images {
		if img.Pending != catalog.PhotoRemoved {
			ids = append(ids, img.ID)
		}
	}
	for i, id := range ids {
		d.Numbers[id] = i + 1
		if i > 0 {
			d.Up[id] = strings.Join(swapped(ids, i, i-1), ",")
		}
		if i < len(ids)-1 {
			d.Down[id] = strings.Join(swapped(ids, i, i+1), ",")
		}
	}
	if prod.ShopID != "" {
		sh, err := p.catalog.ShopOf(c.UserContext(), prod.ShopID)
		if err != nil {
			return editData{}, err
		}
		if u, err := p.accounts.Unit(c.UserContext(), sh.UnitID); err == nil {
			d.Reviewer = u.Name
		}
	}
	return d, nil
}

func swapped(ids []string, i, j int) []string {
	out := append([]string(nil), ids...)
	out[i], out[j] = out[j], out[i]
	return out
}

// productInput reads the product form. A price is read the way people
// type it (25.000, Rp 25.000); one that is not rupiah, or a stock that is
// not a number, is an error on its field before anything is saved.
func productInput(c *fiber.Ctx) (catalog.ProductInput, error) {
	title, desc, cat := c.FormValue("title"), c.FormValue("description"), c.FormValue("category")
	in := catalog.ProductInput{Title: &title, Description: &desc, Category: &cat, FormToken: formToken(c)}
	v := &domain.ValidationError{}
	if s := strings.TrimSpace(c.FormValue("price_idr")); s != "" {
		price, err := domain.ParseIDR(s)
		if err != nil {
			v.Add("price_idr", "rupiah.format")
		}
		in.PriceIDR = &price
	} else {
		v.Add("price_idr", "catalog.product.price")
	}
	if n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("stock"))); err == nil {
		in.Stock = &n
	} else {
		v.Add("stock", "catalog.product.stock")
	}
	if n, err := strconv.Atoi(c.FormValue("stock_seen")); err == nil {
		in.StockSeen = &n
	}
	return in, v.Err()
}

func (p *Pages) newProductForm(c *fiber.Ctx) error {
	shopID := strings.Clone(c.Params("id"))
	d, err := p.editData(c, catalog.Product{}, "/jual/toko/"+shopID+"/produk-baru", productForm{Category: "makanan", Stock: "1"})
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "product_edit", "sell.new", d, nil)
}

func (p *Pages) createProduct(c *fiber.Ctx) error {
	actor := api.Actor(c)
	shopID := strings.Clone(c.Params("id"))
	in, ierr := productInput(c)
	var prod catalog.Product
	if ierr == nil {
		in.StockSeen = nil
		prod, ierr = p.catalog.CreateProduct(c.UserContext(), actor, shopID, in)
	}
	if ierr != nil {
		d, err := p.editData(c, catalog.Product{}, "/jual/toko/"+shopID+"/produk-baru", typedForm(c, catalog.Product{}))
		if err != nil {
			return err
		}
		return p.again(c, ierr, marks{}, p.pageOf(c, "product_edit", "sell.new", d))
	}
	return c.Redirect("/jual/produk/"+prod.ID+"?ok=created", fiber.StatusSeeOther)
}

// sellerProduct loads a product for its seller side (the services decide who).
func (p *Pages) sellerProduct(c *fiber.Ctx, id string) (catalog.Product, error) {
	v, err := p.catalog.ReadProduct(c.UserContext(), api.Actor(c), id)
	if err != nil {
		return catalog.Product{}, err
	}
	if prod, ok := v.(catalog.Product); ok {
		return prod, nil
	}
	ps, err := p.catalog.ShopProducts(c.UserContext(), api.Actor(c), v.(catalog.PublicProduct).Shop.ID)
	if err != nil {
		return catalog.Product{}, err
	}
	for _, prod := range ps {
		if prod.ID == id {
			return prod, nil
		}
	}
	return catalog.Product{}, domain.ErrNotFound
}

func (p *Pages) editProduct(c *fiber.Ctx) error {
	id := strings.Clone(c.Params("id"))
	prod, err := p.sellerProduct(c, id)
	if err != nil {
		return err
	}
	d, err := p.editData(c, prod, "/jual/produk/"+id, formOf(prod.Next()))
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "product_edit", "sell.title", d, doneFlash(c, "sell.done.", sellDoneProduct))
}

// updateProduct answers the product page's one form: every button saves
// what was typed (the fields, each photo's description, a new photo
// chosen), then does its own step (send for review, move or delete a
// photo). A failure shows the form again with the typed values and the
// field marked; success redirects to the page with a short message.
func (p *Pages) updateProduct(c *fiber.Ctx) error {
	actor := api.Actor(c)
	ctx := c.UserContext()
	id := strings.Clone(c.Params("id"))
	prod, err := p.sellerProduct(c, id)
	if err != nil {
		return err
	}
	done := "saved"
	failed := p.saveTyped(c, prod, &done)
	if failed == nil {
		// A file field left empty still comes, with no name and no bytes.
		if fh, err := c.FormFile("file"); err == nil && (fh.Filename != "" || fh.Size > 0) {
			failed = p.upload(c, id, fh)
			done = "uploaded"
		} else if c.FormValue("do") == "upload" {
			_, failed = p.catalog.UploadImage(ctx, actor, id, nil, c.FormValue("alt"))
		}
	}
	if failed == nil {
		done, failed = p.productStep(c, id, done)
	}
	if failed == nil {
		return c.Redirect("/jual/produk/"+id+"?ok="+done, fiber.StatusSeeOther)
	}
	if now, err := p.sellerProduct(c, id); err == nil {
		prod = now
	}
	d, err := p.editData(c, prod, "/jual/produk/"+id, typedForm(c, prod))
	if err != nil {
		return err
	}
	return p.again(c, failed, marks{}, p.pageOf(c, "product_edit", "sell.title", d))
}

// saveTyped saves the product's fields and the photos' descriptions as
// typed.
func (p *Pages) saveTyped(c *fiber.Ctx, prod catalog.Product, done *string) error {
	actor := api.Actor(c)
	in, err := productInput(c)
	if err != nil {
		return err
	}
	if _, err := p.catalog.UpdateProduct(c.UserContext(), actor, prod.ID, in); err != nil {
		return err
	}
	for _, img := range prod.Images {
		typed := strings.TrimSpace(c.FormValue("alt-" + img.ID))
		if !formHas(c, "alt-"+img.ID) || img.Pending == catalog.PhotoRemoved || typed == img.Alt {
			continue
		}
		if _, err := p.catalog.SetImageAlt(c.UserContext(), actor, img.ID, typed); err != nil {
			return fieldAs(err, "alt", "alt-"+img.ID)
		}
		*done = "caption"
	}
	return nil
}

// formHas says whether the form sent a field at all (an empty one too).
func formHas(c *fiber.Ctx, name string) bool {
	if mf, err := c.MultipartForm(); err == nil {
		_, ok := mf.Value[name]
		return ok
	}
	return c.Request().PostArgs().Has(name)
}

// upload sends the photo chosen with its description; the form's token
// makes a double tap upload it once.
func (p *Pages) upload(c *fiber.Ctx, id string, fh *multipart.FileHeader) error {
	f, err := fh.Open()
	if err != nil {
		return domain.Invalid("file", "field.photo.unreadable")
	}
	defer f.Close()
	_, err = p.catalog.UploadImageOnce(c.UserContext(), api.Actor(c), id, f, c.FormValue("alt"), formToken(c))
	return err
}

// productStep is the step of the button pressed after the save: send for
// review, put the photos in an order, or delete one.
func (p *Pages) productStep(c *fiber.Ctx, id, done string) (string, error) {
	actor := api.Actor(c)
	ctx := c.UserContext()
	step := c.FormValue("do")
	switch {
	case step == "publish":
		prod, err := p.catalog.Publish(ctx, actor, id)
		if errors.Is(err, domain.ErrConflict) {
			// A double tap: the first tap sent it, and it waits now.
			if now, rerr := p.sellerProduct(c, id); rerr == nil && waiting(now) {
				return "submitted", nil
			}
		}
		if err != nil {
			return done, err
		}
		if waiting(prod) {
			return "submitted", nil
		}
		return "published", nil
	case strings.HasPrefix(step, "order:"):
		_, err := p.catalog.ReorderImages(ctx, actor, id, strings.Split(strings.TrimPrefix(step, "order:"), ","))
		return "moved", err
	case strings.HasPrefix(step, "delete:"):
		err := p.catalog.DeleteImage(ctx, actor, strings.TrimPrefix(step, "delete:"))
		if errors.Is(err, domain.ErrNotFound) {
			err = nil // deleted by the first of a double tap; the product itself was checked by the save
		}
		return "deleted", err
	}
	return done, nil
}

// waiting says whether a product, or its change, waits for review.
func waiting(prod catalog.Product) bool {
	return prod.Status == catalog.PendingReview || prod.Change != nil && prod.Change.Status == catalog.ChangePending
}

// fieldAs renames a validation error's field (a photo's description is
// "alt" to the service and "alt-<id>" on the page).
func fieldAs(err error, from, to string) error {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		for i := range ve.Fields {
			if ve.Fields[i].Field == from {
				ve.Fields[i].Field = to
			}
		}
	}
	return err
}

func (p *Pages) reviewQueue(c *fiber.Ctx) error {
	return p.reviewQueuePage(c, fiber.StatusOK, doneFlash(c, "sell.done.", sellDoneProduct))
}

func (p *Pages) reviewQueuePage(c *fiber.Ctx, status int, v *view) error {
	actor := api.Actor(c)
	units := append([]string{actor.UnitID}, actor.Network...)
	var all []catalog.Product
	for _, u := range units {
		ps, err := p.catalog.ReviewQueue(c.UserContext(), actor, u)
		if err != nil {
			return err
		}
		all = append(all, ps...)
	}
	tree, err := p.catalog.Categories(c.UserContext())
	if err != nil {
		return err
	}
	// The queue shows each product's category by its name, not its slug.
	bySlug := map[string]catalog.Category{}
	for _, top := range tree {
		bySlug[top.Slug] = top
		for _, sub := range top.Children {
			bySlug[sub.Slug] = sub
		}
	}
	items := make([]reviewItem, len(all))
	for i, prod := range all {
		items[i] = reviewItem{Next: prod.Next(), Published: prod, Reason: c.FormValue("reason-" + prod.ID)}
	}
	return p.render(c, status, "review", "review.title", map[string]any{"Items": items, "Categories": bySlug}, v)
}

// reviewItem is a product in the review queue: what would go on sale, and
// for a published product's change what is on sale now.
type reviewItem struct {
	Next, Published catalog.Product
	Reason          string
}

func (p *Pages) approve(c *fiber.Ctx) error {
	actor := api.Actor(c)
	if _, err := p.catalog.Approve(c.UserContext(), actor, strings.Clone(c.Params("id"))); err != nil {
		return p.again(c, err, marks{none: true}, func(status int, v *view) error { return p.reviewQueuePage(c, status, v) })
	}
	return c.Redirect("/staf/tinjauan?ok=approved", fiber.StatusSeeOther)
}

func (p *Pages) reject(c *fiber.Ctx) error {
	actor := api.Actor(c)
	id := strings.Clone(c.Params("id"))
	if _, err := p.catalog.Reject(c.UserContext(), actor, id, c.FormValue("reason-"+id)); err != nil {
		return p.again(c, fieldAs(err, "reason", "reason-"+id), marks{}, func(status int, v *view) error { return p.reviewQueuePage(c, status, v) })
	}
	return c.Redirect("/staf/tinjauan?ok=rejected", fiber.StatusSeeOther)
}
