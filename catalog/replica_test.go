package catalog_test

import (
	"context"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// With a replica, search and browse read it and nothing else; a public
// product the replica does not have yet is read from the primary. The
// replica here is a database of its own that has not caught up at all
// (the streaming one of scripts/services.sh is the next step).
func TestPublicReadsGoToTheReplica(t *testing.T) {
	f := newShopFixture(t)
	p := f.product(t, "Keripik Gadung", "Gadung pilihan", "keripik", 15000, true)
	ctx := context.Background()
	r, err := f.svc.Search(ctx, catalog.Query{Text: "gadung", Page: domain.Page{Limit: 5}})
	if err != nil || len(r.Items) != 1 {
		t.Fatalf("on the primary: %v %v", titles(r), err)
	}
	f.svc.ReadFrom(storagetest.DB(t))
	f.svc.ClearSearchCache()
	for _, q := range []catalog.Query{{Text: "gadung"}, {Category: "makanan"}, {}} {
		q.Page = domain.Page{Limit: 5}
		r, err := f.svc.Search(ctx, q)
		if err != nil || len(r.Items) != 0 {
			t.Errorf("%+v on a replica that has not caught up: %v %v", q, titles(r), err)
		}
	}
	got, err := f.svc.ReadProduct(ctx, access.Actor{}, p.ID)
	if pub, ok := got.(catalog.PublicProduct); err != nil || !ok || pub.Title != "Keripik Gadung" {
		t.Errorf("a product the replica lacks, from the primary: %#v %v", got, err)
	}
}
