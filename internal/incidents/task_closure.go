package incidents

import (
	"context"
	"strings"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// taskKind is what the incident's plan says about task t: whether it follows
// the termination decision and whether it is gated on an approval. A task
// whose template is gone from the plan (it cannot be: the plan version is
// fixed at activation) is an ordinary task.
func taskKind(p *plan.Plan, in *incident.Incident, t *incident.Task) (incident.TaskKind, *plan.TaskTemplate) {
	if p == nil {
		return incident.TaskKind{}, nil
	}
	cat := p.Category(in.Category)
	if cat == nil {
		return incident.TaskKind{}, nil
	}
	tt, _ := cat.Task(t.TemplateKey)
	if tt == nil {
		return incident.TaskKind{}, nil
	}
	return incident.TaskKind{AfterTermination: tt.AfterTermination, Gated: tt.Gated()}, tt
}

// mayWorkTask is UpdateTask's permission rule: the incident's own
// organisation, and the command roles or the owning department.
func mayWorkTask(actor *user.User, in *incident.Incident, t *incident.Task) bool {
	return in.OrgID == actor.OrgID && (actor.HasRole(access.CommandRoles...) || actor.Department == t.Department)
}

// mayDecideTask checks a gated task's approval rule: the role the plan
// names, in the organisation the rule's scope allows, never the requester.
func mayDecideTask(actor *user.User, tree *org.Tree, rule plan.ApprovalRule, in *incident.Incident, t *incident.Task) error {
	return access.MayDecideUnder(actor, tree, rule, t.Approval.RequestedBy, in.OrgID)
}

// openBeforeTermination lists the tasks that stand in the way of a
// termination request: every task before termination that is neither done
// nor closed as not applicable.
func openBeforeTermination(p *plan.Plan, in *incident.Incident, tasks []*incident.Task) []*incident.Task {
	var out []*incident.Task
	for _, t := range tasks {
		k, _ := taskKind(p, in, t)
		if incident.BlocksTermination(t, k) {
			out = append(out, t)
		}
	}
	return out
}

// OpenTasksBeforeTermination lists the tasks that must be done or closed as
// not applicable (with a reason) before termination can be requested.
func (s *Service) OpenTasksBeforeTermination(ctx context.Context, actor *user.User, id int64) ([]*incident.Task, error) {
	var out []*incident.Task
	err := s.DB.Read(ctx, func(q *store.Q) error {
		in, _, err := s.IncidentFor(q, actor, id)
		if err != nil {
			return err
		}
		p, err := s.PlanByID(q, in.PlanID)
		if err != nil {
			return err
		}
		tasks, err := q.Tasks(id)
		if err != nil {
			return err
		}
		out = openBeforeTermination(p, in, tasks)
		return nil
	})
	return out, err
}

// terminationCheck refuses a termination request while tasks are open, and
// returns what the approver is to see on the request: the tasks closed as
// not applicable, each with its reason (the request's reason left to fill).
func terminationCheck(p *plan.Plan, in *incident.Incident, tasks []*incident.Task) (event.TerminationRequested, error) {
	if open := openBeforeTermination(p, in, tasks); len(open) > 0 {
		titles := make([]string, 0, len(open))
		for _, t := range open {
			titles = append(titles, t.Title)
		}
		return event.TerminationRequested{}, errs.New(errs.Conflict, "error.tasks_open", len(open), strings.Join(titles, "、"))
	}
	var na []string
	done, after := 0, 0
	for _, t := range tasks {
		k, _ := taskKind(p, in, t)
		switch {
		case k.AfterTermination:
			after++
		case t.Status == incident.TaskNA:
			na = append(na, event.NotApplicable(t.Title, t.NAReason))
		case t.Status == incident.TaskDone:
			done++
		}
	}
	return event.TerminationRequested{Done: itoa(done), NACount: itoa(len(na)), After: itoa(after), NAItems: na}, nil
}

// taskWork is a task loaded for someone who works it, with its incident and
// what the incident's plan says of it.
type taskWork struct {
	in   *incident.Incident
	tree *org.Tree
	task *incident.Task
	kind incident.TaskKind
	tmpl *plan.TaskTemplate
}

// incidentTask loads a task with its incident as actor may see it (404
// otherwise) and the organisation tree.
func (s *Service) incidentTask(q *store.Q, actor *user.User, incidentID, taskID int64) (*incident.Incident, *org.Tree, *incident.Task, error) {
	in, tree, err := s.IncidentFor(q, actor, incidentID)
	if err != nil {
		return nil, nil, nil, err
	}
	t, err := q.Task(incidentID, taskID)
	if err != nil {
		return nil, nil, nil, err
	}
	return in, tree, t, nil
}

// workTask loads a task for actor: the incident as he may see it (404
// otherwise), the task, his right to work it, and its kind under the plan.
func (s *Service) workTask(q *store.Q, actor *user.User, incidentID, taskID int64) (*taskWork, error) {
	in, tree, t, err := s.incidentTask(q, actor, incidentID, taskID)
	if err != nil {
		return nil, err
	}
	if !mayWorkTask(actor, in, t) {
		return nil, errs.New(errs.Forbidden, "error.forbidden_task")
	}
	p, err := s.PlanByID(q, in.PlanID)
	if err != nil {
		return nil, err
	}
	k, tt := taskKind(p, in, t)
	return &taskWork{in: in, tree: tree, task: t, kind: k, tmpl: tt}, nil
}

// RequestTaskApproval asks for the approval a gated task needs (需报经…批准)
// before it can be done. Whoever may work the task may ask.
func (s *Service) RequestTaskApproval(ctx context.Context, actor *user.User, incidentID, taskID int64, reason string) (*incident.Task, error) {
	reason = strings.TrimSpace(reason)
	if err := core.CheckText("reason", reason, true, 5000); err != nil {
		return nil, err
	}
	var t *incident.Task
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		w, err := s.workTask(&tx.Q, actor, incidentID, taskID)
		if err != nil {
			return err
		}
		in, tree, k, tt := w.in, w.tree, w.kind, w.tmpl
		t = w.task
		if !k.Gated {
			return errs.New(errs.Conflict, "error.task_not_gated")
		}
		if lock := incident.TaskLock(in.Status, k); lock != "" {
			return errs.New(errs.Conflict, lock, string(in.Status))
		}
		if t.Status.Closed() {
			return errs.New(errs.Conflict, "error.task_closed")
		}
		switch t.Approval.Status {
		case incident.Pending:
			return errs.New(errs.Conflict, "error.task_approval_pending")
		case incident.Approved:
			return errs.New(errs.Conflict, "error.approval_decided")
		}
		now := tx.Now
		t.Approval = incident.TaskApproval{Status: incident.Pending, Reason: reason, RequestedBy: actor.ID, RequestedAt: &now}
		if err := tx.UpdateTask(t); err != nil {
			return err
		}
		if _, err := core.Record(tx, core.Act{IncidentID: in.ID, ActorID: actor.ID, TaskID: t.ID,
			Event: event.TaskApprovalRequested{Title: t.Title, Reason: reason, Rule: tt.Approval.Name},
			Audit: core.Audited(actor, "task.approval_request", "task", t.ID, in.OrgID, map[string]any{"incident_id": in.ID, "reason": reason, "roles": tt.Approval.Roles})}); err != nil {
			return err
		}
		// A notice for everyone who may decide, in the bureaus the rule allows.
		for org := in.OrgID; org != 0; org = tree.Parent(org) {
			us, err := tx.Users(org)
			if err != nil {
				return err
			}
			for _, u := range us {
				if u.Disabled || mayDecideTask(u, tree, tt.Approval, in, t) != nil {
					continue
				}
				if err := core.Notice(tx, u.ID, in.ID, "task_approval_requested", map[string]any{"number": in.Number, "title": t.Title, "task_id": t.ID}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// DecideTaskApproval records the decision on a gated task's request, with
// the opinion, on the task and on the timeline.
func (s *Service) DecideTaskApproval(ctx context.Context, actor *user.User, incidentID, taskID int64, d Decision) (*incident.Task, error) {
	d.Opinion = strings.TrimSpace(d.Opinion)
	if err := core.CheckText("opinion", d.Opinion, true, 5000); err != nil {
		return nil, err
	}
	var t *incident.Task
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, tree, t0, err := s.incidentTask(&tx.Q, actor, incidentID, taskID)
		if err != nil {
			return err
		}
		t = t0
		p, err := s.PlanByID(&tx.Q, in.PlanID)
		if err != nil {
			return err
		}
		k, tt := taskKind(p, in, t)
		if !k.Gated {
			return errs.New(errs.Conflict, "error.task_not_gated")
		}
		if t.Approval.Status != incident.Pending {
			return errs.New(errs.Conflict, "error.task_approval_not_pending")
		}
		if err := mayDecideTask(actor, tree, tt.Approval, in, t); err != nil {
			return err
		}
		if lock := incident.TaskLock(in.Status, k); lock != "" {
			return errs.New(errs.Conflict, lock, string(in.Status))
		}
		now := tx.Now
		t.Approval.Status = incident.Rejected
		if d.Approve {
			t.Approval.Status = incident.Approved
		}
		t.Approval.DecidedBy, t.Approval.DecidedAt, t.Approval.Opinion = actor.ID, &now, d.Opinion
		if err := tx.UpdateTask(t); err != nil {
			return err
		}
		if _, err := core.Record(tx, core.Act{IncidentID: in.ID, ActorID: actor.ID, TaskID: t.ID,
			Event: event.TaskApprovalDecided{Title: t.Title, Decision: string(t.Approval.Status), Opinion: d.Opinion},
			Audit: core.Audited(actor, "task.approval_decide", "task", t.ID, in.OrgID, map[string]any{"incident_id": in.ID, "decision": string(t.Approval.Status), "opinion": d.Opinion})}); err != nil {
			return err
		}
		return core.Notice(tx, t.Approval.RequestedBy, in.ID, "task_approval_decided", map[string]any{"number": in.Number, "title": t.Title, "decision": string(t.Approval.Status), "opinion": d.Opinion})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// taskCan works out, per task, what actor may do now: update, and for a
// gated task request_approval and decide_approval; finish says whether it
// may be marked done now. Pages offer only these.
func taskCan(actor *user.User, tree *org.Tree, v *View) map[int64]map[string]bool {
	out := make(map[int64]map[string]bool, len(v.Tasks))
	in := v.Incident
	for _, t := range v.Tasks {
		k, tt := taskKind(v.Plan, in, t)
		open := incident.TaskLock(in.Status, k) == ""
		c := map[string]bool{"update": open && mayWorkTask(actor, in, t)}
		// finish: the task may be marked done now (not before termination for
		// a task after it, not before its approval for a gated one).
		c["finish"] = c["update"] && incident.FinishLock(in.Status, k, t.Approval.Status) == ""
		if k.Gated {
			c["request_approval"] = c["update"] && !t.Status.Closed() &&
				t.Approval.Status != incident.Pending && t.Approval.Status != incident.Approved
			c["decide_approval"] = open && t.Approval.Status == incident.Pending && mayDecideTask(actor, tree, tt.Approval, in, t) == nil
		}
		out[t.ID] = c
	}
	return out
}
