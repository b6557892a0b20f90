package catalog

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
)

func (h *Handler) imageRoutes(r fiber.Router) {
	r.Post("/products/:id/images", h.uploadImage)
	r.Put("/products/:id/images/order", h.reorderImages)
	r.Patch("/images/:id", h.setImageAlt)
	r.Delete("/images/:id", h.deleteImage)
	r.Delete("/products/:id", h.deleteProduct)
}

func (h *Handler) uploadImage(c *fiber.Ctx) error {
	var body io.Reader // nil when no file came: the service says so after checking who asks
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return domain.Invalid("file", "field.photo.unreadable")
		}
		defer f.Close()
		body = f
	}
	img, err := h.svc.UploadImage(c.UserContext(), api.Actor(c), api.Param(c, "id"), body, c.FormValue("alt"))
	if err != nil {
		return err
	}
	return api.Created(c, img)
}

func (h *Handler) setImageAlt(c *fiber.Ctx) error {
	var in struct {
		Alt string `json:"alt"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	img, err := h.svc.SetImageAlt(c.UserContext(), api.Actor(c), api.Param(c, "id"), in.Alt)
	if err != nil {
		return err
	}
	return c.JSON(img)
}

func (h *Handler) deleteImage(c *fiber.Ctx) error {
	if err := h.svc.DeleteImage(c.UserContext(), api.Actor(c), api.Param(c, "id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) deleteProduct(c *fiber.Ctx) error {
	if err := h.svc.DeleteProduct(c.UserContext(), api.Actor(c), api.Param(c, "id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) reorderImages(c *fiber.Ctx) error {
	var in struct {
		ImageIDs []string `json:"image_ids"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	p, err := h.svc.ReorderImages(c.UserContext(), api.Actor(c), api.Param(c, "id"), in.ImageIDs)
	if err != nil {
		return err
	}
	return c.JSON(p)
}
