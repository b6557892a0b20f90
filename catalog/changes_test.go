package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/catalog/catalogtest"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// reviewedWorld is a world whose unit reviews products, with one PM shop's
// product on sale and a second shop whose seller is a stranger to it.
func reviewedWorld(t *testing.T) (*catalogtest.World, catalogtest.Shop, catalogtest.Shop, catalog.Product) {
	t.Helper()
	w := catalogtest.New(t)
	shop := w.PMShop(t, "Ani")
	other := w.PMShop(t, "Budi")
	p := w.Product(t, shop, "Tas Anyaman Pandan", 85000, 4)
	if err := w.DB.Gorm.Exec("UPDATE units SET publish_without_review = false WHERE id = ?", w.Unit.ID).Error; err != nil {
		t.Fatal(err)
	}
	return w, shop, other, p
}

// public is the product as an anonymous visitor reads it, or the error.
func public(t *testing.T, w *catalogtest.World, id string) (catalog.PublicProduct, error) {
	t.Helper()
	v, err := w.Catalog.ReadProduct(context.Background(), access.Actor{}, id)
	if err != nil {
		return catalog.PublicProduct{}, err
	}
	pub, ok := v.(catalog.PublicProduct)
	if !ok {
		t.Fatalf("an anonymous read answered %T", v)
	}
	return pub, nil
}

// found is the titles a search finds.
func found(t *testing.T, w *catalogtest.World, text string) []string {
	t.Helper()
	r, err := w.Catalog.Search(context.Background(), catalog.Query{Text: text, Page: domain.Page{Limit: 10}})
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, it := range r.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestStockAndPriceEditsKeepAProductOnSale(t *testing.T) {
	w, shop, _, p := reviewedWorld(t)
	ctx := context.Background()
	price, stock := domain.IDR(90000), 12
	got, err := w.Catalog.UpdateProduct(ctx, shop.Seller, p.ID, catalog.ProductInput{PriceIDR: &price})
	if err != nil || got.Status != catalog.Published || got.Change != nil {
		t.Fatalf("price edit: %v %+v %v, want published without a change", got.Status, got.Change, err)
	}
	// The form sends every field as it was shown, with the stock it showed.
	title, desc, cat, seen := p.Title, p.Description, p.Category, p.Stock
	got, err = w.Catalog.UpdateProduct(ctx, shop.Seller, p.ID, catalog.ProductInput{Title: &title, Description: &desc, Category: &cat,
		PriceIDR: &price, Stock: &stock, StockSeen: &seen})
	if err != nil || got.Status != catalog.Published || got.Change != nil || got.Stock != 12 {
		t.Fatalf("restock through the form: %v %+v stock %d %v", got.Status, got.Change, got.Stock, err)
	}
	pub, err := public(t, w, p.ID)
	if err != nil || pub.PriceIDR != 90000 || pub.StockAvailable != 12 {
		t.Fatalf("public product after the edits: %+v %v, want Rp90.000 and 12 in stock", pub, err)
	}
	if f := found(t, w, "anyaman"); len(f) != 1 {
		t.Errorf("search after the edits: %v, want the product", f)
	}
}

func TestATitleEditWaitsForReviewWhileTheOldTitleSells(t *testing.T) {
	w, shop, _, p := reviewedWorld(t)
	ctx := context.Background()
	title := "Tas Rotan Bekasi"
	got, err := w.Catalog.UpdateProduct(ctx, shop.Seller, p.ID, catalog.ProductInput{Title: &title})
	if err != nil || got.Title != "Tas Anyaman Pandan" || got.Next().Title != title || got.Change.Status != catalog.ChangeDraft {
		t.Fatalf("title edit: %q next %q %+v %v", got.Title, got.Next().Title, got.Change, err)
	}
	if _, err := w.Catalog.Approve(ctx, w.Staff, p.ID); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("approving a change not sent: %v, want conflict", err)
	}
	if got, err = w.Catalog.Publish(ctx, shop.Seller, p.ID); err != nil || got.Change.Status != catalog.ChangePending || got.Status != catalog.Published {
		t.Fatalf("sending the change: %v %+v %v", got.Status, got.Change, err)
	}
	if _, err := w.Catalog.Publish(ctx, shop.Seller, p.ID); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("sending it twice: %v, want conflict", err)
	}
	queue, err := w.Catalog.ReviewQueue(ctx, w.Staff, w.Unit.ID)
	if err != nil || len(queue) != 1 || queue[0].Next().Title != title {
		t.Fatalf("review queue: %d %v", len(queue), err)
	}
	pub, err := public(t, w, p.ID)
	if err != nil || pub.Title != "Tas Anyaman Pandan" {
		t.Fatalf("while waiting, public: %q %v, want the reviewed title", pub.Title, err)
	}
	if f, g := found(t, w, "pandan"), found(t, w, "rotan"); len(f) != 1 || len(g) != 0 {
		t.Fatalf("while waiting, search finds pandan %v and rotan %v: want the published text only", f, g)
	}
	// A reject keeps it on sale as it was; the seller fixes and sends again.
	if got, err = w.Catalog.Reject(ctx, w.Staff, p.ID, "Judul kurang jelas"); err != nil || got.Change.Status != catalog.ChangeRejected || got.Status != catalog.Published {
		t.Fatalf("reject: %v %+v %v", got.Status, got.Change, err)
	}
	if _, err := public(t, w, p.ID); err != nil {
		t.Fatalf("after a rejected change, public: %v", err)
	}
	if _, err := w.Catalog.Publish(ctx, shop.Seller, p.ID); err != nil {
		t.Fatal(err)
	}
	if got, err = w.Catalog.Approve(ctx, w.Staff, p.ID); err != nil || got.Title != title || got.Change != nil {
		t.Fatalf("approve: %q %+v %v", got.Title, got.Change, err)
	}
	if pub, err = public(t, w, p.ID); err != nil || pub.Title != title {
		t.Fatalf("after approval, public: %q %v", pub.Title, err)
	}
	if f, g := found(t, w, "pandan"), found(t, w, "rotan"); len(f) != 0 || len(g) != 1 {
		t.Fatalf("after approval, search finds pandan %v and rotan %v", f, g)
	}
}

