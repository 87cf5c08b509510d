package access

import (
	"testing"

	"yingji/internal/user"
)

// TestDutyAndRegistryRoles is the duty and registry role rules as a table,
// one row per role.
func TestDutyAndRegistryRoles(t *testing.T) {
	cases := []struct {
		role                              string
		manage, leader, log, editRegistry bool
	}{
		{user.RoleSystemAdmin, true, false, true, true},
		{user.RoleDutyOfficer, true, false, true, true},
		{user.RoleLeader, true, true, true, true},
		{user.RoleDeputy, true, true, true, true},
		{user.RoleMember, false, false, true, false},
		{user.RoleSecurityAdmin, false, false, false, false},
		{user.RoleAuditAdmin, false, false, false, false},
		{"", false, false, false, false},
	}
	for _, c := range cases {
		u := &user.User{Roles: []string{c.role}}
		if c.role == "" {
			u.Roles = nil
		}
		if got := MayManageDuty(u); got != c.manage {
			t.Errorf("%q MayManageDuty %v", c.role, got)
		}
		if got := DutyLeader(u); got != c.leader {
			t.Errorf("%q DutyLeader %v", c.role, got)
		}
		if got := MayKeepDutyLog(u); got != c.log {
			t.Errorf("%q MayKeepDutyLog %v", c.role, got)
		}
		if got := MayEditRegistry(u); got != c.editRegistry {
			t.Errorf("%q MayEditRegistry %v", c.role, got)
		}
	}
}
