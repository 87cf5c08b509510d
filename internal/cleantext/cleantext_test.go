package cleantext

import (
	"testing"
	"unicode/utf8"

	"yingji/internal/errs"
)

func TestOK(t *testing.T) {
	for s, want := range map[string]bool{
		"": true, "青神县人民医院": true, "a\tb\nc\r\n": true, "-测试单位": true, "\u00a0\u200b\U0001F600": true, "\x7f": true,
		"a\x00b": false, "\x1b[31m": false, "\x08": false, "\x1f": false, "\xff": false, "\xc3\x28": false, "\xed\xa0\x80": false, "乙\xe4\xb8": false,
	} {
		if OK(s) != want {
			t.Errorf("OK(%q) = %v", s, !want)
		}
	}
	if e := errs.As(Check("name", "a\x00")); e.Field != "name" || e.Key != Key || e.Code != errs.Invalid {
		t.Fatal(e)
	}
	if Check("name", "ok") != nil {
		t.Fatal("clean text refused")
	}
}

// reference is OK written the obvious way.
func reference(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}

func FuzzOK(f *testing.F) {
	for _, s := range []string{"", "青神", "a\x00", "\xff", "\t\n\r", "\xed\xa0\x80", "\xf4\x90\x80\x80", "乙\xe4\xb8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if OK(s) != reference(s) {
			t.Fatalf("OK(%q) = %v", s, OK(s))
		}
	})
}
