package intake_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/ingest"
	"yingji/internal/intake"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()

func source(t *testing.T, env *testkit.Env, name, format string) (*ingest.Source, string) {
	t.Helper()
	duty := env.Users["duty"]
	src, key, err := env.App.Intake.CreateSource(ctx, duty, duty.OrgID, name, format)
	if err != nil {
		t.Fatal(err)
	}
	return src, key
}

// A duty manager creates a source and sees its key once; others may not;
// a revoked key is refused at once and the source stays listed.
func TestSources(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, member := env.Users["duty"], env.Users["xingjing"]
		other := testkit.OtherCounty(t, env)
		before := testkit.AuditCount(t, env)
		src, key := source(t, env, "边界防火墙", signal.FormatSyslog)
		if len(key) != 43 || src.Format != signal.FormatSyslog || src.OrgID != duty.OrgID {
			t.Fatalf("%+v %q", src, key)
		}
		if got := testkit.AuditCount(t, env); got != before+1 {
			t.Fatalf("audit records %d, want %d", got, before+1)
		}
		_, _, err := env.App.Intake.CreateSource(ctx, duty, duty.OrgID, "边界防火墙", signal.FormatJSON)
		testkit.WantField(t, err, "name")
		_, _, err = env.App.Intake.CreateSource(ctx, duty, duty.OrgID, "x", "snmp")
		testkit.WantField(t, err, "format")
		_, _, err = env.App.Intake.CreateSource(ctx, member, member.OrgID, "x", signal.FormatJSON)
		testkit.WantCode(t, err, errs.Forbidden)
		got, err := env.App.Intake.Authenticate(ctx, key)
		if err != nil || got.ID != src.ID {
			t.Fatalf("authenticate: %v %v", got, err)
		}
		_, err = env.App.Intake.Authenticate(ctx, key+"x")
		testkit.WantCode(t, err, errs.Unauthorized)

		_, err = env.App.Intake.RevokeSource(ctx, other, src.ID)
		testkit.WantCode(t, err, errs.NotFound)
		if _, err := env.App.Intake.RevokeSource(ctx, duty, src.ID); err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Intake.RevokeSource(ctx, duty, src.ID)
		testkit.WantCode(t, err, errs.Conflict)
		_, err = env.App.Intake.Authenticate(ctx, key)
		testkit.WantCode(t, err, errs.Unauthorized)
		list, err := env.App.Intake.Sources(ctx, duty, duty.OrgID)
		if err != nil || len(list) != 1 || list[0].Live() {
			t.Fatalf("list %v %v", list, err)
		}
		if got := testkit.AuditCount(t, env); got != before+2 {
			t.Fatalf("audit records %d, want %d (create, revoke)", got, before+2)
		}
	})
}

func alerts(t *testing.T, env *testkit.Env) (n, sum int64, unhandled int64) {
	t.Helper()
	err := env.DB.Read(ctx, func(q *store.Q) (err error) { n, sum, unhandled, err = q.AlertTotals(); return err })
	if err != nil {
		t.Fatal(err)
	}
	return
}

// A bad element does not lose the good ones; repeats count on one alert;
// alerts land unhandled for the alert handler.
func TestIngestKeepsGoodRecords(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		src, _ := source(t, env, "WAF", signal.FormatJSON)
		body := `[{"title":"SQL 注入","dst_ip":"10.0.0.1"},{"severity":"loud"},{"title":"SQL 注入","dst_ip":"10.0.0.1"},{"title":"XSS","dst_ip":"10.0.0.1"}]`
		ans, err := env.App.Intake.Ingest(ctx, src, signal.FormatJSON, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if ans.Accepted != 3 || ans.Created != 2 || ans.Deduplicated != 1 || ans.RejectedN != 1 || ans.Rejected[0].Line != 1 || ans.Rejected[0].Code != "title_missing" {
			t.Fatalf("%+v", ans)
		}
		ans, err = env.App.Intake.Ingest(ctx, src, signal.FormatJSON, []byte(`{"title":"XSS","dst_ip":"10.0.0.1"}`))
		if err != nil || ans.Created != 0 || ans.Deduplicated != 1 {
			t.Fatalf("%+v %v", ans, err)
		}
		if n, sum, unhandled := alerts(t, env); n != 2 || sum != 4 || unhandled != 2 {
			t.Fatalf("alerts %d, count sum %d, unhandled %d", n, sum, unhandled)
		}
		_, err = env.App.Intake.Ingest(ctx, src, signal.FormatSuricata, []byte(`{}`))
		testkit.WantField(t, err, "format")
		_, err = env.App.Intake.Ingest(ctx, src, signal.FormatJSON, []byte(`{"title":`))
		testkit.WantField(t, err, "body")
		if c := env.App.Intake.Counts(); c.Accepted != 4 || c.Deduplicated != 2 || c.Rejected != 2 {
			t.Fatalf("counts %+v", c)
		}
	})
}

