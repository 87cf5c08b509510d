package report

import (
	"strings"
	"testing"
)

func TestMarking(t *testing.T) {
	for _, c := range []struct {
		m     Marking
		field string
		marks string
	}{
		{Marking{}, "", ""},
		{Marking{CopyNo: "000012", Secrecy: "秘密", SecrecyTerm: "1年", Urgency: "特急"}, "", "000012|秘密★1年|特急"},
		{Marking{Secrecy: "机密"}, "", "机密"},
		{Marking{Secrecy: "绝密", SecrecyTerm: "长期"}, "", "绝密★长期"},
		{Marking{Urgency: "加急"}, "", "加急"},
		{Marking{CopyNo: "12"}, "copy_no", ""},
		{Marking{Secrecy: "内部"}, "secrecy", ""},
		{Marking{SecrecyTerm: "1年"}, "secrecy_term", ""}, // a term needs a level
		{Marking{Secrecy: "秘密", SecrecyTerm: "一年"}, "secrecy_term", ""},
		{Marking{Urgency: "急"}, "urgency", ""},
	} {
		if got := c.m.Check(); got != c.field {
			t.Errorf("%+v: Check %q, want %q", c.m, got, c.field)
		}
		if c.field == "" {
			if got := strings.Join(c.m.Marks(), "|"); got != c.marks {
				t.Errorf("%+v: marks %q, want %q", c.m, got, c.marks)
			}
		}
	}
	if CheckField("secrecy_term", "6个月") != "" || CheckField("secrecy", "秘密★") == "" || CheckField("course", "任何") != "" {
		t.Error("CheckField")
	}
}

// A report signed before the marking existed keeps its hash: empty marking
// fields are left out of the canonical form.
func TestMarkingKeepsOldHashes(t *testing.T) {
	r := &Report{Fields: sampleDocument().Fields}
	c := string(r.Canonical())
	for _, k := range []string{"copy_no", "secrecy", "urgency"} {
		if strings.Contains(c, k) {
			t.Errorf("canonical form names %s while it is empty", k)
		}
	}
	r.Fields.Secrecy = "秘密"
	if !strings.Contains(string(r.Canonical()), `"secrecy":"秘密"`) {
		t.Error("the marking is not covered by the signature")
	}
}
