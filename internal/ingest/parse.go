package ingest

import (
	"fmt"
	"time"

	"yingji/internal/signal"
)

// Parse reads a body in the source's format. The error is a body that
// cannot be read at all (not the format's document); a bad record inside a
// readable body is a reject in the Result and the good ones are kept. A
// body of more than MaxRecords records is a *TooManyRecords error.
func Parse(format string, body []byte, now time.Time, loc *time.Location) (Result, error) {
	if err := checkRecords(format, body); err != nil {
		return Result{}, err
	}
	switch format {
	case signal.FormatAlertmanager:
		return ParseAlertmanager(body, now)
	case signal.FormatSuricata:
		return ParseSuricata(body, now), nil
	case signal.FormatJSON:
		return ParseJSON(body, now)
	case signal.FormatSyslog:
		return ParseSyslog(body, now, loc), nil
	}
	return Result{}, fmt.Errorf("unknown format %q", format)
}
