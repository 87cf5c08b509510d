package incident

import "time"

// Decided is what a leader's decision on an open approval request does to
// the request and its incident.
type Decided struct {
	Action   Action         // the lifecycle action taken
	Approval ApprovalStatus // Approved or Rejected
	Entry    EntryKind      // the timeline entry that records the decision
	Status   Status         // the incident's status after it
	// PlanID is the plan version the incident runs under after it: an
	// approved activation binds it to the version in force then.
	PlanID       int64
	ActivatedAt  *time.Time // set by an approved activation
	TerminatedAt *time.Time // set by an approved termination
}

// Activation reports whether the decision activated the plan: its tasks are
// created and the people on duty are told.
func (d Decided) Activation() bool { return d.Action == ApproveActivation }

// entryFor is the timeline entry of each decision action.
var entryFor = map[Action]EntryKind{
	ApproveActivation: EntryActivationApproved, RejectActivation: EntryActivationRejected,
	ApproveTermination: EntryTerminationApproved, RejectTermination: EntryTerminationRejected,
}

// Decide works out the decision (approve or not) on a, a pending request
// about in, taken at now while currentPlan is the plan version in force for
// in's organisation. An approved activation runs the incident under
// currentPlan from now on; an approved termination dates its end; a
// rejection returns the incident to the status it had before the request.
// ok is false when in's status does not allow the decision; Action then
// names the refused action.
func Decide(in *Incident, a *Approval, approve bool, now time.Time, currentPlan int64) (d Decided, ok bool) {
	approveAction, reject, _ := a.Kind.Actions()
	d = Decided{Action: reject, Approval: Rejected, PlanID: in.PlanID, ActivatedAt: in.ActivatedAt, TerminatedAt: in.TerminatedAt}
	if approve {
		d.Action, d.Approval = approveAction, Approved
	}
	if d.Status, ok = Next(in.Status, d.Action); !ok {
		return Decided{Action: d.Action, Approval: d.Approval}, false
	}
	if !approve {
		d.Status = a.FromStatus
	}
	d.Entry = entryFor[d.Action]
	switch d.Action {
	case ApproveActivation:
		d.PlanID, d.ActivatedAt = currentPlan, &now
	case ApproveTermination:
		d.TerminatedAt = &now
	}
	return d, true
}

// Apply puts the decision's status, plan version and dates on in.
func (d Decided) Apply(in *Incident) {
	in.Status, in.PlanID, in.ActivatedAt, in.TerminatedAt = d.Status, d.PlanID, d.ActivatedAt, d.TerminatedAt
}
