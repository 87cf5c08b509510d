package rota_test

import (
	"context"
	"os"
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/registry"
	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// The helpers below are copies of internal/service's test helpers of the
// same names.

func at(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, shanghai) }

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e := errs.As(err)
	if err == nil || e.Code != errs.Invalid || e.Field != field {
		t.Fatalf("want invalid %s, got %v", field, err)
	}
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got nil", code)
	}
	if got := errs.CodeOf(err); got != code {
		t.Fatalf("want %s error, got %s: %v", code, got, err)
	}
}

func unit(n int, name string) *registry.Unit {
	return &registry.Unit{Name: name, Kind: "企业", CreditCode: registry.CreditCodeFor(n), ContactName: "李四", ContactPhone: "028-38800001", ContactEmail: "sec@example.cn"}
}

func auditCount(t *testing.T, env *testkit.Env) int64 {
	t.Helper()
	res, err := env.App.AuditLog.VerifyAudit(ctx)
	if err != nil || res.Err != nil {
		t.Fatalf("verify: %v %v", err, res.Err)
	}
	return res.Records
}
