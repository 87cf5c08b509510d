package console

import (
	"testing"
	"time"

	"yingji/internal/i18n"
)

// A countdown past a day says days: the summary is due seven days after
// termination, and a leader read "还有 167 小时 59 分".
func TestCountdownDays(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		l    i18n.Lang
		want string
	}{
		{59 * time.Minute, i18n.ZH, "还有 0 小时 59 分"},
		{23*time.Hour + 59*time.Minute, i18n.ZH, "还有 23 小时 59 分"},
		{7*24*time.Hour - time.Minute, i18n.ZH, "还有 6 天 23 小时"},
		{-(26*time.Hour + 5*time.Minute), i18n.ZH, "已逾期 1 天 2 小时"},
		{-(90 * time.Minute), i18n.ZH, "已逾期 1 小时 30 分"},
		{48 * time.Hour, i18n.EN, "2 d 0 h left"},
	} {
		if got := countdown(c.l, c.d, ""); got != c.want {
			t.Errorf("%v: %q, want %q", c.d, got, c.want)
		}
	}
}
