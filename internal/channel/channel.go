// Package channel sends one short notice to one address over one outside
// channel: e-mail (SMTP), SMS through an HTTP gateway, the DingTalk, WeCom
// and Feishu group robots, and a generic signed webhook. One file per
// channel. Secrets (SMTP password, robot secrets and keys, gateway tokens)
// live only in the configuration; no error, log line or String of this
// package carries them.
package channel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Message is one notice for one address.
type Message struct {
	Key     string // idempotency key: the same key is the same message
	To      string // phone number or e-mail address; "" for a group robot
	Subject string
	Text    string // short plain text (SMS length)
	HTML    string // e-mail only; optional
}

// Sender sends over one configured channel.
type Sender interface {
	// Kind is email, sms, dingtalk, wecom, feishu or webhook.
	Kind() string
	Send(ctx context.Context, m Message) error
}

// Error is a failed send the worker can act on. Permanent errors are not
// retried (a refused signature, a bad address); RetryAfter is set when the
// receiver said we send too fast.
type Error struct {
	Msg        string
	Permanent  bool
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Msg }

// Permanent reports whether err should not be retried.
func Permanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// RetryAfter returns the wait a rate-limited receiver asked for, or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// Window is a rate limit: at most N sends per Per.
type Window struct {
	N   int
	Per time.Duration
}

// Limited is a sender with documented rate limits.
type Limited interface {
	Limits() []Window
}

// Limiter keeps the sends of one channel within its windows (a sliding log
// of send times, enough for limits of at most a few hundred per window).
type Limiter struct {
	mu      sync.Mutex
	windows []Window
	sent    []time.Time
}

// NewLimiter limits to the windows; none means no limit.
func NewLimiter(w []Window) *Limiter { return &Limiter{windows: w} }

// Take books a send at now if every window allows it; otherwise it returns
// how long to wait before asking again.
func (l *Limiter) Take(now time.Time) (bool, time.Duration) {
	if l == nil || len(l.windows) == 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	longest := time.Duration(0)
	for _, w := range l.windows {
		longest = max(longest, w.Per)
	}
	keep := l.sent[:0]
	for _, t := range l.sent {
		if now.Sub(t) < longest {
			keep = append(keep, t)
		}
	}
	l.sent = keep
	var wait time.Duration
	for _, w := range l.windows {
		n, oldest := 0, time.Time{}
		for i := len(l.sent) - 1; i >= 0; i-- {
			if now.Sub(l.sent[i]) < w.Per {
				n++
				oldest = l.sent[i]
			}
		}
		if n >= w.N {
			wait = max(wait, oldest.Add(w.Per).Sub(now))
		}
	}
	if wait > 0 {
		return false, wait
	}
	l.sent = append(l.sent, now)
	return true, 0
}

// Set is the configured channels by name, with the organisations each
// group robot serves.
type Set struct {
	BaseURL  string // the console's address, for links in messages
	LinkKey  []byte // signs the roll-call links in messages; none: no links
	senders  map[string]Sender
	limiters map[string]*Limiter
	robots   []robot
	order    []string
}

type robot struct {
	name string
	orgs []int64
}

// Names lists the configured channels in configuration order.
func (s *Set) Names() []string {
	if s == nil {
		return nil
	}
	return s.order
}

// Get returns the named channel.
func (s *Set) Get(name string) (Sender, bool) {
	if s == nil {
		return nil, false
	}
	c, ok := s.senders[name]
	return c, ok
}

// Limiter returns the named channel's limiter (nil: unlimited).
func (s *Set) Limiter(name string) *Limiter {
	if s == nil {
		return nil
	}
	return s.limiters[name]
}

// RobotsFor lists the group robots that serve an organisation: those that
// name it, and those that name none (the whole bureau's group).
func (s *Set) RobotsFor(orgID int64) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, r := range s.robots {
		if len(r.orgs) == 0 {
			out = append(out, r.name)
			continue
		}
		for _, o := range r.orgs {
			if o == orgID {
				out = append(out, r.name)
				break
			}
		}
	}
	return out
}

// Add registers a channel (for tests and for Build). Robots and webhooks
// serve orgs; e-mail and SMS are addressed per person.
func (s *Set) Add(name string, c Sender, orgs []int64, limits bool) {
	if s.senders == nil {
		s.senders, s.limiters = map[string]Sender{}, map[string]*Limiter{}
	}
	s.senders[name] = c
	s.order = append(s.order, name)
	if l, ok := c.(Limited); ok && limits {
		s.limiters[name] = NewLimiter(l.Limits())
	}
	switch c.Kind() {
	case "email", "sms":
	default:
		s.robots = append(s.robots, robot{name: name, orgs: orgs})
	}
}

// httpClient is shared by the HTTP channels: bounded so that a receiver that
// hangs does not hold a send beyond the worker's lease.
var httpClient = &http.Client{Timeout: 15 * time.Second}

// post sends a request and returns the status and at most 64 KB of the
// answer. Transport errors name only the host: the URL of a robot holds its
// key or token.
func post(ctx context.Context, client *http.Client, method, rawURL string, header http.Header, body []byte) (int, []byte, error) {
	if client == nil {
		client = httpClient
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, bytes.NewReader(body))
	if err != nil {
		return 0, nil, &Error{Msg: "bad request URL for " + hostOf(rawURL), Permanent: true}
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, nil, &Error{Msg: fmt.Sprintf("%s %s: %v", method, hostOf(rawURL), err)}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return resp.StatusCode, nil, &Error{Msg: fmt.Sprintf("%s %s: reading the answer: %v", method, hostOf(rawURL), err)}
	}
	return resp.StatusCode, b, nil
}

// hostOf is the part of a URL that may be logged.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(bad URL)"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// httpStatusError classifies a non-2xx answer.
func httpStatusError(host string, code int, body []byte) error {
	msg := fmt.Sprintf("%s answered HTTP %d: %s", host, code, clip(string(body), 200))
	switch {
	case code == http.StatusTooManyRequests:
		return &Error{Msg: msg, RetryAfter: time.Minute}
	case code >= 500 || code == http.StatusRequestTimeout:
		return &Error{Msg: msg}
	default:
		return &Error{Msg: msg, Permanent: true}
	}
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
