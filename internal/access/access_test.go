package access

import (
	"bytes"
	"testing"

	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/user"
	"yingji/plans"
)

func shippedPlan(t *testing.T, edit func([]byte) []byte) *plan.Plan {
	t.Helper()
	data, err := plans.FS.ReadFile(plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		data = edit(data)
	}
	p, err := plan.Parse("qingshen.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMayKnow is the need-to-know rule as a table: city 1 above counties 2
// and 3; the incident belongs to county 2, reported by user 10, with a task
// of 刑警 assigned to user 11 and an approval requested by 10, decided by 12.
func TestMayKnow(t *testing.T) {
	tree := org.NewTree([]*user.Org{{ID: 1}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 1}})
	in := &incident.Incident{ID: 5, OrgID: 2, Category: "network_attack", ReporterID: 10}
	inv := Involvement{Departments: []string{"xingjing"}, People: []int64{11, 10, 12}}
	needToKnow := shippedPlan(t, nil)
	open := shippedPlan(t, func(b []byte) []byte {
		return bytes.Replace(b, []byte("\ncategories:\n"), []byte("\nvisibility: organisation\ncategories:\n"), 1)
	})
	u := func(id, org int64, dept string, roles ...string) *user.User {
		return &user.User{ID: id, OrgID: org, Department: dept, Roles: roles}
	}
	cases := []struct {
		name  string
		actor *user.User
		p     *plan.Plan
		inv   Involvement
		want  bool
	}{
		{"交警 officer without a role", u(20, 2, "jiaojing"), needToKnow, inv, false},
		{"officer without a department", u(20, 2, ""), needToKnow, inv, false},
		{"交警 officer, plan open to the organisation", u(20, 2, "jiaojing"), open, inv, true},
		{"刑警 officer, his department owns a task", u(21, 2, "xingjing"), needToKnow, inv, true},
		{"刑警 officer before the tasks exist", u(21, 2, "xingjing"), needToKnow, Involvement{}, false},
		{"网监 officer (the office)", u(22, 2, "wangjian"), needToKnow, Involvement{}, true},
		{"reporter", u(10, 2, "jiaojing"), needToKnow, Involvement{}, true},
		{"task assignee", u(11, 2, "jiaojing"), needToKnow, inv, true},
		{"approval decider", u(12, 2, ""), needToKnow, inv, true},
		{"duty officer", u(23, 2, "", user.RoleDutyOfficer), needToKnow, Involvement{}, true},
		{"组长", u(24, 2, "office", user.RoleLeader), needToKnow, Involvement{}, true},
		{"副组长", u(25, 2, "", user.RoleDeputy), needToKnow, Involvement{}, true},
		{"成员 (交警 leader)", u(26, 2, "jiaojing", user.RoleMember), needToKnow, Involvement{}, true},
		{"county admin", u(27, 2, "", user.RoleSystemAdmin), needToKnow, Involvement{}, true},
		{"county security admin", u(28, 2, "", user.RoleSecurityAdmin), needToKnow, Involvement{}, false},
		{"city audit admin", u(29, 1, "", user.RoleAuditAdmin), needToKnow, Involvement{}, false},
		{"city 分管领导", u(28, 1, "", "city_deputy"), needToKnow, Involvement{}, true},
		{"city user without a role", u(29, 1, "xingjing"), needToKnow, inv, false},
		{"city user without a role, plan open", u(29, 1, ""), open, inv, false},
		{"other county's duty officer", u(30, 3, "wangjian", user.RoleDutyOfficer), needToKnow, inv, false},
		{"other county's officer named by id", u(12, 3, ""), open, inv, false},
	}
	for _, c := range cases {
		if got := MayKnow(in, c.p, c.actor, tree, c.inv); got != c.want {
			t.Errorf("%s: mayKnow = %v, want %v", c.name, got, c.want)
		}
	}
	// A category may narrow what the plan opens, or open what it keeps.
	narrowed := shippedPlan(t, func(b []byte) []byte {
		b = bytes.Replace(b, []byte("\ncategories:\n"), []byte("\nvisibility: organisation\ncategories:\n"), 1)
		return bytes.Replace(b, []byte("    gb_class: content\n"), []byte("    gb_class: content\n    visibility: need_to_know\n"), 1)
	})
	officer := u(20, 2, "jiaojing")
	harmful := &incident.Incident{ID: 6, OrgID: 2, Category: "harmful_info", ReporterID: 10}
	if MayKnow(harmful, narrowed, officer, tree, Involvement{}) || !MayKnow(in, narrowed, officer, tree, Involvement{}) {
		t.Error("category visibility does not override the plan's")
	}
}

// TestCommands: the command roles of the organisation itself, no one else.
func TestCommands(t *testing.T) {
	for _, c := range []struct {
		name string
		u    *user.User
		want bool
	}{
		{"duty officer of the org", &user.User{OrgID: 2, Roles: []string{user.RoleDutyOfficer}}, true},
		{"leader of the org", &user.User{OrgID: 2, Roles: []string{user.RoleLeader}}, true},
		{"duty officer above", &user.User{OrgID: 1, Roles: []string{user.RoleDutyOfficer}}, false},
		{"department officer of the org", &user.User{OrgID: 2, Department: "xingjing"}, false},
		{"system administrator of the org", &user.User{OrgID: 2, Roles: []string{user.RoleSystemAdmin}}, false},
	} {
		if got := Commands(c.u, 2); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
