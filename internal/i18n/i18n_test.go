package i18n

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"": ZH, "zh-CN,zh;q=0.9": ZH, "en-US,en;q=0.8": EN, "fr, en;q=0.5": EN, "de": ZH, "en": EN, "ZH-tw": ZH} {
		if got := Parse(in); got != want {
			t.Errorf("Parse(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d      time.Duration
		zh, en string
	}{
		{30 * time.Minute, "30分钟", "30m"}, {2 * time.Hour, "2小时", "2h"}, {168 * time.Hour, "7天", "7d"},
		{36*time.Hour + 30*time.Minute, "1天12小时30分钟", "1d12h30m"}, {0, "0分钟", "0m"}, {30 * time.Second, "30s", "30s"},
	}
	for _, tt := range tests {
		if got := Duration(ZH, tt.d); got != tt.zh {
			t.Errorf("Duration(ZH, %v) = %s", tt.d, got)
		}
		if got := Duration(EN, tt.d); got != tt.en {
			t.Errorf("Duration(EN, %v) = %s", tt.d, got)
		}
	}
}

// Every message has Chinese text, and English where it differs; a missing
// key renders as itself so that gaps are visible.
func TestCatalogue(t *testing.T) {
	for k, v := range messages {
		if v[0] == "" || v[1] == "" {
			t.Errorf("%s: missing text %q", k, v)
		}
	}
	if T(ZH, "no.such.key") != "no.such.key" {
		t.Error("unknown key")
	}
	if T(EN, "error.too_long", 5) != "Too long: at most 5 characters." {
		t.Error(T(EN, "error.too_long", 5))
	}
}
