package frontend

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
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
		if _, other := formErrors(err); other != nil {
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
	v, err := p.catalog.ReadProduct(c.UserContext(), access.ActorFrom(c.UserContext()), strings.Clone(c.Params("id")))
	if err != nil {
		return err
	}
	pub, ok := v.(catalog.PublicProduct)
	if !ok { // a draft its seller side is looking at: the seller pages show it
		return c.Redirect("/jual/produk/"+c.Params("id"), fiber.StatusSeeOther)
	}
	return p.render(c, fiber.StatusOK, "product", "shop.products", map[string]any{"Product": pub}, &view{})
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
	return orders.CartOwner{Actor: access.ActorFrom(c.UserContext()), Token: strings.Clone(c.Cookies(orders.CartCookie))}
}

func (p *Pages) cart(c *fiber.Ctx) error {
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
	v := &view{}
	if c.Query("ok") == "1" {
		v.Flash = translate(language(c), "cart.added")
	}
	return p.render(c, fiber.StatusOK, "cart", "cart.title", map[string]any{"Cart": cart}, v)
}

func (p *Pages) setCart(c *fiber.Ctx) error {
	qty, err := strconv.Atoi(c.FormValue("quantity"))
	if err != nil {
		return domain.Invalid("quantity", "jumlah harus angka")
	}
	cart, err := p.orders.SetCartItem(c.UserContext(), cartOwner(c), c.FormValue("product_id"), qty)
	if err != nil {
		return err
	}
	if cart.Token != "" {
		c.Cookie(&fiber.Cookie{Name: orders.CartCookie, Value: cart.Token, Path: "/", HTTPOnly: true, Secure: p.cfg.Secure,
			SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 30 * 24 * 3600})
	}
	return c.Redirect("/keranjang?ok=1", fiber.StatusSeeOther)
}
