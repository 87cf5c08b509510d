package app_test

import (
	"context"
	"os"
	"testing"

	"yingji/internal/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()
