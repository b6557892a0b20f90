package catalog

// SetSeedChunk makes SeedScale load n products per statement until the
// returned function restores the default.
func SetSeedChunk(n int) (restore func()) {
	old := seedChunk
	seedChunk = n
	return func() { seedChunk = old }
}
