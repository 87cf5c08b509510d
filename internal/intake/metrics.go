package intake

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"yingji/internal/store"
)

// Stats are this node's intake counters since it started.
type Stats struct {
	accepted, rejected, deduplicated, skipped atomic.Int64
	refusedRate, refusedQueue, refusedRecords atomic.Int64
	syslogDropped                             atomic.Int64
	mu                                        sync.Mutex
	commits, committed                        int64
	latency                                   [len(latencyBuckets) + 1]int64
	latencySum                                float64
}

// latencyBuckets are the commit latency histogram's upper bounds, seconds.
var latencyBuckets = [...]float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

func (st *Stats) observeCommit(d time.Duration, requests, signals int) {
	sec := d.Seconds()
	st.mu.Lock()
	defer st.mu.Unlock()
	st.commits++
	st.committed += int64(signals)
	st.latencySum += sec
	i := 0
	for i < len(latencyBuckets) && sec > latencyBuckets[i] {
		i++
	}
	st.latency[i]++
}

// Counts is a snapshot of the counters, for tests and the benchmark.
type Counts struct {
	Accepted, Rejected, Deduplicated, Skipped, RefusedRate, RefusedQueue, Commits int64
}

// Counts returns the counters now.
func (s *Service) Counts() Counts {
	st := &s.stats
	st.mu.Lock()
	commits := st.commits
	st.mu.Unlock()
	return Counts{Accepted: st.accepted.Load(), Rejected: st.rejected.Load(), Deduplicated: st.deduplicated.Load(), Skipped: st.skipped.Load(),
		RefusedRate: st.refusedRate.Load(), RefusedQueue: st.refusedQueue.Load(), Commits: commits}
}

// WriteMetrics writes the intake metrics in Prometheus text format 0.0.4.
// Counters are this node's since it started; alerts open is read from the
// database, so every node reports the same figure.
func (s *Service) WriteMetrics(ctx context.Context, w io.Writer) error {
	var open int64
	err := s.DB.Read(ctx, func(q *store.Q) (err error) { open, err = q.OpenAlerts(); return err })
	if err != nil {
		return err
	}
	st := &s.stats
	counter := func(name, help string, v int64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	counter("yingji_intake_signals_accepted_total", "Signals committed on their alerts.", st.accepted.Load())
	counter("yingji_intake_signals_rejected_total", "Records rejected as malformed (bodies that could not be read count once).", st.rejected.Load())
	counter("yingji_intake_signals_deduplicated_total", "Accepted signals that counted on an alert already there.", st.deduplicated.Load())
	counter("yingji_intake_records_skipped_total", "Records not meant as signals (Suricata events other than alerts).", st.skipped.Load())
	fmt.Fprintf(w, "# HELP yingji_intake_requests_refused_total Requests refused without taking anything, by reason.\n# TYPE yingji_intake_requests_refused_total counter\n")
	fmt.Fprintf(w, "yingji_intake_requests_refused_total{reason=\"rate\"} %d\n", st.refusedRate.Load())
	fmt.Fprintf(w, "yingji_intake_requests_refused_total{reason=\"queue_full\"} %d\n", st.refusedQueue.Load())
	fmt.Fprintf(w, "yingji_intake_requests_refused_total{reason=\"too_many_records\"} %d\n", st.refusedRecords.Load())
	counter("yingji_intake_syslog_dropped_total", "Syslog UDP datagrams dropped because the queue was full (UDP has no way to say retry).", st.syslogDropped.Load())
	fmt.Fprintf(w, "# HELP yingji_alerts_open Alerts in state open, all organisations.\n# TYPE yingji_alerts_open gauge\nyingji_alerts_open %d\n", open)
	fmt.Fprintf(w, "# HELP yingji_intake_queue_signals Signals waiting for or in a commit.\n# TYPE yingji_intake_queue_signals gauge\nyingji_intake_queue_signals %d\n", s.pipe.queued.Load())
	st.mu.Lock()
	defer st.mu.Unlock()
	const h = "yingji_intake_commit_seconds"
	fmt.Fprintf(w, "# HELP %s Time to commit one group of signals.\n# TYPE %s histogram\n", h, h)
	var cum int64
	for i, le := range latencyBuckets {
		cum += st.latency[i]
		fmt.Fprintf(w, "%s_bucket{le=\"%g\"} %d\n", h, le, cum)
	}
	cum += st.latency[len(latencyBuckets)]
	fmt.Fprintf(w, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %g\n%s_count %d\n", h, cum, h, st.latencySum, h, st.commits)
	counter("yingji_intake_committed_signals_total", "Signals written by group commits.", st.committed)
	return nil
}

// Queued is how many signals wait for or are in a commit.
func (s *Service) Queued() int64 { return s.pipe.queued.Load() }
