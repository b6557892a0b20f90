package catalog_test

import (
	"context"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// With a replica, search and browse read it and nothing else; a public
// product the replica does not have yet is read from the primary. The
// replica here is a database of its own that has not caught up at all;
// TestTheStreamingReplicaCatchesUp uses the real one.
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

// On the streaming replica of scripts/services.sh: search reads are served
// there (none reach the primary), and what a seller and staff publish on
// the primary is found there once the replica has caught up.
func TestTheStreamingReplicaCatchesUp(t *testing.T) {
	f := newShopFixture(t)
	replica := storagetest.Replica(t, f.db)
	f.svc.ReadFrom(replica)
	ctx := context.Background()
	found := func(word string) bool {
		t.Helper()
		f.svc.ClearSearchCache()
		r, err := f.svc.Search(ctx, catalog.Query{Text: word, Page: domain.Page{Limit: 5}})
		if err != nil {
			t.Fatal(err)
		}
		return len(r.Items) == 1
	}
	onPrimary, onReplica := storagetest.CountStatements(t, f.db.Gorm), storagetest.CountStatements(t, replica.Gorm)
	for i, title := range []string{"Keripik Gadung", "Dodol Salak"} {
		f.product(t, title, "Buatan Sentra", "keripik", 15000, true)
		word := []string{"gadung", "salak"}[i]
		onPrimary.Store(0)
		onReplica.Store(0)
		deadline := time.Now().Add(10 * time.Second)
		for !found(word) {
			if time.Now().After(deadline) {
				t.Fatalf("%q published on the primary is not found on the replica after 10 s", title)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if onPrimary.Load() != 0 || onReplica.Load() == 0 {
			t.Errorf("searching for %q sent %d statements to the primary and %d to the replica; want none and some", word, onPrimary.Load(), onReplica.Load())
		}
	}
}
