package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// IngestLoad is the load generator of `yingji bench ingest`: Concurrency
// clients each send Alertmanager webhooks (version 4) of Batch alerts as
// fast as they are answered, for Duration. A share DupRatio of the alerts
// repeat one of 1000 known alerts (dedup work); the rest are new.
type IngestLoad struct {
	URL, Key    string
	Batch       int
	Concurrency int
	DupRatio    float64
	Duration    time.Duration
}

// IngestResult is what the clients saw.
type IngestResult struct {
	Alerts   int64 // acknowledged (accepted in 200 answers)
	Requests int64
	Refused  int64 // 429 and 503 answers (nothing taken; a client sends again)
	Failed   int64 // other answers and transport errors
	Elapsed  time.Duration
	Latency  Stats // of the 200 answers
}

var unique atomic.Int64

func amAlert(b *strings.Builder, dup bool, r *rand.Rand) {
	var name, fp string
	if dup {
		n := r.IntN(1000)
		name, fp = fmt.Sprintf("KnownAlert%d", n%20), fmt.Sprintf("known-%d", n)
	} else {
		n := unique.Add(1)
		name, fp = "NewAlert", fmt.Sprintf("new-%d-%d", n, r.Int64())
	}
	fmt.Fprintf(b, `{"status":"firing","labels":{"alertname":%q,"instance":"10.1.%d.%d:9100","job":"node","severity":"warning"},"annotations":{"summary":"主机 CPU 使用率过高","description":"CPU above 90%% for 5 minutes"},"startsAt":"2026-11-30T02:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph?g0.expr=up","fingerprint":%q}`,
		name, r.IntN(256), r.IntN(256), fp)
}

func (l IngestLoad) body(r *rand.Rand) string {
	var b strings.Builder
	b.Grow(400 * l.Batch)
	b.WriteString(`{"version":"4","groupKey":"{}:{}","truncatedAlerts":0,"status":"firing","receiver":"yingji","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093","alerts":[`)
	for i := 0; i < l.Batch; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		amAlert(&b, r.Float64() < l.DupRatio, r)
	}
	b.WriteString("]}")
	return b.String()
}

// Run drives the server and reports what the clients saw.
func (l IngestLoad) Run(ctx context.Context) IngestResult {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: l.Concurrency, MaxConnsPerHost: l.Concurrency}, Timeout: time.Minute}
	var res IngestResult
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	t0 := time.Now()
	deadline := t0.Add(l.Duration)
	for c := 0; c < l.Concurrency; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), uint64(t0.UnixNano())))
			var mine []time.Duration
			for time.Now().Before(deadline) && ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "POST", l.URL, strings.NewReader(l.body(r)))
				req.Header.Set("Authorization", "Bearer "+l.Key)
				req.Header.Set("Content-Type", "application/json")
				t1 := time.Now()
				resp, err := client.Do(req)
				atomic.AddInt64(&res.Requests, 1)
				if err != nil {
					atomic.AddInt64(&res.Failed, 1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch resp.StatusCode {
				case 200:
					mine = append(mine, time.Since(t1))
					atomic.AddInt64(&res.Alerts, int64(l.Batch)) // every alert of the body is well formed
				case 429, 503:
					atomic.AddInt64(&res.Refused, 1)
				default:
					atomic.AddInt64(&res.Failed, 1)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	res.Elapsed = time.Since(t0)
	res.Latency = Summarise(lat)
	return res
}

// SyslogLoad sends RFC 5424 messages with octet counting over Conns TCP
// connections for Duration, as fast as the server reads them (TCP holds a
// sender back when intake is busy), a share DupRatio repeating known ones.
func SyslogLoad(ctx context.Context, addr string, conns int, dupRatio float64, d time.Duration) (sent int64, err error) {
	var wg sync.WaitGroup
	var total atomic.Int64
	errc := make(chan error, conns)
	deadline := time.Now().Add(d)
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				errc <- err
				return
			}
			defer conn.Close()
			w := bufio.NewWriterSize(conn, 64<<10)
			r := rand.New(rand.NewPCG(uint64(c), 7))
			var n int64
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				msg := fmt.Sprintf("<164>1 2026-11-30T10:00:00.000+08:00 fw%d.xx.gov.cn waf - ATTACK - blocked request %d from 203.0.113.%d", c, unique.Add(1), r.IntN(256))
				if r.Float64() < dupRatio {
					msg = fmt.Sprintf("<164>1 2026-11-30T10:00:00.000+08:00 fw%d.xx.gov.cn waf - ATTACK - known attack %d", c, r.IntN(1000))
				}
				fmt.Fprintf(w, "%d %s", len(msg), msg)
				n++
			}
			w.Flush()
			total.Add(n)
		}(c)
	}
	wg.Wait()
	close(errc)
	return total.Load(), <-errc
}
