package storage

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/domain"
)

// Page loads one page of a list of what (CONTRACT.md "Lists") from q,
// which the caller has ordered by a unique key and filtered to the rows
// after page.Cursor. It reads one row more than the page to know whether
// another page follows, and then names key of the page's last row as its
// cursor.
func Page[T any](q *gorm.DB, page domain.Page, what string, key func(T) string) (domain.List[T], error) {
	out := domain.List[T]{Items: []T{}}
	if err := q.Limit(page.Limit + 1).Find(&out.Items).Error; err != nil {
		return out, fmt.Errorf("list %s: %w", what, err)
	}
	if len(out.Items) > page.Limit {
		out.Items = out.Items[:page.Limit]
		out.NextCursor = key(out.Items[page.Limit-1])
	}
	return out, nil
}