func TestPhotosAreEditedDeletedAndReorderedOnlyByTheirShop(t *testing.T) {
	w, shop, other, p := reviewedWorld(t)
	ctx := context.Background()
	live := p.Images[0]
	// A photo uploaded without a description: the change cannot be sent.
	added, err := w.Catalog.UploadImage(ctx, shop.Seller, p.ID, bytes.NewReader(photo(t, 64, 48, 0)), "")
	if err != nil || added.Pending != catalog.PhotoAdded {
		t.Fatalf("upload to a published product: %+v %v, want it added pending review", added, err)
	}
	if _, err := w.Catalog.Publish(ctx, shop.Seller, p.ID); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("sending a photo without a description: %v, want invalid", err)
	}
	for name, err := range map[string]error{
		"caption": func() error {
			_, err := w.Catalog.SetImageAlt(ctx, other.Seller, added.ID, "Tas dari samping")
			return err
		}(),
		"delete": w.Catalog.DeleteImage(ctx, other.Seller, added.ID),
		"order": func() error {
			_, err := w.Catalog.ReorderImages(ctx, other.Seller, p.ID, []string{added.ID, live.ID})
			return err
		}(),
	} {
		if !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("another shop's seller: %s = %v, want not found", name, err)
		}
	}
	if img, err := w.Catalog.SetImageAlt(ctx, shop.Seller, added.ID, "Tas dari samping"); err != nil || img.Alt != "Tas dari samping" {
		t.Fatalf("caption: %+v %v", img, err)
	}
	if img, err := w.Catalog.SetImageAlt(ctx, shop.Seller, live.ID, "Tas anyaman dari depan"); err != nil ||
		img.Alt != "Tas anyaman dari depan" || img.PublishedAlt == nil || *img.PublishedAlt != live.Alt {
		t.Fatalf("a published photo's caption: %+v %v, want the new one waiting", img, err)
	}
	if _, err := w.Catalog.ReorderImages(ctx, shop.Seller, p.ID, []string{added.ID}); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("an order naming one photo of two: %v, want invalid", err)
	}
	got, err := w.Catalog.ReorderImages(ctx, shop.Seller, p.ID, []string{added.ID, live.ID})
	if err != nil || got.Images[0].ID != added.ID {
		t.Fatalf("reorder: %v %v", got.Images, err)
	}
	// Until staff approve, buyers see the reviewed photo as it was.
	pub, err := public(t, w, p.ID)
	if err != nil || len(pub.Images) != 1 || pub.Images[0].ID != live.ID || pub.Images[0].Alt != live.Alt {
		t.Fatalf("public photos while waiting: %+v %v", pub.Images, err)
	}
	if err := w.Catalog.DeleteImage(ctx, shop.Seller, live.ID); err != nil {
		t.Fatal(err)
	}
	if pub, _ = public(t, w, p.ID); len(pub.Images) != 1 || pub.Images[0].ID != live.ID {
		t.Fatalf("a deleted photo stays public until approval: %+v", pub.Images)
	}
	if _, err := w.Catalog.SetImageAlt(ctx, shop.Seller, live.ID, "lagi"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("captioning a deleted photo: %v, want not found", err)
	}
	if _, err := w.Catalog.Publish(ctx, shop.Seller, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Catalog.Approve(ctx, w.Staff, p.ID); err != nil {
		t.Fatal(err)
	}
	pub, err = public(t, w, p.ID)
	if err != nil || len(pub.Images) != 1 || pub.Images[0].ID != added.ID || pub.Images[0].Alt != "Tas dari samping" {
		t.Fatalf("public photos after approval: %+v %v, want only the new one with its caption", pub.Images, err)
	}
}

