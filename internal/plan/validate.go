package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	// Plan keys appear in URLs and file names.
	planKeyRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// Item keys are stored in the database and referenced from other files,
	// so they are plain identifiers.
	itemKeyRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	versionRe = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._-]*$`)
	clockRe   = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)
)

const maxKeyLen = 64

// validator checks the decoded plan against the rules of docs/plan-format.md,
// fills in defaults and resolves derived fields.
type validator struct {
	*decoder
	p *Plan
}

// keySet holds the keys defined by one list, in file order, for lookups and
// for listing the choices in an error.
type keySet struct {
	order []string
	path  map[string]string // key → path of its first definition
}

func (s *keySet) has(k string) bool { _, ok := s.path[k]; return ok }

func (s *keySet) choices() string {
	if len(s.order) == 0 {
		return "none are defined"
	}
	return "one of " + strings.Join(s.order, ", ")
}

// line returns the line of path, or of its nearest recorded ancestor when
// the field is missing from the file.
func (v *validator) line(path string) int {
	for {
		if l, ok := v.lines[path]; ok {
			return l
		}
		if path == "" {
			return 1
		}
		path = parentPath(path)
	}
}

func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// errAt reports a problem with path unless decoding it, or a field holding
// it, already failed: one mistake should give one error.
func (v *validator) errAt(path, format string, args ...any) {
	for p := path; ; p = parentPath(p) {
		if v.bad[p] {
			return
		}
		if p == "" {
			break
		}
	}
	v.errorf(v.line(path), path, format, args...)
}

func (v *validator) required(path, value string) bool {
	if value == "" {
		v.errAt(path, "required")
		return false
	}
	return true
}

// keys checks the key of each item of a list: present, well-formed, unique.
func (v *validator) keys(list string, n int, key func(int) string, what string) *keySet {
	set := &keySet{path: map[string]string{}}
	for i := range n {
		path := fmt.Sprintf("%s[%d].key", list, i)
		v.itemKey(path, key(i), what, set)
	}
	return set
}

func (v *validator) itemKey(path, k, what string, set *keySet) {
	if !v.required(path, k) {
		return
	}
	if len(k) > maxKeyLen || !itemKeyRe.MatchString(k) {
		v.errAt(path, "bad key %q: use lower-case letters, digits and _, starting with a letter (at most %d)", k, maxKeyLen)
		return
	}
	if first, dup := set.path[k]; dup {
		v.errAt(path, "duplicate %s key %q (first at line %d)", what, k, v.line(first))
		return
	}
	set.order = append(set.order, k)
	set.path[k] = path
}

// ref checks that path names an item of set.
func (v *validator) ref(path, k string, set *keySet, what string) {
	if v.required(path, k) && !set.has(k) {
		v.errAt(path, "unknown %s %q (%s)", what, k, set.choices())
	}
}

// refs checks a list of references: each known, none repeated.
func (v *validator) refs(list string, ks []string, set *keySet, what string) {
	seen := map[string]bool{}
	for i, k := range ks {
		path := fmt.Sprintf("%s[%d]", list, i)
		v.ref(path, k, set, what)
		if k != "" && seen[k] {
			v.errAt(path, "%s %q is listed twice", what, k)
		}
		seen[k] = true
	}
}

func (v *validator) validate() {
	p := v.p
	v.header()
	roles := v.keys("roles", len(p.Roles), func(i int) string { return p.Roles[i].Key }, "role")
	for i, r := range p.Roles {
		v.required(fmt.Sprintf("roles[%d].name", i), r.Name)
	}
	depts := v.departments()
	v.leadingGroup(roles, depts)
	v.approval("approvals.activation", &p.Approvals.Activation, roles)
	v.approval("approvals.termination", &p.Approvals.Termination, roles)
	if p.Approvals.Warning.IsSet() {
		v.approval("approvals.warning", &p.Approvals.Warning, roles)
		if len(p.Approvals.Warning.Inform) > 0 {
			v.errAt("approvals.warning.inform", "a warning informs nobody: it is released to the public")
		}
	}
	v.categories(depts, roles)
	for i, c := range p.Categories {
		cp := fmt.Sprintf("categories[%d]", i)
		if c.Activation.IsSet() {
			v.approval(cp+".activation", &p.Categories[i].Activation, roles)
		}
		if c.Assignment.IsSet() {
			v.approval(cp+".assignment", &p.Categories[i].Assignment, roles)
			if c.Assignment.Scope != ScopeParent {
				v.errAt(cp+".assignment.scope", "an assignment comes from a superior organisation: scope must be %s", ScopeParent)
			}
			if len(c.Assignment.Inform) > 0 {
				v.errAt(cp+".assignment.inform", "an assignment informs nobody: the assigning organisation already knows")
			}
		}
	}
	v.reports()
	v.escalation(roles) // escalation.go
	v.alertRules()      // alerts.go: issue 12
	v.visibility("visibility", p.Visibility)
	for i, c := range p.Categories {
		v.visibility(fmt.Sprintf("categories[%d].visibility", i), c.Visibility)
	}
}

func (v *validator) visibility(path, value string) {
	if value != "" && value != VisibilityNeedToKnow && value != VisibilityOrganisation {
		v.errAt(path, "unknown visibility %q (one of %s, %s)", value, VisibilityNeedToKnow, VisibilityOrganisation)
	}
}

func (v *validator) header() {
	p := v.p
	if v.required("key", p.Key) && (len(p.Key) > maxKeyLen || !planKeyRe.MatchString(p.Key)) {
		v.errAt("key", "bad plan key %q: use lower-case letters, digits and single hyphens, e.g. qingshen-cyber", p.Key)
	}
	if v.required("version", p.Version) && (len(p.Version) > maxKeyLen || !versionRe.MatchString(p.Version)) {
		v.errAt("version", "bad version %q: use letters, digits, '.', '_' and '-', e.g. 2026.1", p.Version)
	}
	v.required("title", p.Title)
	v.required("org", p.Org)
	if p.TimeZone == "" {
		p.TimeZone = DefaultTimeZone
	}
	// "Local" would make deadlines depend on the server's TZ, which is the
	// very thing the zone is there to prevent.
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil || p.TimeZone == "Local" {
		v.errAt("time_zone", "unknown time zone %q: use an IANA name such as Asia/Shanghai", p.TimeZone)
		return
	}
	p.Location = loc
}

func (v *validator) departments() *keySet {
	p := v.p
	set := v.keys("departments", len(p.Departments), func(i int) string { return p.Departments[i].Key }, "department")
	office := ""
	for i := range p.Departments {
		d := &p.Departments[i]
		v.required(fmt.Sprintf("departments[%d].name", i), d.Name)
		if d.ShortName == "" {
			d.ShortName = d.Name
		}
		if !d.Office {
			continue
		}
		if office != "" {
			v.errAt(fmt.Sprintf("departments[%d].office", i), "only one department can hold the leading group's office; %q already does", office)
			continue
		}
		office = d.Key
	}
	return set
}

func (v *validator) leadingGroup(roles, depts *keySet) {
	g := &v.p.LeadingGroup
	v.ref("leading_group.leader", g.Leader, roles, "role")
	if g.Deputy != "" {
		v.ref("leading_group.deputy", g.Deputy, roles, "role")
	}
	if g.Member != "" {
		v.ref("leading_group.member", g.Member, roles, "role")
	}
	var flagged *Department
	for i := range v.p.Departments {
		if v.p.Departments[i].Office {
			flagged = &v.p.Departments[i]
			break
		}
	}
	switch {
	case g.Office == "" && flagged != nil:
		g.Office = flagged.Key
	case g.Office == "":
		// A plan without a standing office is allowed.
	case !depts.has(g.Office):
		v.ref("leading_group.office", g.Office, depts, "department")
	case flagged != nil && flagged.Key != g.Office:
		v.errAt("leading_group.office", "is %q but department %q is marked office: true", g.Office, flagged.Key)
	default:
		// Keep the flag and the reference in agreement for readers of either.
		v.p.Department(g.Office).Office = true
	}
}

var scopes = []string{ScopeParent, ScopeSame, ScopeSameOrParent}

func (v *validator) approval(path string, r *ApprovalRule, roles *keySet) {
	if len(r.Roles) == 0 {
		v.errAt(path+".roles", "at least one role must be allowed to decide")
	}
	v.refs(path+".roles", r.Roles, roles, "role")
	v.refs(path+".inform", r.Inform, roles, "role")
	if len(r.Inform) > 0 && r.Scope != ScopeSame {
		v.errAt(path+".inform", "inform is for a decision taken in the incident's own organisation (scope %s); a superior that approves already knows", ScopeSame)
	}
	if !v.required(path+".scope", r.Scope) {
		return
	}
	for _, s := range scopes {
		if r.Scope == s {
			return
		}
	}
	v.errAt(path+".scope", "unknown scope %q (one of %s)", r.Scope, strings.Join(scopes, ", "))
}

func (v *validator) categories(depts, roles *keySet) {
	p := v.p
	if len(p.Categories) == 0 {
		v.errAt("categories", "at least one category is required")
		return
	}
	v.keys("categories", len(p.Categories), func(i int) string { return p.Categories[i].Key }, "category")
	for i := range p.Categories {
		c := &p.Categories[i]
		cp := fmt.Sprintf("categories[%d]", i)
		v.required(cp+".name", c.Name)
		if v.required(cp+".gb_class", c.GBClass) && GBClassName(c.GBClass) == "" {
			v.errAt(cp+".gb_class", "unknown GB/T 20986-2023 class %q (one of %s)", c.GBClass, strings.Join(GBClasses(), ", "))
		}
		if len(c.Phases) == 0 {
			v.errAt(cp+".phases", "a category needs at least one phase")
			continue
		}
		v.keys(cp+".phases", len(c.Phases), func(j int) string { return c.Phases[j].Key }, "phase")
		tasks := &keySet{path: map[string]string{}}
		for j, ph := range c.Phases {
			pp := fmt.Sprintf("%s.phases[%d]", cp, j)
			v.required(pp+".name", ph.Name)
			for k, t := range ph.Tasks {
				tp := fmt.Sprintf("%s.tasks[%d]", pp, k)
				v.itemKey(tp+".key", t.Key, "task", tasks)
				v.required(tp+".title", t.Title)
				v.ref(tp+".department", t.Department, depts, "department")
				if a := t.Approval; len(a.Roles) > 0 || a.Scope != "" || a.Name != "" {
					v.approval(tp+".approval", &ph.Tasks[k].Approval, roles)
					v.required(tp+".approval.name", a.Name)
				}
				if t.AfterTermination && ph.Key != PhaseTermination {
					v.errAt(tp+".after_termination", "only a task of the %q phase can come after termination", PhaseTermination)
				}
			}
		}
	}
}

func (v *validator) reports() {
	r := &v.p.Reports
	recips := v.keys("reports.recipients", len(r.Recipients), func(i int) string { return r.Recipients[i].Key }, "recipient")
	for i, x := range r.Recipients {
		v.required(fmt.Sprintf("reports.recipients[%d].name", i), x.Name)
	}

	// The daily regime must be complete only if some category uses it.
	daily := ""
	for i, c := range v.p.Categories {
		if c.DailyReport {
			daily = fmt.Sprintf("categories[%d]", i)
			break
		}
	}
	dr := &r.Daily
	if dr.At != "" {
		m := clockRe.FindStringSubmatch(dr.At)
		if m == nil {
			v.errAt("reports.daily.at", "bad time %q: use HH:MM on a 24-hour clock, e.g. 17:00", dr.At)
		} else {
			dr.Hour, _ = strconv.Atoi(m[1])
			dr.Minute, _ = strconv.Atoi(m[2])
		}
	} else if daily != "" {
		v.errAt("reports.daily.at", "required because %s has daily_report: true", daily)
	}
	if dr.MinLead >= 24*time.Hour {
		v.errAt("reports.daily.min_lead", "must be less than 24h")
	}
	if len(dr.Recipients) == 0 && daily != "" {
		v.errAt("reports.daily.recipients", "required because %s has daily_report: true", daily)
	}
	v.refs("reports.daily.recipients", dr.Recipients, recips, "recipient")
	if dr.Reminders == nil && !v.bad["reports.daily.reminders"] {
		dr.Reminders = append([]time.Duration(nil), DefaultReminders...)
	}

	if r.Initial.MajorWithin > 0 && r.Initial.Within == 0 {
		v.errAt("reports.initial.within", "required when major_within is set")
	}
	// A first report is owed within hours; the timeliness view looks a week
	// back from its period for incidents never activated.
	if r.Initial.Within > 7*24*time.Hour {
		v.errAt("reports.initial.within", "must be at most 7d")
	}
	if r.Initial.MajorWithin > 7*24*time.Hour {
		v.errAt("reports.initial.major_within", "must be at most 7d")
	}

	s := &r.Summary
	switch {
	case s.Within > 0 && len(s.Recipients) == 0:
		v.errAt("reports.summary.recipients", "required when within is set")
	case s.Within == 0 && len(s.Recipients) > 0:
		v.errAt("reports.summary.within", "required when recipients are set")
	}
	v.refs("reports.summary.recipients", s.Recipients, recips, "recipient")
}
