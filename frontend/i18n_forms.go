package frontend

// Texts of the error pages for a request the visitor can fix, and of forms
// answered again with a field marked.
func init() {
	addTexts(map[string]string{
		"error.400":     "Permintaan tidak dapat dibaca. Muat ulang halaman lalu coba lagi.",
		"error.409":     "Permintaan bertentangan dengan keadaan data saat ini. Muat ulang halaman lalu coba lagi.",
		"error.413":     "Berkas atau isian terlalu besar. Foto paling besar 10 MB: perkecil fotonya lalu kirim lagi.",
		"error.422":     "Isian tidak dapat diterima. Kembali, periksa isiannya, lalu coba lagi.",
		"error.request": "Permintaan tidak dapat diproses. Kembali lalu coba lagi.",
		"error.goback":  "Kembali ke halaman sebelumnya",

		"sellorders.done.ship":    "Pesanan ditandai dikirim.",
		"sellorders.done.deliver": "Pesanan ditandai sudah sampai.",
	}, map[string]string{
		"error.400":     "The request could not be read. Reload the page and try again.",
		"error.409":     "The request conflicts with the current state of the data. Reload the page and try again.",
		"error.413":     "The file or form is too large. Photos may be up to 10 MB: make the photo smaller and send it again.",
		"error.422":     "The form could not be accepted. Go back, check what you entered and try again.",
		"error.request": "The request could not be processed. Go back and try again.",
		"error.goback":  "Back to the previous page",

		"sellorders.done.ship":    "Order marked as shipped.",
		"sellorders.done.deliver": "Order marked as delivered.",
	})
}
