package report

import (
	"strings"
	"testing"

	"yingji/internal/plan"
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

func TestMayDownload(t *testing.T) {
	open := &Report{}
	open.AuthorID = 1
	secret := &Report{Fields: Fields{Secrecy: "秘密", SecrecyTerm: "1年"}, SignerID: 9, Editors: []int64{2}}
	secret.AuthorID = 1
	for _, c := range []struct {
		r      *Report
		reader Reader
		want   bool
	}{
		{open, Reader{ID: 5}, true},
		{secret, Reader{ID: 5}, false},
		{secret, Reader{ID: 5, Leader: true}, true},
		{secret, Reader{ID: 1}, true}, // the author
		{secret, Reader{ID: 2}, true}, // an editor
		{secret, Reader{ID: 9}, true}, // the signer
	} {
		if got := MayDownload(c.r, c.reader); got != c.want {
			t.Errorf("%+v by %+v: %v, want %v", c.r.Fields.Marking(), c.reader, got, c.want)
		}
	}
}

func TestClassifiedReaders(t *testing.T) {
	p := &plan.Plan{LeadingGroup: plan.LeadingGroup{Leader: "group_leader", Deputy: "group_deputy", Member: "group_member"}}
	p.Approvals.Activation.Roles = []string{"city_deputy"}
	p.Approvals.Termination.Roles = []string{"city_deputy"}
	if got := strings.Join(ClassifiedReaders(p), ","); got != "group_leader,group_deputy,city_deputy" {
		t.Errorf("readers %s", got)
	}
}
