package domain

import (
	"errors"
	"fmt"
	"testing"
)

func TestValidationErrorIsInvalid(t *testing.T) {
	v := &ValidationError{}
	if v.Err() != nil {
		t.Fatal("an empty validation must not be an error")
	}
	v.Add("email", "is required")
	v.Add("password", "must be at least %d characters", 10)
	err := fmt.Errorf("create user: %w", v.Err())
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("errors.Is(%v, ErrInvalid) = false", err)
	}
	var got *ValidationError
	if !errors.As(err, &got) || len(got.Fields) != 2 || got.Fields[1].Message != "must be at least 10 characters" {
		t.Fatalf("fields lost through wrapping: %#v", got)
	}
}

func TestIDRMinor(t *testing.T) {
	if got := IDR(25000).Minor(); got != 2500000 {
		t.Fatalf("Rp25.000 in minor units = %d, want 2500000", got)
	}
}
