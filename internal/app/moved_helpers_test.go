package app_test

import (
	"time"
)

// Copies of helpers whose tests moved to internal/reports and internal/rota
// (issue 8); the tests left here still use them.

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func at(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, shanghai) }
