package ingest

import (
	"fmt"
	"strings"
	"testing"
)

// A signal with more labels than are kept gets the same labels, and so the
// same fingerprint, every time it is sent: which are kept must not follow
// Go's map order.
func TestManyLabelsKeepTheSameFingerprint(t *testing.T) {
	var pairs []string
	for i := range MaxLabels + 8 {
		pairs = append(pairs, fmt.Sprintf(`"l%02d":"v%d"`, i, i))
	}
	// Two names that clean to the same one ("dup" and "dup" with a control
	// character): the first in byte order wins.
	pairs = append(pairs, `"dup":"plain"`, `"dup\u0007":"bell"`)
	body := `{"title":"t","labels":{` + strings.Join(pairs, ",") + `}}`
	var first string
	for range 50 {
		res, err := ParseJSON([]byte(body), now)
		if err != nil || len(res.Signals) != 1 {
			t.Fatalf("%v %+v", err, res)
		}
		s := res.Signals[0]
		if len(s.Labels) != MaxLabels {
			t.Fatalf("%d labels kept, want %d", len(s.Labels), MaxLabels)
		}
		// Byte order: "dup" < "dup\a" < "l00" < …; "dup\a" cleans to "dup",
		// which is taken, so dup and l00–l30 are kept.
		if s.Labels["dup"] != "plain" || s.Labels["l30"] != "v30" || s.Labels["l31"] != "" {
			t.Fatalf("kept %v", s.Labels)
		}
		fp := s.Fingerprint()
		if first == "" {
			first = fp
		} else if fp != first {
			t.Fatalf("fingerprint %s, then %s", first, fp)
		}
	}
}
