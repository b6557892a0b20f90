package catalog

// SetImageJobHook makes every image job call f while it holds its slot,
// so a test can watch how many run at once.
func SetImageJobHook(s *Service, f func()) { s.imageJobHook = f }
