package incident

import "testing"

func TestNext(t *testing.T) {
	all := []Action{RequestActivation, ApproveActivation, RejectActivation, RequestTermination, ApproveTermination, RejectTermination, FileSummary}
	allowed := map[Status]map[Action]Status{
		Reported:             {RequestActivation: ActivationRequested},
		ActivationRequested:  {ApproveActivation: Active, RejectActivation: Reported},
		Active:               {RequestTermination: TerminationRequested},
		TerminationRequested: {ApproveTermination: Terminated, RejectTermination: Active},
		Terminated:           {FileSummary: Closed},
		Closed:               {},
	}
	for _, s := range Statuses {
		for _, a := range all {
			want, wantOK := allowed[s][a]
			got, ok := Next(s, a)
			if ok != wantOK || got != want {
				t.Errorf("Next(%s, %s) = %q,%v; want %q,%v", s, a, got, ok, want, wantOK)
			}
		}
	}
	if _, ok := Next("bogus", RequestActivation); ok {
		t.Error("unknown status must allow nothing")
	}
}

func TestAllowed(t *testing.T) {
	tests := []struct {
		s    Status
		want int
	}{{Reported, 1}, {ActivationRequested, 2}, {Active, 1}, {TerminationRequested, 2}, {Terminated, 1}, {Closed, 0}}
	for _, tt := range tests {
		if got := Allowed(tt.s); len(got) != tt.want {
			t.Errorf("Allowed(%s) = %v", tt.s, got)
		}
	}
}

func TestCanMoveTask(t *testing.T) {
	tests := []struct {
		from, to TaskStatus
		ok       bool
	}{
		{TaskTodo, TaskDoing, true}, {TaskTodo, TaskDone, true}, {TaskTodo, TaskBlocked, true}, {TaskTodo, TaskTodo, false},
		{TaskDoing, TaskDone, true}, {TaskDoing, TaskBlocked, true}, {TaskDoing, TaskTodo, true}, {TaskDoing, TaskDoing, false},
		{TaskBlocked, TaskDoing, true}, {TaskBlocked, TaskTodo, true}, {TaskBlocked, TaskDone, true},
		{TaskDone, TaskDoing, true}, {TaskDone, TaskTodo, false}, {TaskDone, TaskBlocked, false},
		{TaskTodo, "finished", false}, {"x", TaskDoing, false},
	}
	for _, tt := range tests {
		if got := CanMoveTask(tt.from, tt.to); got != tt.ok {
			t.Errorf("CanMoveTask(%s,%s) = %v", tt.from, tt.to, got)
		}
	}
}

func TestLevel(t *testing.T) {
	tests := []struct {
		l      Level
		valid  bool
		roman  string
		colour string
	}{{0, false, "?", ""}, {1, true, "Ⅰ", "red"}, {2, true, "Ⅱ", "orange"}, {3, true, "Ⅲ", "yellow"}, {4, true, "Ⅳ", "blue"}, {5, false, "?", ""}}
	for _, tt := range tests {
		if tt.l.Valid() != tt.valid || tt.l.Roman() != tt.roman || tt.l.Color() != tt.colour {
			t.Errorf("level %d: %v %s %s", tt.l, tt.l.Valid(), tt.l.Roman(), tt.l.Color())
		}
	}
	if FormatNumber("QS", 2026, 3) != "QS-2026-003" {
		t.Error(FormatNumber("QS", 2026, 3))
	}
	if TasksEditable(Reported) || !TasksEditable(Active) || !TasksEditable(TerminationRequested) || TasksEditable(Closed) {
		t.Error("TasksEditable")
	}
}
