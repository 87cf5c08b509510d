package rota_test

import (
	"context"
	"os"
	"testing"
	"time"

	"yingji/internal/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// The helpers below are copies of internal/service's test helpers of the
// same names.

func at(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, shanghai) }
