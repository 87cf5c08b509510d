package incident

import (
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	activated := now.Add(-48 * time.Hour)
	const oldPlan, newPlan = 3, 7
	activation := &Approval{Kind: KindActivation, FromStatus: Reported, Status: Pending}
	termination := &Approval{Kind: KindTermination, FromStatus: Active, Status: Pending}
	tests := []struct {
		name    string
		status  Status
		a       *Approval
		approve bool
		ok      bool
		want    Decided
	}{
		{"activation approved: active, runs under the plan in force, dated now", ActivationRequested, activation, true, true,
			Decided{Action: ApproveActivation, Approval: Approved, Entry: EntryActivationApproved, Status: Active, PlanID: newPlan, ActivatedAt: &now}},
		{"activation rejected: back to reported, plan unchanged", ActivationRequested, activation, false, true,
			Decided{Action: RejectActivation, Approval: Rejected, Entry: EntryActivationRejected, Status: Reported, PlanID: oldPlan}},
		{"termination approved: terminated, dated now, plan kept", TerminationRequested, termination, true, true,
			Decided{Action: ApproveTermination, Approval: Approved, Entry: EntryTerminationApproved, Status: Terminated, PlanID: oldPlan, ActivatedAt: &activated, TerminatedAt: &now}},
		{"termination rejected: back to active", TerminationRequested, termination, false, true,
			Decided{Action: RejectTermination, Approval: Rejected, Entry: EntryTerminationRejected, Status: Active, PlanID: oldPlan, ActivatedAt: &activated}},
		{"activation approved on an active incident: refused", Active, activation, true, false, Decided{Action: ApproveActivation, Approval: Approved}},
		{"activation rejected on a reported incident: refused", Reported, activation, false, false, Decided{Action: RejectActivation, Approval: Rejected}},
		{"termination approved on an active incident: refused", Active, termination, true, false, Decided{Action: ApproveTermination, Approval: Approved}},
		{"termination approved after termination: refused", Terminated, termination, true, false, Decided{Action: ApproveTermination, Approval: Approved}},
		{"termination rejected on a closed incident: refused", Closed, termination, false, false, Decided{Action: RejectTermination, Approval: Rejected}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &Incident{Status: tt.status, PlanID: oldPlan}
			if tt.a.Kind == KindTermination {
				in.ActivatedAt = &activated
			}
			got, ok := Decide(in, tt.a, tt.approve, now, newPlan)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if got.Action != tt.want.Action || got.Approval != tt.want.Approval || got.Entry != tt.want.Entry ||
				got.Status != tt.want.Status || got.PlanID != tt.want.PlanID ||
				!sameTime(got.ActivatedAt, tt.want.ActivatedAt) || !sameTime(got.TerminatedAt, tt.want.TerminatedAt) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			if got.Activation() != (tt.want.Action == ApproveActivation) {
				t.Errorf("Activation() = %v", got.Activation())
			}
			if in.Status != tt.status || in.PlanID != oldPlan {
				t.Errorf("Decide changed the incident: %+v", in)
			}
			if ok {
				got.Apply(in)
				if in.Status != tt.want.Status || in.PlanID != tt.want.PlanID || !sameTime(in.ActivatedAt, tt.want.ActivatedAt) || !sameTime(in.TerminatedAt, tt.want.TerminatedAt) {
					t.Errorf("Apply: %+v", in)
				}
			}
		})
	}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
