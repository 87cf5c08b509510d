package access

import (
	"testing"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/user"
)

// TestMayDecide is the approval rule as a table: province 1 above city 2
// above counties 3 and 4; the incident belongs to county 3 and the request
// was made by user 10. Activation is decided by the city's 分管领导
// (scope parent) except for category "own", decided by the county's own
// leading group (scope same); termination by a leader of the county or
// above it (scope same_or_parent).
func TestMayDecide(t *testing.T) {
	tree := org.NewTree([]*user.Org{{ID: 1}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 2}, {ID: 4, ParentID: 2}})
	p := &plan.Plan{
		Approvals: plan.Approvals{
			Activation:  plan.ApprovalRule{Name: "市局分管领导", Roles: []string{"city_deputy"}, Scope: plan.ScopeParent},
			Termination: plan.ApprovalRule{Name: "领导小组组长", Roles: []string{user.RoleLeader}, Scope: plan.ScopeSameOrParent},
		},
		Categories: []plan.Category{{Key: "attack"}, {Key: "own", Activation: plan.ApprovalRule{Name: "本局领导小组", Roles: []string{user.RoleLeader, user.RoleDeputy}, Scope: plan.ScopeSame}}},
	}
	u := func(id, orgID int64, roles ...string) *user.User {
		return &user.User{ID: id, OrgID: orgID, Roles: roles}
	}
	act := &incident.Approval{Kind: incident.KindActivation, RequestedBy: 10}
	term := &incident.Approval{Kind: incident.KindTermination, RequestedBy: 10}
	attack := &incident.Incident{OrgID: 3, Category: "attack"}
	own := &incident.Incident{OrgID: 3, Category: "own"}
	tests := []struct {
		name  string
		actor *user.User
		a     *incident.Approval
		in    *incident.Incident
		key   string // "" when he may decide
	}{
		{"city deputy activates a county's incident", u(20, 2, "city_deputy"), act, attack, ""},
		{"province holder of the role is above too", u(21, 1, "city_deputy"), act, attack, ""},
		{"the county's own holder of the role is not above it", u(22, 3, "city_deputy"), act, attack, "error.not_approver"},
		{"a sibling county's holder is not above it", u(23, 4, "city_deputy"), act, attack, "error.not_approver"},
		{"the county leader lacks the city role", u(24, 3, user.RoleLeader), act, attack, "error.not_approver"},
		{"never the requester, whatever his roles", u(10, 2, "city_deputy"), act, attack, "error.own_request"},
		{"category rule: the county's own leader activates", u(25, 3, user.RoleLeader), act, own, ""},
		{"category rule: the county's deputy too", u(26, 3, user.RoleDeputy), act, own, ""},
		{"category rule: a city leader is not the county's group", u(27, 2, user.RoleLeader), act, own, "error.not_approver"},
		{"category rule: the city deputy's role does not apply", u(20, 2, "city_deputy"), act, own, "error.not_approver"},
		{"termination: the county's own leader", u(25, 3, user.RoleLeader), term, attack, ""},
		{"termination: a leader above the county", u(27, 2, user.RoleLeader), term, attack, ""},
		{"termination: a sibling county's leader", u(28, 4, user.RoleLeader), term, attack, "error.not_approver"},
		{"termination: the deputy lacks the role", u(26, 3, user.RoleDeputy), term, attack, "error.not_approver"},
		{"termination: never the requester", u(10, 3, user.RoleLeader), term, attack, "error.own_request"},
		{"termination ignores the category's activation rule", u(25, 3, user.RoleLeader), term, own, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := MayDecide(tt.actor, tree, p, tt.a, tt.in)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if e := errs.As(err); e == nil || e.Code != errs.Forbidden || e.Key != tt.key {
				t.Fatalf("err = %v, want forbidden %s", err, tt.key)
			}
		})
	}
}
