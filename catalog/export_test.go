package catalog

// SetImageJobHook makes every image job call f while it holds its slot,
// so a test can watch how many run at once.
func SetImageJobHook(s *Service, f func()) { s.imageJobHook = f }

// SetSeedChunk makes SeedScale load n products per statement until the
// returned function restores the default.
func SetSeedChunk(n int) (restore func()) {
	old := seedChunk
	seedChunk = n
	return func() { seedChunk = old }
}

// SetSearchPaths sets how many matches a search reads in full and how
// deep it walks before it does, until the returned function restores them.
func SetSearchPaths(exact int64, window int) (restore func()) {
	oldExact, oldWindow := exactMax, walkWindow
	exactMax, walkWindow = exact, window
	return func() { exactMax, walkWindow = oldExact, oldWindow }
}

// ClearSearchCache forgets the cached search answers.
func (s *Service) ClearSearchCache() { s.cache.clear() }

// SetFacetCap sets how many products a facet count reads, until the
// returned function restores it.
func SetFacetCap(n int) (restore func()) {
	old := facetCap
	facetCap = n
	return func() { facetCap = old }
}

// DisableAnswerCache turns the search answer cache off (the word
// dictionary's answers are still reused), as SEARCH_CACHE_TTL=0 does.
func (s *Service) DisableAnswerCache() { s.cache.ttl = 0 }
