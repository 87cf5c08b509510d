// Package errs holds the handful of application error codes that every layer
// speaks. Each code maps to exactly one HTTP status; the human message comes
// from the message catalogue (package i18n) so that it can be shown in Chinese
// or English, while the wrapped cause is only ever logged.
package errs

import (
	"errors"
	"fmt"
)

// Code is a stable, machine-readable error class.
type Code string

const (
	Invalid      Code = "invalid"      // bad input; Field names the culprit
	NotFound     Code = "not_found"    // no such thing, or the actor may not know it exists
	Conflict     Code = "conflict"     // the state moved on (already decided, wrong status, duplicate)
	Forbidden    Code = "forbidden"    // known actor, not allowed
	Unauthorized Code = "unauthorized" // no or bad credentials
	Internal     Code = "internal"     // our fault; details are logged, never shown
)

// Error is an application error. Key and Args select a catalogue message.
type Error struct {
	Code  Code
	Field string // JSON field or form field at fault, if any
	Key   string // message catalogue key
	Args  []any
	Err   error // cause, for logs only
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Key
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if len(e.Args) > 0 {
		s += fmt.Sprint(e.Args)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// New builds an error with a catalogue key.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Field builds an Invalid error that names the offending field.
func Field(field, key string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Key: key, Args: args}
}

// Wrap marks an unexpected failure as Internal, keeping the cause for the log.
func Wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: Internal, Key: "error.internal", Err: fmt.Errorf("%s: %w", what, err)}
}

// CodeOf returns the code of err, Internal for foreign errors.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns err as *Error, turning foreign errors into Internal ones.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Key: "error.internal", Err: err}
}
