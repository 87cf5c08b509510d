package audit

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"yingji/internal/errs"
)

// Filter narrows the audit records an auditor reads. The store turns every
// field into SQL, so a filtered page costs what its records cost, not the
// chain's length.
type Filter struct {
	From, To time.Time // [From, To): zero means open
	Actor    string    // the username (or "system", "scheduler", ...) exactly
	Action   string    // an action code exactly
	// Incident is an incident's id: its own records and those of the tasks,
	// approvals, reports, 批示, evidence, 通报, warnings and alerts under it.
	Incident int64
	// IncidentRef is what the auditor typed (a number such as QS-2026-001 or
	// an id); the use case resolves it into Incident.
	IncidentRef string
	// Newest reads from the newest down, below Before (0: from the head);
	// otherwise up from After, oldest first (the API's forward reading).
	Newest        bool
	Before, After int64
	Limit         int
}

// PageSize is the console's page; MaxPage bounds any caller's.
const (
	PageSize = 50
	MaxPage  = 1000
)

var (
	actorRE  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$`)
	actionRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)
	refRE    = regexp.MustCompile(`^([0-9]{1,18}|[A-Z][A-Z0-9]{1,7}-[0-9]{4}-[0-9]{1,6})$`)
)

// ParseFilter reads a filter from query values (from and to as dates in
// loc, inclusive; actor; action; incident; before; after; limit). Every bad
// field is named at once; known reports whether an action code is one the
// code writes.
func ParseFilter(get func(string) string, loc *time.Location, known func(string) bool) (Filter, error) {
	loc = zone(loc)
	var f Filter
	var bad errs.Fields
	date := func(name string) time.Time {
		v := strings.TrimSpace(get(name))
		if v == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation("2006-01-02", v, loc)
		if err != nil || d.Year() < 2000 || d.Year() > 2999 {
			bad.Add(errs.Field(name, "error.audit_bad_date", v))
			return time.Time{}
		}
		return d
	}
	f.From = date("from")
	if to := date("to"); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1) // the whole last day
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		bad.Add(errs.Field("to", "error.audit_dates_reversed"))
	}
	if v := strings.TrimSpace(get("actor")); v != "" {
		if !actorRE.MatchString(v) {
			bad.Add(errs.Field("actor", "error.audit_bad_actor"))
		} else {
			f.Actor = v
		}
	}
	if v := strings.TrimSpace(get("action")); v != "" {
		if !actionRE.MatchString(v) || len(v) > 64 || !known(v) {
			bad.Add(errs.Field("action", "error.audit_bad_action"))
		} else {
			f.Action = v
		}
	}
	if v := strings.ToUpper(strings.TrimSpace(get("incident"))); v != "" {
		if !refRE.MatchString(v) {
			bad.Add(errs.Field("incident", "error.audit_bad_incident"))
		} else {
			f.IncidentRef = v
		}
	}
	seq := func(name string) int64 {
		v := strings.TrimSpace(get(name))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			bad.Add(errs.Field(name, "error.bad_id", v))
			return 0
		}
		return n
	}
	f.Before, f.After = seq("before"), seq("after")
	f.Limit = PageSize
	if v := strings.TrimSpace(get("limit")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPage {
			bad.Add(errs.Field("limit", "error.limit_range", MaxPage))
		} else {
			f.Limit = n
		}
	}
	return f, bad.Err()
}

// Query is the filter as query parameters (without paging), for links to
// the next page and to the export.
func (f Filter) Query(loc *time.Location) string {
	loc = zone(loc)
	var p []string
	add := func(k, v string) {
		if v != "" {
			p = append(p, k+"="+url.QueryEscape(v))
		}
	}
	if !f.From.IsZero() {
		add("from", f.From.In(loc).Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		add("to", f.To.In(loc).AddDate(0, 0, -1).Format("2006-01-02"))
	}
	add("actor", f.Actor)
	add("action", f.Action)
	add("incident", f.IncidentRef)
	return strings.Join(p, "&")
}

// zone is loc, or Beijing time (UTC+8 all year) when the caller has none.
func zone(loc *time.Location) *time.Location {
	if loc == nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}
