package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"

	"yingji/internal/signal"
)

// MaxRecords is the most records (Alertmanager alerts, JSON array
// elements, lines) one body may carry. The body's size is bounded, but a
// record can be three bytes ("{},") and takes a few hundred once decoded:
// without this bound an 8 MiB body of empty objects held about 1 GB while
// it was read. Alertmanager's webhook_config max_alerts keeps it under.
const MaxRecords = 10_000

// TooManyRecords is the error of a body with more than Max records; none
// of its records is taken.
type TooManyRecords struct{ Max int }

func (e *TooManyRecords) Error() string {
	return fmt.Sprintf("more than %d records in one body", e.Max)
}

// checkRecords refuses a body of more than MaxRecords records before it is
// decoded. A cheap bound clears almost every body: an array of n elements
// has at least n-1 commas, a body of n lines at least n-1 line feeds. Only
// a body past it is counted, by encoding/json itself so that the count is
// of what the parser would read (keys matched as it matches them).
func checkRecords(format string, body []byte) error {
	n := 0
	switch format {
	case signal.FormatSuricata, signal.FormatSyslog:
		if bytes.Count(body, []byte{'\n'}) < MaxRecords {
			return nil
		}
		eachLine(body, func(int, []byte) { n++ })
	case signal.FormatAlertmanager, signal.FormatJSON:
		if bytes.Count(body, []byte{','}) < MaxRecords {
			return nil
		}
		var c countedArray
		var err error
		if format == signal.FormatJSON {
			err = json.Unmarshal(body, &c)
		} else {
			var wh struct {
				Alerts *countedArray `json:"alerts"`
			}
			wh.Alerts = &c
			err = json.Unmarshal(body, &wh)
		}
		if err != nil {
			// Not a JSON document. Refused here, with encoding/json's
			// reason, because the Alertmanager fast path would decode the
			// alerts before the syntax error at the end.
			notDoc := "not_signal"
			if format == signal.FormatAlertmanager {
				notDoc = "not_webhook"
			}
			return jsonReason(err, notDoc, len(body))
		}
		n = int(c)
	}
	if n > MaxRecords {
		return &TooManyRecords{Max: MaxRecords}
	}
	return nil
}

// countedArray decodes a JSON array as the number of its elements (a
// value that is not an array counts 0), keeping none of them. Where the
// key is given more than once the largest array counts: the parsers'
// fast path reads the first before it gives up on the repeat.
type countedArray int

func (c *countedArray) UnmarshalJSON(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	if t, err := d.Token(); err != nil || t != json.Delim('[') {
		return nil
	}
	n := countedArray(0)
	for d.More() && n <= MaxRecords { // past it is enough to refuse; encoding/json checked the rest's syntax
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return err
		}
		n++
	}
	*c = max(*c, n)
	return nil
}
