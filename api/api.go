// Package api holds the small helpers every domain's JSON handlers share:
// decoding a body into clear errors, reading list parameters, and
// answering a repeated Idempotency-Key.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
)

// Decode reads a JSON body into v. A body that is not JSON at all (empty,
// broken, truncated, or followed by more data) is domain.ErrBadRequest, a
// 400 (CONTRACT.md); well-formed JSON with an unknown field or a wrong type
// is a validation error naming the field, a 422. Never a 500.
func Decode(c *fiber.Ctx, v any) error {
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			return domain.Errorf(domain.ErrBadRequest, "api.json.empty")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return domain.Errorf(domain.ErrBadRequest, "api.json.truncated")
		case errors.As(err, &syntaxErr):
			return domain.Errorf(domain.ErrBadRequest, "api.json.syntax", syntaxErr.Offset)
		case errors.As(err, &typeErr):
			return domain.Invalid(typeErr.Field, "api.json.type", typeErr.Type.Kind())
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return domain.Invalid(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "api.json.unknownfield")
		default:
			// What is left are values JSON can carry but v cannot hold
			// (say a number too large): well-formed, so a validation error.
			return domain.Invalid("body", "api.json.shape")
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return domain.Errorf(domain.ErrBadRequest, "api.json.trailing")
	}
	return nil
}

// Page reads ?limit= and ?cursor=.
func Page(c *fiber.Ctx) (domain.Page, error) {
	return domain.ParsePage(c.Query("limit"), strings.Clone(c.Query("cursor")))
}

// Created answers 201 with v.
func Created(c *fiber.Ctx, v any) error {
	return c.Status(fiber.StatusCreated).JSON(v)
}

// Actor is who calls and on whose behalf, as the session middleware put it
// into the request's context: the one way handlers and pages ask for it.
// Services take it as an argument, or access.ActorFrom(ctx) where only a
// context reaches them.
func Actor(c *fiber.Ctx) access.Actor { return access.ActorFrom(c.UserContext()) }

// Param is a copy of a path parameter, safe to keep after the handler returns.
func Param(c *fiber.Ctx, name string) string {
	return strings.Clone(c.Params(name))
}

type clientAddrKey struct{}

// SetClientAddr records the caller's address as app worked it out (the
// peer, or the client a trusted proxy names in X-Forwarded-For).
func SetClientAddr(c *fiber.Ctx, addr string) { c.Locals(clientAddrKey{}, addr) }

// ClientAddr is the caller's address: the one SetClientAddr recorded, else
// the peer's. It is safe to keep after the handler returns.
func ClientAddr(c *fiber.Ctx) string {
	if addr, ok := c.Locals(clientAddrKey{}).(string); ok {
		return addr
	}
	return c.Context().RemoteIP().String()
}
