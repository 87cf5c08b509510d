package report

import (
	"strings"
	"testing"
	"time"

	"yingji/internal/incident"
)

// Issue 11, gap 2: the drafted summary said "事件已得到有效处置" while listing
// 18 unfinished tasks. The sentence now depends on the record: every task
// done or not applicable → that sentence; otherwise how many remain.
func TestDraftNeverClaimsWhatTheRecordDoesNotShow(t *testing.T) {
	for _, kind := range []string{Summary, Final} {
		in := bigInput(t, 3) // 20 tasks, 10 done, 10 to do
		in.Kind = kind
		term := in.Incident.ActivatedAt.Add(48 * time.Hour)
		inc := *in.Incident
		inc.Status, inc.TerminatedAt = incident.Terminated, &term
		in.Incident = &inc

		d := Draft(in)
		if strings.Contains(d.Fields.Impact, "有效处置") {
			t.Errorf("%s with 10 open tasks claims 有效处置: %q", kind, d.Fields.Impact)
		}
		if !strings.Contains(d.Fields.Impact, "尚有10项处置任务未完成") {
			t.Errorf("%s does not say how many remain: %q", kind, d.Fields.Impact)
		}

		// Close the rest: half not applicable with a reason, half done.
		for i, tk := range in.Tasks {
			if tk.Status == incident.TaskDone {
				continue
			}
			c := *tk
			if i%4 == 1 {
				c.Status, c.NAReason = incident.TaskNA, "本次事件未涉及电子邮件"
			} else {
				c.Status = incident.TaskDone
			}
			in.Tasks[i] = &c
		}
		d = Draft(in)
		if !strings.Contains(d.Fields.Impact, "事件已得到有效处置") {
			t.Errorf("%s with every task closed: %q", kind, d.Fields.Impact)
		}
		if !strings.Contains(d.Fields.Measures, "经核实不适用5项") || !strings.Contains(d.Fields.Measures, "不适用（本次事件未涉及电子邮件）") {
			t.Errorf("%s measures do not show the tasks not applicable: %q", kind, d.Fields.Measures)
		}
	}
}
