package report

import (
	"strings"
	"testing"
)

// TestMeasuresBeforeActivation: a report drafted before the plan is
// started (a 首报) says so instead of counting zero tasks; once it is
// started the count stands, zero or not.
func TestMeasuresBeforeActivation(t *testing.T) {
	in := bigInput(t, 3)
	in.Kind, in.Tasks = Initial, nil
	started := in.Incident.ActivatedAt
	in.Incident.ActivatedAt = nil
	if m := Draft(in).Fields.Measures; !strings.HasPrefix(m, "预案尚未启动，暂未部署处置任务。") || strings.Contains(m, "0项") {
		t.Fatalf("before activation: %q", m)
	}
	in.Incident.ActivatedAt = started
	if m := Draft(in).Fields.Measures; !strings.Contains(m, "按照预案共部署处置任务0项") {
		t.Fatalf("activated, no tasks: %q", m)
	}
}
