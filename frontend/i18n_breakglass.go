package frontend

// Texts of who may work on and open a case: tiers, assignment, named
// staff and the emergency read of a closed case.
func init() {
	addTexts(map[string]string{
		"casestaff.title":          "Petugas kasus",
		"casestaff.current":        "Pekerja sosial sekarang",
		"casestaff.assign":         "Berikan kasus kepada",
		"casestaff.assignbutton":   "Pindahkan kasus",
		"casestaff.name":           "Izinkan staf membuka kasus tertutup ini",
		"casestaff.namebutton":     "Tunjuk staf",
		"outcomes.done.assigned":   "Kasus dipindahkan.",
		"outcomes.done.named":      "Staf ditunjuk.",
		"tier.audited":             "biasa (setiap pembukaan identitas dicatat)",
		"tier.protected":           "dilindungi (pekerja sosialnya dan supervisor)",
		"tier.closed":              "tertutup (pekerja sosialnya dan staf yang ditunjuk)",
		"breakglass.title":         "Kasus tertutup",
		"breakglass.lead":          "Kasus ini hanya untuk pekerja sosialnya dan staf yang ditunjuk supervisor, untuk melindungi identitas PM. Dalam keadaan darurat Anda dapat membukanya selama satu jam. Alasan Anda dicatat dan langsung dikirim ke supervisor unit.",
		"breakglass.reason":        "Alasan darurat",
		"breakglass.hint":          "Misalnya: PM dirawat di IGD dan wali perlu dihubungi. Paling sedikit 10 huruf.",
		"breakglass.open":          "Buka dengan akses darurat",
		"outcomes.done.breakglass": "Akses darurat dibuka selama satu jam. Supervisor sudah diberi tahu.",
	}, map[string]string{
		"casestaff.title":          "Who works on the case",
		"casestaff.current":        "Social worker now",
		"casestaff.assign":         "Give the case to",
		"casestaff.assignbutton":   "Move the case",
		"casestaff.name":           "Let a colleague open this closed case",
		"casestaff.namebutton":     "Name staff",
		"outcomes.done.assigned":   "The case was moved.",
		"outcomes.done.named":      "Staff named.",
		"tier.audited":             "ordinary (every opening of the identity is logged)",
		"tier.protected":           "protected (its social worker and supervisors)",
		"tier.closed":              "closed (its social worker and named staff)",
		"breakglass.title":         "Closed case",
		"breakglass.lead":          "This case is open only to its social worker and to staff a supervisor named, to protect the PM's identity. In an emergency you may open it for one hour. Your reason is recorded and sent at once to the unit's supervisors.",
		"breakglass.reason":        "Reason for the emergency",
		"breakglass.hint":          "For example: the PM is in the emergency room and their guardian must be called. At least 10 letters.",
		"breakglass.open":          "Open with emergency access",
		"outcomes.done.breakglass": "Emergency access is open for one hour. The supervisors have been told.",
	})
}
