package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
)

// The handlers below turn a service method into a JSON handler, for the
// many operations that are nothing but "the caller, the resource in the
// path (:id), maybe a body, one service call, its answer": a route then
// names the service method itself, one hop from the route to the rule.

// Read answers what f reads of the resource :id.
func Read[Out any](f func(context.Context, access.Actor, string) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		out, err := f(c.UserContext(), Actor(c), Param(c, "id"))
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

// List answers the items f lists of the resource :id, as {"items": [...]}.
func List[Item any](f func(context.Context, access.Actor, string) ([]Item, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		out, err := f(c.UserContext(), Actor(c), Param(c, "id"))
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"items": out})
	}
}

// Paged answers the page (?limit=, ?cursor=) f lists of the resource :id.
func Paged[Out any](f func(context.Context, access.Actor, string, domain.Page) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		page, err := Page(c)
		if err != nil {
			return err
		}
		out, err := f(c.UserContext(), Actor(c), Param(c, "id"), page)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

// Mine answers the items f lists for the caller, as {"items": [...]}.
func Mine[Item any](f func(context.Context, access.Actor) ([]Item, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		out, err := f(c.UserContext(), Actor(c))
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"items": out})
	}
}

// Create decodes the body and answers 201 with what f made of it.
func Create[In, Out any](f func(context.Context, access.Actor, In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in In
		if err := Decode(c, &in); err != nil {
			return err
		}
		out, err := f(c.UserContext(), Actor(c), in)
		if err != nil {
			return err
		}
		return Created(c, out)
	}
}

// CreateOn decodes the body and answers 201 with what f made of it under
// the resource :id (a consent of a case, a product of a shop).
func CreateOn[In, Out any](f func(context.Context, access.Actor, string, In) (Out, error)) fiber.Handler {
	return onResource(fiber.StatusCreated, f)
}

// Change decodes the body, lets f apply it to the resource :id and
// answers 200 with the result.
func Change[In, Out any](f func(context.Context, access.Actor, string, In) (Out, error)) fiber.Handler {
	return onResource(fiber.StatusOK, f)
}

func onResource[In, Out any](status int, f func(context.Context, access.Actor, string, In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in In
		if err := Decode(c, &in); err != nil {
			return err
		}
		out, err := f(c.UserContext(), Actor(c), Param(c, "id"), in)
		if err != nil {
			return err
		}
		return c.Status(status).JSON(out)
	}
}

// Because takes {"reason": ...} and answers what f did to the resource :id
// for that reason (a rejection, a recomputed month).
func Because[Out any](f func(context.Context, access.Actor, string, string) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in struct {
			Reason string `json:"reason"`
		}
		if err := Decode(c, &in); err != nil {
			return err
		}
		out, err := f(c.UserContext(), Actor(c), Param(c, "id"), in.Reason)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

// Set decodes the body, lets f store it on the resource :id and answers
// 204.
func Set[In any](f func(context.Context, access.Actor, string, In) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in In
		if err := Decode(c, &in); err != nil {
			return err
		}
		if err := f(c.UserContext(), Actor(c), Param(c, "id"), in); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// SendFile answers a download that no cache may keep (case aggregates,
// payout lists).
func SendFile(c *fiber.Ctx, b []byte, contentType, name string) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b)
}

// XLSX is the content type of a spreadsheet download.
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
