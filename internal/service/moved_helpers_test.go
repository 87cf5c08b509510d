package service_test

import (
	"time"

	"yingji/internal/report"
)

// Copies of helpers whose tests moved to internal/reports and internal/rota
// (issue 8); the tests left here still use them.

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// ofKind keeps the deadlines of one kind.
func ofKind(ds []report.Deadline, kind string) []report.Deadline {
	var out []report.Deadline
	for _, d := range ds {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	return out
}

func at(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, shanghai) }