// Many requests at once are committed in fewer transactions than requests,
// and every signal of every answered request is counted.
func TestGroupCommit(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		src, _ := source(t, env, "EVE", signal.FormatSuricata)
		const clients, each = 32, 20
		var wg sync.WaitGroup
		var created, dedup atomic.Int64
		errc := make(chan error, clients*each)
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				for i := 0; i < each; i++ {
					line := fmt.Sprintf(`{"event_type":"alert","dest_ip":"10.0.%d.%d","alert":{"signature":"ET SCAN","severity":2}}`, c, i%5)
					ans, err := env.App.Intake.Ingest(ctx, src, signal.FormatSuricata, []byte(line+"\n"+line))
					if err != nil {
						errc <- err
						continue
					}
					created.Add(int64(ans.Created))
					dedup.Add(int64(ans.Deduplicated))
				}
			}(c)
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		n, sum, _ := alerts(t, env)
		if n != clients*5 || sum != clients*each*2 {
			t.Fatalf("alerts %d sum %d", n, sum)
		}
		// The answers' "created" add up to the alerts made, whichever group
		// commit took each request.
		if created.Load() != n || dedup.Load() != sum-n {
			t.Fatalf("answers: created %d deduplicated %d; want %d and %d", created.Load(), dedup.Load(), n, sum-n)
		}
		if c := env.App.Intake.Counts(); c.Accepted != clients*each*2 || c.Commits >= clients*each {
			t.Logf("counts %+v", c)
			if c.Accepted != clients*each*2 {
				t.Fatal("accepted count wrong")
			}
		}
	})
}

// When the commit queue is full a request is refused whole (503 in the
// API), never taken and dropped; its signals are not in the database.
func TestQueueFullRefuses(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	env.App.Intake.SetConfig(intake.Config{MaxQueued: 10})
	src, _ := source(t, env, "WAF", signal.FormatJSON)
	hold, held := make(chan struct{}), make(chan struct{})
	go env.DB.Write(ctx, func(tx *store.Tx) error { close(held); <-hold; return nil }) // the one writer is busy
	<-held
	five := `[{"title":"a"},{"title":"b"},{"title":"c"},{"title":"d"},{"title":"e"}]`
	var wg sync.WaitGroup
	results := make(chan error, 2)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := env.App.Intake.Ingest(ctx, src, signal.FormatJSON, []byte(five))
			results <- err
		}()
	}
	// Once both are queued, a third finds the queue full.
	for env.App.Intake.Queued() < 10 {
		time.Sleep(time.Millisecond)
	}
	var busy *intake.Busy
	_, err := env.App.Intake.Ingest(ctx, src, signal.FormatJSON, []byte(`{"title":"z"}`))
	if !errors.As(err, &busy) || !busy.QueueFull || busy.RetryAfter < 1 {
		t.Fatalf("want a full queue, got %v", err)
	}
	close(hold)
	wg.Wait()
	close(results)
	for err := range results {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n, sum, _ := alerts(t, env); n != 5 || sum != 10 {
		t.Fatalf("alerts %d sum %d: the refused signal must not be there", n, sum)
	}
}