// A restock typed while checkouts take the same product's stock: nothing
// they took is lost or counted twice, and nothing is oversold.
func TestARestockDuringCheckoutsKeepsStockRight(t *testing.T) {
	w, shop, _, p := reviewedWorld(t)
	ctx := context.Background()
	const buyers = 12
	var wg sync.WaitGroup
	var mu sync.Mutex
	sold := 0
	start := make(chan struct{})
	for range buyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := w.DB.InTx(ctx, func(tx *storage.Tx) error {
				items, err := w.Catalog.Quote(ctx, tx, map[string]int{p.ID: 1})
				if err != nil {
					return err
				}
				return w.Catalog.Take(ctx, tx, items)
			})
			var short *catalog.ErrOutOfStock
			switch {
			case err == nil:
				mu.Lock()
				sold++
				mu.Unlock()
			case errors.As(err, &short):
			default:
				t.Errorf("checkout: %v", err)
			}
		}()
	}
	// The seller saw 4 and made 6 more: 10, whatever sells meanwhile.
	seen, restock := 4, 10
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-start
		if _, err := w.Catalog.UpdateProduct(ctx, shop.Seller, p.ID, catalog.ProductInput{Stock: &restock, StockSeen: &seen}); err != nil {
			t.Errorf("restock: %v", err)
		}
	}()
	close(start)
	wg.Wait()
	if got := w.Stock(t, p.ID); got != 4+6-sold || got < 0 || sold < 4 {
		t.Fatalf("stock %d after %d sold and a restock of 6 over 4: want %d", got, sold, 4+6-sold)
	}
	// The same form sent twice (a double tap) restocks once.
	now := w.Stock(t, p.ID)
	seen, restock = now, now+5
	for range 2 {
		if _, err := w.Catalog.UpdateProduct(ctx, shop.Seller, p.ID, catalog.ProductInput{Stock: &restock, StockSeen: &seen, FormToken: "ketuk-dua-kali-0001"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := w.Stock(t, p.ID); got != now+5 {
		t.Fatalf("a double tap: stock %d, want %d", got, now+5)
	}
}
