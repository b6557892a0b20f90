package catalog

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
)

// Handler serves the catalog API.
type Handler struct{ svc *Service }

// NewHandler builds the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Routes mounts the catalog API under r (/api/v1).
func (h *Handler) Routes(r fiber.Router) {
	r.Get("/categories", h.categories)
	r.Get("/products", h.search)
	r.Get("/products/:id", api.Read(h.svc.ReadProduct))
	r.Patch("/products/:id", api.Change(h.svc.UpdateProduct))
	r.Post("/products/:id/publish", api.Read(h.svc.Publish))
	r.Post("/products/:id/approve", api.Read(h.svc.Approve))
	r.Post("/products/:id/reject", api.Because(h.svc.Reject))
	r.Post("/products/:id/archive", api.Read(h.svc.Archive))
	r.Post("/shops", api.Create(h.svc.CreateShop))
	r.Get("/shops/:id", h.shop)
	r.Post("/shops/:id/status", h.setShopStatus)
	r.Get("/shops/:id/products", api.List(h.svc.ShopProducts))
	r.Post("/shops/:id/products", api.CreateOn(h.svc.CreateProduct))
	r.Get("/units/:id/review-queue", api.List(h.svc.ReviewQueue))
	h.imageRoutes(r)
}

func (h *Handler) categories(c *fiber.Ctx) error {
	tree, err := h.svc.Categories(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": tree})
}

func (h *Handler) search(c *fiber.Ctx) error {
	page, err := api.Page(c)
	if err != nil {
		return err
	}
	v := &domain.ValidationError{}
	price := func(name string) domain.IDR {
		s := c.Query(name)
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			v.Add(name, "catalog.rupiah.whole")
		}
		return domain.IDR(n)
	}
	q := Query{
		Text: strings.Clone(c.Query("q")), Category: strings.Clone(c.Query("category")), ShopID: strings.Clone(c.Query("shop_id")),
		ProvinceCode: strings.Clone(c.Query("province_code")), MinPrice: price("min_price_idr"), MaxPrice: price("max_price_idr"),
		InStock: c.QueryBool("in_stock"), Sort: strings.Clone(c.Query("sort")), Page: page,
	}
	if c.QueryBool("facets") {
		q.Facets = AllFacets
	}
	if err := v.Err(); err != nil {
		return err
	}
	res, err := h.svc.Search(c.UserContext(), q)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// shop answers the public shop with its first page of products.
func (h *Handler) shop(c *fiber.Ctx) error {
	id := api.Param(c, "id")
	sh, err := h.svc.PublicShop(c.UserContext(), id)
	if err != nil {
		return err
	}
	products, err := h.svc.Search(c.UserContext(), Query{ShopID: id, Sort: "newest", Page: domain.Page{Limit: domain.DefaultLimit}})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": sh.ID, "display_name": sh.DisplayName, "institution": sh.Institution,
		"regency_code": sh.RegencyCode, "story": sh.Story, "products": products.Items, "next_cursor": products.NextCursor})
}

func (h *Handler) setShopStatus(c *fiber.Ctx) error {
	var in struct {
		Status ShopStatus `json:"status"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	sh, err := h.svc.SetShopStatus(c.UserContext(), api.Actor(c), api.Param(c, "id"), in.Status)
	if err != nil {
		return err
	}
	return c.JSON(sh)
}
