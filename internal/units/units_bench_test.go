package units_test

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os"
	"testing"
	"time"

	"yingji/internal/bench"
	"yingji/internal/registry"
	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()

var kinds = []string{"企业", "学校", "医院", "党政机关", "ISP", "IDC", "其他"}

func ledger(from, n int) ([]*registry.Unit, []*registry.Website) {
	units := make([]*registry.Unit, n)
	sites := make([]*registry.Website, n)
	for i := range n {
		k := from + i
		code := registry.CreditCodeFor(k)
		units[i] = &registry.Unit{Name: fmt.Sprintf("青神县第%d号联网单位有限公司", k), Kind: kinds[k%len(kinds)], CreditCode: code,
			Region: "青神县", Address: fmt.Sprintf("青城镇建设路%d号", k), Responsible: "张三", ResponsiblePhone: fmt.Sprintf("138%08d", k),
			ContactName: fmt.Sprintf("联系人%d", k), ContactPhone: fmt.Sprintf("0833-%07d", k%10_000_000), ContactEmail: fmt.Sprintf("sec%d@unit%d.cn", k, k)}
		sites[i] = &registry.Website{Name: fmt.Sprintf("第%d号单位门户网站", k), Domain: fmt.Sprintf("www.unit%d.cn", k), URL: fmt.Sprintf("https://www.unit%d.cn/", k),
			ICP: fmt.Sprintf("川ICP备%08d号-1", k), IPs: []netip.Addr{netip.AddrFrom4([4]byte{10, byte(k >> 16), byte(k >> 8), byte(k)})},
			Hosting: "某云计算有限公司", UnitCode: code, KeySite: k%50 == 0}
	}
	return units, sites
}

// BenchmarkImportXLSX imports a generated XLSX of 50,000 units and their
// 50,000 websites (one workbook, two sheets) into an empty database: reading
// the workbook, the row-by-row report and the one transaction. ns/op is
// the time of one whole import.
func BenchmarkImportXLSX(b *testing.B) {
	units, sites := ledger(1, 50_000)
	var file bytes.Buffer
	if err := registry.WriteXLSX(&file, units, sites); err != nil {
		b.Fatal(err)
	}
	b.Logf("workbook %.1f MiB", float64(file.Len())/(1<<20))
	for _, kind := range testkit.Kinds {
		b.Run(kind, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				env := testkit.Open(b, kind)
				b.StartTimer()
				ut, st, err := registry.ReadXLSX(bytes.NewReader(file.Bytes()), true, true)
				if err != nil {
					b.Fatal(err)
				}
				rep, err := env.App.Units.ImportLedger(ctx, env.Users["duty"], 0, "bench.xlsx", ut, st, false)
				if err != nil || rep.New != 100_000 {
					b.Fatalf("%+v %v", rep, err)
				}
				b.StopTimer() // the import's 100,000 rows are covered by the chain
				if res, err := env.App.AuditLog.VerifyAudit(ctx); err != nil || res.Err != nil || res.Rows < 100_000 {
					b.Fatalf("verify after import: %v %v", err, res.Err)
				}
				b.StartTimer()
			}
		})
	}
}

// seedUnits fills the county with n units and websites through the import path.
func seedUnits(b *testing.B, env *testkit.Env, n int) {
	for from := 1; from <= n; from += 50_000 {
		units, sites := ledger(from, min(50_000, n-from+1))
		var buf bytes.Buffer
		registry.WriteXLSX(&buf, units, sites)
		ut, st, err := registry.ReadXLSX(bytes.NewReader(buf.Bytes()), true, true)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := env.App.Units.ImportLedger(ctx, env.Users["duty"], 0, "seed.xlsx", ut, st, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRegistrySearch searches 100,000 units (and their 100,000
// websites) as the city deputy (who sees both bureaus). Each query is a
// substring of the search text; p99 of single calls is reported as p99-ms.
func BenchmarkRegistrySearch(b *testing.B) {
	testkit.EachB(b, func(b *testing.B, env *testkit.Env) {
		seedUnits(b, env, 100_000)
		city := env.Users["citydeputy"]
		for _, q := range []struct {
			name, q string
			prefix  bool
		}{
			{"prefix-common", "青神县", true},      // every unit: the first page
			{"prefix-rare", "青神县第99999号", true}, // one unit
			{"credit-code", registry.CreditCodeFor(77777), false},
			{"domain", "unit88888", false}, // through the websites
			{"phone", "13800054321", false},
			{"phone-tail", "00054321", false},
			{"no-match", "不存在的单位", false},
			{"contains-common", "联网单位", false},  // every unit: the first page
			{"contains-rare", "第99999号", false}, // one unit, through the index
			{"contains-2chars", "99", false},    // SQLite: too short for trigrams, scans
		} {
			b.Run(q.name, func(b *testing.B) {
				var times []time.Duration
				for b.Loop() {
					t0 := time.Now()
					_, err := env.App.Units.ListUnits(ctx, city, registry.Filter{Q: q.q, Limit: 50, Prefix: q.prefix}, 0)
					times = append(times, time.Since(t0))
					if err != nil {
						b.Fatal(err)
					}
				}
				s := bench.Summarise(times)
				b.ReportMetric(float64(s.P99.Microseconds())/1000, "p99-ms")
			})
		}
	})
}
