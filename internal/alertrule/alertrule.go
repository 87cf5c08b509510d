// Package alertrule holds the rules applied to an alert when it lands
// (issue 12): which registered website it concerns, its priority, and which
// of the plan's alert rules applies. It is pure: the registry, the plan and
// whether a sensitive period is declared come in as values.
package alertrule

import (
	"net/netip"
	"strings"
	"time"

	"yingji/internal/plan"
	"yingji/internal/registry"
	"yingji/internal/signal"
)

// MatchSite finds the registered website an alert's target belongs to: a
// website holding the destination IP, else the website whose domain is the
// alert's domain or the nearest parent of it (www.a.gov.cn before a.gov.cn).
// nil when none is.
func MatchSite(sites []*registry.Website, dstIP, domain string) *registry.Website {
	if ip, err := netip.ParseAddr(dstIP); err == nil {
		ip = ip.Unmap()
		for _, w := range sites {
			for _, a := range w.IPs {
				if a.Unmap() == ip {
					return w
				}
			}
		}
	}
	d := NormDomain(domain)
	if d == "" {
		return nil
	}
	var best *registry.Website
	for _, w := range sites {
		wd := NormDomain(w.Domain)
		if wd == "" || (d != wd && !strings.HasSuffix(d, "."+wd)) {
			continue
		}
		if best == nil || len(wd) > len(NormDomain(best.Domain)) {
			best = w
		}
	}
	return best
}

// NormDomain is a domain as compared: lower case, without a trailing dot,
// a scheme, a port or a path (a URL in the domain field still matches).
func NormDomain(d string) string {
	d = strings.ToLower(strings.TrimSpace(d))
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	}
	if i := strings.IndexAny(d, "/?#"); i >= 0 {
		d = d[:i]
	}
	if i := strings.LastIndexByte(d, ':'); i >= 0 && !strings.Contains(d[:i], ":") {
		d = d[:i]
	}
	return strings.TrimSuffix(d, ".")
}

// MaxPriority is the highest priority: critical on a key website in a
// sensitive period.
const MaxPriority = int(signal.Critical) + 2

// Priority is the alert's severity, one more when its target is a key
// website (重点网站), one more again while a sensitive period is declared.
func Priority(sev signal.Severity, keySite, sensitive bool) int {
	p := int(sev)
	if keySite {
		p++
	}
	if sensitive {
		p++
	}
	return p
}

// Applies finds the first of the plan's alert rules that matches the alert
// (keySite: its target is a key website; sensitive: a sensitive period is
// declared); nil when none does.
func Applies(rules []plan.AlertRule, a *signal.Alert, keySite, sensitive bool) *plan.AlertRule {
	for i := range rules {
		r := &rules[i]
		if r.Format != "" && r.Format != a.Format {
			continue
		}
		if r.Rule != "" && !Glob(r.Rule, a.Rule) {
			continue
		}
		if r.MinSeverityNum > 0 && int(a.Severity) < r.MinSeverityNum {
			continue
		}
		if r.KeySite && !keySite {
			continue
		}
		if r.Sensitive && !sensitive {
			continue
		}
		return r
	}
	return nil
}

// Glob matches s against pattern: * stands for any run of characters, ?
// for one; anything else for itself. Without * or ? the pattern is an exact
// match; "ET WEB*" is a prefix.
func Glob(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	// The classic two-pointer match with one backtrack point: linear in
	// practice and never exponential.
	pi, ti, star, mark := 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case star >= 0:
			pi, mark = star+1, mark+1
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// Event is one step of an alert's own history, shown on its page.
type Event struct {
	ID, AlertID int64
	At          time.Time
	ActorID     int64  // 0: yingji itself (the handler)
	ActorName   string // filled when read
	Kind        string // EventHandled, EventAcked, ...
	Data        map[string]string
}

// Event kinds.
const (
	EventHandled  = "handled"  // the plan's rules applied; data: site, priority, rule, paged, incident
	EventAcked    = "acked"    // a duty officer has it
	EventSilenced = "silenced" // data: until, reason
	EventPromoted = "promoted" // a new incident from it; data: incident, number
	EventAttached = "attached" // joined an existing incident; data: incident, number
	EventWoken    = "woken"    // the silence ended: open again
)

// Filter narrows the queue.
type Filter struct {
	Orgs        []int64 // the organisations looked at (the actor's and those below)
	State       string  // "" for every state
	MinPriority int
	UnitID      int64
	Limit       int
	Offset      int
}

// States are the alert states in the order the queue counts them.
var States = []signal.State{signal.Open, signal.Acked, signal.Silenced, signal.Promoted, signal.Closed}
