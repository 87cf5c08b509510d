package service

import (
	"context"
	"slices"
	"sort"
	"time"

	"yingji/internal/access"
	"yingji/internal/audit"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Queries for the console's pages. Each reads one snapshot with a fixed
// number of queries, however many incidents there are.

// DashIncident is one open incident on the command post.
type DashIncident struct {
	*incident.Incident
	OrgName  string
	Category string // the category's name
	Tasks    store.TaskCount
	Next     *Deadline // the nearest report deadline not yet met
	Overdue  bool      // a deadline or a task is overdue
}

// PendingItem is an approval waiting for the actor, with its incident.
type PendingItem struct {
	Approval  *incident.Approval
	Incident  *incident.Incident
	Requester string
	OrgName   string
	// NotApplicable: for a termination request, the tasks closed as 不适用,
	// whose reasons the approver reads before deciding.
	NotApplicable []*incident.Task
}

// DashboardShown caps the incidents the command post lists in full (with
// their work): the most severe and newest; the counts cover them all.
const DashboardShown = 200

// Dashboard is what the command post shows one person.
type Dashboard struct {
	Incidents []*DashIncident // the first DashboardShown, most severe first
	Total     int             // open incidents in all
	ByLevel   [5]int          // open incidents per level (index 1..4)
	MyTasks   []*store.TaskRow
	Approvals []*PendingItem
	// Instructions are the open 批示 addressed to the actor or his department.
	Instructions []*incidents.InstructionItem
	Next         *DashIncident // the incident with the nearest deadline
	Now          time.Time
}

// Dashboard gathers the command post for actor: the open incidents it may
// see with their deadlines and work, its tasks and the approvals it may decide.
func (s *Service) Dashboard(ctx context.Context, actor *user.User) (*Dashboard, error) {
	d := &Dashboard{}
	err := s.DB.Read(ctx, func(q *store.Q) error {
		d.Now = q.Now
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		visible := tree.Visible(actor.OrgID)
		sc, err := s.ScopeFor(q, actor, visible)
		if err != nil {
			return err
		}
		list, err := q.OpenIncidents(visible, sc)
		if err != nil {
			return err
		}
		var shownIDs []int64
		for i := 0; i < len(list) && i < DashboardShown; i++ {
			shownIDs = append(shownIDs, list[i].ID)
		}
		counts, err := q.OpenTaskCounts(shownIDs)
		if err != nil {
			return err
		}
		// A daily deadline looks back one day from the previous deadline.
		reports, err := q.RecentReports(visible, q.Now.Add(-50*time.Hour))
		if err != nil {
			return err
		}
		byID := make(map[int64]*incident.Incident, len(list))
		for _, in := range list {
			byID[in.ID] = in
			p, err := s.PlanByID(q, in.PlanID)
			if err != nil {
				return err
			}
			cat := p.Category(in.Category)
			di := &DashIncident{Incident: in, OrgName: tree.Org(in.OrgID).Name, Tasks: counts[in.ID]}
			if cat != nil {
				di.Category = cat.Name
			}
			for _, dl := range Deadlines(p, cat, in, reports[in.ID], q.Now) {
				if dl.State == "on_time" || dl.State == "late" {
					continue
				}
				if di.Next == nil || dl.Due.Before(di.Next.Due) {
					dl := dl
					di.Next = &dl
				}
			}
			di.Overdue = di.Tasks.Overdue > 0 || (di.Next != nil && (di.Next.State == "overdue" || di.Next.State == "missed"))
			if di.Next != nil && di.Next.Due.After(q.Now) && (d.Next == nil || di.Next.Due.Before(d.Next.Next.Due)) {
				d.Next = di
			}
			d.ByLevel[in.Level]++
			if d.Total++; d.Total <= DashboardShown {
				d.Incidents = append(d.Incidents, di)
			}
		}
		if d.MyTasks, err = q.MyTasks(actor.OrgID, actor.Department, actor.ID, 50); err != nil {
			return err
		}
		if d.Instructions, err = s.Incidents.OpenInstructionsFor(q, actor); err != nil {
			return err
		}
		d.Approvals, err = s.pendingFor(q, actor, tree, byID)
		return err
	})
	return d, err
}

// pendingFor lists the open approvals actor may decide, with names.
func (s *Service) pendingFor(q *store.Q, actor *user.User, tree *org.Tree, byID map[int64]*incident.Incident) ([]*PendingItem, error) {
	visible := tree.Visible(actor.OrgID)
	sc, err := s.ScopeFor(q, actor, visible)
	if err != nil {
		return nil, err
	}
	pending, err := q.PendingApprovals(visible, sc)
	if err != nil || len(pending) == 0 {
		return nil, err
	}
	users, err := q.Users(0)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.DisplayName
	}
	var out []*PendingItem
	for _, a := range pending {
		in := byID[a.IncidentID]
		if in == nil {
			if in, err = q.Incident(a.IncidentID); err != nil {
				return nil, err
			}
		}
		p, err := s.PlanByID(q, in.PlanID)
		if err != nil {
			return nil, err
		}
		if access.MayDecide(actor, tree, p, a, in) == nil {
			item := &PendingItem{Approval: a, Incident: in, Requester: names[a.RequestedBy], OrgName: tree.Org(in.OrgID).Name}
			if a.Kind == incident.KindTermination {
				tasks, err := q.Tasks(in.ID)
				if err != nil {
					return nil, err
				}
				for _, t := range tasks {
					if t.Status == incident.TaskNA {
						item.NotApplicable = append(item.NotApplicable, t)
					}
				}
			}
			out = append(out, item)
		}
	}
	return out, nil
}

