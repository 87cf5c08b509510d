// Package monitor holds the rules of yingji's own checks of registered key
// websites: what one check found (an Observation), how it moves a
// monitor's state, and which moves are worth a signal (down, up again,
// content changed from the accepted baseline and back, certificate expiring
// or changed, DNS answer changed). A signal is raised on a change of state,
// never on every check. It is pure: the use case (internal/monitors) does
// the network, the store and the clock.
package monitor

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"yingji/internal/i18n"
	"yingji/internal/signal"
)

// Bounds of a check and of what is kept.
const (
	DefaultInterval = 5 * time.Minute
	MinInterval     = time.Minute
	MaxInterval     = 24 * time.Hour
	DefaultWarnDays = 14
	MaxBody         = 2 << 20   // bytes of a page read; the rest is not read
	MaxText         = 256 << 10 // bytes of normalised text kept
	// DownAfter is how many failed checks in a row make a site down: one
	// lost packet is not an outage.
	DownAfter = 2
	// KeepResults is how many check results a monitor keeps; state changes
	// (events) are kept KeepEvents deep.
	KeepResults = 200
	KeepEvents  = 500
)

// Availability is whether the site answers.
type Availability string

const (
	Unknown Availability = "unknown"
	Up      Availability = "up"
	Down    Availability = "down"
)

// Content is the page against its accepted baseline.
type Content string

const (
	NoBaseline Content = "none"
	Same       Content = "same"
	Changed    Content = "changed"
)

// TLS is the certificate's standing.
type TLS string

const (
	TLSNone     TLS = "none" // not HTTPS, or not checked yet
	TLSOK       TLS = "ok"
	TLSExpiring TLS = "expiring"
	TLSExpired  TLS = "expired"
)

// Monitor is one registered website under watch: what the office set and
// what the checks found so far.
type Monitor struct {
	ID, OrgID, WebsiteID int64
	SiteName, Domain     string // the registered website's
	URL                  string
	Interval             time.Duration
	CheckContent         bool
	CheckTLS             bool
	CheckDNS             bool
	WarnDays             int
	Enabled              bool
	BaselineHash         string
	BaselineText         string
	BaselineAt           *time.Time
	BaselineBy           int64
	CreatedAt, UpdatedAt time.Time
	State
}

// State is what the checks found.
type State struct {
	Availability Availability
	Failures     int // failed checks in a row
	Content      Content
	ContentHash  string // of the last page read
	ContentText  string // its normalised text, which the office may accept
	TLS          TLS
	CertFP       string
	CertNotAfter *time.Time
	DNS          string // the last answer set, sorted, comma-separated
	LastStatus   int
	LastLatency  time.Duration
	LastError    string
	LastCheckAt  *time.Time
	NextCheckAt  time.Time
}

// Cert is the leaf certificate a TLS handshake showed.
type Cert struct {
	Fingerprint string // SHA-256 of the DER, hex
	NotAfter    time.Time
}

// Observation is what one check found.
type Observation struct {
	At      time.Time
	Err     string // why no HTTP answer came ("" when one did)
	Status  int
	Latency time.Duration
	// Text is the page's normalised text when content was read (Read).
	Text       string
	Read       bool
	Cert       *Cert
	DNSChecked bool
	DNS        []string
	DNSErr     string
}

// OK reports whether the site answered as a working site does.
func (o *Observation) OK() bool { return o.Err == "" && o.Status >= 200 && o.Status < 400 }

// Result is one check in a monitor's history.
type Result struct {
	At          time.Time
	OK          bool
	Status      int
	Latency     time.Duration
	Error       string
	ContentHash string
}

// Change is one change of state in a monitor's history, with the alert
// its signal counted on.
type Change struct {
	ID      int64
	At      time.Time
	Kind    string
	Firing  bool
	Detail  map[string]any
	AlertID int64
}

// EventKind names a change of state.
type EventKind string

