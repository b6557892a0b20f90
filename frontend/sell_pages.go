package frontend

import (
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
}

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
		d = append(d, shopProducts{Shop: sh, Products: ps})
	}
	return p.render(c, fiber.StatusOK, "sell", "sell.title", map[string]any{"Shops": d}, nil)
}

type editData struct {
	Product      catalog.Product
	Categories   []catalog.Category
	Action       string
	Price, Stock string
}

func (p *Pages) editData(c *fiber.Ctx, prod catalog.Product, action string) (editData, error) {
	cats, err := p.catalog.Categories(c.UserContext())
	d := editData{Product: prod, Categories: cats, Action: action}
	if prod.PriceIDR > 0 {
		d.Price = strconv.FormatInt(int64(prod.PriceIDR), 10)
	}
	d.Stock = strconv.Itoa(prod.Stock)
	return d, err
}

// productInput reads the product form; numbers left empty stay unset so
// the service names them in its errors.
func productInput(c *fiber.Ctx) catalog.ProductInput {
	title, desc, cat := c.FormValue("title"), c.FormValue("description"), c.FormValue("category")
	in := catalog.ProductInput{Title: &title, Description: &desc, Category: &cat}
	if n, err := strconv.ParseInt(strings.TrimSpace(c.FormValue("price_idr")), 10, 64); err == nil {
		price := domain.IDR(n)
		in.PriceIDR = &price
	}
	if n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("stock"))); err == nil {
		in.Stock = &n
	}
	return in
}

func (p *Pages) newProductForm(c *fiber.Ctx) error {
	d, err := p.editData(c, catalog.Product{Category: "makanan"}, "/jual/toko/"+c.Params("id")+"/produk-baru")
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "product_edit", "sell.new", d, nil)
}

func (p *Pages) createProduct(c *fiber.Ctx) error {
	actor := api.Actor(c)
	shopID := strings.Clone(c.Params("id"))
	in := productInput(c)
	prod, cerr := p.catalog.CreateProduct(c.UserContext(), actor, shopID, in)
	if cerr != nil {
		d, err := p.editData(c, catalog.Product{Title: *in.Title, Description: *in.Description, Category: *in.Category}, "/jual/toko/"+shopID+"/produk-baru")
		if err != nil {
			return err
		}
		d.Price, d.Stock = c.FormValue("price_idr"), c.FormValue("stock")
		return p.again(c, cerr, marks{}, p.pageOf(c, "product_edit", "sell.new", d))
	}
	return c.Redirect("/jual/produk/"+prod.ID, fiber.StatusSeeOther)
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
	d, err := p.editData(c, prod, "/jual/produk/"+id)
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "product_edit", "sell.title", d, nil)
}

// afterEdit shows the product's page again, with errors if any.
func (p *Pages) afterEdit(c *fiber.Ctx, id string, failed error) error {
	if failed == nil {
		return c.Redirect("/jual/produk/"+id, fiber.StatusSeeOther)
	}
	prod, err := p.sellerProduct(c, id)
	if err != nil {
		return err
	}
	d, err := p.editData(c, prod, "/jual/produk/"+id)
	if err != nil {
		return err
	}
	return p.again(c, failed, marks{}, p.pageOf(c, "product_edit", "sell.title", d))
}

func (p *Pages) updateProduct(c *fiber.Ctx) error {
	actor := api.Actor(c)
	id := strings.Clone(c.Params("id"))
	_, uerr := p.catalog.UpdateProduct(c.UserContext(), actor, id, productInput(c))
	return p.afterEdit(c, id, uerr)
}

func (p *Pages) uploadPhoto(c *fiber.Ctx) error {
	actor := api.Actor(c)
	id := strings.Clone(c.Params("id"))
	var uerr error
	fh, ferr := c.FormFile("file")
	if ferr != nil {
		_, uerr = p.catalog.UploadImage(c.UserContext(), actor, id, nil, c.FormValue("alt"))
	} else {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		_, uerr = p.catalog.UploadImage(c.UserContext(), actor, id, f, c.FormValue("alt"))
	}
	return p.afterEdit(c, id, uerr)
}

func (p *Pages) publishProduct(c *fiber.Ctx) error {
	actor := api.Actor(c)
	id := strings.Clone(c.Params("id"))
	_, perr := p.catalog.Publish(c.UserContext(), actor, id)
	return p.afterEdit(c, id, perr)
}

func (p *Pages) reviewQueue(c *fiber.Ctx) error {
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
	return p.render(c, fiber.StatusOK, "review", "review.title", map[string]any{"Products": all, "Categories": bySlug}, nil)
}

func (p *Pages) approve(c *fiber.Ctx) error {
	actor := api.Actor(c)
	if _, err := p.catalog.Approve(c.UserContext(), actor, strings.Clone(c.Params("id"))); err != nil {
		return err
	}
	return c.Redirect("/staf/tinjauan", fiber.StatusSeeOther)
}

func (p *Pages) reject(c *fiber.Ctx) error {
	actor := api.Actor(c)
	if _, err := p.catalog.Reject(c.UserContext(), actor, strings.Clone(c.Params("id")), c.FormValue("reason")); err != nil {
		return err
	}
	return c.Redirect("/staf/tinjauan", fiber.StatusSeeOther)
}
