package errs

import (
	"errors"
	"strings"
)

// Fields is every field error of one input at once, in the order found,
// one per field: a form shows each next to its field instead of making
// the person fix them one submit at a time. CodeOf and As see the first,
// so a caller that shows one error keeps working.
type Fields []*Error

func (f Fields) Error() string {
	s := make([]string, len(f))
	for i, e := range f {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
}

// Unwrap lets errors.As find each field's error (the first one first).
func (f Fields) Unwrap() []error {
	out := make([]error, len(f))
	for i, e := range f {
		out[i] = e
	}
	return out
}

// Add appends err when it is not nil and its field has no error yet.
func (f *Fields) Add(err error) {
	if err == nil {
		return
	}
	e := As(err)
	for _, x := range *f {
		if x.Field == e.Field {
			return
		}
	}
	*f = append(*f, e)
}

// Err is nil for no errors, the one error for one, f for several.
func (f Fields) Err() error {
	switch len(f) {
	case 0:
		return nil
	case 1:
		return f[0]
	}
	return f
}

// FieldErrors lists the field errors err carries: every one of a Fields,
// or err itself when it names a field; nil otherwise.
func FieldErrors(err error) []*Error {
	var f Fields
	if errors.As(err, &f) {
		return f
	}
	var e *Error
	if errors.As(err, &e) && e.Field != "" {
		return []*Error{e}
	}
	return nil
}
