// Package signal holds what yingji learns from outside: a signal is one
// observation sent by a source (a security device, a monitor of a key
// website, a unit's report); an alert is the signals that share a
// fingerprint, counted, with the office's handling of them. It is pure: no
// store, no clock.
package signal

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"sort"
	"time"
)

// Formats name where a signal came from and how it was written.
const (
	FormatAlertmanager = "alertmanager"
	FormatSuricata     = "suricata"
	FormatJSON         = "json"
	FormatSyslog       = "syslog"
	FormatMonitor      = "monitor" // yingji's own checks of registered key websites
	FormatUnit         = "unit"    // a registered unit's report (网络报警处置中心)
)

// Severity orders signals and alerts; higher is worse.
type Severity int

const (
	Info Severity = iota + 1
	Low
	Medium
	High
	Critical
)

// Valid reports whether s is one of the five severities.
func (s Severity) Valid() bool { return s >= Info && s <= Critical }

// Status is the source's own view: still happening, or over.
type Status string

const (
	Firing   Status = "firing"
	Resolved Status = "resolved"
)

// Signal is one normalised observation.
type Signal struct {
	Format   string
	Rule     string // what kind of thing it is: alertname, signature, check name
	Title    string // one line a duty officer reads
	Detail   string
	Severity Severity
	Status   Status
	At       time.Time // when the source saw it (the source's clock)
	Labels   map[string]string
	SrcIP    netip.Addr // zero when the source gives none
	DstIP    netip.Addr
	Domain   string
	// Key is the source's own identity for the thing (Alertmanager's
	// fingerprint, say); when set it is the fingerprint's basis.
	Key string
}

// Fingerprint identifies the thing a signal is about, so that repeats of it
// count on one alert instead of making new ones. It is stable across
// processes and versions: format, rule, destination, domain and the sorted
// labels, or the source's own key when it gives one.
func (s *Signal) Fingerprint() string {
	h := sha256.New()
	w := func(v string) { h.Write([]byte(v)); h.Write([]byte{0}) }
	w(s.Format)
	if s.Key != "" {
		w("key")
		w(s.Key)
	} else {
		w(s.Rule)
		if s.DstIP.IsValid() {
			w(s.DstIP.String())
		} else {
			w("")
		}
		w(s.Domain)
		keys := make([]string, 0, len(s.Labels))
		for k := range s.Labels {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			w(k)
			w(s.Labels[k])
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// State is the office's handling of an alert.
type State string

const (
	Open     State = "open"     // nobody has looked yet
	Acked    State = "acked"    // a duty officer has it
	Silenced State = "silenced" // put aside until SilencedUntil, with a reason
	Promoted State = "promoted" // became, or joined, an incident
	Closed   State = "closed"
)

// Alert is the signals that share a fingerprint within an organisation.
type Alert struct {
	ID, OrgID   int64
	SourceID    int64 // 0 for yingji's own monitors and the units' channel
	Fingerprint string
	Format      string
	Rule        string
	Title       string
	Detail      string
	Severity    Severity
	// Priority starts at Severity and is raised when the target is a key
	// website or a sensitive period is declared (set when the alert is
	// handled after ingest).
	Priority  int
	Status    Status
	State     State
	Count     int64
	FirstSeen time.Time
	LastSeen  time.Time
	DstIP     string
	Domain    string
	Labels    map[string]string
	UnitID    int64 // the registered unit its target belongs to, 0 if none
	WebsiteID int64
	// HandledAt is when the plan's alert rules were applied (registry match,
	// priority, paging, registering an incident); nil until then.
	HandledAt     *time.Time
	AckedBy       int64
	AckedAt       *time.Time
	SilencedUntil *time.Time
	SilenceReason string
	IncidentID    int64
	UpdatedAt     time.Time
	// Set when the alert is handled (issue 12, alert handling, migration
	// 022): the plan's alert rule that applied, what it suggested, and when
	// the people on duty were paged.
	RuleName          string
	SuggestedCategory string
	SuggestedLevel    int
	PagedAt           *time.Time
}
