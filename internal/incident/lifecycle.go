package incident

// Action is something a person does to an incident's lifecycle.
type Action string

const (
	RequestActivation  Action = "request_activation"
	ApproveActivation  Action = "approve_activation"
	RejectActivation   Action = "reject_activation"
	RequestTermination Action = "request_termination"
	ApproveTermination Action = "approve_termination"
	RejectTermination  Action = "reject_termination"
	FileSummary        Action = "file_summary"
)

// transitions is the whole lifecycle: from a status, an action leads to a
// status. Anything not listed is refused.
var transitions = map[Status]map[Action]Status{
	Reported:             {RequestActivation: ActivationRequested},
	ActivationRequested:  {ApproveActivation: Active, RejectActivation: Reported},
	Active:               {RequestTermination: TerminationRequested},
	TerminationRequested: {ApproveTermination: Terminated, RejectTermination: Active},
	Terminated:           {FileSummary: Closed},
}

// Next returns the status that action leads to from s, and false when the
// action is not allowed from s.
func Next(s Status, a Action) (Status, bool) {
	to, ok := transitions[s][a]
	return to, ok
}

// Allowed lists the actions possible from s, in a stable order.
func Allowed(s Status) []Action {
	var out []Action
	for _, a := range []Action{RequestActivation, ApproveActivation, RejectActivation, RequestTermination, ApproveTermination, RejectTermination, FileSummary} {
		if _, ok := transitions[s][a]; ok {
			out = append(out, a)
		}
	}
	return out
}

// ApprovalKind says what an approval decides.
type ApprovalKind string

const (
	KindActivation  ApprovalKind = "activation"
	KindTermination ApprovalKind = "termination"
)

// Decision actions for an approval kind: (approve, reject, request).
func (k ApprovalKind) Actions() (approve, reject, request Action) {
	if k == KindTermination {
		return ApproveTermination, RejectTermination, RequestTermination
	}
	return ApproveActivation, RejectActivation, RequestActivation
}

// ApprovalStatus is the state of one approval request; it is decided once.
type ApprovalStatus string

const (
	Pending  ApprovalStatus = "pending"
	Approved ApprovalStatus = "approved"
	Rejected ApprovalStatus = "rejected"
)
