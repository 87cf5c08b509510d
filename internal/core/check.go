package core

import (
	"time"

	"yingji/internal/cleantext"
	"yingji/internal/errs"
)

// EarliestTime is the earliest time a discovery or a duty call may be
// dated: 2000-01-01 00:00 Beijing time. A year 0000 or 1970 is a typing
// slip or an unset clock, and a report would print it as 0年1月1日.
var EarliestTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

// FutureSlack is how far past the transaction's Now a time may lie: clocks
// of the officer's PC and the server differ by a little.
const FutureSlack = 5 * time.Minute

// CheckWhen bounds a time someone typed: not before EarliestTime, not more
// than FutureSlack after now. future is the message key for the latter.
func CheckWhen(field string, t, now time.Time, future string) error {
	if t.Before(EarliestTime) {
		return errs.Field(field, "error.too_early")
	}
	if t.After(now.Add(FutureSlack)) {
		return errs.Field(field, future)
	}
	return nil
}

// CheckText checks a text field: no control characters, present when
// required, at most max characters once trimmed (cleantext.Field). The
// edge (web) refuses such text already; this keeps the CLI and any other
// caller to the same rule (PostgreSQL refuses NUL in text).
func CheckText(field, v string, required bool, max int) error {
	return cleantext.Field(field, v, required, max)
}

// OrErr returns err, or alt when err is nil.
func OrErr(err, alt error) error {
	if err != nil {
		return err
	}
	return alt
}
