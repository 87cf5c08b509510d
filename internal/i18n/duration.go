package i18n

import (
	"fmt"
	"strings"
	"time"
)

// Duration renders a plan duration the way people say it: 7天, 2小时30分钟;
// 7d, 2h30m in English.
func Duration(l Lang, d time.Duration) string {
	if d <= 0 {
		if l == EN {
			return "0m"
		}
		return "0分钟"
	}
	units := []struct {
		size   time.Duration
		zh, en string
	}{{24 * time.Hour, "天", "d"}, {time.Hour, "小时", "h"}, {time.Minute, "分钟", "m"}}
	var b strings.Builder
	for _, u := range units {
		if n := d / u.size; n > 0 {
			if l == EN {
				fmt.Fprintf(&b, "%d%s", n, u.en)
			} else {
				fmt.Fprintf(&b, "%d%s", n, u.zh)
			}
			d -= n * u.size
		}
	}
	if b.Len() == 0 {
		return d.String()
	}
	return b.String()
}
