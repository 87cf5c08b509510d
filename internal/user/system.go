package user

// System returns the system actor: yingji itself acting, not a person —
// the reminder scheduler, plan installation at start, a migration, the
// demo seeding, and the operator's maintenance commands at the command
// line (`--system`, and the org/user/token commands). The use cases that
// take an actor let it do what an administrator of every organisation may
// (IsSystem), and its audit records carry no user: the store writes actor
// "system" with the database's AuditVia, exactly as records without a user
// always read.
//
// A nil *User is not the system: a use case refuses it as a programming
// error (errs.Internal), so that forgetting to pass the person acting can
// no longer skip the permission checks.
func System() *User { return &User{system: true} }

// IsSystem reports whether u is the system actor (false for nil).
func (u *User) IsSystem() bool { return u != nil && u.system }
