package frontend

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/orders"
)

type homeData struct {
	Categories []catalog.Category
	Newest     []catalog.ListItem
	Q          string
}

func (p *Pages) home(c *fiber.Ctx) error {
	cats, err := p.catalog.Categories(c.UserContext())
	if err != nil {
		return err
	}
	newest, err := p.catalog.Search(c.UserContext(), catalog.Query{Sort: "newest", Page: domain.Page{Limit: 12}})
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "home", "home.title", homeData{Categories: cats, Newest: newest.Items}, nil)
}

type searchData struct {
	Q, Category, Sort, Min, Max string
	InStock                     bool
	Sorts                       []string
	Categories                  []catalog.Category
	Results                     catalog.Results
	Facets                      []facetLink
	NextURL                     string
}

// facetLink is a category of the search's matches, named in the reader's
// language, with how many matches it holds (at least, when AtLeast).
type facetLink struct {
	Slug, Name string
	Count      int64
	AtLeast    bool
}

// categoryFacets names the category facet's values from the category tree.
func categoryFacets(facets []catalog.Facet, tree []catalog.Category, lang string) []facetLink {
	names := map[string]string{}
	for _, c := range tree {
		names[c.Slug] = c.NameID
		if lang == "en" {
			names[c.Slug] = c.NameEN
		}
	}
	out := make([]facetLink, 0, len(facets))
	for _, f := range facets {
		if name, ok := names[f.Value]; ok {
			out = append(out, facetLink{Slug: f.Value, Name: name, Count: f.Count, AtLeast: f.AtLeast})
		}
	}
	return out
}

func (p *Pages) search(c *fiber.Ctx) error {
	d := searchData{Q: strings.Clone(c.Query("q")), Category: strings.Clone(c.Query("category")), Sort: strings.Clone(c.Query("sort")),
		Min: strings.Clone(c.Query("min_price_idr")), Max: strings.Clone(c.Query("max_price_idr")), InStock: c.QueryBool("in_stock"), Sorts: catalog.Sorts}
	q := catalog.Query{Text: d.Q, Category: d.Category, Sort: d.Sort, InStock: d.InStock, Facets: []string{catalog.FacetCategory},
		Page: domain.Page{Limit: domain.DefaultLimit, Cursor: strings.Clone(c.Query("cursor"))}}
	min, _ := strconv.ParseInt(d.Min, 10, 64)
	max, _ := strconv.ParseInt(d.Max, 10, 64)
	q.MinPrice, q.MaxPrice = domain.IDR(min), domain.IDR(max)
	var err error
	if d.Categories, err = p.catalog.Categories(c.UserContext()); err != nil {
		return err
	}
	res, err := p.catalog.Search(c.UserContext(), q)
	if err != nil {
		// A bad filter in the address is the visitor's to fix: show the form.
		if _, other := formErrors(c, err); other != nil {
			return err
		}
		return p.render(c, fiber.StatusUnprocessableEntity, "search", "shop.browse", d, &view{FormError: translate(language(c), "error.form")})
	}
	d.Results, d.Facets = res, categoryFacets(res.Facets[catalog.FacetCategory], d.Categories, language(c))
	if d.Sort == "" {
		d.Sort = "newest"
		if d.Q != "" {
			d.Sort = "relevance"
		}
	}
	if res.NextCursor != "" {
		v := url.Values{}
		for k, val := range map[string]string{"q": d.Q, "category": d.Category, "sort": d.Sort, "min_price_idr": d.Min, "max_price_idr": d.Max, "cursor": res.NextCursor} {
			if val != "" {
				v.Set(k, val)
			}
		}
		if d.InStock {
			v.Set("in_stock", "true")
		}
		d.NextURL = "/cari?" + v.Encode()
	}
	return p.render(c, fiber.StatusOK, "search", "shop.browse", d, nil)
}

func (p *Pages) product(c *fiber.Ctx) error {
	return p.productPage(c, fiber.StatusOK, strings.Clone(c.Params("id")), "1", &view{})
}

