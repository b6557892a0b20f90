package domain

import "time"

// Jakarta is the zone of every date and month in the domain (DOMAIN.md:
// a month is a calendar month in Asia/Jakarta time). A machine without
// the zone database still gets WIB, which has had no daylight saving
// since 1964.
var Jakarta = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Jakarta"); err == nil {
		return loc
	}
	return time.FixedZone("WIB", 7*3600)
}()
