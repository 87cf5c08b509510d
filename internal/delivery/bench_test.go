package delivery_test

import (
	"context"
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"

	"yingji/internal/channel"
	"yingji/internal/channel/chantest"
	"yingji/internal/delivery"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// benchWorld is a database on the real clock (synchronous durability:
// SQLite synchronous=FULL, PostgreSQL's default) with users who have
// e-mail, and an SMTP server in the process.
func benchWorld(b *testing.B, kind string, users int) (*testkit.Env, *chantest.SMTP, *channel.Set, []int64) {
	env := testkit.Open(b, kind)
	env.DB.Now = time.Now
	smtp := chantest.StartSMTP(b, false, "", "")
	set := &channel.Set{BaseURL: "http://10.51.1.5"}
	// A relay on the same host: no TLS, no auth, no rate limit.
	set.Add("email", &channel.Email{Host: smtp.Host, Port: smtp.Port, Security: "none", From: "yj@gaj.example", KeepOpen: 32}, nil, false)
	org := env.Users["duty"].OrgID
	var ids []int64
	err := env.DB.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < users; i++ {
			if err := tx.Exec(`INSERT INTO users (org_id, username, display_name, email, created_at) VALUES (?, ?, ?, ?, ?)`,
				org, fmt.Sprintf("bench%05d", i), fmt.Sprintf("测试%05d", i), fmt.Sprintf("u%05d@gaj.example", i), time.Now().UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	env.DB.Read(ctx, func(q *store.Q) error {
		us, err := q.Users(org)
		for _, u := range us {
			if len(u.Username) == 10 && u.Username[:5] == "bench" {
				ids = append(ids, u.ID)
			}
		}
		return err
	})
	return env, smtp, set, ids
}

func enqueueFor(b *testing.B, env *testkit.Env, ids []int64) {
	err := env.DB.Write(ctx, func(tx *store.Tx) error {
		for _, id := range ids {
			if err := tx.Enqueue(&store.Message{Channel: "inapp", RecipientID: id, Kind: "duty_handover", Body: `{}`}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkOutboxToSMTP: messages already committed to the outbox, routed,
// claimed, sent to a local SMTP server and recorded, by one worker.
// Reports msgs/s.
func BenchmarkOutboxToSMTP(b *testing.B) {
	for _, kind := range testkit.Kinds {
		b.Run(kind, func(b *testing.B) {
			env, smtp, set, ids := benchWorld(b, kind, 1000)
			w := &delivery.Worker{DB: env.DB, Channels: set, Name: "bench", Batch: 200, Concurrency: 32}
			b.ResetTimer()
			start := time.Now()
			sent := 0
			for sent < b.N {
				b.StopTimer()
				n := min(b.N-sent, len(ids))
				enqueueFor(b, env, ids[:n])
				b.StartTimer()
				drain(b, w)
				sent += n
			}
			b.StopTimer()
			if got := len(smtp.Mails()); got != b.N {
				b.Fatalf("%d mails for %d notices", got, b.N)
			}
			_ = start
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// BenchmarkCommitToFirstAttempt: changes commit notices at a steady rate
// while the worker runs as in serve (polling, 200 ms when idle); reports
// the p50 and p99 time from the notice's transaction to its first attempt.
func BenchmarkCommitToFirstAttempt(b *testing.B) {
	for _, kind := range testkit.Kinds {
		b.Run(kind, func(b *testing.B) {
			env, _, set, ids := benchWorld(b, kind, 50)
			w := &delivery.Worker{DB: env.DB, Channels: set, Name: "bench"}
			cctx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { w.Run(cctx); close(done) }()
			b.ResetTimer()
			// b.N changes, each telling 5 people, 50 changes a second.
			tick := time.NewTicker(20 * time.Millisecond)
			for i := 0; i < b.N; i++ {
				<-tick.C
				enqueueFor(b, env, ids[(i*5)%50:(i*5)%50+5])
			}
			tick.Stop()
			want := b.N * 5
			for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if len(deliveries(b, env, store.DeliveryFilter{Status: "sent", Limit: want})) == want {
					break
				}
			}
			b.StopTimer()
			cancel()
			<-done
			var lat []time.Duration
			env.DB.Read(ctx, func(q *store.Q) error {
				ds, err := q.Deliveries(store.DeliveryFilter{Limit: want})
				for _, d := range ds {
					as, _ := q.Attempts(d.ID)
					if len(as) > 0 {
						var created time.Time
						ns, _ := q.Notices(d.RecipientID, 1000)
						for _, n := range ns {
							if n.ID == d.OutboxID {
								created = n.CreatedAt
							}
						}
						lat = append(lat, as[0].StartedAt.Sub(created))
					}
				}
				return err
			})
			if len(lat) != want {
				b.Fatalf("%d of %d attempted", len(lat), want)
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99-ms")
		})
	}
}

// BenchmarkFanOut10000: one change tells 10,000 people (rate limits off);
// reports the time from its commit to the last delivery and the process
// CPU per message (the SMTP server in the same process included).
func BenchmarkFanOut10000(b *testing.B) {
	for _, kind := range testkit.Kinds {
		b.Run(kind, func(b *testing.B) {
			env, smtp, set, ids := benchWorld(b, kind, 10000)
			w := &delivery.Worker{DB: env.DB, Channels: set, Name: "bench", Batch: 500, Concurrency: 32}
			var total, cpu time.Duration
			for i := 0; i < b.N; i++ {
				before := len(smtp.Mails())
				enqueueFor(b, env, ids)
				c0, t0 := cpuTime(), time.Now()
				drain(b, w)
				total += time.Since(t0)
				cpu += cpuTime() - c0
				if got := len(smtp.Mails()) - before; got != len(ids) {
					b.Fatalf("%d mails", got)
				}
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/fanout")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*len(ids)), "cpu-µs/msg")
		})
	}
}
