package orders

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/locale"
)

// CartCookie holds a guest's cart token for the web pages; API clients send
// it back as the X-Cart-Token header.
const CartCookie = "atensi_cart"

func (h *Handler) cartRoutes(r fiber.Router) {
	r.Get("/cart", h.readCart)
	r.Put("/cart/items/:product_id", h.setCartItem)
	r.Delete("/cart", h.clearCart)
}

// cartOwner is whose cart a request is about. A buyer who logs in with a
// guest cart gets its items merged into theirs.
func (h *Handler) cartOwner(c *fiber.Ctx) (CartOwner, error) {
	actor := api.Actor(c)
	token := strings.Clone(c.Get("X-Cart-Token"))
	if token == "" {
		token = strings.Clone(c.Cookies(CartCookie))
	}
	if !actor.Anonymous() && token != "" {
		if err := h.svc.MergeGuestCart(c.UserContext(), actor, token); err != nil {
			return CartOwner{}, err
		}
		c.ClearCookie(CartCookie)
		token = ""
	}
	return CartOwner{Actor: actor, Token: token}, nil
}

func (h *Handler) readCart(c *fiber.Ctx) error {
	owner, err := h.cartOwner(c)
	if err != nil {
		return err
	}
	cart, err := h.svc.ReadCart(c.UserContext(), owner)
	if err != nil {
		return err
	}
	return c.JSON(cart.In(locale.For(locale.FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage)))))
}

func (h *Handler) setCartItem(c *fiber.Ctx) error {
	var in struct {
		Quantity int `json:"quantity"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	owner, err := h.cartOwner(c)
	if err != nil {
		return err
	}
	cart, err := h.svc.SetCartItem(c.UserContext(), owner, api.Param(c, "product_id"), in.Quantity)
	if err != nil {
		return err
	}
	if cart.Token != "" {
		c.Cookie(&fiber.Cookie{Name: CartCookie, Value: cart.Token, Path: "/", HTTPOnly: true, Secure: h.secureCookie,
			SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(30 * 24 * time.Hour)})
	}
	return c.JSON(cart.In(locale.For(locale.FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage)))))
}

func (h *Handler) clearCart(c *fiber.Ctx) error {
	owner, err := h.cartOwner(c)
	if err != nil {
		return err
	}
	if err := h.svc.ClearCart(c.UserContext(), owner); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
