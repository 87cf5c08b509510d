package plan

import (
	"fmt"
	"time"
)

// Escalation is what yingji does when nobody acknowledges (issue 10): the
// roll-call at activation re-sent and then reported to the duty leader, a
// pending approval reminded and then taken to the next person up, an
// overdue task told to its department. An absent part does nothing.
type Escalation struct {
	RollCall  RollCallEscalation `yaml:"roll_call"`
	Approvals ApprovalEscalation `yaml:"approvals"`
	Tasks     TaskEscalation     `yaml:"overdue_tasks"`
}

// RollCallEscalation: those who have not confirmed 已到位 ResendAfter the
// page get it again on the channel Resend (sms); TellAfter the page the
// person Tell names is told who is missing.
type RollCallEscalation struct {
	ResendAfter time.Duration `yaml:"resend_after"`
	Resend      string        `yaml:"resend"` // the channel: sms
	TellAfter   time.Duration `yaml:"tell_after"`
	Tell        string        `yaml:"tell"` // DutyLeader, or a role of the incident's organisation
}

// DutyLeader names the leader on duty (值班领导) by the rota at the time.
const DutyLeader = "duty_leader"

// ApprovalEscalation: a pending approval (activation, termination, a gated
// task, a report's sign-off) reminds those who may decide RemindAfter the
// request, and EscalateAfter it tells the next person up as NextUp says.
type ApprovalEscalation struct {
	RemindAfter   time.Duration `yaml:"remind_after"`
	EscalateAfter time.Duration `yaml:"escalate_after"`
	NextUp        []NextUp      `yaml:"next_up"`
}

// NextUp: when the deciders hold Role, Tell (roles) in Scope (same: the
// incident's organisation; parent: the organisations above it) are told.
type NextUp struct {
	Role  string   `yaml:"role"`
	Tell  []string `yaml:"tell"`
	Scope string   `yaml:"scope"`
}

// TaskEscalation: a task After past its due time, not done, is told to the
// people of its department in the incident's organisation.
type TaskEscalation struct {
	After time.Duration `yaml:"after"`
}

func (v *validator) escalation(roles *keySet) {
	e := &v.p.Escalation
	rc := &e.RollCall
	if rc.ResendAfter > 0 && rc.Resend != "sms" {
		v.errAt("escalation.roll_call.resend", "unknown channel %q (sms)", rc.Resend)
	}
	if rc.ResendAfter == 0 && rc.Resend != "" {
		v.errAt("escalation.roll_call.resend_after", "required when resend is set")
	}
	if rc.TellAfter > 0 && rc.Tell == "" {
		v.errAt("escalation.roll_call.tell", "required when tell_after is set")
	}
	if rc.Tell != "" && rc.Tell != DutyLeader && !roles.has(rc.Tell) {
		v.errAt("escalation.roll_call.tell", "unknown role %q (%s, or %s)", rc.Tell, DutyLeader, roles.choices())
	}
	if rc.Tell != "" && rc.TellAfter == 0 {
		v.errAt("escalation.roll_call.tell_after", "required when tell is set")
	}
	if rc.ResendAfter > 0 && rc.TellAfter > 0 && rc.TellAfter <= rc.ResendAfter {
		v.errAt("escalation.roll_call.tell_after", "must be later than resend_after (%s)", rc.ResendAfter)
	}
	a := &e.Approvals
	if a.EscalateAfter > 0 && a.RemindAfter > 0 && a.EscalateAfter <= a.RemindAfter {
		v.errAt("escalation.approvals.escalate_after", "must be later than remind_after (%s)", a.RemindAfter)
	}
	if len(a.NextUp) > 0 && a.EscalateAfter == 0 {
		v.errAt("escalation.approvals.escalate_after", "required when next_up is set")
	}
	if a.EscalateAfter > 0 && len(a.NextUp) == 0 {
		v.errAt("escalation.approvals.next_up", "required when escalate_after is set")
	}
	seen := map[string]bool{}
	for i, n := range a.NextUp {
		p := fmt.Sprintf("escalation.approvals.next_up[%d]", i)
		v.ref(p+".role", n.Role, roles, "role")
		if n.Role != "" && seen[n.Role] {
			v.errAt(p+".role", "role %q is listed twice", n.Role)
		}
		seen[n.Role] = true
		if len(n.Tell) == 0 {
			v.errAt(p+".tell", "at least one role to tell")
		}
		v.refs(p+".tell", n.Tell, roles, "role")
		if n.Scope != ScopeSame && n.Scope != ScopeParent {
			v.errAt(p+".scope", "unknown scope %q (one of %s, %s)", n.Scope, ScopeSame, ScopeParent)
		}
	}
	for _, d := range []struct {
		path string
		v    time.Duration
	}{{"escalation.roll_call.resend_after", rc.ResendAfter}, {"escalation.roll_call.tell_after", rc.TellAfter},
		{"escalation.approvals.remind_after", a.RemindAfter}, {"escalation.approvals.escalate_after", a.EscalateAfter},
		{"escalation.overdue_tasks.after", e.Tasks.After}} {
		if d.v < 0 || d.v > 7*24*time.Hour {
			v.errAt(d.path, "must be between 0 and 7d")
		}
	}
}
