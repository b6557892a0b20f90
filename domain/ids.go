package domain

import "github.com/google/uuid"

// NewID makes an id: a UUIDv7, so ids sort by creation time and serve as
// list cursors. Clients treat ids as opaque strings.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// ValidID tells whether s can be an id. Check before querying, so a malformed
// id from a URL is a 404 and never a database error.
func ValidID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
