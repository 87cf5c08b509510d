package access

import "yingji/internal/user"

// The role rules of duty (值班) and the base database (基础数据库), which the
// use cases enforce and the console reads to decide which forms to show.

// DutyManagers set up shifts, rotations and sensitive periods.
var DutyManagers = []string{user.RoleSystemAdmin, user.RoleDutyOfficer, user.RoleLeader, user.RoleDeputy}

// DutyLeaders approve swaps and overrides (the duty leader, 值班领导).
var DutyLeaders = []string{user.RoleLeader, user.RoleDeputy}

// RegistryEditors edit the base database of their own organisation.
var RegistryEditors = []string{user.RoleSystemAdmin, user.RoleDutyOfficer, user.RoleLeader, user.RoleDeputy}

// MayManageDuty reports whether u holds a role that sets up the roster.
func MayManageDuty(u *user.User) bool { return u.HasRole(DutyManagers...) }

// DutyLeader reports whether u may approve swaps and overrides.
func DutyLeader(u *user.User) bool { return u.HasRole(DutyLeaders...) }

// MayKeepDutyLog reports whether u may record calls and reports received on
// duty: the roster's managers and the leading group's members.
func MayKeepDutyLog(u *user.User) bool { return MayManageDuty(u) || u.HasRole(user.RoleMember) }

// MayEditRegistry reports whether u holds a role that edits the base database.
func MayEditRegistry(u *user.User) bool { return u.HasRole(RegistryEditors...) }
