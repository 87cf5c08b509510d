package reports_test

import (
	"context"
	"os"
	"testing"

	"yingji/internal/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()

// The helpers below are copies of internal/service's test helpers of the
// same names.
