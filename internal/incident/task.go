package incident

// TaskStatus is the progress of one task.
type TaskStatus string

const (
	TaskTodo    TaskStatus = "todo"
	TaskDoing   TaskStatus = "doing"
	TaskDone    TaskStatus = "done"
	TaskBlocked TaskStatus = "blocked"
	// TaskNA is 不适用: the task does not apply to this incident and was
	// closed with a reason (NAReason), which the termination approver sees.
	TaskNA TaskStatus = "na"
)

// Valid reports whether s is a known task status.
func (s TaskStatus) Valid() bool {
	switch s {
	case TaskTodo, TaskDoing, TaskDone, TaskBlocked, TaskNA:
		return true
	}
	return false
}

// CanMoveTask reports whether a task may go from one status to another.
// Work can be started, finished, blocked, unblocked and reopened; a status
// "change" to itself is not a change.
func CanMoveTask(from, to TaskStatus) bool {
	if !from.Valid() || !to.Valid() || from == to {
		return false
	}
	switch from {
	case TaskTodo:
		return to == TaskDoing || to == TaskDone || to == TaskBlocked || to == TaskNA
	case TaskDoing:
		return to == TaskDone || to == TaskBlocked || to == TaskTodo || to == TaskNA
	case TaskBlocked:
		return to == TaskDoing || to == TaskTodo || to == TaskDone || to == TaskNA
	case TaskDone:
		return to == TaskDoing // reopened
	case TaskNA:
		return to == TaskTodo // reopened: it applies after all
	}
	return false
}

// Closed reports whether a task needs no more work: done, or closed as not
// applicable.
func (s TaskStatus) Closed() bool { return s == TaskDone || s == TaskNA }

// TaskKind is what the plan says about when a task may be worked.
type TaskKind struct {
	// AfterTermination marks the tasks the plan puts after the termination
	// decision (终止预案,同时报告…; 预案终止后一周内上报处置工作总结): they can
	// be finished only once termination is approved, and stay workable
	// after it until the incident closes.
	AfterTermination bool
	// Gated marks a task that needs a leader's approval before it is done.
	Gated bool
}

// TaskLock says why a task of an incident in status s may not change at
// all, "" when it may: work goes on until the plan is terminated, and the
// tasks that come after termination go on until the incident closes.
func TaskLock(s Status, k TaskKind) string {
	switch s {
	case Active, TerminationRequested:
		return ""
	case Terminated:
		if k.AfterTermination {
			return ""
		}
	}
	return "error.tasks_locked"
}

// FinishLock says why a task may not be marked done now, "" when it may:
// a task after termination waits for the termination approval, and a gated
// task for its own approval.
func FinishLock(s Status, k TaskKind, approval ApprovalStatus) string {
	if k.AfterTermination && s != Terminated {
		return "error.task_after_termination"
	}
	if k.Gated && approval != Approved {
		return "error.task_needs_approval"
	}
	return ""
}

// BlocksTermination reports whether an open task stands in the way of a
// termination request: every task before termination must be done or
// closed as not applicable first.
func BlocksTermination(t *Task, k TaskKind) bool {
	return !k.AfterTermination && !t.Status.Closed()
}

// TasksEditable reports whether tasks of an incident in status s may change:
// work goes on until the plan is terminated. After termination only the
// tasks the plan puts after termination may change (TaskLock).
func TasksEditable(s Status) bool {
	return s == Active || s == TerminationRequested
}
