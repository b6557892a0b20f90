// Package domain holds the few primitives every domain package shares: the
// error kinds that app maps to HTTP, money in whole rupiah, and the actor who
// performs an action (possibly on a beneficiary's behalf).
package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sentrakreasi/atensi/locale"
)

// The error kinds. Domain code wraps them (fmt.Errorf("reserve stock: %w",
// ErrConflict)) and app.problemFor turns them into one HTTP status each.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
	ErrForbidden    = errors.New("forbidden")
	ErrUnauthorized = errors.New("unauthorized")
	ErrInvalid      = errors.New("invalid input")
	// ErrBadRequest is a request that cannot be read at all (an unsigned
	// webhook), as opposed to one with invalid fields.
	ErrBadRequest = errors.New("bad request")
)

// FieldError says what is wrong with one input field: a catalogue key and
// its arguments, printed in the reader's language by app and the pages.
type FieldError struct {
	Field string
	Key   string
	Args  []any
}

// Text is the field's message in p's language.
func (f FieldError) Text(p *locale.Printer) string { return p.Text(f.Key, f.Args...) }

// ValidationError is an ErrInvalid that lists every bad field at once, so a
// form can show all its messages in one round trip.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Text(locale.For(locale.EN))
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true for every ValidationError.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Add records a problem with a field: the catalogue key of its message and
// the message's arguments.
func (e *ValidationError) Add(field, key string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Key: key, Args: args})
}

// Err returns nil when no field was added, so callers can write
// `return v.Err()` at the end of a validation.
func (e *ValidationError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Invalid is a shortcut for a validation error on a single field.
func Invalid(field, key string, args ...any) error {
	v := &ValidationError{}
	v.Add(field, key, args...)
	return v
}

// ErrRateLimited is wrapped by RateLimitError.
var ErrRateLimited = errors.New("too many attempts")

// RateLimitError says an action is throttled and when it may be tried again.
type RateLimitError struct {
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("too many attempts; retry after %s", e.RetryAfter.Round(time.Second))
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// Localized is an error whose message is meant for the person using the
// product; Text words it in their language.
type Localized interface {
	error
	Text(p *locale.Printer) string
}

// Error is an error of one of the kinds above with a message meant for the
// person using the product: a catalogue key and its arguments, which the
// API shows as the problem's detail in the reader's language.
type Error struct {
	Kind error
	Key  string
	Args []any
}

func (e *Error) Error() string { return e.Text(locale.For(locale.EN)) + ": " + e.Kind.Error() }

// Text is the message in p's language.
func (e *Error) Text(p *locale.Printer) string { return p.Text(e.Key, e.Args...) }

// Unwrap makes errors.Is(err, e.Kind) true.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf makes an Error of kind with the message of key and its arguments.
func Errorf(kind error, key string, args ...any) error {
	return &Error{Kind: kind, Key: key, Args: args}
}
