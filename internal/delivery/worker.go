package delivery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"yingji/internal/channel"
	"yingji/internal/i18n"
	"yingji/internal/rollcall"
	"yingji/internal/store"
)

// Worker delivers the outbox. Several workers (one per node) may share a
// PostgreSQL database: claims take rows FOR UPDATE SKIP LOCKED and hold
// them by a lease, so each delivery is sent by one worker at a time.
type Worker struct {
	DB       *store.DB
	Channels *channel.Set
	Name     string // this worker in the attempt records (node name)
	Log      *slog.Logger

	Batch       int           // deliveries claimed at once (100)
	Concurrency int           // sends in flight (16)
	Lease       time.Duration // a claim's hold; longer than any send (2 min)
	MaxAttempts int           // attempts before failed (8)
	BaseDelay   time.Duration // first retry (10 s), doubling with jitter
	MaxDelay    time.Duration // longest wait between attempts (30 min)
	Poll        time.Duration // how often an idle worker looks (200 ms)

	wake chan struct{}
	once sync.Once
}

func (w *Worker) init() {
	w.once.Do(func() {
		w.wake = make(chan struct{}, 1)
		if w.Batch == 0 {
			w.Batch = 100
		}
		if w.Concurrency == 0 {
			w.Concurrency = 16
		}
		if w.Lease == 0 {
			w.Lease = 2 * time.Minute
		}
		if w.MaxAttempts == 0 {
			w.MaxAttempts = 8
		}
		if w.BaseDelay == 0 {
			w.BaseDelay = 10 * time.Second
		}
		if w.MaxDelay == 0 {
			w.MaxDelay = 30 * time.Minute
		}
		if w.Poll == 0 {
			w.Poll = 200 * time.Millisecond
		}
		if w.Log == nil {
			w.Log = slog.New(slog.DiscardHandler)
		}
		if w.Name == "" {
			w.Name = "worker"
		}
	})
}

// Wake makes an idle worker look at once (after a commit that enqueued).
func (w *Worker) Wake() {
	w.init()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run routes and sends until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	w.init()
	for ctx.Err() == nil {
		n, err := w.Step(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Warn("delivery", "err", err) // channel errors carry no secret (package channel)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-time.After(w.Poll):
		}
	}
}

// Step routes new notices and sends what is due, once; it returns how
// many notices and deliveries it handled.
func (w *Worker) Step(ctx context.Context) (int, error) {
	w.init()
	r, err := w.Route(ctx)
	if err != nil {
		return r, err
	}
	s, err := w.SendDue(ctx)
	return r + s, err
}

