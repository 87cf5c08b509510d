// Package httpx holds what the API and the console share: problem details
// and the status of each error code, strict JSON decoding, the clean-text
// checks of bodies, queries and forms, the transport limits and the rate
// limiters and stream counter they need. It imports neither side.
package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"yingji/internal/errs"
	"yingji/internal/i18n"
)

// Status maps each application error code to its one HTTP status.
var Status = map[errs.Code]int{
	errs.Invalid:      http.StatusBadRequest,
	errs.NotFound:     http.StatusNotFound,
	errs.Conflict:     http.StatusConflict,
	errs.Forbidden:    http.StatusForbidden,
	errs.Unauthorized: http.StatusUnauthorized,
	errs.Internal:     http.StatusInternalServerError,
}

// Problem is an RFC 9457 problem details document with yingji's stable code
// and the offending field.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Code   string `json:"code"`
	Field  string `json:"field,omitempty"`
	Key    string `json:"message_key"`
}

// WriteProblem writes err as problem details; internal causes go to log only.
func WriteProblem(log *slog.Logger, w http.ResponseWriter, r *http.Request, err error) {
	e := errs.As(err)
	st := Status[e.Code]
	if e.Code == errs.Internal {
		log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	lang := i18n.Parse(r.Header.Get("Accept-Language"))
	p := Problem{
		Type: "https://yingji.local/problems/" + string(e.Code), Title: http.StatusText(st), Status: st,
		Detail: i18n.T(lang, e.Key, e.Args...), Code: string(e.Code), Field: e.Field, Key: e.Key,
	}
	if e.Code == errs.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="yingji"`)
	}
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(st)
	json.NewEncoder(w).Encode(p)
}

// WriteJSON writes v as the JSON body of a response with status st.
func WriteJSON(w http.ResponseWriter, st int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(st)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// Decode reads a JSON body strictly: unknown fields and trailing data are
// errors that name what is wrong, and a body over 1 MiB is refused.
func Decode(r *http.Request, v any) error {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		return errs.Field("body", "error.body_too_large")
	} else if err != nil {
		return &errs.Error{Code: errs.Invalid, Field: "body", Key: "error.bad_json", Args: []any{err.Error()}}
	}
	// Refused before decoding: encoding/json would turn invalid UTF-8 into
	// U+FFFD and keep NUL (text.go).
	if err := checkJSONText(raw); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typ):
			return &errs.Error{Code: errs.Invalid, Field: typ.Field, Key: "error.bad_json", Args: []any{typ.Field + ": " + typ.Value}}
		case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return &errs.Error{Code: errs.Invalid, Field: "body", Key: "error.bad_json", Args: []any{err.Error()}}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return errs.Field(f, "error.unknown_field", f)
		}
		return &errs.Error{Code: errs.Invalid, Field: "body", Key: "error.bad_json", Args: []any{err.Error()}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &errs.Error{Code: errs.Invalid, Field: "body", Key: "error.bad_json", Args: []any{"trailing data"}}
	}
	return nil
}

// PathID reads a numeric path segment.
func PathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field(name, "error.bad_id", v)
	}
	return id, nil
}

// WriteStatusProblem writes a problem for a status that no application
// error code maps to (405, 413, 429): transport answers, not use-case ones.
func WriteStatusProblem(w http.ResponseWriter, r *http.Request, st int, code, key string, args ...any) {
	lang := i18n.Parse(r.Header.Get("Accept-Language"))
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(st)
	json.NewEncoder(w).Encode(Problem{Type: "https://yingji.local/problems/" + code, Title: http.StatusText(st), Status: st,
		Detail: i18n.T(lang, key, args...), Code: code, Key: key})
}
