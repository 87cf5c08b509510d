// Package dashboard holds the overview pages' reads across nouns: the
// command post, the approvals inbox, the incident page, the administrator's
// overview and what the live-update stream polls. It asks the incident and
// account use cases through the small interfaces it declares.
package dashboard

import (
	"context"
	"time"

	"yingji/internal/access"
	"yingji/internal/accounts"
	"yingji/internal/audit"
	"yingji/internal/core"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/org"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
	"yingji/internal/warning"
)

// Incidents is what the overview pages ask of the incident use cases.
type Incidents interface {
	GetIncident(ctx context.Context, actor *user.User, id int64) (*incidents.View, error)
	// OpenInstructionsFor lists the open 批示 addressed to actor or his department.
	OpenInstructionsFor(q *store.Q, actor *user.User) ([]*incidents.InstructionItem, error)
}

// Admins is what the administrator's overview asks of the account and
// audit-log use cases.
type Admins interface {
	ManagedOrgs(ctx context.Context, actor *user.User) ([]*accounts.OrgInfo, error)
	ManagedUsers(ctx context.Context, actor *user.User) ([]*user.User, error)
	KnownRoles(q *store.Q) (map[string]bool, error)
	Newest(ctx context.Context, actor *user.User, n int) ([]*audit.Record, error)
}

// Warnings is what the command post asks of the warnings use cases: the
// drafts waiting for this person's approval.
type Warnings interface {
	AwaitingApproval(q *store.Q, actor *user.User) ([]*warning.Message, error)
}

// Service is the overview use cases.
type Service struct {
	*core.Core
	incidents Incidents
	admins    Admins
	// Warnings, when set (internal/app), puts the warnings waiting for
	// the reader's approval under 待我审批 with the incidents' requests.
	Warnings Warnings
}

// New returns the overview use cases over c.
func New(c *core.Core, incidents Incidents, admins Admins) *Service {
	return &Service{Core: c, incidents: incidents, admins: admins}
}

// Queries for the console's pages. Each reads one snapshot with a fixed
// number of queries, however many incidents there are.

// DashIncident is one open incident on the command post.
type DashIncident struct {
	*incident.Incident
	OrgName  string
	Category string // the category's name
	Tasks    store.TaskCount
	Next     *report.Deadline // the nearest report deadline not yet met
	Overdue  bool             // a deadline or a task is overdue
}

// PendingItem is an approval waiting for the actor, with its incident.
type PendingItem struct {
	Approval  *incident.Approval
	Incident  *incident.Incident
	Requester string
	OrgName   string
	Category  string // the category's name: what happened, and whose decision it is
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
	// Warnings are the warnings (预警) waiting for the actor's approval.
	Warnings []*warning.Message
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
		tree, visible, sc, err := s.VisibleScope(q, actor)
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
			for _, dl := range report.Deadlines(p, cat, in, reports[in.ID], q.Now) {
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
		if d.Instructions, err = s.incidents.OpenInstructionsFor(q, actor); err != nil {
			return err
		}
		if s.Warnings != nil {
			if d.Warnings, err = s.Warnings.AwaitingApproval(q, actor); err != nil {
				return err
			}
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
			if cat := p.Category(in.Category); cat != nil {
				item.Category = cat.Name
			}
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
