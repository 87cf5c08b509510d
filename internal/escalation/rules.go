// Package escalation is escalation until acknowledged (issue 10): the
// roll-call at activation re-sent by SMS to those who have not confirmed
// and then reported to the duty leader, a pending approval reminded to its
// deciders and then taken to the next person up, an overdue task told to
// its department — each as the incident's plan says (plan.Escalation).
//
// Due is the rule, pure: given an incident's state and now, what to send.
// Service runs it on a ticker in `yingji serve` under a database lease, and
// sends each escalation once, in one transaction with its timeline entry
// and audit record.
package escalation

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"yingji/internal/event"
	"yingji/internal/plan"
)

// Rules, as recorded (escalations.rule, audit action escalation.<rule>).
const (
	RuleResend  = event.RuleResend  // SMS again to those not confirmed
	RuleMissing = event.RuleMissing // the duty leader told who is missing
	RuleRemind  = event.RuleRemind  // the deciders reminded
	RuleNextUp  = event.RuleNextUp  // the next person up told
	RuleOverdue = event.RuleOverdue // the task's department told
)

// Person is someone who may be told.
type Person struct {
	ID         int64
	Name       string
	OrgID      int64
	Department string
	Roles      []string
}

// Missing is a roll-call row not confirmed.
type Missing struct {
	ID, UserID, OutboxID int64
	Name                 string
	OpenedAt, ExpiresAt  time.Time
}

// Ask is a request waiting for a decision, and who was asked.
type Ask struct {
	Kind        string // event.KindApproval, event.KindTask, event.KindReport
	ID          int64  // the approval's, task's or report's id
	Title       string
	RequestedAt time.Time
	Deciders    []int64
}

// Task is an open task with a due time.
type Task struct {
	ID                int64
	Title, Department string
	DueAt             time.Time
}

// Incident is what Due looks at for one incident.
type Incident struct {
	ID, OrgID     int64
	Number, Title string
	Rules         plan.Escalation
	Missing       []Missing
	Asks          []Ask
	Tasks         []Task
	DutyLeader    int64 // on duty now (rota), 0 for none
}

// World is what every incident shares: the people and the organisation
// tree (Parent: 0 at the top).
type World struct {
	People map[int64]*Person
	Parent map[int64]int64
}