// Inbox lists the approvals waiting for actor's decision.
func (s *Service) Inbox(ctx context.Context, actor *user.User) ([]*PendingItem, error) {
	var out []*PendingItem
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		out, err = s.pendingFor(q, actor, tree, nil)
		return err
	})
	return out, err
}

// IncidentPage is the incident view with the newest part of its timeline,
// the people who may be assigned tasks, and names for the ids on the page.
type IncidentPage struct {
	*incidents.View
	Timeline      []*incident.Entry // newest first
	TimelineTotal int
	Assignees     []*user.User
	Names         map[int64]string
}

// IncidentPage reads an incident for its page; the timeline comes newest
// first, limit entries before the entry id before (0: the newest; limit 0:
// no timeline).
func (s *Service) IncidentPage(ctx context.Context, actor *user.User, id, before int64, limit int) (*IncidentPage, error) {
	v, err := s.Incidents.GetIncident(ctx, actor, id)
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

// Admin is an administrator's overview: each of the three sees his own part
// (nil when not his), for the organisations he manages.
type Admin struct {
	Users  []*user.User     // system and security administrators
	Orgs   map[int64]string // names of the organisations managed
	Tree   []*OrgInfo       // system administrator: organisations and departments
	Roles  []string         // security administrator: roles that may be granted
	Audit  *store.VerifyResult
	Record []*audit.Record // audit administrator: the newest records of his organisations
}

// AdminOverview gathers the administrator's page; for the three
// administrators only, each seeing his own work.
func (s *Service) AdminOverview(ctx context.Context, actor *user.User) (*Admin, error) {
	if !actor.IsAdministrator() {
		return nil, errs.New(errs.Forbidden, "error.admin_only")
	}
	a := &Admin{Orgs: map[int64]string{}}
	orgs, err := s.ManagedOrgs(ctx, actor)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		a.Orgs[o.ID] = o.Name
	}
	if actor.HasRole(user.RoleSystemAdmin) {
		a.Tree = orgs
	}
	if actor.HasRole(user.RoleSystemAdmin, user.RoleSecurityAdmin) {
		if a.Users, err = s.ManagedUsers(ctx, actor); err != nil {
			return nil, err
		}
	}
	if actor.HasRole(user.RoleSecurityAdmin) {
		err := s.DB.Read(ctx, func(q *store.Q) error {
			known, err := s.knownRoles(q)
			for r := range known {
				a.Roles = append(a.Roles, r)
			}
			sort.Strings(a.Roles)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if actor.HasRole(user.RoleAuditAdmin) {
		res, err := s.VerifyAudit(ctx)
		if err != nil {
			return nil, err
		}
		a.Audit = &res
		// the newest page of records: read forward from a little before the head
		after := max(res.HeadSeq-200, 0)
		if a.Record, err = s.AuditRecords(ctx, actor, after, 200); err != nil {
			return nil, err
		}
		slices.Reverse(a.Record)
	}
	return a, nil
}

// Changes is what the live-update stream polls: the newest timeline entry
// (of one incident, or of any incident the actor may see when id is 0).
func (s *Service) Changes(ctx context.Context, actor *user.User, id, after int64) (int64, bool, error) {
	var mark int64
	var changed bool
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if id != 0 {
			if _, _, err := s.IncidentFor(q, actor, id); err != nil {
				return err
			}
			mark, err = q.TimelineMark(id)
			changed = mark != after
			return err
		}
		if mark, err = q.TimelineMark(0); err != nil || mark == after {
			return err
		}
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		visible := tree.Visible(actor.OrgID)
		sc, err := s.ScopeFor(q, actor, visible)
		if err != nil {
			return err
		}
		changed, err = q.ChangedIn(visible, sc, after, mark)
		return err
	})
	return mark, changed, err
}

// ChangeConcerns returns a test, cheap enough to run on every change of the
// node's feed, of whether a change to an incident of organisation org may
// concern actor's overview (Changes with id 0). It must admit every change
// Changes would report: a stream skips what it refuses without asking.
func (s *Service) ChangeConcerns(ctx context.Context, actor *user.User) (func(org int64) bool, error) {
	var visible map[int64]bool
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		visible = map[int64]bool{}
		for _, id := range tree.Visible(actor.OrgID) {
			visible[id] = true
		}
		return nil
	})
	return func(org int64) bool { return visible[org] }, err
}

// MayEditTask reports whether actor may change task t of the viewed
// incident: the same rule UpdateTask enforces, for pages to offer only that.
func MayEditTask(actor *user.User, v *incidents.View, t *incident.Task) bool {
	if c, ok := v.TaskCan[t.ID]; ok {
		return c["update"]
	}
	return v.Can["update_tasks"] && (actor.HasRole(access.CommandRoles...) || actor.Department == t.Department)
}
