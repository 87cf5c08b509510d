package signal

import (
	"net/netip"
	"testing"
)

func TestFingerprint(t *testing.T) {
	base := Signal{Format: FormatSuricata, Rule: "ET WEB_SERVER SQL Injection", DstIP: netip.MustParseAddr("10.0.0.5"), Labels: map[string]string{"a": "1", "b": "2"}}
	same := base
	same.Labels = map[string]string{"b": "2", "a": "1"}
	same.Title, same.Severity = "different title", High
	other := base
	other.DstIP = netip.MustParseAddr("10.0.0.6")
	keyed := base
	keyed.Key = "abc"
	for _, c := range []struct {
		name string
		a, b Signal
		eq   bool
	}{
		{"label order, title and severity do not matter", base, same, true},
		{"another destination is another alert", base, other, false},
		{"the source's key wins over labels", base, keyed, false},
		{"empty label value differs from a missing label", Signal{Labels: map[string]string{"a": ""}}, Signal{}, false},
	} {
		if got := c.a.Fingerprint() == c.b.Fingerprint(); got != c.eq {
			t.Errorf("%s: equal = %v, want %v", c.name, got, c.eq)
		}
	}
	if got := base.Fingerprint(); len(got) != 32 {
		t.Errorf("fingerprint %q: want 32 hex characters", got)
	}
}
