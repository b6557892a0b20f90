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
	r.Get("/products/:id", h.product)
	r.Patch("/products/:id", h.update)
	r.Post("/products/:id/publish", h.publish)
	r.Post("/products/:id/approve", h.approve)
	r.Post("/products/:id/reject", h.reject)
	r.Post("/products/:id/archive", h.archive)
	r.Post("/shops", h.createShop)
	r.Get("/shops/:id", h.shop)
	r.Post("/shops/:id/status", h.setShopStatus)
	r.Get("/shops/:id/products", h.shopProducts)
	r.Post("/shops/:id/products", h.create)
	r.Get("/units/:id/review-queue", h.reviewQueue)
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

func (h *Handler) product(c *fiber.Ctx) error {
	p, err := h.svc.ReadProduct(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *Handler) create(c *fiber.Ctx) error {
	var in ProductInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	p, err := h.svc.CreateProduct(c.UserContext(), api.Actor(c), api.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return api.Created(c, p)
}

func (h *Handler) update(c *fiber.Ctx) error {
	var in ProductInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	p, err := h.svc.UpdateProduct(c.UserContext(), api.Actor(c), api.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *Handler) publish(c *fiber.Ctx) error {
	p, err := h.svc.Publish(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *Handler) approve(c *fiber.Ctx) error {
	p, err := h.svc.Approve(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *Handler) reject(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	p, err := h.svc.Reject(c.UserContext(), api.Actor(c), api.Param(c, "id"), in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *Handler) archive(c *fiber.Ctx) error {
	p, err := h.svc.Archive(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *Handler) createShop(c *fiber.Ctx) error {
	var in NewShop
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	sh, err := h.svc.CreateShop(c.UserContext(), api.Actor(c), in)
	if err != nil {
		return err
	}
	return api.Created(c, sh)
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

func (h *Handler) shopProducts(c *fiber.Ctx) error {
	ps, err := h.svc.ShopProducts(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": ps})
}

func (h *Handler) reviewQueue(c *fiber.Ctx) error {
	ps, err := h.svc.ReviewQueue(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": ps})
}
