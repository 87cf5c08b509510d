package timeline

import (
	"strconv"
	"time"

	"yingji/internal/i18n"
)

// lateRegistrationText renders the late-registration entry: when the
// incident was discovered, how long before registration, and the 首报 window.
func lateRegistrationText(l i18n.Lang, d map[string]string) string {
	secs := func(k string) time.Duration {
		n, _ := strconv.ParseInt(d[k], 10, 64)
		return time.Duration(n) * time.Second
	}
	return i18n.T(l, "timeline.late_registration", d["discovered"], i18n.Duration(l, secs("delay_s")), i18n.Duration(l, secs("window_s")))
}
