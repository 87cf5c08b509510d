package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// IngestLoad is the load generator of `yingji bench ingest`: Concurrency
// clients each send Alertmanager webhooks (version 4) of Batch alerts as
// fast as they are answered, for Duration. A share DupRatio of the alerts
// repeat one of 1000 known alerts (dedup work); the rest are new, each with
// a fingerprint never sent before.
//
// The clients share the server's cores, so they are kept cheap: each body
// is put together from alerts encoded once (a new alert gets its own
// fingerprint and instance digits appended), and each client speaks
// HTTP/1.1 keep-alive on its own connection, writing the request with one
// writev and reading the answer with net/http's parser. The server still
// reads, authenticates, parses and commits every alert of every body.
type IngestLoad struct {
	URL, Key    string
	Batch       int
	Concurrency int
	DupRatio    float64
	Duration    time.Duration
}

// IngestResult is what the clients saw.
type IngestResult struct {
	Alerts   int64 // acknowledged: the sum of "accepted" in the 200 answers
	Requests int64
	Refused  int64 // 429 and 503 answers (nothing taken; a client sends again)
	Failed   int64 // other answers, answers that did not accept the whole body, transport errors
	Elapsed  time.Duration
	Latency  Stats         // of the 200 answers
	CPU      time.Duration // the load generator's own CPU (this process, user + system) while it ran
}

var unique atomic.Int64

// webhookBodies puts Alertmanager webhook bodies together from pieces
// encoded once.
type webhookBodies struct {
	head, tail []byte
	known      [][]byte // the 1000 known alerts that duplicates repeat
	r          *rand.Rand
	dup        float64
	batch      int
}

const (
	amHead  = `{"version":"4","groupKey":"{}:{}","truncatedAlerts":0,"status":"firing","receiver":"yingji","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093","alerts":[`
	amAlert = `{"status":"firing","labels":{"alertname":%q,"instance":"10.1.%d.%d:9100","job":"node","severity":"warning"},"annotations":{"summary":"主机 CPU 使用率过高","description":"CPU above 90%% for 5 minutes"},"startsAt":"2026-11-30T02:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph?g0.expr=up","fingerprint":%q}`
	// A new alert: newA + instance digits + newB + unique digits + newC.
	newA = `{"status":"firing","labels":{"alertname":"NewAlert","instance":"10.1.`
	newB = `:9100","job":"node","severity":"warning"},"annotations":{"summary":"主机 CPU 使用率过高","description":"CPU above 90% for 5 minutes"},"startsAt":"2026-11-30T02:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph?g0.expr=up","fingerprint":"new-`
	newC = `"}`
)

func newWebhookBodies(batch int, dup float64, r *rand.Rand) *webhookBodies {
	w := &webhookBodies{head: []byte(amHead), tail: []byte("]}"), r: r, dup: dup, batch: batch}
	for n := 0; n < 1000; n++ {
		w.known = append(w.known, fmt.Appendf(nil, amAlert, fmt.Sprintf("KnownAlert%d", n%20), n/256, n%256, fmt.Sprintf("known-%d", n)))
	}
	return w
}

// body appends one webhook body to b.
func (w *webhookBodies) body(b []byte) []byte {
	b = append(b, w.head...)
	for i := 0; i < w.batch; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		if w.r.Float64() < w.dup {
			b = append(b, w.known[w.r.IntN(len(w.known))]...)
			continue
		}
		b = append(b, newA...)
		b = strconv.AppendInt(b, int64(w.r.IntN(256)), 10)
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(w.r.IntN(256)), 10)
		b = append(b, newB...)
		b = strconv.AppendInt(b, unique.Add(1), 10)
		b = append(b, newC...)
	}
	return append(b, w.tail...)
}

// Run drives the server and reports what the clients saw.
func (l IngestLoad) Run(ctx context.Context) IngestResult {
	var res IngestResult
	u, err := url.Parse(l.URL)
	if err != nil {
		res.Failed++
		return res
	}
	head := "POST " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nAuthorization: Bearer " + l.Key +
		"\r\nContent-Type: application/json\r\nContent-Length: "
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	cpu0 := selfCPU()
	t0 := time.Now()
	deadline := t0.Add(l.Duration)
	for c := 0; c < l.Concurrency; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			bodies := newWebhookBodies(l.Batch, l.DupRatio, rand.New(rand.NewPCG(uint64(c), uint64(t0.UnixNano()))))
			var conn net.Conn
			var br *bufio.Reader
			var hdr, body []byte
			var mine []time.Duration
			for time.Now().Before(deadline) && ctx.Err() == nil {
				if conn == nil {
					var err error
					if conn, err = (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, "tcp", u.Host); err != nil {
						atomic.AddInt64(&res.Failed, 1)
						conn = nil
						time.Sleep(10 * time.Millisecond)
						continue
					}
					br = bufio.NewReaderSize(conn, 4096)
				}
				body = bodies.body(body[:0])
				hdr = strconv.AppendInt(append(hdr[:0], head...), int64(len(body)), 10)
				hdr = append(hdr, "\r\n\r\n"...)
				t1 := time.Now()
				// A server that stops answering ends the request, not the run.
				conn.SetDeadline(t1.Add(time.Minute))
				bufs := net.Buffers{hdr, body}
				_, err := bufs.WriteTo(conn)
				var resp *http.Response
				if err == nil {
					resp, err = http.ReadResponse(br, nil)
				}
				var answer []byte
				if err == nil {
					answer, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				atomic.AddInt64(&res.Requests, 1)
				if err != nil || resp.Close {
					conn.Close()
					conn = nil
				}
				if err != nil {
					atomic.AddInt64(&res.Failed, 1)
					continue
				}
				switch resp.StatusCode {
				case 200:
					// Counted from the answer: what the server says it committed.
					n := accepted(answer)
					if n != int64(l.Batch) {
						atomic.AddInt64(&res.Failed, 1)
					}
					n = max(n, 0) // an answer without the count counts nothing
					mine = append(mine, time.Since(t1))
					atomic.AddInt64(&res.Alerts, n)
				case 429, 503:
					atomic.AddInt64(&res.Refused, 1)
				default:
					atomic.AddInt64(&res.Failed, 1)
				}
			}
			if conn != nil {
				conn.Close()
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	res.Elapsed = time.Since(t0)
	res.CPU = selfCPU() - cpu0
	res.Latency = Summarise(lat)
	return res
}

// accepted reads "accepted" from an ingest answer (-1 when it is missing).
func accepted(answer []byte) int64 {
	_, v, ok := bytes.Cut(answer, []byte(`"accepted":`))
	if !ok {
		return -1
	}
	n := int64(0)
	for _, c := range v {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// selfCPU is this process's user + system CPU time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
			conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, "tcp", addr)
			if err != nil {
				errc <- err
				return
			}
			defer conn.Close()
			conn.SetWriteDeadline(deadline.Add(time.Minute)) // a server that stops reading ends the run
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
