package frontend

// Texts of the search page.
func init() {
	addTexts(map[string]string{
		"search.corrected": "Menampilkan hasil untuk “%s”",
		"search.nomatch":   "Tidak ada produk untuk “%s”. Coba kata lain, atau lihat produk per kategori:",
		"search.facets":    "Kategori",
	}, map[string]string{
		"search.corrected": "Showing results for “%s”",
		"search.nomatch":   "No products for “%s”. Try another word, or browse a category:",
		"search.facets":    "Categories",
	})
}
