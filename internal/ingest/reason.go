package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Reason is why a body or one of its records could not be taken: a stable
// code, which the answer carries beside the text, and the record's own
// details (the field, the bad value cut short, the byte where the JSON
// broke). The sentence is made at the edge in the reader's language from
// the catalogue key ReasonKey(Code): a parser composes no text, and builds
// a Reason only for a reject, never on a good record's path.
type Reason struct {
	Code string
	Args []any
}

// Error is for logs (syslog over TCP/UDP only counts its rejects).
func (r *Reason) Error() string {
	if len(r.Args) == 0 {
		return "intake reject: " + r.Code
	}
	return "intake reject: " + r.Code + " " + fmt.Sprint(r.Args...)
}

// Key is the catalogue key of the reason's sentence.
func (r *Reason) Key() string { return ReasonKey(r.Code) }

// ReasonKey is the catalogue key of a reason code.
func ReasonKey(code string) string { return "intake.reject." + code }

func reason(code string, args ...any) *Reason { return &Reason{Code: code, Args: args} }

// shift moves the byte a JSON reason names by n, for a parser that read
// the text without its first n bytes (blank space).
func (r *Reason) shift(n int) *Reason {
	if (r.Code == "json_syntax" || r.Code == "json_truncated") && len(r.Args) == 1 {
		if off, ok := r.Args[0].(int64); ok {
			r.Args[0] = off + int64(n)
		}
	}
	return r
}

// ReasonCodes are every code a parser gives (docs/intake.md lists them;
// a test checks each has its sentence in the catalogue).
var ReasonCodes = []string{
	"json_syntax", "json_truncated", "field_type", "number_bad",
	"not_webhook", "webhook_version", "not_alert", "alertname_missing", "status_bad", "time_bad",
	"not_eve", "signature_missing", "eve_severity_bad", "ip_bad",
	"not_signal", "title_missing", "severity_bad", "domain_bad",
	"syslog_too_long", "syslog_no_pri", "syslog_bad_pri", "syslog_empty",
	"rfc5424_fields", "rfc5424_sd_missing", "rfc5424_sd_bad", "rfc5424_sd_open",
	"rfc3164_fields", "rfc3164_time",
}

// jsonReason tells text that is not JSON, or JSON cut short, from JSON
// that is not the document wanted (notDoc: that document's code). n is
// the length of what was read, the place a cut-short text ends.
func jsonReason(err error, notDoc string, n int) *Reason {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		if strings.HasPrefix(syn.Error(), "unexpected end of JSON input") {
			return reason("json_truncated", syn.Offset)
		}
		return reason("json_syntax", syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return reason("json_truncated", int64(n))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return reason(notDoc)
		}
		return reason("field_type", cut(typ.Field, 60), typ.Value)
	case strings.Contains(err.Error(), "invalid number literal"):
		// A json.Number field (an EVE port, signature_id, severity)
		// given a string that is not a number; encoding/json names no field.
		return reason("number_bad")
	}
	return reason(notDoc)
}
