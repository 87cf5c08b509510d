package accounts_test

import (
	"context"
	"os"
	"testing"

	"yingji/internal/store/pgtest"
)

// The helpers below are those of internal/service's tests that the account
// tests use.

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()
