package app

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
)

// demoProduct is one product of the demo catalog.
type demoProduct struct {
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Category    string     `json:"category"`
	Price       domain.IDR `json:"price_idr"`
	Stock       int        `json:"stock"`
}

// demoCatalog is what the demo shops sell, by category group: believable
// names and prices, kept as data in demo_catalog.json.
//
//go:embed demo_catalog.json
var demoCatalogJSON []byte

var demoCatalog = func() map[string][]demoProduct {
	var c map[string][]demoProduct
	if err := json.Unmarshal(demoCatalogJSON, &c); err != nil {
		panic("demo_catalog.json: " + err.Error())
	}
	return c
}()

// categoryColors give each demo photo the colour of its category.
var categoryColors = map[string]color.RGBA{
	"makanan": {201, 120, 40, 255}, "minuman": {110, 62, 38, 255}, "kerajinan": {60, 110, 80, 255},
	"cindera_mata": {150, 60, 110, 255}, "fesyen": {40, 80, 150, 255},
}

// demoPhoto draws a simple product picture: a warm background with the
// category's colour and a pattern varying by n, as a camera JPEG would be.
func demoPhoto(base color.RGBA, n int) []byte {
	const w, h = 480, 360 // small: the demo loads fast, even under the race detector
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2, float64(h)/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := (float64(x)-cx)/cx, (float64(y)-cy)/cy
			r := math.Sqrt(dx*dx + dy*dy)
			stripe := math.Sin(float64(x+y*(n%3+1))/18+float64(n)) * 0.5
			f := math.Max(0, 1-r*0.9) + stripe*0.15
			c := color.RGBA{250, 244, 232, 255}
			if r < 0.55 {
				c = color.RGBA{clamp(float64(base.R) * (0.8 + f*0.4)), clamp(float64(base.G) * (0.8 + f*0.4)), clamp(float64(base.B) * (0.8 + f*0.4)), 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
	return b.Bytes()
}

func clamp(v float64) uint8 { return uint8(math.Max(0, math.Min(255, v))) }

// seedDemoCatalog opens the demo shops and lists the demo catalog in them,
// each product with a processed photo, published.
// A workshop shop's products name their makers (makers[i], nil for a PM's
// own shop, whose PM is the maker). The catalog goes round twice, the
// second time as bundles, for 84 products.
func (a *App) seedDemoCatalog(ctx context.Context, staff access.Actor, shops []catalog.Shop, sellers []access.Actor, makers [][]catalog.Maker) error {
	n := 0
	for round := 0; round < 2; round++ {
		for _, group := range []string{"makanan", "minuman", "kerajinan", "cindera_mata", "fesyen"} {
			for _, dp := range demoCatalog[group] {
				if err := a.seedDemoProduct(ctx, staff, shops, sellers, makers, group, dp, round, n); err != nil {
					return err
				}
				n++
			}
		}
	}
	return nil
}

func (a *App) seedDemoProduct(ctx context.Context, staff access.Actor, shops []catalog.Shop, sellers []access.Actor, makers [][]catalog.Maker,
	group string, dp demoProduct, round, n int) error {
	i := n % len(shops)
	shop, seller := shops[i], sellers[i]
	title, desc, cat, price, stock := dp.Title, dp.Description, dp.Category, dp.Price, dp.Stock
	if round == 1 {
		title, price, stock = title+" (Paket isi 2)", price*19/10, max(1, stock/2)
	}
	in := catalog.ProductInput{Title: &title, Description: &desc, Category: &cat, PriceIDR: &price, Stock: &stock, WeightGrams: ptr(300 + 50*n%700)}
	if makers[i] != nil {
		in.Makers = &makers[i]
	}
	p, err := a.catalog.CreateProduct(ctx, seller, shop.ID, in)
	if err != nil {
		return fmt.Errorf("demo product %s: %w", title, err)
	}
	img, err := a.catalog.UploadImage(ctx, seller, p.ID, bytes.NewReader(demoPhoto(categoryColors[group], n)), "Foto "+title)
	if err != nil {
		return err
	}
	if err := a.catalog.ProcessImage(ctx, img.ID); err != nil {
		return err
	}
	if _, err := a.catalog.Publish(ctx, seller, p.ID); err != nil {
		return fmt.Errorf("publish %s: %w", title, err)
	}
	if _, err := a.catalog.Approve(ctx, staff, p.ID); err != nil {
		return fmt.Errorf("approve %s: %w", title, err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// seedDemoSales records two sales at the Bekasi Sentra's counter, one from
// a PM's shop and one from the LKS workshop (makers 60/40), so the shops
// have money to pay out and the payout pages have something to show.
func (a *App) seedDemoSales(ctx context.Context, head access.Actor) error {
	shelf, err := a.catalog.StoreShelf(ctx, head)
	if err != nil {
		return err
	}
	byTitle := map[string]string{}
	for _, p := range shelf {
		byTitle[p.Title] = p.ID
	}
	for _, sale := range []struct{ title, method string }{{"Keripik Pisang Manis", "cash"}, {"Rengginang Ketan Terasi", "qris"}} {
		id, ok := byTitle[sale.title]
		if !ok {
			return fmt.Errorf("demo sale: no %s on the shelf", sale.title)
		}
		in := orders.SaleInput{Items: []orders.Item{{ProductID: id, Quantity: 2}}, PaymentMethod: sale.method}
		if _, err := a.orders.RecordSale(ctx, head, in); err != nil {
			return fmt.Errorf("demo sale of %s: %w", sale.title, err)
		}
	}
	return nil
}
