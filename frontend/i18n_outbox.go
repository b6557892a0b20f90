package frontend

// Texts of the admin's outbox page.
func init() {
	addTexts(map[string]string{
		"outbox.title":   "Pesan tersimpan",
		"outbox.lead":    "Pesan yang belum terkirim: menunggu giliran, tidak dikirim karena server SMTP belum diatur, atau gagal. Terbaru di atas.",
		"outbox.to":      "untuk",
		"outbox.pending": "menunggu dikirim",
		"outbox.kept":    "disimpan",
		"outbox.failed":  "gagal dikirim",
		"outbox.none":    "Tidak ada pesan tersimpan.",
		"nav.outbox":     "Pesan tersimpan",
	}, map[string]string{
		"outbox.title":   "Kept messages",
		"outbox.lead":    "Messages not sent: waiting their turn, not sent because no SMTP server is set, or failed. Newest first.",
		"outbox.to":      "to",
		"outbox.pending": "waiting to be sent",
		"outbox.kept":    "kept",
		"outbox.failed":  "failed",
		"outbox.none":    "No kept messages.",
		"nav.outbox":     "Kept messages",
	})
}
