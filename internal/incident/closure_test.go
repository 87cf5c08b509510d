package incident

import "testing"

// Issue 11, gap 2: after termination the termination phase's own reporting
// tasks (终止预案,同时报告…; 一周内上报处置工作总结) stay workable, every other
// task locks; before termination those tasks cannot be finished.
func TestTaskLockAfterTermination(t *testing.T) {
	after := TaskKind{AfterTermination: true}
	tests := []struct {
		s          Status
		k          TaskKind
		lock, fin  string
		approval   ApprovalStatus
		blocksTerm bool
	}{
		{Active, TaskKind{}, "", "", "", true},
		{TerminationRequested, TaskKind{}, "", "", "", true},
		{Terminated, TaskKind{}, "error.tasks_locked", "", "", true},
		{Closed, TaskKind{}, "error.tasks_locked", "", "", true},
		{Reported, TaskKind{}, "error.tasks_locked", "", "", true},
		{Active, after, "", "error.task_after_termination", "", false},
		{TerminationRequested, after, "", "error.task_after_termination", "", false},
		{Terminated, after, "", "", "", false},
		{Closed, after, "error.tasks_locked", "error.task_after_termination", "", false},
		// Gated tasks: done only once approved.
		{Active, TaskKind{Gated: true}, "", "error.task_needs_approval", "", true},
		{Active, TaskKind{Gated: true}, "", "error.task_needs_approval", Pending, true},
		{Active, TaskKind{Gated: true}, "", "error.task_needs_approval", Rejected, true},
		{Active, TaskKind{Gated: true}, "", "", Approved, true},
	}
	for _, tt := range tests {
		if got := TaskLock(tt.s, tt.k); got != tt.lock {
			t.Errorf("TaskLock(%s, %+v) = %q, want %q", tt.s, tt.k, got, tt.lock)
		}
		if got := FinishLock(tt.s, tt.k, tt.approval); got != tt.fin {
			t.Errorf("FinishLock(%s, %+v, %q) = %q, want %q", tt.s, tt.k, tt.approval, got, tt.fin)
		}
		if got := BlocksTermination(&Task{Status: TaskTodo}, tt.k); got != tt.blocksTerm {
			t.Errorf("BlocksTermination(todo, %+v) = %v", tt.k, got)
		}
	}
}

// 不适用: a task closed as not applicable counts as closed, can be reopened,
// and does not block termination.
func TestTaskNotApplicable(t *testing.T) {
	moves := []struct {
		from, to TaskStatus
		ok       bool
	}{
		{TaskTodo, TaskNA, true}, {TaskDoing, TaskNA, true}, {TaskBlocked, TaskNA, true},
		{TaskDone, TaskNA, false}, {TaskNA, TaskTodo, true}, {TaskNA, TaskDone, false}, {TaskNA, TaskDoing, false},
	}
	for _, m := range moves {
		if got := CanMoveTask(m.from, m.to); got != m.ok {
			t.Errorf("CanMoveTask(%s, %s) = %v, want %v", m.from, m.to, got, m.ok)
		}
	}
	if !TaskNA.Valid() || !TaskNA.Closed() || !TaskDone.Closed() || TaskBlocked.Closed() {
		t.Error("na must be a valid, closed status")
	}
	for _, s := range []TaskStatus{TaskDone, TaskNA} {
		if BlocksTermination(&Task{Status: s}, TaskKind{}) {
			t.Errorf("a %s task blocks termination", s)
		}
	}
}
