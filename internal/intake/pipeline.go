package intake

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/ingest"
	"yingji/internal/signal"
	"yingji/internal/store"
)

// Busy is a refusal to take signals now, with when to try again: the
// source is over its rate (HTTP 429), or the commit queue is full (503).
// Nothing of the request was taken.
type Busy struct {
	QueueFull  bool
	RetryAfter int // seconds
}

func (b *Busy) Error() string {
	if b.QueueFull {
		return "intake queue full"
	}
	return "source over its rate"
}

// Answer is what an ingest request is told after its signals committed.
type Answer struct {
	Accepted     int             `json:"accepted"`     // signals committed
	Created      int             `json:"created"`      // of them, new alerts
	Deduplicated int             `json:"deduplicated"` // of them, counted on an alert that was there
	Skipped      int             `json:"skipped"`      // records not meant as signals (Suricata non-alert events)
	RejectedN    int             `json:"rejected_count"`
	Rejected     []ingest.Reject `json:"rejected"` // the first ingest.MaxRejectsListed, by line or index
}

// limiter is a token bucket per source.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	every   time.Duration
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func (l *limiter) set(burst int, every time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.burst, l.every, l.buckets = float64(burst), every, map[int64]*bucket{}
}

func (l *limiter) take(id int64, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.every <= 0 || l.burst <= 0 {
		return true, 0
	}
	b := l.buckets[id]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[id] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+float64(now.Sub(b.at))/float64(l.every))
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.every))
}

// Admit spends one request of the source's rate, or refuses with Busy.
func (s *Service) Admit(src *ingest.Source) error {
	ok, wait := s.rate.take(src.ID, time.Now())
	if ok {
		return nil
	}
	s.stats.refusedRate.Add(1)
	return &Busy{RetryAfter: max(1, int(math.Ceil(wait.Seconds())))}
}

// Ingest parses a body sent by src in format and counts its good signals
// on their alerts; it returns after the commit that holds them.
func (s *Service) Ingest(ctx context.Context, src *ingest.Source, format string, body []byte) (*Answer, error) {
	if !ingest.ValidFormat(format) {
		// Not a format at all (a path such as /intake/eve): say which are.
		return nil, errs.Field("format", "intake.bad_format", ingest.Cut(format, 40))
	}
	if format != src.Format {
		return nil, errs.Field("format", "intake.format_mismatch", src.Format, format)
	}
	res, err := ingest.Parse(format, body, s.Core.Now().UTC(), s.loc)
	if err != nil {
		var many *ingest.TooManyRecords
		if errors.As(err, &many) {
			s.stats.refusedRecords.Add(1)
			return nil, many // the transport's answer (413), like a body too large
		}
		s.stats.rejected.Add(1)
		var why *ingest.Reason
		if errors.As(err, &why) {
			return nil, &errs.Error{Code: errs.Invalid, Field: "body", Key: why.Key(), Args: why.Args, Err: err}
		}
		return nil, &errs.Error{Code: errs.Invalid, Field: "body", Key: "intake.bad_body", Args: []any{err.Error()}, Err: err}
	}
	ans := &Answer{Skipped: res.Skipped, RejectedN: res.RejectCount(), Rejected: res.Rejected}
	if ans.Rejected == nil {
		ans.Rejected = []ingest.Reject{}
	}
	s.stats.rejected.Add(int64(ans.RejectedN))
	s.stats.skipped.Add(int64(res.Skipped))
	if len(res.Signals) == 0 {
		return ans, nil
	}
	created, err := s.Submit(ctx, src, res.Signals)
	if err != nil {
		return nil, err
	}
	ans.Accepted, ans.Created, ans.Deduplicated = len(res.Signals), created, len(res.Signals)-created
	return ans, nil
}

// pipeline is the group commit: requests queue their signals, one
// goroutine commits what has queued in one transaction, and each request
// is answered after the commit that holds its signals.
type pipeline struct {
	once   sync.Once
	queue  chan *request
	queued atomic.Int64 // signals waiting or being committed
	stop   context.CancelFunc
	done   chan struct{}
}

type request struct {
	landings []store.Landing
	done     chan error
}

