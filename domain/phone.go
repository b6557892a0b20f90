package domain

import "regexp"

// phonePattern accepts an Indonesian phone number as people type it:
// 0812 3456 7890, 0812-3456-7890 or +62 812 3456 7890.
var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 -]{7,18}$`)

// ValidPhone tells whether s reads as a phone number.
func ValidPhone(s string) bool { return phonePattern.MatchString(s) }