// Action is one escalation to take: Keys claimed (one per person for a
// resend, else one), a notice of Kind to each of To on Channel.
type Action struct {
	Rule       string
	IncidentID int64
	SubjectID  int64 // roll-call row, approval, task or report
	Keys       []string
	To         []int64 // To[i] goes with Keys[i] when len(Keys) > 1
	Channel    string  // "sms" (the resend) or "inapp"
	Kind       string  // the notice kind
	Args       map[string]any
	Data       map[string]string // the timeline entry's data
	Rows       []Missing         // the resend: the rows whose links go again
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
func id(n int64) string     { return strconv.FormatInt(n, 10) }

// Due returns the escalations owed at now that done (keys already taken)
// does not hold. It sends nothing and reads nothing: the same state and
// time always give the same actions.
func Due(now time.Time, in *Incident, w *World, done map[string]bool) []Action {
	var out []Action
	r := in.Rules
	base := func(rule string, subject int64, data map[string]string) Action {
		data["number"] = in.Number
		return Action{Rule: rule, IncidentID: in.ID, SubjectID: subject, Channel: "inapp",
			Args: map[string]any{"number": in.Number, "title": in.Title}, Data: data}
	}

	// Roll-call: SMS again, then the duty leader.
	if rc := r.RollCall; rc.ResendAfter > 0 {
		a := base(RuleResend, in.ID, map[string]string{})
		a.Channel, a.Kind = "sms", "rollcall_resend"
		var names []string
		for _, m := range in.Missing {
			k := "rc-resend-" + id(m.ID)
			if done[k] || now.Before(m.OpenedAt.Add(rc.ResendAfter)) || !now.Before(m.ExpiresAt) {
				continue
			}
			a.Keys, a.To, a.Rows = append(a.Keys, k), append(a.To, m.UserID), append(a.Rows, m)
			names = append(names, m.Name)
		}
		if len(a.Keys) > 0 {
			a.Data["names"], a.Data["count"] = strings.Join(names, "、"), strconv.Itoa(len(names))
			out = append(out, a)
		}
	}
	if rc := r.RollCall; rc.TellAfter > 0 && len(in.Missing) > 0 {
		k := "rc-missing-" + id(in.ID)
		var names []string
		due := false
		for _, m := range in.Missing {
			names = append(names, m.Name)
			due = due || !now.Before(m.OpenedAt.Add(rc.TellAfter))
		}
		var to []int64
		if rc.Tell == plan.DutyLeader {
			if in.DutyLeader != 0 {
				to = []int64{in.DutyLeader}
			}
		} else {
			to = holders(w, []string{rc.Tell}, []int64{in.OrgID})
		}
		if due && !done[k] && len(to) > 0 {
			a := base(RuleMissing, in.ID, map[string]string{"names": strings.Join(names, "、"), "count": strconv.Itoa(len(names))})
			a.Kind, a.Keys, a.To = "rollcall_missing", []string{k}, to
			a.Args["missing"] = a.Data["names"]
			out = append(out, a)
		}
	}

	// Approvals: remind, then the next person up.
	ap := r.Approvals
	for _, ask := range in.Asks {
		stem := ask.Kind + "-" + id(ask.ID) + "-" + ms(ask.RequestedAt)
		up := ap.EscalateAfter > 0 && !now.Before(ask.RequestedAt.Add(ap.EscalateAfter))
		if k := "ap-remind-" + stem; ap.RemindAfter > 0 && !up && !done[k] && !now.Before(ask.RequestedAt.Add(ap.RemindAfter)) && len(ask.Deciders) > 0 {
			a := base(RuleRemind, ask.ID, map[string]string{"kind": ask.Kind, "title": ask.Title, "names": names(w, ask.Deciders)})
			a.Kind, a.Keys, a.To = "approval_reminder", []string{k}, ask.Deciders
			out = append(out, a)
		}
		if k := "ap-up-" + stem; up && !done[k] {
			to := nextUp(w, ap.NextUp, ask.Deciders, in.OrgID)
			if len(to) == 0 {
				continue
			}
			a := base(RuleNextUp, ask.ID, map[string]string{"kind": ask.Kind, "title": ask.Title,
				"names": names(w, to), "waiting": names(w, ask.Deciders)})
			a.Kind, a.Keys, a.To = "approval_escalated", []string{k}, to
			out = append(out, a)
		}
	}

	// Overdue tasks: their department.
	if after := r.Tasks.After; after > 0 {
		for _, t := range in.Tasks {
			k := "task-overdue-" + id(t.ID) + "-" + ms(t.DueAt)
			if done[k] || now.Before(t.DueAt.Add(after)) {
				continue
			}
			var to []int64
			for _, p := range w.People {
				if p.OrgID == in.OrgID && p.Department == t.Department && t.Department != "" {
					to = append(to, p.ID)
				}
			}
			if len(to) == 0 {
				continue
			}
			slices.Sort(to)
			a := base(RuleOverdue, t.ID, map[string]string{"title": t.Title, "names": names(w, to)})
			a.Kind, a.Keys, a.To = "task_overdue", []string{k}, to
			out = append(out, a)
		}
	}
	return out
}

// holders are the people holding any of roles in orgs, in id order.
func holders(w *World, roles []string, orgs []int64) []int64 {
	var out []int64
	for _, p := range w.People {
		if slices.Contains(orgs, p.OrgID) && slices.ContainsFunc(roles, func(r string) bool { return slices.Contains(p.Roles, r) }) {
			out = append(out, p.ID)
		}
	}
	slices.Sort(out)
	return out
}

// nextUp is who is told when deciders do not decide: for each rule whose
// role a decider holds, the holders of its roles in its scope; never a
// decider himself.
func nextUp(w *World, rules []plan.NextUp, deciders []int64, orgID int64) []int64 {
	var orgs []int64
	seen := map[int64]bool{}
	var out []int64
	for _, n := range rules {
		held := false
		for _, d := range deciders {
			if p := w.People[d]; p != nil && slices.Contains(p.Roles, n.Role) {
				held = true
			}
		}
		if !held {
			continue
		}
		orgs = orgs[:0]
		if n.Scope == plan.ScopeSame {
			orgs = append(orgs, orgID)
		} else {
			for o := w.Parent[orgID]; o != 0; o = w.Parent[o] {
				orgs = append(orgs, o)
			}
		}
		for _, u := range holders(w, n.Tell, orgs) {
			if !seen[u] && !slices.Contains(deciders, u) {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func names(w *World, ids []int64) string {
	ns := make([]string, 0, len(ids))
	for _, u := range ids {
		if p := w.People[u]; p != nil {
			ns = append(ns, p.Name)
		}
	}
	return strings.Join(ns, "、")
}