const (
	EvDown        EventKind = "down"
	EvUp          EventKind = "up"
	EvChanged     EventKind = "changed"
	EvRestored    EventKind = "restored" // content is the baseline again, or a new baseline was accepted
	EvExpiring    EventKind = "expiring"
	EvRenewed     EventKind = "renewed"
	EvCertChanged EventKind = "cert_changed"
	EvDNSChanged  EventKind = "dns_changed"
)

// Event is one change of state, to be kept in the history and sent as a
// signal.
type Event struct {
	Kind     EventKind
	Firing   bool
	Severity signal.Severity
	// What the duty officer reads with it.
	Error    string
	Status   int
	Diff     *DiffSize
	DaysLeft int
	Expired  bool // the certificate's end has passed: DaysLeft is 0 or less
	Old, New string
}

// Hash is the content hash of normalised text.
func Hash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// Evaluate applies one observation to a monitor: the state it leaves and
// the changes worth a signal.
func Evaluate(m *Monitor, o Observation) (State, []Event) {
	s := m.State
	var ev []Event
	s.LastCheckAt = &o.At
	s.NextCheckAt = o.At.Add(m.Interval)
	s.LastStatus, s.LastLatency, s.LastError = o.Status, o.Latency, o.Err
	if o.OK() {
		if s.Availability == Down {
			ev = append(ev, Event{Kind: EvUp, Severity: signal.High, Status: o.Status})
		}
		s.Availability, s.Failures = Up, 0
	} else {
		s.Failures++
		if s.Failures >= DownAfter && s.Availability != Down {
			ev = append(ev, Event{Kind: EvDown, Firing: true, Severity: signal.High, Error: o.Err, Status: o.Status})
			s.Availability = Down
		}
	}
	if m.CheckContent && o.Read && o.OK() {
		h := Hash(o.Text)
		s.ContentHash, s.ContentText = h, o.Text
		switch {
		case m.BaselineHash == "":
			s.Content = NoBaseline
		case h == m.BaselineHash:
			if s.Content == Changed {
				ev = append(ev, Event{Kind: EvRestored, Severity: signal.High})
			}
			s.Content = Same
		default:
			if s.Content != Changed {
				d := Diff(m.BaselineText, o.Text)
				ev = append(ev, Event{Kind: EvChanged, Firing: true, Severity: signal.High, Diff: &d})
			}
			s.Content = Changed
		}
	}
	if m.CheckTLS && o.Cert != nil {
		left := o.Cert.NotAfter.Sub(o.At)
		days := int(left.Hours() / 24)
		next := TLSOK
		switch {
		case left <= 0:
			next = TLSExpired
		case left < time.Duration(m.WarnDays)*24*time.Hour:
			next = TLSExpiring
		}
		if next != TLSOK && next != s.TLS {
			sev := signal.Medium
			if next == TLSExpired {
				sev = signal.High
			}
			ev = append(ev, Event{Kind: EvExpiring, Firing: true, Severity: sev, DaysLeft: days, Expired: next == TLSExpired})
		}
		if next == TLSOK && (s.TLS == TLSExpiring || s.TLS == TLSExpired) {
			ev = append(ev, Event{Kind: EvRenewed, Severity: signal.Medium, DaysLeft: days})
		}
		if s.CertFP != "" && s.CertFP != o.Cert.Fingerprint {
			ev = append(ev, Event{Kind: EvCertChanged, Firing: true, Severity: signal.Medium, Old: s.CertFP, New: o.Cert.Fingerprint})
		}
		na := o.Cert.NotAfter
		s.TLS, s.CertFP, s.CertNotAfter = next, o.Cert.Fingerprint, &na
	}
	if m.CheckDNS && o.DNSChecked && o.DNSErr == "" && len(o.DNS) > 0 {
		a := slices.Clone(o.DNS)
		slices.Sort(a)
		ans := strings.Join(slices.Compact(a), ",")
		if s.DNS != "" && s.DNS != ans {
			ev = append(ev, Event{Kind: EvDNSChanged, Firing: true, Severity: signal.Medium, Old: s.DNS, New: ans})
		}
		s.DNS = ans
	}
	return s, ev
}

