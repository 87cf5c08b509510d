package notices_test

import (
	"testing"

	"yingji/internal/notices"
)

func TestPath(t *testing.T) {
	for _, c := range []struct {
		kind, body string
		incident   int64
		want       string
	}{
		{"report_signoff_requested", `{"report_id":7,"title":"每日情况报告","by":"张值班"}`, 3, "/reports/7"},
		{"report_signed", `{"report_id":7}`, 3, "/reports/7"},
		{"bulletin_signoff_requested", `{"bulletin_id":2,"title":"关于防范DDoS攻击的通报"}`, 0, "/bulletins/2"},
		{"warning_approval_requested", `{"warning_id":4,"headline":"关于防范勒索病毒的预警"}`, 3, "/warnings/4"},
		{"task_approval_requested", `{"number":"QS-2026-001","title":"关闭本地网站","task_id":9}`, 3, "/incidents/3/tasks/9"},
		{"instruction_posted", `{"number":"QS-2026-001","instruction_id":5}`, 3, "/incidents/3#instr-5"},
		{"instruction_done", `{"instruction_id":5,"by":"张值班"}`, 3, "/incidents/3#instr-5"},
		{"approval_requested", `{"approval_id":2}`, 3, "/incidents/3"},
		{"report_signoff_requested", `not json`, 3, "/incidents/3"},
		{"report_signoff_requested", `{}`, 3, "/incidents/3"},
		{"duty_assigned", `{"shift_id":1}`, 0, "/"},
	} {
		if got := notices.Path(c.kind, c.body, c.incident); got != c.want {
			t.Errorf("%s %s: %s, want %s", c.kind, c.body, got, c.want)
		}
	}
}

func TestDetail(t *testing.T) {
	for _, c := range []struct{ kind, body, detail, opinion string }{
		{"approval_decided", `{"kind":"activation","decision":"rejected","opinion":"请核实后再报"}`, "activation.rejected", "请核实后再报"},
		{"approval_decided", `{"kind":"termination","decision":"approved","opinion":"同意"}`, "termination.approved", "同意"},
		{"task_approval_decided", `{"decision":"approved","opinion":"同意关闭"}`, "approved", "同意关闭"},
		{"activation_informed", `{"decided_by":"李局长","opinion":"同意启动"}`, "", "同意启动"},
		{"approval_decided", `{}`, "", ""},
		{"report_signed", `{"opinion":"x"}`, "", ""},
		{"approval_decided", `garbage`, "", ""},
	} {
		if d, o := notices.Detail(c.kind, c.body); d != c.detail || o != c.opinion {
			t.Errorf("%s %s: %q %q", c.kind, c.body, d, o)
		}
	}
}
