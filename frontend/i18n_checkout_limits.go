package frontend

// Texts of the checkout's limits on unpaid orders.
func init() {
	addTexts(map[string]string{
		"checkout.toomanyunpaid": "Masih ada terlalu banyak pesanan Anda yang belum dibayar. Bayar salah satunya, atau tunggu hingga batal otomatis (paling lama 30 menit), lalu pesan lagi.",
	}, map[string]string{
		"checkout.toomanyunpaid": "You have too many unpaid orders. Pay one of them, or wait until it is cancelled automatically (30 minutes at most), then order again.",
	})
}
