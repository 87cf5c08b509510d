package service

import (
	"slices"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Need-to-know (五(二) 严守工作秘密，严禁暴露公安机关专用技术侦查手段): an incident
// is read by the people with a part in it, not by every user of the bureau.
// mayKnow is the rule; scopeFor is the same rule as SQL for lists. Both are
// only ever narrower than the organisation rule (orgTree.canSee).

// Involvement is who has a part in an incident besides its reporter.
type Involvement struct {
	Departments []string // departments that own its tasks or are addressed by a 批示
	People      []int64  // task assignees, approval requesters and deciders, 批示 authors and addressees
}

// wideRoles read every incident of their own organisation: the leading group
// (组长、副组长、成员), the duty officers of its office, and the system
// administrator (as far as the first release's administrator read). The
// security and audit administrators have no part in command (三员分立).
var wideRoles = []string{user.RoleSystemAdmin, user.RoleDutyOfficer, user.RoleLeader, user.RoleDeputy, user.RoleMember}

// wideUnder reports whether actor reads every incident of his own
// organisation run under plan p: a wide role, the plan's own leading-group
// or approval roles, or membership of the department where the leading
// group's office sits (网监科).
func wideUnder(actor *user.User, p *plan.Plan) bool {
	if actor.HasRole(wideRoles...) {
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

// mayKnow reports whether actor may read incident in (run under plan p) at
// all. It is monotone in inv: more involvement never hides an incident, so
// callers may first ask with an empty Involvement and load it only if
// the answer is no.
func mayKnow(in *incident.Incident, p *plan.Plan, actor *user.User, tree *orgTree, inv Involvement) bool {
	named := actor.ID == in.ReporterID || slices.Contains(inv.People, actor.ID)
	if actor.OrgID != in.OrgID {
		// The superior chain: a user of an ancestor organisation who holds a
		// role there (the city's 分管领导 who approves, its duty officers).
		return tree.isAncestor(actor.OrgID, in.OrgID) && (commandRole(actor) || named)
	}
	if named || wideUnder(actor, p) || p.OpenToOrganisation(in.Category) {
		return true
	}
	return actor.Department != "" && slices.Contains(inv.Departments, actor.Department)
}

// involvement reads who has a part in an incident.
func involvement(q *store.Q, id int64) (Involvement, error) {
	var inv Involvement
	tasks, err := q.Tasks(id)
	if err != nil {
		return inv, err
	}
	for _, t := range tasks {
		inv.Departments = append(inv.Departments, t.Department)
		if t.AssigneeID != 0 {
			inv.People = append(inv.People, t.AssigneeID)
		}
	}
	approvals, err := q.Approvals(id)
	if err != nil {
		return inv, err
	}
	for _, a := range approvals {
		inv.People = append(inv.People, a.RequestedBy)
		if a.DecidedBy != 0 {
			inv.People = append(inv.People, a.DecidedBy)
		}
	}
	// 批示: an addressed department's users and named people read the
	// incident they are told to act on.
	instructions, err := q.Instructions(id)
	if err != nil {
		return inv, err
	}
	for _, ins := range instructions {
		inv.Departments = append(inv.Departments, ins.Departments...)
		inv.People = append(append(inv.People, ins.AuthorID), ins.People...)
	}
	return inv, nil
}

// knows applies mayKnow, reading the incident's involvement only when the
// actor's roles do not already answer.
func (s *Service) knows(q *store.Q, actor *user.User, tree *orgTree, in *incident.Incident) (bool, error) {
	if !tree.canSee(actor, in.OrgID) {
		return false, nil
	}
	p, err := s.planByID(q, in.PlanID)
	if err != nil {
		return false, err
	}
	if mayKnow(in, p, actor, tree, Involvement{}) {
		return true, nil
	}
	inv, err := involvement(q, in.ID)
	if err != nil {
		return false, err
	}
	return mayKnow(in, p, actor, tree, inv), nil
}

// scopeFor is mayKnow as a store.Scope over the organisations orgs (the
// actor's own and those below it that a query covers).
func (s *Service) scopeFor(q *store.Q, actor *user.User, orgs []int64) (*store.Scope, error) {
	sc := &store.Scope{UserID: actor.ID, Department: actor.Department}
	for _, id := range orgs {
		switch {
		case id != actor.OrgID && commandRole(actor):
			sc.All = append(sc.All, id)
		case id != actor.OrgID:
			sc.Named = append(sc.Named, id)
		case actor.HasRole(wideRoles...):
			sc.All = append(sc.All, id)
		default:
			sc.Own = id
		}
	}
	if sc.Own == 0 {
		return sc, nil
	}
	// Which plan versions open the own organisation's incidents to him, as a
	// whole or by category. Parsed plans are cached, so this reads one
	// small table.
	rows, err := q.Plans()
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		p, err := s.planByID(q, r.ID)
		if err != nil {
			return nil, err
		}
		if wideUnder(actor, p) || p.Visibility == plan.VisibilityOrganisation && !anyCategoryNarrows(p) {
			sc.OwnPlans = append(sc.OwnPlans, r.ID)
			continue
		}
		for _, c := range p.Categories {
			if p.OpenToOrganisation(c.Key) {
				sc.OwnCategories = append(sc.OwnCategories, store.PlanCategory{PlanID: r.ID, Category: c.Key})
			}
		}
	}
	return sc, nil
}

func anyCategoryNarrows(p *plan.Plan) bool {
	for _, c := range p.Categories {
		if c.Visibility == plan.VisibilityNeedToKnow {
			return true
		}
	}
	return false
}

// incidentNotFound is what an actor who may not read an incident is told: the same
// answer as for an incident that does not exist.
func incidentNotFound() error { return errs.New(errs.NotFound, "error.incident_not_found") }

// commandRole reports whether actor holds a role other than the security or
// audit administrator's, who have no part in command.
func commandRole(actor *user.User) bool {
	for _, r := range actor.Roles {
		if r != user.RoleSecurityAdmin && r != user.RoleAuditAdmin {
			return true
		}
	}
	return false
}
