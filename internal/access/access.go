// Package access holds who may do what, as pure rules over the actor, the
// plan and the incident: the role sets the service enforces and the
// console reads to decide which buttons to show, and need-to-know (五(二)
// 严守工作秘密，严禁暴露公安机关专用技术侦查手段): an incident is read by the
// people with a part in it, not by every user of the bureau.
package access

import (
	"slices"

	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/user"
)

// CommandRoles may register incidents and ask for decisions: the duty
// officer and the leading group.
var CommandRoles = []string{user.RoleDutyOfficer, user.RoleLeader, user.RoleDeputy, user.RoleMember}

// Commands reports whether u is of the command roles of the organisation
// orgID: who asks for its incidents' decisions and writes their reports.
func Commands(u *user.User, orgID int64) bool {
	return u.OrgID == orgID && u.HasRole(CommandRoles...)
}

// WideRoles read every incident of their own organisation: the leading group
// (组长、副组长、成员), the duty officers of its office, and the system
// administrator (as far as the first release's administrator read). The
// security and audit administrators have no part in command (三员分立).
var WideRoles = []string{user.RoleSystemAdmin, user.RoleDutyOfficer, user.RoleLeader, user.RoleDeputy, user.RoleMember}

// Involvement is who has a part in an incident besides its reporter.
type Involvement struct {
	Departments []string // departments that own its tasks or are addressed by a 批示
	People      []int64  // task assignees, approval requesters and deciders, 批示 authors and addressees
}

// WideUnder reports whether actor reads every incident of his own
// organisation run under plan p: a wide role, the plan's own leading-group
// or approval roles, or membership of the department where the leading
// group's office sits (网监科).
func WideUnder(actor *user.User, p *plan.Plan) bool {
	if actor.HasRole(WideRoles...) {
		return true
	}
	g := p.LeadingGroup
	for _, r := range []string{g.Leader, g.Deputy, g.Member} {
		if r != "" && actor.HasRole(r) {
			return true
		}
	}
	if actor.HasRole(p.Approvals.Activation.Roles...) || actor.HasRole(p.Approvals.Termination.Roles...) {
		return true
	}
	return actor.Department != "" && actor.Department == g.Office
}

// MayKnow reports whether actor may read incident in (run under plan p) at
// all. It is monotone in inv: more involvement never hides an incident, so
// callers may first ask with an empty Involvement and load it only if
// the answer is no.
func MayKnow(in *incident.Incident, p *plan.Plan, actor *user.User, tree *org.Tree, inv Involvement) bool {
	named := actor.ID == in.ReporterID || slices.Contains(inv.People, actor.ID)
	if actor.OrgID != in.OrgID {
		// The superior chain: a user of an ancestor organisation who holds a
		// role there (the city's 分管领导 who approves, its duty officers).
		return tree.IsAncestor(actor.OrgID, in.OrgID) && (CommandRole(actor) || named)
	}
	if named || WideUnder(actor, p) || p.OpenToOrganisation(in.Category) {
		return true
	}
	return actor.Department != "" && slices.Contains(inv.Departments, actor.Department)
}

// AnyCategoryNarrows reports whether some category of p is need-to-know
// while the plan as a whole may be open.
func AnyCategoryNarrows(p *plan.Plan) bool {
	for _, c := range p.Categories {
		if c.Visibility == plan.VisibilityNeedToKnow {
			return true
		}
	}
	return false
}

// CommandRole reports whether actor holds a role other than the security or
// audit administrator's, who have no part in command.
func CommandRole(actor *user.User) bool {
	for _, r := range actor.Roles {
		if r != user.RoleSecurityAdmin && r != user.RoleAuditAdmin {
			return true
		}
	}
	return false
}
