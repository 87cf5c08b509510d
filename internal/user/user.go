// Package user holds people, their organisations and roles, and the rules
// for passwords and API tokens.
package user

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Org is a public security organisation (a city or county bureau). Orgs form
// a tree: a city bureau is the parent of its counties.
type Org struct {
	ID        int64
	ParentID  int64 // 0 for the top
	Name      string
	Code      string // short code used in incident numbers, e.g. QS
	PlanKey   string // the plan this organisation runs
	CreatedAt time.Time
}

// Department is a section of an organisation (网监, 刑警 …), keyed as in the plan.
type Department struct {
	ID    int64
	OrgID int64
	Key   string
	Name  string
}

// User is a person who signs in. Roles are plan role keys.
type User struct {
	ID           int64
	OrgID        int64
	Department   string // department key, "" for none
	Username     string
	DisplayName  string
	Title        string
	Phone        string
	Roles        []string
	PasswordHash string
	Disabled     bool
	FailedLogins int
	LockedUntil  time.Time
	CreatedAt    time.Time
	// Via is how this user proved who he is when not through the console
	// or the API ("cli-token", "cli-password"); never stored, written into
	// the audit records of what he does.
	Via string
	// system marks the system actor (System); unexported so that only
	// System makes one.
	system bool
}

// Role keys the software itself relies on; every other role comes from the plan.
//
// The three administrators are kept apart as GB/T 22239-2019 (等保 2.0 三级)
// asks: the system administrator manages accounts, organisations and
// configuration, the security administrator grants roles and unlocks
// accounts, the audit administrator reads and verifies the audit log. None
// can do another's work and a user holds at most one of them. The first
// release's single "admin" role (RoleLegacyAdmin) became system_admin in
// migration 008 and grants nothing any more.
const (
	RoleSystemAdmin   = "system_admin"
	RoleSecurityAdmin = "security_admin"
	RoleAuditAdmin    = "audit_admin"
	RoleLegacyAdmin   = "admin"

	RoleDutyOfficer = "duty_officer"
	RoleLeader      = "group_leader"
	RoleDeputy      = "group_deputy"
	RoleMember      = "group_member"
)

// HasRole reports whether u holds any of roles.
func (u *User) HasRole(roles ...string) bool {
	for _, r := range roles {
		if slices.Contains(u.Roles, r) {
			return true
		}
	}
	return false
}

// AdminRoles are the three administrators' roles.
var AdminRoles = []string{RoleSystemAdmin, RoleSecurityAdmin, RoleAuditAdmin}

// IsAdministrator reports whether u holds one of the three administrators'
// roles (they take no part in handling incidents).
func (u *User) IsAdministrator() bool { return u.HasRole(AdminRoles...) }

// JoinRoles and SplitRoles store roles as one comma-separated column.
func JoinRoles(roles []string) string { return strings.Join(roles, ",") }

func SplitRoles(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// BcryptCost is the work factor; tests lower it, production keeps the default.
var BcryptCost = bcrypt.DefaultCost

// HashPassword hashes with bcrypt.
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), BcryptCost)
	return string(h), err
}

// CheckPassword reports whether pw matches hash.
func CheckPassword(hash, pw string) bool {
	return hash != "" && bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// NewToken returns a fresh API token and the hash that is stored; the token
// itself is shown once and never kept.
func NewToken() (token, hash string) {
	b := make([]byte, 24)
	rand.Read(b)
	token = "yj_" + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is SHA-256: tokens are long random strings, so a slow hash buys
// nothing and a fast one keeps every API request cheap.
func HashToken(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

// NewPassword returns a random password for generated accounts, drawn
// again until it keeps the password rules (most draws do).
func NewPassword() string {
	for {
		b := make([]byte, 12)
		rand.Read(b)
		if pw := base64.RawURLEncoding.EncodeToString(b); keepsRules(PasswordProblem(pw, "")) {
			return pw
		}
	}
}