// Accept makes the last page read the baseline. It returns the event when
// that ends a content change (the changed alert is resolved).
func Accept(m *Monitor) (hash, text string, ev []Event) {
	if m.Content == Changed {
		ev = append(ev, Event{Kind: EvRestored, Severity: signal.High})
	}
	return m.ContentHash, m.ContentText, ev
}

// aspect is what an event is about: the events of one aspect count on one
// alert (down and up again are one alert firing and resolved); a changed
// certificate or DNS answer is an alert of its own per new value.
func (e *Event) aspect(m *Monitor) string {
	switch e.Kind {
	case EvDown, EvUp:
		return "availability"
	case EvChanged, EvRestored:
		return "content"
	case EvExpiring, EvRenewed:
		return "tls_expiry"
	case EvCertChanged:
		return "cert/" + e.New
	default:
		return "dns/" + Hash(e.New)[:16]
	}
}

// ExpiryText is a certificate's whole days left as people count them: not
// "0 days left" on its last day, nor a negative count once it is over.
func ExpiryText(l i18n.Lang, daysLeft int, expired bool) string {
	switch {
	case expired && daysLeft < 0:
		return i18n.T(l, "mon.detail.expired_days", -daysLeft)
	case expired:
		return i18n.T(l, "mon.detail.expired")
	case daysLeft < 1:
		return i18n.T(l, "mon.detail.expiry_within_day")
	}
	return i18n.T(l, "mon.detail.expiry", daysLeft)
}

// Signal is the event as a signal (signal.FormatMonitor), titled in
// Chinese: the alert queue shows it as stored.
func (e *Event) Signal(m *Monitor, at time.Time) signal.Signal {
	l := i18n.ZH
	var detail string
	switch e.Kind {
	case EvDown:
		// The reason in words first, Go's text after it for the
		// technician. Only the detail changes: the alert is found by its
		// key, so an outage stays one alert across versions.
		why := ReasonText(l, e.Error)
		switch {
		case e.Status == 0: // no HTTP answer at all: a status code 0 would read as one
			detail = i18n.T(l, "monitor.detail.unreachable", m.URL, why, e.Error)
		case e.Error != "":
			detail = i18n.T(l, "monitor.detail.down_error", m.URL, e.Status, why, e.Error)
		default:
			detail = i18n.T(l, "mon.detail.down", m.URL, e.Status, "")
		}
	case EvChanged:
		detail = i18n.T(l, "mon.detail.changed", e.Diff.LinesAdded, e.Diff.LinesRemoved, e.Diff.BytesChanged())
	case EvExpiring, EvRenewed:
		detail = ExpiryText(l, e.DaysLeft, e.Expired)
	case EvCertChanged, EvDNSChanged:
		detail = i18n.T(l, "mon.detail.was_now", e.Old, e.New)
	}
	st := signal.Resolved
	if e.Firing {
		st = signal.Firing
	}
	labels := map[string]string{"monitor_id": fmt.Sprint(m.ID), "website_id": fmt.Sprint(m.WebsiteID), "check": string(e.Kind)}
	if e.Diff != nil {
		labels["lines_added"], labels["lines_removed"] = fmt.Sprint(e.Diff.LinesAdded), fmt.Sprint(e.Diff.LinesRemoved)
		labels["bytes_changed"] = fmt.Sprint(e.Diff.BytesChanged())
	}
	return signal.Signal{
		Format: signal.FormatMonitor, Rule: "monitor." + string(e.Kind),
		Title:  i18n.T(l, "mon.sig."+string(e.Kind), m.SiteName, m.Domain),
		Detail: detail, Severity: e.Severity, Status: st, At: at, Labels: labels, Domain: m.Domain,
		Key: fmt.Sprintf("monitor/%d/%s", m.ID, e.aspect(m)),
	}
}
