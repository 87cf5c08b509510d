package plan

import (
	"strings"
	"testing"
	"time"
)

const escBlock = `escalation:
  roll_call:
    resend_after: 10m
    resend: sms
    tell_after: 20m
    tell: duty_leader
  approvals:
    remind_after: 15m
    escalate_after: 30m
    next_up:
      - role: leader
        tell: [leader]
        scope: parent
  overdue_tasks:
    after: 30m
`

// Issue 10: the escalation section decodes and every mistake is reported
// with its file and line.
func TestEscalationSection(t *testing.T) {
	p, err := Parse("t.yaml", []byte(base+escBlock))
	if err != nil {
		t.Fatal(err)
	}
	e := p.Escalation
	if e.RollCall.ResendAfter != 10*time.Minute || e.RollCall.Tell != DutyLeader || e.Approvals.NextUp[0].Tell[0] != "leader" || e.Tasks.After != 30*time.Minute {
		t.Fatalf("%+v", e)
	}
	lineOf := func(s, sub string) int { return strings.Count(s[:strings.Index(s, sub)], "\n") + 1 }
	for _, c := range []struct{ old, new, want string }{
		{"resend: sms", "resend: fax", `escalation.roll_call.resend: unknown channel "fax" (sms)`},
		{"tell: duty_leader", "tell: nobody", `escalation.roll_call.tell: unknown role "nobody"`},
		{"tell_after: 20m", "tell_after: 5m", "escalation.roll_call.tell_after: must be later than resend_after (10m0s)"},
		{"escalate_after: 30m", "escalate_after: 10m", "escalation.approvals.escalate_after: must be later than remind_after"},
		{"      - role: leader", "      - role: chief", `escalation.approvals.next_up[0].role: unknown role "chief"`},
		{"tell: [leader]", "tell: []", "escalation.approvals.next_up[0].tell: at least one role to tell"},
		{"scope: parent\n  overdue", "scope: below\n  overdue", `escalation.approvals.next_up[0].scope: unknown scope "below"`},
		{"    after: 30m", "    after: soon", "escalation.overdue_tasks.after:"},
		{"    after: 30m", "    after: 8d", "escalation.overdue_tasks.after: must be between 0 and 7d"},
	} {
		src := base + strings.Replace(escBlock, c.old, c.new, 1)
		_, err := Parse("t.yaml", []byte(src))
		key := c.new
		if i := strings.IndexByte(key, '\n'); i > 0 {
			key = key[:i]
		}
		want := "t.yaml:" + itoaTest(lineOf(src, key)) + ": " + c.want
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s → %s: got %v, want %s", c.old, c.new, err, want)
		}
	}
}

func itoaTest(n int) string {
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
