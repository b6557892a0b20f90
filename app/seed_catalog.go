package app

import (
	"bytes"
	"context"
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
	title, desc, category string
	price                 domain.IDR
	stock                 int
}

// demoCatalog is what the demo shops sell: believable names and prices.
var demoCatalog = map[string][]demoProduct{
	"makanan": {
		{"Keripik Pisang Manis", "Pisang kepok pilihan, diiris tipis dan digoreng renyah. 200 gram.", "keripik", 18000, 40},
		{"Keripik Singkong Balado", "Singkong renyah dengan bumbu balado pedas manis. 250 gram.", "keripik", 20000, 35},
		{"Keripik Tempe Sagu", "Tempe tipis berbalut tepung sagu. 150 gram.", "keripik", 15000, 30},
		{"Rengginang Ketan Terasi", "Rengginang mentah siap goreng. 500 gram.", "keripik", 25000, 20},
		{"Kue Nastar Nanas", "Nastar lembut dengan selai nanas buatan sendiri. Toples 500 gram.", "kue_kering", 85000, 15},
		{"Kue Putri Salju", "Kue kering berbalut gula halus. Toples 400 gram.", "kue_kering", 70000, 12},
		{"Kastengel Keju", "Kastengel dengan keju edam asli. Toples 400 gram.", "kue_kering", 90000, 10},
		{"Sambal Roa Asap", "Ikan roa asap, cabai, dan bawang. Botol 150 gram.", "sambal", 45000, 25},
		{"Sambal Bawang Pedas", "Sambal bawang goreng super pedas. Botol 150 gram.", "sambal", 30000, 30},
		{"Sambal Cumi Asin", "Cumi asin dengan sambal merah. Botol 180 gram.", "sambal", 50000, 18},
		{"Rempeyek Kacang", "Rempeyek kacang tanah renyah. 250 gram.", "keripik", 22000, 25},
		{"Dodol Betawi", "Dodol ketan hitam khas Betawi. 500 gram.", "makanan", 40000, 20},
	},
	"minuman": {
		{"Kopi Robusta Bubuk", "Kopi robusta sangrai sedang, digiling halus. 250 gram.", "kopi", 55000, 20},
		{"Kopi Arabika Biji", "Arabika sangrai terang. 200 gram biji utuh.", "kopi", 75000, 15},
		{"Wedang Jahe Merah", "Jahe merah, gula aren, dan serai. 10 sachet.", "jamu", 30000, 40},
		{"Wedang Uwuh", "Rempah kayu secang, jahe, cengkih. 10 kantong.", "jamu", 28000, 35},
		{"Kunyit Asam Botol", "Jamu kunyit asam segar. Botol 250 ml.", "jamu", 12000, 30},
		{"Teh Serai Kering", "Daun serai kering untuk diseduh. 50 gram.", "minuman", 18000, 25},
	},
	"kerajinan": {
		{"Batik Tulis Motif Parang", "Kain batik tulis katun primisima 2 x 1,15 m.", "batik", 450000, 4},
		{"Batik Cap Mega Mendung", "Kain batik cap katun 2 x 1,15 m.", "batik", 185000, 8},
		{"Tas Anyam Pandan", "Tas jinjing dianyam dari daun pandan, dengan lapisan kain.", "tas", 120000, 10},
		{"Tas Rajut Benang Katun", "Tas rajut tangan, tali panjang.", "tas", 95000, 12},
		{"Keranjang Rotan Bundar", "Keranjang rotan serbaguna diameter 30 cm.", "anyaman", 85000, 10},
		{"Tikar Anyam Mendong", "Tikar mendong 90 x 180 cm.", "anyaman", 110000, 6},
		{"Talenan Kayu Jati", "Talenan kayu jati bekas, dipoles minyak makanan.", "kayu", 75000, 15},
		{"Sendok Kayu Sonokeling", "Satu set 3 sendok kayu untuk memasak.", "kayu", 45000, 20},
		{"Cangkir Keramik Glasir", "Cangkir keramik buatan tangan, 250 ml.", "keramik", 60000, 12},
		{"Vas Gerabah Ukir", "Vas gerabah tinggi 25 cm dengan ukiran.", "keramik", 95000, 6},
		{"Tempat Pensil Bambu", "Tempat pensil dari potongan bambu.", "kerajinan", 25000, 30},
		{"Lampu Hias Bambu", "Lampu meja dengan kap anyaman bambu.", "kerajinan", 150000, 5},
	},
	"cindera_mata": {
		{"Gantungan Kunci Wayang", "Gantungan kunci kulit bergambar wayang.", "cindera_mata", 15000, 50},
		{"Magnet Kulkas Batik", "Magnet kulkas berlapis kain batik.", "cindera_mata", 12000, 60},
		{"Miniatur Becak Kayu", "Miniatur becak dari kayu, 15 cm.", "cindera_mata", 65000, 10},
		{"Kartu Ucapan Daun Kering", "Kartu ucapan dengan hiasan daun kering.", "cindera_mata", 10000, 40},
		{"Pembatas Buku Batik", "Set 5 pembatas buku kain batik.", "cindera_mata", 20000, 35},
		{"Dompet Koin Tenun", "Dompet koin dari kain tenun ikat.", "cindera_mata", 30000, 25},
	},
	"fesyen": {
		{"Kemeja Batik Pria", "Kemeja batik cap lengan pendek, ukuran M-XL.", "fesyen", 175000, 10},
		{"Selendang Tenun Ikat", "Selendang tenun ikat 180 x 50 cm.", "fesyen", 140000, 8},
		{"Kaos Sablon Sentra", "Kaos katun sablon motif Sentra Kreasi.", "fesyen", 80000, 20},
		{"Masker Kain Batik", "Masker tiga lapis dari kain batik.", "fesyen", 15000, 50},
		{"Ikat Kepala Batik", "Ikat kepala kain batik.", "fesyen", 35000, 15},
		{"Topi Anyaman Pandan", "Topi pantai anyaman pandan.", "fesyen", 60000, 12},
	},
}

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
	title, desc, cat, price, stock := dp.title, dp.desc, dp.category, dp.price, dp.stock
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
