package locale

import (
	"fmt"
	"time"
)

// WIB is Western Indonesia Time, the product's clock: every time a person
// reads is shown in it, labelled. Indonesia keeps no daylight saving, so a
// fixed zone needs no time zone database.
var WIB = time.FixedZone("WIB", 7*3600)

// Date prints the day of t in WIB the reader's way: "8 Desember 2026",
// "8 December 2026". t is a time.Time, a *time.Time (nil prints nothing)
// or a day written YYYY-MM-DD, which is printed as it is if it is not one.
func (p *Printer) Date(t any) string {
	at, ok := asTime(t)
	if !ok {
		return text(t)
	}
	return p.Text("date.day", at.Day(), p.Text(fmt.Sprintf("earnings.month.%d", at.Month())), at.Year())
}

// DateTime prints t in WIB with its label: "8 Desember 2026 pukul 14.05
// WIB", "8 December 2026 at 14:05 WIB".
func (p *Printer) DateTime(t any) string {
	at, ok := asTime(t)
	if !ok {
		return text(t)
	}
	return p.Text("date.at", p.Date(at), p.Text("date.clock", at.Hour(), at.Minute()))
}

// asTime reads a time a page or email holds, in WIB.
func asTime(t any) (time.Time, bool) {
	switch v := t.(type) {
	case time.Time:
		return v.In(WIB), !v.IsZero()
	case *time.Time:
		if v == nil {
			return time.Time{}, false
		}
		return asTime(*v)
	case *string:
		if v == nil {
			return time.Time{}, false
		}
		return asTime(*v)
	case string:
		// A calendar day is already a WIB day: it is read, not moved.
		d, err := time.ParseInLocation(time.DateOnly, v, WIB)
		return d, err == nil
	}
	return time.Time{}, false
}

// text is what Date prints of a value that is not a time: a string as it
// is, nothing else.
func text(t any) string {
	switch v := t.(type) {
	case string:
		return v
	case *string:
		if v != nil {
			return *v
		}
	}
	return ""
}
