// Package api holds the small helpers every domain's JSON handlers share:
// decoding a body into clear validation errors and reading list parameters.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/domain"
)

// Decode reads a JSON body into v. Unknown fields, wrong types and trailing
// data are validation errors that name the field, never a 500.
func Decode(c *fiber.Ctx, v any) error {
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			return domain.Invalid("body", "isi permintaan kosong; kirim JSON")
		case errors.As(err, &typeErr):
			return domain.Invalid(typeErr.Field, "jenis nilai salah: harus %s", typeErr.Type.Kind())
		case errors.As(err, &syntaxErr):
			return domain.Invalid("body", "JSON tidak valid di posisi %d", syntaxErr.Offset)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return domain.Invalid(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "kolom tidak dikenal")
		default:
			return domain.Invalid("body", "JSON tidak valid")
		}
	}
	if dec.More() {
		return domain.Invalid("body", "ada data setelah objek JSON")
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

// Param is a copy of a path parameter, safe to keep after the handler returns.
func Param(c *fiber.Ctx, name string) string {
	return strings.Clone(c.Params(name))
}
