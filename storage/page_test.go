package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

type pagedRow struct{ ID string }

func (pagedRow) TableName() string { return "paged" }

// TestPageWalksAListOnce: following each page's cursor reads every row
// once, in order, and the last page names no next one; an empty list is
// an empty page, not null.
func TestPageWalksAListOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storagetest.DB(t)
	if err := db.Gorm.Exec("CREATE TABLE paged (id text PRIMARY KEY)").Error; err != nil {
		t.Fatal(err)
	}
	first, err := storage.Page(db.Gorm.WithContext(ctx).Order("id"), domain.Page{Limit: 2}, "rows", func(r pagedRow) string { return r.ID })
	if err != nil || first.Items == nil || len(first.Items) != 0 || first.NextCursor != "" {
		t.Fatalf("empty list: %+v %v", first, err)
	}
	if err := db.Gorm.Exec("INSERT INTO paged VALUES ('a'), ('b'), ('c'), ('d'), ('e')").Error; err != nil {
		t.Fatal(err)
	}
	var seen, cursors []string
	page := domain.Page{Limit: 2}
	for range 5 {
		q := db.Gorm.WithContext(ctx).Order("id")
		if page.Cursor != "" {
			q = q.Where("id > ?", page.Cursor)
		}
		got, err := storage.Page(q, page, "rows", func(r pagedRow) string { return r.ID })
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range got.Items {
			seen = append(seen, r.ID)
		}
		cursors = append(cursors, got.NextCursor)
		if got.NextCursor == "" {
			break
		}
		page.Cursor = got.NextCursor
	}
	if strings.Join(seen, " ") != "a b c d e" || strings.Join(cursors, ",") != "b,d," {
		t.Errorf("rows %v, cursors %q; want a to e once, cursors b, d and none", seen, cursors)
	}
}
