package bulletins_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"yingji/internal/bench"
	"yingji/internal/bulletin"
	"yingji/internal/bulletins"
	"yingji/internal/channel/chantest"
	"yingji/internal/registry"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/web"
)

// bigWorld registers n units, each with its contact person's phone and two
// contacts rows (phone and e-mail): 3n addresses. The units go through the
// store's import path; the contacts rows are bulk rows of a fixture (not
// audited: a benchmark does not verify the chain).
func bigWorld(b *testing.B, env *testkit.Env, n int) int64 {
	b.Helper()
	ctx := context.Background()
	county, err := env.App.Units.OrgIDByName(ctx, "青神县公安局")
	if err != nil {
		b.Fatal(err)
	}
	units := make([]*registry.Unit, n)
	kinds := registry.UnitKinds
	for i := range units {
		units[i] = &registry.Unit{OrgID: county, Name: fmt.Sprintf("测试单位%05d", i), Kind: kinds[i%len(kinds)], Region: fmt.Sprintf("第%d片区", i%12),
			CreditCode: registry.CreditCodeFor(i + 1), ContactName: "联系人", ContactPhone: fmt.Sprintf("139%08d", i)}
	}
	if err := env.DB.Write(ctx, func(tx *store.Tx) error { return tx.InsertUnits(units) }); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	env.DB.Read(ctx, func(q *store.Q) error {
		m, err := q.UnitIDsByCode(county)
		for _, id := range m {
			ids = append(ids, id)
		}
		return err
	})
	const per = 400
	now := env.Clock.Now().UnixMilli()
	for i := 0; i < len(ids); i += per {
		var sb strings.Builder
		sb.WriteString(`INSERT INTO contacts (org_id, unit_id, name, role, phone, email, note, created_at, updated_at) VALUES `)
		for j, id := range ids[i:min(i+per, len(ids))] {
			if j > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "(%d, %d, '网管', '', '137%08d', '', '', %d, %d), (%d, %d, '安全员', '', '', 'sec%d@example.cn', '', %d, %d)",
				county, id, id, now, now, county, id, id, now, now)
		}
		if err := env.DB.Raw(ctx, sb.String()); err != nil {
			b.Fatal(err)
		}
	}
	return county
}

func signed(b *testing.B, env *testkit.Env) *bulletin.Bulletin {
	b.Helper()
	ctx := context.Background()
	bl, err := env.App.Bulletins.Draft(ctx, env.Users["duty"], bulletin.Input{Title: "关于防范勒索病毒攻击的通报", Body: "近期发现勒索病毒。", Actions: "立即排查。",
		Deadline: env.Clock.Now().Add(48 * time.Hour), Contact: "张值班", Phone: "028-38800000"})
	if err != nil {
		b.Fatal(err)
	}
	if bl, err = env.App.Bulletins.Sign(ctx, env.Users["chief"], bl.ID); err != nil {
		b.Fatal(err)
	}
	return bl
}

// bigEnv is a world of 10,000 units whose 通报 carry signed links.
func bigEnv(b *testing.B, kind string) *testkit.Env {
	env := testkit.Open(b, kind)
	bigWorld(b, env, 10000)
	env.App.Bulletins.Key = chantest.LinkKey
	return env
}

// every selects every unit kind: all 10,000 units.
var every = bulletin.Selector{Kinds: registry.UnitKinds}

