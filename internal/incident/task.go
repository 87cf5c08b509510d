package incident

// TaskStatus is the progress of one task.
type TaskStatus string

const (
	TaskTodo    TaskStatus = "todo"
	TaskDoing   TaskStatus = "doing"
	TaskDone    TaskStatus = "done"
	TaskBlocked TaskStatus = "blocked"
)

// Valid reports whether s is a known task status.
func (s TaskStatus) Valid() bool {
	switch s {
	case TaskTodo, TaskDoing, TaskDone, TaskBlocked:
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
		return to == TaskDoing || to == TaskDone || to == TaskBlocked
	case TaskDoing:
		return to == TaskDone || to == TaskBlocked || to == TaskTodo
	case TaskBlocked:
		return to == TaskDoing || to == TaskTodo || to == TaskDone
	case TaskDone:
		return to == TaskDoing // reopened
	}
	return false
}

// TasksEditable reports whether tasks of an incident in status s may change:
// work goes on until the plan is terminated.
func TasksEditable(s Status) bool {
	return s == Active || s == TerminationRequested
}
