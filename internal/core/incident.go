package core

import (
	"yingji/internal/access"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// IncidentFor loads an incident the actor may see; one the actor may not
// see is reported as not found, so that its existence does not leak.
func (c *Core) IncidentFor(q *store.Q, actor *user.User, id int64) (*incident.Incident, *org.Tree, error) {
	in, err := q.Incident(id)
	if err != nil {
		return nil, nil, err
	}
	tree, err := LoadTree(q)
	if err != nil {
		return nil, nil, err
	}
	ok, err := c.Knows(q, actor, tree, in)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, IncidentNotFound()
	}
	return in, tree, nil
}

// CommandIncident loads an incident for a change only the command roles of
// its own organisation make (access.Commands): who may not see it is told
// it does not exist, who may see it but not command it is refused with
// deny's message.
func (c *Core) CommandIncident(q *store.Q, actor *user.User, id int64, deny string) (*incident.Incident, *org.Tree, error) {
	in, tree, err := c.IncidentFor(q, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if !access.Commands(actor, in.OrgID) {
		return nil, nil, errs.New(errs.Forbidden, deny)
	}
	return in, tree, nil
}

// IncidentNotFound is what an actor who may not read an incident is told:
// the same answer as for an incident that does not exist.
func IncidentNotFound() error { return errs.New(errs.NotFound, "error.incident_not_found") }

// Involvement reads who has a part in an incident.
func Involvement(q *store.Q, id int64) (access.Involvement, error) {
	var inv access.Involvement
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

// Knows applies access.MayKnow, reading the incident's involvement only
// when the actor's roles do not already answer.
func (c *Core) Knows(q *store.Q, actor *user.User, tree *org.Tree, in *incident.Incident) (bool, error) {
	if !tree.CanSee(actor, in.OrgID) {
		return false, nil
	}
	p, err := c.PlanByID(q, in.PlanID)
	if err != nil {
		return false, err
	}
	if access.MayKnow(in, p, actor, tree, access.Involvement{}) {
		return true, nil
	}
	inv, err := Involvement(q, in.ID)
	if err != nil {
		return false, err
	}
	return access.MayKnow(in, p, actor, tree, inv), nil
}

// VisibleScope reads the organisation tree, the organisations the actor
// sees (his own and those below it) and his ScopeFor over them.
func (c *Core) VisibleScope(q *store.Q, actor *user.User) (*org.Tree, []int64, *store.Scope, error) {
	tree, err := LoadTree(q)
	if err != nil {
		return nil, nil, nil, err
	}
	visible := tree.Visible(actor.OrgID)
	sc, err := c.ScopeFor(q, actor, visible)
	if err != nil {
		return nil, nil, nil, err
	}
	return tree, visible, sc, nil
}

// ScopeFor is access.MayKnow as a store.Scope over the organisations orgs
// (the actor's own and those below it that a query covers).
func (c *Core) ScopeFor(q *store.Q, actor *user.User, orgs []int64) (*store.Scope, error) {
	sc := &store.Scope{UserID: actor.ID, Department: actor.Department}
	for _, id := range orgs {
		switch {
		case id != actor.OrgID && access.CommandRole(actor):
			sc.All = append(sc.All, id)
		case id != actor.OrgID:
			sc.Named = append(sc.Named, id)
		case actor.HasRole(access.WideRoles...):
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
		p, err := c.PlanByID(q, r.ID)
		if err != nil {
			return nil, err
		}
		if access.WideUnder(actor, p) || p.Visibility == plan.VisibilityOrganisation && !access.AnyCategoryNarrows(p) {
			sc.OwnPlans = append(sc.OwnPlans, r.ID)
			continue
		}
		for _, cat := range p.Categories {
			if p.OpenToOrganisation(cat.Key) {
				sc.OwnCategories = append(sc.OwnCategories, store.PlanCategory{PlanID: r.ID, Category: cat.Key})
			}
		}
	}
	return sc, nil
}
