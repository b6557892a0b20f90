package domain

import "strconv"

// Page is a request for one page of a list (CONTRACT.md "Lists"): at most
// Limit items after the opaque Cursor.
type Page struct {
	Limit  int
	Cursor string
}

// DefaultLimit and MaxLimit bound every list.
const (
	DefaultLimit = 24
	MaxLimit     = 100
)

// ParsePage reads ?limit= and ?cursor=.
func ParsePage(limit, cursor string) (Page, error) {
	p := Page{Limit: DefaultLimit, Cursor: cursor}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxLimit {
			return p, Invalid("limit", "field.limit", MaxLimit)
		}
		p.Limit = n
	}
	return p, nil
}

// List is one page of items and the cursor of the next page ("" at the end).
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}
