package dashboard

import (
	"context"
	"sort"
	"yingji/internal/rollcall"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// IncidentPage is the incident view with the newest part of its timeline,
// the people who may be assigned tasks, and names for the ids on the page.
type IncidentPage struct {
	*incidents.View
	Timeline      []*incident.Entry // newest first
	TimelineTotal int
	Assignees     []*user.User
	Names         map[int64]string
	// RollCall is the roll-call at activation, shown on its task
	// (通知领导小组成员到位) and the incident's page (issue 10).
	RollCall *rollcall.Summary
}

// IncidentPage reads an incident for its page; the timeline comes newest
// first, limit entries before the entry id before (0: the newest; limit 0:
// no timeline).
func (s *Service) IncidentPage(ctx context.Context, actor *user.User, id, before int64, limit int) (*IncidentPage, error) {
	v, err := s.incidents.GetIncident(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	pg := &IncidentPage{View: v, Names: map[int64]string{}}
	err = s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if limit > 0 {
			if pg.Timeline, pg.TimelineTotal, err = q.TimelineTail(id, before, limit); err != nil {
				return err
			}
		}
		rs, err := q.RollCalls(id)
		if err != nil {
			return err
		}
		pg.RollCall = rollcall.Summarise(rs)
		users, err := q.Users(0)
		if err != nil {
			return err
		}
		for _, u := range users {
			pg.Names[u.ID] = u.DisplayName
			if u.OrgID == v.Incident.OrgID && !u.Disabled && !u.IsAdministrator() {
				pg.Assignees = append(pg.Assignees, u)
			}
		}
		return nil
	})
	return pg, err
}

// PlanFor is the plan actor works under: its organisation's, or for a
// superior bureau without a plan of its own, that of the first organisation
// below it that has one.
func (s *Service) PlanFor(ctx context.Context, actor *user.User) (*plan.Plan, error) {
	var p *plan.Plan
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		ids := tree.Visible(actor.OrgID)
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			if o := tree.Org(id); o.PlanKey != "" && (id == actor.OrgID || p == nil) {
				if p, _, err = s.CurrentPlan(q, o); err != nil {
					return err
				}
				if id == actor.OrgID {
					return nil
				}
			}
		}
		if p == nil {
			return errs.New(errs.NotFound, "error.plan_not_found")
		}
		return nil
	})
	return p, err
}

// VisibleOrgs lists the actor's organisation and those below it.
func (s *Service) VisibleOrgs(ctx context.Context, actor *user.User) ([]*user.Org, error) {
	var out []*user.Org
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		for _, id := range tree.Visible(actor.OrgID) {
			out = append(out, tree.Org(id))
		}
		sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
		return nil
	})
	return out, err
}

// MayEditTask reports whether actor may change task t of the viewed
// incident: the same rule UpdateTask enforces, for pages to offer only that.
func MayEditTask(actor *user.User, v *incidents.View, t *incident.Task) bool {
	if c, ok := v.TaskCan[t.ID]; ok {
		return c["update"]
	}
	return v.Can["update_tasks"] && (actor.HasRole(access.CommandRoles...) || actor.Department == t.Department)
}
