package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"yingji/internal/incidents"
	"yingji/internal/testkit"
	"yingji/internal/web"
)

// BenchmarkNoteWithStreams measures how long writing a note takes while
// live-update streams of one session are open: half watch the incident,
// half the overview (finding 5 of issue 9: with 1,000 polling streams the
// p50 went from 2 ms to 457 ms). Run:
//
//	go test ./internal/web -run '^$' -bench NoteWithStreams -benchtime 200x
//
// It uses only web.New and the service, so it also runs on older code.
func BenchmarkNoteWithStreams(b *testing.B) {
	for _, n := range []int{0, 1000} {
		b.Run(fmt.Sprintf("streams=%d", n), func(b *testing.B) { benchNote(b, n) })
	}
}

func benchNote(b *testing.B, streams int) {
	env := testkit.Open(b, "sqlite")
	ctx := context.Background()
	in, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{
		Title: "县政府门户网站遭受DDoS攻击", Category: "network_attack", Level: 3,
		DiscoveredAt: env.Clock.Now().Add(-10 * time.Minute), DiscoveryMethod: "网站监测告警", Description: "访问中断约20分钟",
	})
	if err != nil {
		b.Fatal(err)
	}
	sess, err := env.App.Accounts.Login(ctx, "duty", testkit.Password, "bench")
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(web.New(env.App, nil, env.Plan.Location))
	defer srv.Close()
	cl := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: streams}}
	var ready, ended sync.WaitGroup
	var changes atomic.Int64
	for i := 0; i < streams; i++ {
		path := "/events"
		if i%2 == 0 {
			path += "?incident=" + strconv.FormatInt(in.ID, 10)
		}
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: "yingji_session", Value: sess.Token})
		res, err := cl.Do(req)
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("stream %d: %v %v", i, err, res)
		}
		ready.Add(1)
		ended.Add(1)
		go func() {
			defer ended.Done()
			sc := bufio.NewScanner(res.Body)
			first := true
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "event: ") && first {
					first = false
					ready.Done()
				} else if sc.Text() == "event: change" {
					changes.Add(1)
				}
			}
		}()
		defer res.Body.Close()
	}
	ready.Wait()
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Notes come at a person's pace, not back to back: each is timed
		// against streams that have settled after the one before.
		b.StopTimer()
		time.Sleep(20 * time.Millisecond)
		b.StartTimer()
		t0 := time.Now()
		if _, err := env.App.Incidents.AddNote(ctx, env.Users["duty"], in.ID, "第 "+strconv.Itoa(i)+" 次处置进展"); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(durs)
	pct := func(p float64) float64 { return float64(durs[int(float64(len(durs)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(durs[len(durs)-1].Microseconds())/1000, "max-ms")
	if streams > 0 {
		b.ReportMetric(float64(changes.Load())/float64(streams), "events/stream")
	}
}
