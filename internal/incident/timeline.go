package incident

import "time"

// EntryKind says what a timeline entry records. The people reading the
// timeline see a sentence made from the kind and the entry's data.
type EntryKind string

const (
	EntryCreated              EntryKind = "created"
	EntryNote                 EntryKind = "note"
	EntryActivationRequested  EntryKind = "activation_requested"
	EntryActivationApproved   EntryKind = "activation_approved"
	EntryActivationRejected   EntryKind = "activation_rejected"
	EntryTasksCreated         EntryKind = "tasks_created"
	EntryTaskUpdated          EntryKind = "task_updated"
	EntryTerminationRequested EntryKind = "termination_requested"
	EntryTerminationApproved  EntryKind = "termination_approved"
	EntryTerminationRejected  EntryKind = "termination_rejected"
	EntrySummaryFiled         EntryKind = "summary_filed"
	// A gated task's approval (四(一)2 关闭本地网站和网上服务,需报经分管领导批准).
	EntryTaskApprovalRequested EntryKind = "task_approval_requested"
	EntryTaskApprovalDecided   EntryKind = "task_approval_decided"
)

// Entry is one line of an incident's timeline.
type Entry struct {
	ID         int64
	IncidentID int64
	At         time.Time
	ActorID    int64
	Actor      string // display name, filled when read
	Kind       EntryKind
	TaskID     int64
	ApprovalID int64
	Data       map[string]string
}

// NoteInternal is the data key that marks a note internal (内部): kept in the
// record, never drafted into a report that leaves the bureau.
const NoteInternal = "internal"

// InternalNote reports whether e is a note marked internal.
func (e *Entry) InternalNote() bool {
	return e.Kind == EntryNote && e.Data[NoteInternal] == "true"
}

// Approval is a request for a leader's decision on activation or termination.
type Approval struct {
	ID          int64
	IncidentID  int64
	Kind        ApprovalKind
	Status      ApprovalStatus
	FromStatus  Status // the incident's status before the request; a rejection returns to it
	Reason      string
	RequestedBy int64
	RequestedAt time.Time
	DecidedBy   int64
	DecidedAt   *time.Time
	Opinion     string
}

// Task is one piece of work the plan prescribes, owned by a department.
type Task struct {
	ID          int64
	IncidentID  int64
	Phase       string
	TemplateKey string
	Title       string
	Description string
	Department  string
	AssigneeID  int64
	DueAt       *time.Time
	Status      TaskStatus
	Note        string
	NAReason    string // why it was closed as not applicable (TaskNA)
	// The approval of a gated task: "" until requested.
	Approval  TaskApproval
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TaskApproval is the request for, and the decision on, a gated task.
type TaskApproval struct {
	Status      ApprovalStatus // "", pending, approved, rejected
	Reason      string
	RequestedBy int64
	RequestedAt *time.Time
	DecidedBy   int64
	DecidedAt   *time.Time
	Opinion     string
}

// Overdue reports whether the task is past its due time and not done.
func (t *Task) Overdue(now time.Time) bool {
	return t.DueAt != nil && !t.Status.Closed() && now.After(*t.DueAt)
}

// Report is a document filed to the plan's recipients.
type Report struct {
	ID          int64
	IncidentID  int64
	Kind        string // summary, daily, initial, followup, final
	Seq         int
	Title       string
	Body        string
	AuthorID    int64
	Status      string // draft, signoff_requested, signed, submitted
	SubmittedAt *time.Time
	SHA256      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// DueAt is the deadline a daily report answers (bound when drafted);
	// nil for kinds without one. Supersedes is the version a correction
	// replaces, 0 for an original.
	DueAt      *time.Time
	Supersedes int64
}