// Route turns new outbox notices into deliveries, in one transaction per
// batch: a notice is routed once, whatever happens after.
func (w *Worker) Route(ctx context.Context) (int, error) {
	w.init()
	n := 0
	err := w.DB.Work(ctx, func(tx *store.WorkTx) error {
		notices, err := tx.Unrouted(w.Batch)
		if err != nil {
			return err
		}
		n = len(notices)
		var ds []*store.Delivery
		byNote := map[string][]int64{}
		for _, no := range notices {
			var note string
			ds, note = w.route(ds, no)
			byNote[note] = append(byNote[note], no.ID)
		}
		if err := tx.AddDeliveries(ds); err != nil {
			return err
		}
		for note, ids := range byNote {
			if err := tx.MarkRoutedMany(ids, note); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// route appends a notice's deliveries to ds and says why nothing left
// beyond the console, when so.
func (w *Worker) route(ds []*store.Delivery, n *store.Notice) ([]*store.Delivery, string) {
	if n.RecipientID != 0 && n.Disabled {
		return ds, i18n.T(i18n.ZH, "notify.recipient_disabled")
	}
	// Issue 10: a roll-call paged again (escalation) names the row of his
	// first page, whose link it carries again.
	textKey := "notify.text.rollcall"
	if n.Kind == rollcall.KindResend && n.RollCall == nil {
		n.RollCall, textKey = rollcall.FromResend(n.Body), "notify.text.rollcall_again"
	}
	subject, text, link := Render(n, w.Channels.BaseURL)
	if n.Direct { // issue 14: a unit's contact; the body is the message
		subject, text, link = Direct(n.Body)
	}
	// A roll-call notice carries the person's own 已到位 link on his own
	// channels; the group's post does not.
	ptext, plink := text, link
	if n.RollCall != nil && w.Channels.BaseURL != "" && len(w.Channels.LinkKey) > 0 {
		plink = w.Channels.BaseURL + rollcall.LinkPath(w.Channels.LinkKey, n.RollCall)
		ptext = i18n.T(i18n.ZH, "notify.prefix") + i18n.T(i18n.ZH, textKey, n.Number) + plink
	}
	add := func(ch, addr, key string) {
		t, l := text, link
		if addr != "" {
			t, l = ptext, plink
		}
		ds = append(ds, &store.Delivery{OutboxID: n.ID, Channel: ch, Address: addr, Key: key, Subject: subject, Text: t, Link: l})
	}
	routed, personal := 0, false
	_, hasSMS := w.Channels.Get("sms")
	_, hasEmail := w.Channels.Get("email")
	if hasSMS && n.Phone != "" {
		routed++
		personal = true
		add("sms", n.Phone, "n"+strconv.FormatInt(n.ID, 10)+"-sms")
	}
	onlySMS := n.Channel == "sms" // issue 10: the resend goes by SMS only
	if hasEmail && n.Email != "" && !onlySMS {
		routed++
		personal = true
		add("email", n.Email, "n"+strconv.FormatInt(n.ID, 10)+"-email")
	}
	if n.IncidentID != 0 && !onlySMS {
		// A group robot posts an incident's notice once for the group,
		// however many of its members the change told: the key is the
		// same for every recipient of one change (one transaction, one
		// time) and kind.
		for _, r := range w.Channels.RobotsFor(n.OrgID) {
			routed++
			h := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%d|%d|%s", r, n.Kind, n.IncidentID, n.CreatedAt.UnixMilli(), text))
			add(r, "", "g-"+hex.EncodeToString(h[:12]))
		}
	}
	switch {
	case personal || n.RecipientID == 0:
		return ds, ""
	case hasSMS || hasEmail:
		// Perhaps a group robot carried it, but not to him.
		return ds, i18n.T(i18n.ZH, "notify.no_contact")
	case routed == 0:
		return ds, i18n.T(i18n.ZH, "notify.no_channel")
	}
	return ds, ""
}

type result struct {
	d   *store.Delivery
	err error
}

// SendDue claims the deliveries that are due, sends them concurrently and
// records the outcomes; it returns how many it claimed.
func (w *Worker) SendDue(ctx context.Context) (int, error) {
	w.init()
	var claimed []*store.Delivery
	err := w.DB.Work(ctx, func(tx *store.WorkTx) error {
		var err error
		claimed, err = tx.ClaimDue(w.Name, w.Lease, w.Batch, func(d *store.Delivery) (bool, time.Duration) {
			return w.Channels.Limiter(d.Channel).Take(tx.Now)
		})
		return err
	})
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	results := make([]result, len(claimed))
	sem := make(chan struct{}, w.Concurrency)
	var wg sync.WaitGroup
	for i, d := range claimed {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = result{d, w.send(ctx, d)}
		}()
	}
	wg.Wait()
	// The outcomes are recorded even when ctx ended meanwhile: a send that
	// happened must not be sent again.
	rec := context.WithoutCancel(ctx)
	err = w.DB.Work(rec, func(tx *store.WorkTx) error {
		outs := make([]store.Outcome, 0, len(results))
		for _, r := range results {
			msg, failed, retryAt := "", false, time.Time{}
			if r.err != nil {
				msg = r.err.Error()
				failed = channel.Permanent(r.err) || r.d.Attempts >= w.MaxAttempts
				if failed && !channel.Permanent(r.err) {
					msg = fmt.Sprintf("after %d attempts: %s", r.d.Attempts, msg)
				}
				retryAt = tx.Now.Add(w.backoff(r.d.Attempts, channel.RetryAfter(r.err)))
			}
			outs = append(outs, store.Outcome{D: r.d, Err: msg, Failed: failed, RetryAt: retryAt})
		}
		return tx.Record(w.Name, outs)
	})
	return len(claimed), err
}

func (w *Worker) send(ctx context.Context, d *store.Delivery) error {
	c, ok := w.Channels.Get(d.Channel)
	if !ok {
		return &channel.Error{Msg: "channel " + d.Channel + " is no longer configured", Permanent: true}
	}
	ctx, cancel := context.WithTimeout(ctx, w.Lease/2)
	defer cancel()
	return c.Send(ctx, channel.Message{Key: d.Key, To: d.Address, Subject: d.Subject, Text: d.Text})
}

// backoff is the wait before attempt n+1: BaseDelay doubling, at most
// MaxDelay, with jitter over its upper half so that deliveries failed
// together do not come back together; never less than a receiver asked.
func (w *Worker) backoff(n int, atLeast time.Duration) time.Duration {
	d := w.BaseDelay << min(n-1, 20)
	if d > w.MaxDelay || d <= 0 {
		d = w.MaxDelay
	}
	d = d/2 + rand.N(d/2+1)
	return max(d, atLeast)
}