// A 通报 to 10,000 units (30,000 addresses): select, write the recipient
// rows and queue one message per address, in one transaction (goal < 5 s).
//
//	go test ./internal/bulletins -run XXX -bench BenchmarkSend10000Units -benchtime 3x
func BenchmarkSend10000Units(b *testing.B) {
	for _, kind := range testkit.Kinds {
		b.Run(kind, func(b *testing.B) {
			env := bigEnv(b, kind)
			ctx := context.Background()
			for range b.N {
				b.StopTimer()
				bl := signed(b, env)
				b.StartTimer()
				_, p, err := env.App.Bulletins.Send(ctx, env.Users["duty"], bl.ID, every, bulletins.Expect{})
				if err != nil || p.Units != 10000 || p.Addresses != 30000 {
					b.Fatalf("%+v %v", p, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/send")
		})
	}
}

// The office's table of a 通报 sent to 10,000 units: the counts on top and
// one page of 50 (a filter on state, the first pages), p99 over the runs
// (goal < 50 ms).
//
//	go test ./internal/bulletins -run XXX -bench BenchmarkTable10000Units -benchtime 200x
func BenchmarkTable10000Units(b *testing.B) {
	for _, kind := range testkit.Kinds {
		b.Run(kind, func(b *testing.B) {
			env := bigEnv(b, kind)
			ctx := context.Background()
			bl := signed(b, env)
			if _, _, err := env.App.Bulletins.Send(ctx, env.Users["duty"], bl.ID, every, bulletins.Expect{}); err != nil {
				b.Fatal(err)
			}
			filters := []bulletin.TableFilter{{Limit: 50}, {State: "sent", Limit: 50, Offset: 4950}, {Q: "测试单位09", Limit: 50}, {State: "overdue", Limit: 50}}
			var ds []time.Duration
			b.ResetTimer()
			for i := range b.N {
				t0 := time.Now()
				t, err := env.App.Bulletins.Table(ctx, env.Users["duty"], bl.ID, filters[i%len(filters)])
				ds = append(ds, time.Since(t0))
				if err != nil || t.Counts.Units != 10000 {
					b.Fatalf("%v", err)
				}
			}
			s := bench.Summarise(ds)
			b.ReportMetric(float64(s.P99.Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(s.P50.Microseconds())/1000, "p50-ms")
		})
	}
}

// 10,000 units answer their links over real HTTP (32 at a time, as units
// arriving together), each POST one transaction with its timeline entry and
// audit record; every answer is recorded (goal: within one minute).
//
//	go test ./internal/bulletins -run XXX -bench BenchmarkConfirm10000Units -benchtime 1x
func BenchmarkConfirm10000Units(b *testing.B) {
	for _, kind := range testkit.Kinds {
		b.Run(kind, func(b *testing.B) {
			env := bigEnv(b, kind)
			ctx := context.Background()
			// The rate limits of a real server are per client address; here
			// every unit comes from one, so the test server has none.
			srv := httptest.NewServer(web.New(env.App, nil, env.Plan.Location))
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			for range b.N {
				b.StopTimer()
				bl := signed(b, env)
				if _, _, err := env.App.Bulletins.Send(ctx, env.Users["duty"], bl.ID, every, bulletins.Expect{}); err != nil {
					b.Fatal(err)
				}
				t, err := env.App.Bulletins.Table(ctx, env.Users["duty"], bl.ID, bulletin.TableFilter{})
				if err != nil {
					b.Fatal(err)
				}
				// The table pages; read every row for the links.
				var rows []*bulletin.Recipient
				_ = t
				{
					for off := 0; off < 10000; off += 200 {
						p, err := env.App.Bulletins.Table(ctx, env.Users["duty"], bl.ID, bulletin.TableFilter{Offset: off, Limit: 200})
						if err != nil {
							b.Fatal(err)
						}
						rows = append(rows, p.Rows...)
					}
				}
				links := make(chan string, len(rows))
				for _, r := range rows {
					links <- srv.URL + bulletin.LinkPath(chantest.LinkKey, r)
				}
				close(links)
				b.StartTimer()
				var wg sync.WaitGroup
				var mu sync.Mutex
				failed := 0
				for range 32 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for l := range links {
							res, err := client.PostForm(l, url.Values{"action": {"answer"}, "answer": {"checked"}, "notes": {"已排查，未发现感染"}})
							if err == nil {
								res.Body.Close()
							}
							if err != nil || res.StatusCode != http.StatusSeeOther {
								mu.Lock()
								failed++
								mu.Unlock()
							}
						}
					}()
				}
				wg.Wait()
				b.StopTimer()
				t, err = env.App.Bulletins.Table(ctx, env.Users["duty"], bl.ID, bulletin.TableFilter{Limit: 1})
				if err != nil || failed > 0 || t.Counts.Done != 10000 {
					b.Fatalf("failed %d, done %d: %v", failed, t.Counts.Done, err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/1000, "s/10000")
		})
	}
}
