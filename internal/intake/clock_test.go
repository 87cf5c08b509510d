package intake

import (
	"strings"
	"testing"
	"time"

	"yingji/internal/signal"
)

// A device's clock hours ahead or years behind does not become the alert's
// time (and so an incident's discovery time); its own time stays in the detail.
func TestClampTime(t *testing.T) {
	now := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		at      time.Time
		clamped bool
	}{
		{now.Add(-time.Hour), false},
		{now.Add(4 * time.Minute), false},
		{now.Add(8 * time.Hour), true}, // Beijing time sent as UTC
		{time.Unix(0, 0), true},        // rebooted to 1970
		{time.Time{}, false},           // none given: the pipeline's own default
	} {
		sg := signal.Signal{At: c.at, Detail: "x"}
		clampTime(&sg, now)
		if got := sg.At.Equal(now) && !c.at.Equal(now); got != c.clamped {
			t.Errorf("%v: clamped %v, want %v", c.at, got, c.clamped)
		}
		if c.clamped != strings.Contains(sg.Detail, "设备时间") {
			t.Errorf("%v: detail %q", c.at, sg.Detail)
		}
	}
}
