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
	Slug, Name, URL string
	Count           int64
	AtLeast         bool
}

// categoryFacets names the category facet's values from the category tree
// (a subcategory's too), so a chip never shows a slug.
func categoryFacets(facets []catalog.Facet, tree []catalog.Category, lang string) []facetLink {
	names := map[string]string{}
	var walk func([]catalog.Category)
	walk = func(cats []catalog.Category) {
		for _, c := range cats {
			names[c.Slug] = c.Name(lang)
			walk(c.Children)
		}
	}
	walk(tree)
	out := make([]facetLink, 0, len(facets))
	for _, f := range facets {
		if name, ok := names[f.Value]; ok {
			out = append(out, facetLink{Slug: f.Value, Name: name, Count: f.Count, AtLeast: f.AtLeast})
		}
	}
	return out
}

// searchURL is the search page for d's query and filters, with the given
// changes (an empty value drops a parameter).
func searchURL(d searchData, change map[string]string) string {
	v := url.Values{}
	for k, val := range map[string]string{"q": d.Q, "category": d.Category, "sort": d.Sort, "min_price_idr": d.Min, "max_price_idr": d.Max} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if d.InStock {
		v.Set("in_stock", "true")
	}
	for k, val := range change {
		if val == "" {
			v.Del(k)
		} else {
			v.Set(k, val)
		}
	}
	return "/cari?" + v.Encode()
}

// parsePrice reads a price filter as people type it ("10.000", "Rp 15.000");
// empty is no bound.
func parsePrice(v *domain.ValidationError, field, text string) domain.IDR {
	if strings.TrimSpace(text) == "" {
		return 0
	}
	n, err := domain.ParseIDR(text)
	if err != nil {
		v.Add(field, "search.price.invalid")
	}
	return n
}

// Filters counts the filters in use, for the folded filters' summary.
func (d searchData) Filters() int {
	n := 0
	for _, set := range []bool{d.Category != "", d.Min != "", d.Max != "", d.InStock} {
		if set {
			n++
		}
	}
	return n
}

func (p *Pages) search(c *fiber.Ctx) error {
	d := searchData{Q: strings.Clone(c.Query("q")), Category: strings.Clone(c.Query("category")), Sort: strings.Clone(c.Query("sort")),
		Min: strings.TrimSpace(c.Query("min_price_idr")), Max: strings.TrimSpace(c.Query("max_price_idr")), InStock: c.QueryBool("in_stock"), Sorts: catalog.Sorts}
	q := catalog.Query{Text: d.Q, Category: d.Category, Sort: d.Sort, InStock: d.InStock, Facets: []string{catalog.FacetCategory},
		Page: domain.Page{Limit: domain.DefaultLimit, Cursor: strings.Clone(c.Query("cursor"))}}
	prices := &domain.ValidationError{}
	q.MinPrice, q.MaxPrice = parsePrice(prices, "min_price_idr", d.Min), parsePrice(prices, "max_price_idr", d.Max)
	var err error
	if d.Categories, err = p.catalog.Categories(c.UserContext()); err != nil {
		return err
	}
	err = prices.Err()
	var res catalog.Results
	if err == nil {
		res, err = p.catalog.Search(c.UserContext(), q)
	}
	if err != nil {
		// A bad filter in the address is the visitor's to fix: show the form.
		return p.again(c, err, marks{}, p.pageOf(c, "search", "shop.browse", d))
	}
	d.Results, d.Facets = res, categoryFacets(res.Facets[catalog.FacetCategory], d.Categories, language(c))
	if d.Sort == "" {
		d.Sort = "newest"
		if d.Q != "" {
			d.Sort = "relevance"
		}
	}
	if res.NextCursor != "" {
		d.NextURL = searchURL(d, map[string]string{"cursor": res.NextCursor})
	}
	for i, f := range d.Facets {
		d.Facets[i].URL = searchURL(d, map[string]string{"category": f.Slug})
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

// cartCount is the header's count of the visitor's cart; a failure to read
// it leaves the count out rather than the page.
func (p *Pages) cartCount(c *fiber.Ctx) int {
	n, err := p.orders.CartCount(c.UserContext(), cartOwner(c))
	if err != nil {
		p.log.WarnContext(c.UserContext(), "cart count", "error", err.Error())
	}
	return n
}

func (p *Pages) cart(c *fiber.Ctx) error {
	v := &view{}
	switch c.Query("ok") {
	case "1":
		v.Flash = translate(language(c), "cart.added")
	case "removed":
		v.Flash = translate(language(c), "cart.removed")
	}
	return p.cartPage(c, fiber.StatusOK, nil, v)
}

// removeFromCart takes a product out of the cart. Removing what is not
// there (a second tap, a reload) lands on the same cart.
func (p *Pages) removeFromCart(c *fiber.Ctx) error {
	id := strings.Clone(c.FormValue("product_id"))
	if _, err := p.orders.SetCartItem(c.UserContext(), cartOwner(c), id, 0); err != nil {
		return p.again(c, err, marks{none: true}, func(status int, v *view) error { return p.cartPage(c, status, nil, v) })
	}
	return c.Redirect("/keranjang?ok=removed", fiber.StatusSeeOther)
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