// Submit counts signals from src on their alerts, waiting for the commit.
// When the queue is full it refuses at once with Busy (nothing taken). It
// returns how many of the signals made new alerts.
func (s *Service) Submit(ctx context.Context, src *ingest.Source, sigs []signal.Signal) (int, error) {
	s.pipe.once.Do(s.startPipeline)
	n := len(sigs)
	// One request larger than the whole queue is still taken when the
	// queue is empty, so that a big batch is slow rather than refused for ever.
	if prev := s.pipe.queued.Add(int64(n)) - int64(n); prev > 0 && prev+int64(n) > s.maxQueued.Load() {
		s.pipe.queued.Add(-int64(n))
		s.stats.refusedQueue.Add(1)
		return 0, &Busy{QueueFull: true, RetryAfter: 1}
	}
	now := s.Core.Now().UTC()
	for i := range sigs {
		clampTime(&sigs[i], now)
	}
	r := &request{landings: make([]store.Landing, n), done: make(chan error, 1)}
	for i := range sigs {
		r.landings[i] = store.Landing{OrgID: src.OrgID, SourceID: src.ID, Signal: &sigs[i]}
		r.landings[i].Prepare(now) // here, in parallel, rather than in the one committer
	}
	select {
	case s.pipe.queue <- r:
	default:
		s.pipe.queued.Add(-int64(n))
		s.stats.refusedQueue.Add(1)
		return 0, &Busy{QueueFull: true, RetryAfter: 1}
	}
	// The request is the committer's now: wait for its answer even if the
	// client goes, so that the queue's count stays true.
	if err := <-r.done; err != nil {
		return 0, err
	}
	created := 0
	for _, l := range r.landings {
		if l.Created {
			created++
		}
	}
	s.stats.accepted.Add(int64(n))
	s.stats.deduplicated.Add(int64(n - created))
	return created, nil
}

func (s *Service) startPipeline() {
	ctx, cancel := context.WithCancel(context.Background())
	s.pipe.queue = make(chan *request, 16384)
	s.pipe.stop, s.pipe.done = cancel, make(chan struct{})
	go s.commitLoop(ctx)
}

// Close stops the committer after the requests already queued are
// committed and answered.
func (s *Service) Close() {
	s.pipe.once.Do(func() {}) // never start one after Close
	if s.pipe.stop != nil {
		s.pipe.stop()
		<-s.pipe.done
	}
}

func (s *Service) commitLoop(ctx context.Context) {
	defer close(s.pipe.done)
	var batch []*request
	var all []store.Landing
	for {
		var first *request
		select {
		case first = <-s.pipe.queue:
		case <-ctx.Done():
			// Answer whoever is still queued: they were not taken.
			for {
				select {
				case r := <-s.pipe.queue:
					s.pipe.queued.Add(-int64(len(r.landings)))
					r.done <- &Busy{QueueFull: true, RetryAfter: 1}
				default:
					return
				}
			}
		}
		batch, all = append(batch[:0], first), append(all[:0], first.landings...)
	fill:
		for int64(len(all)) < s.maxBatch.Load() {
			select {
			case r := <-s.pipe.queue:
				batch, all = append(batch, r), append(all, r.landings...)
			default:
				break fill
			}
		}
		t0 := time.Now()
		err := s.DB.Ingest(context.Background(), all) // not ctx: a commit under way is finished
		s.stats.observeCommit(time.Since(t0), len(batch), len(all))
		if err != nil {
			s.Log.Error("intake commit", "err", err, "signals", len(all))
			err = errs.Wrap(err, "intake commit")
		}
		off := 0
		for _, r := range batch {
			n := len(r.landings)
			copy(r.landings, all[off:off+n])
			off += n
			s.pipe.queued.Add(-int64(n))
			r.done <- err
		}
	}
}

// deviceClockSlack is how far in the past a device's time may lie before
// yingji trusts its own clock instead (a device rebooted to 1970, say).
const deviceClockSlack = 30 * 24 * time.Hour

// clampTime keeps a device's wrong clock out of alerts and, through them,
// out of an incident's discovery time and its first-report deadline: a
// time ahead of yingji's by more than core.FutureSlack, or more than 30 days
// behind, is replaced by the time yingji received the signal, and the
// device's own time is kept in the detail for the record.
func clampTime(sg *signal.Signal, now time.Time) {
	if sg.At.IsZero() || (!sg.At.After(now.Add(core.FutureSlack)) && !sg.At.Before(now.Add(-deviceClockSlack))) {
		return
	}
	sg.Detail = strings.TrimSpace(sg.Detail + " （设备时间：" + sg.At.Format(time.RFC3339) + "）")
	sg.At = now
}
