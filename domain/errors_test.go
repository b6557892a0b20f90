package domain

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sentrakreasi/atensi/locale"
)

func TestValidationErrorIsInvalid(t *testing.T) {
	v := &ValidationError{}
	if v.Err() != nil {
		t.Fatal("an empty validation must not be an error")
	}
	v.Add("email", "field.email.invalid")
	v.Add("password", "accounts.password.short", 10)
	err := fmt.Errorf("create user: %w", v.Err())
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("errors.Is(%v, ErrInvalid) = false", err)
	}
	var got *ValidationError
	if !errors.As(err, &got) || len(got.Fields) != 2 || got.Fields[1].Text(locale.For(locale.EN)) != "the password needs at least 10 characters" ||
		got.Fields[1].Text(locale.For(locale.ID)) != "kata sandi minimal 10 karakter" {
		t.Fatalf("fields lost through wrapping: %#v", got)
	}
}

func TestIDRMinor(t *testing.T) {
	if got := IDR(25000).Minor(); got != 2500000 {
		t.Fatalf("Rp25.000 in minor units = %d, want 2500000", got)
	}
}