// productPage shows a product with quantity in its cart form.
func (p *Pages) productPage(c *fiber.Ctx, status int, id, quantity string, v *view) error {
	read, err := p.catalog.ReadProduct(c.UserContext(), api.Actor(c), id)
	if err != nil {
		return err
	}
	pub, ok := read.(catalog.PublicProduct)
	if !ok { // a draft its seller side is looking at: the seller pages show it
		return c.Redirect("/jual/produk/"+id, fiber.StatusSeeOther)
	}
	return p.render(c, status, "product", "shop.products", map[string]any{"Product": pub, "Quantity": quantity}, v)
}

func (p *Pages) shop(c *fiber.Ctx) error {
	id := strings.Clone(c.Params("id"))
	sh, err := p.catalog.PublicShop(c.UserContext(), id)
	if err != nil {
		return err
	}
	products, err := p.catalog.Search(c.UserContext(), catalog.Query{ShopID: id, Sort: "newest", Page: domain.Page{Limit: domain.MaxLimit}})
	if err != nil {
		return err
	}
	return p.render(c, fiber.StatusOK, "shop", "shop.products", map[string]any{"Shop": sh, "Products": products}, nil)
}

// cartOwner is whose cart a page shows: the buyer's, or the guest cookie's.
func cartOwner(c *fiber.Ctx) orders.CartOwner {
	return orders.CartOwner{Actor: api.Actor(c), Token: strings.Clone(c.Cookies(orders.CartCookie))}
}

func (p *Pages) cart(c *fiber.Ctx) error {
	v := &view{}
	if c.Query("ok") == "1" {
		v.Flash = translate(language(c), "cart.added")
	}
	return p.cartPage(c, fiber.StatusOK, nil, v)
}

// cartLine is a cart line's quantity form answered again: what was typed.
type cartLine struct{ ProductID, Quantity string }

func (p *Pages) cartPage(c *fiber.Ctx, status int, failed *cartLine, v *view) error {
	owner := cartOwner(c)
	if !owner.Actor.Anonymous() && owner.Token != "" {
		if err := p.orders.MergeGuestCart(c.UserContext(), owner.Actor, owner.Token); err != nil {
			return err
		}
		c.ClearCookie(orders.CartCookie)
		owner.Token = ""
	}
	cart, err := p.orders.ReadCart(c.UserContext(), owner)
	if err != nil {
		return err
	}
	return p.render(c, status, "cart", "cart.title", map[string]any{"Cart": cart.In(locale.For(language(c))), "Failed": failed}, v)
}

// setCart puts a quantity of a product in the cart. A quantity refused
// (negative, too many, not a number) shows the form it came from again
// with the field marked: the cart's line, or the product page.
func (p *Pages) setCart(c *fiber.Ctx) error {
	f := cartLine{ProductID: strings.Clone(c.FormValue("product_id")), Quantity: strings.TrimSpace(c.FormValue("quantity"))}
	var cart orders.Cart
	qty, err := strconv.Atoi(f.Quantity)
	if err != nil {
		err = domain.Invalid("quantity", "cart.quantity.number")
	} else {
		cart, err = p.orders.SetCartItem(c.UserContext(), cartOwner(c), f.ProductID, qty)
	}
	if err != nil {
		return p.again(c, err, marks{}, func(status int, v *view) error {
			if _, unknown := v.Errors["product_id"]; !unknown && !p.inCart(c, f.ProductID) {
				return p.productPage(c, status, f.ProductID, f.Quantity, v)
			}
			return p.cartPage(c, status, &f, v)
		})
	}
	if cart.Token != "" {
		c.Cookie(&fiber.Cookie{Name: orders.CartCookie, Value: cart.Token, Path: "/", HTTPOnly: true, Secure: p.cfg.Secure,
			SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 30 * 24 * 3600})
	}
	return c.Redirect("/keranjang?ok=1", fiber.StatusSeeOther)
}

// inCart tells whether the visitor's cart has a line of the product.
func (p *Pages) inCart(c *fiber.Ctx, productID string) bool {
	cart, err := p.orders.ReadCart(c.UserContext(), cartOwner(c))
	if err != nil {
		return false
	}
	for _, sh := range cart.Shops {
		for _, l := range sh.Lines {
			if l.ProductID == productID {
				return true
			}
		}
	}
	return false
}
