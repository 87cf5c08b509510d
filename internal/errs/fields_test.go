package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestFields(t *testing.T) {
	var f Fields
	if f.Err() != nil || FieldErrors(nil) != nil {
		t.Fatal("no errors is nil")
	}
	f.Add(nil)
	f.Add(Field("what", "error.required"))
	if err := f.Err(); CodeOf(err) != Invalid || len(FieldErrors(err)) != 1 {
		t.Fatalf("one: %v", err)
	}
	f.Add(Field("what", "error.too_long")) // a field keeps its first error
	f.Add(Field("phone", "registry.bad_phone"))
	err := fmt.Errorf("submit: %w", f.Err())
	fe := FieldErrors(err)
	if len(fe) != 2 || fe[0].Key != "error.required" || fe[1].Field != "phone" {
		t.Fatalf("several: %v", fe)
	}
	var e *Error
	if !errors.As(err, &e) || e.Field != "what" || As(err).Field != "what" || CodeOf(err) != Invalid {
		t.Fatalf("the first is what callers of one error see: %v", e)
	}
	if FieldErrors(New(Conflict, "x")) != nil {
		t.Error("an error without a field is no field error")
	}
}
