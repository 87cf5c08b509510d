package incidents

import (
	"context"
	"strings"
	"time"

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

// RequestActivation asks for the plan to be activated for an incident.
func (s *Service) RequestActivation(ctx context.Context, actor *user.User, id int64, reason string) (*incident.Approval, error) {
	return s.request(ctx, actor, id, incident.KindActivation, reason)
}

// RequestTermination asks for the plan to be terminated for an incident.
func (s *Service) RequestTermination(ctx context.Context, actor *user.User, id int64, reason string) (*incident.Approval, error) {
	return s.request(ctx, actor, id, incident.KindTermination, reason)
}

func (s *Service) request(ctx context.Context, actor *user.User, id int64, kind incident.ApprovalKind, reason string) (*incident.Approval, error) {
	reason = strings.TrimSpace(reason)
	if err := core.CheckText("reason", reason, true, 5000); err != nil {
		return nil, err
	}
	_, _, action := kind.Actions()
	var a *incident.Approval
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, tree, err := s.CommandIncident(&tx.Q, actor, id, "error.forbidden_request")
		if err != nil {
			return err
		}
		to, ok := incident.Next(in.Status, action)
		if !ok {
			return errs.New(errs.Conflict, "error.transition", string(in.Status), string(action))
		}
		var ev event.Event = event.ActivationRequested{Reason: reason}
		if kind == incident.KindTermination {
			if err := checkFeedbackFirst(&tx.Q, in); err != nil { // assign.go
				return err
			}
			// Every task before termination is done or closed as not
			// applicable with a reason; the request carries those reasons
			// for the approver.
			p, err := s.PlanByID(&tx.Q, in.PlanID)
			if err != nil {
				return err
			}
			tasks, err := tx.Tasks(id)
			if err != nil {
				return err
			}
			closure, err := terminationCheck(p, in, tasks)
			if err != nil {
				return err
			}
			closure.Reason = reason
			ev = closure
		}
		a = &incident.Approval{IncidentID: id, Kind: kind, FromStatus: in.Status, Reason: reason, RequestedBy: actor.ID}
		if err := tx.CreateApproval(a); err != nil {
			return err
		}
		in.Status = to
		if err := tx.UpdateIncident(in); err != nil {
			return err
		}
		if _, err := core.Record(tx, core.Act{IncidentID: id, ActorID: actor.ID, ApprovalID: a.ID, Event: ev,
			Audit: core.Audited(actor, "approval.request", "approval", a.ID, in.OrgID, map[string]any{
				"incident_id": id, "kind": string(kind), "reason": reason, "from": string(a.FromStatus), "to": string(to)})}); err != nil {
			return err
		}
		return s.notifyApprovers(tx, tree, in, a)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// notifyApprovers leaves an in-app notice for everyone who may decide.
func (s *Service) notifyApprovers(tx *store.Tx, tree *org.Tree, in *incident.Incident, a *incident.Approval) error {
	p, err := s.PlanByID(&tx.Q, in.PlanID)
	if err != nil {
		return err
	}
	// Only the incident's organisation and those above it can hold deciders.
	var users []*user.User
	for org := in.OrgID; org != 0; org = tree.Parent(org) {
		us, err := tx.Users(org)
		if err != nil {
			return err
		}
		users = append(users, us...)
	}
	for _, u := range users {
		if u.ID == a.RequestedBy || access.MayDecide(u, tree, p, a, in) != nil {
			continue
		}
		if err := core.Notice(tx, u.ID, in.ID, "approval_requested", map[string]any{"number": in.Number, "title": in.Title, "kind": string(a.Kind), "approval_id": a.ID}); err != nil {
			return err
		}
	}
	return nil
}

// Decision is a leader's answer to an approval request.
type Decision struct {
	Approve bool
	Opinion string
}

// ParseDecision reads "approve" or "reject".
func ParseDecision(s, opinion string) (Decision, error) {
	switch s {
	case "approve":
		return Decision{true, opinion}, nil
	case "reject":
		return Decision{false, opinion}, nil
	case "":
		return Decision{}, errs.Field("decision", "error.required")
	}
	return Decision{}, errs.Field("decision", "error.bad_decision", s)
}

// Decide records a leader's decision and carries out what follows: on an
// approved activation the incident becomes active, runs under the current
// plan version and gets the plan's tasks; on a rejection it returns to the
// status it had before the request.
func (s *Service) Decide(ctx context.Context, actor *user.User, approvalID int64, d Decision) (*incident.Approval, error) {
	d.Opinion = strings.TrimSpace(d.Opinion)
	if err := core.CheckText("opinion", d.Opinion, true, 5000); err != nil {
		return nil, err
	}
	var a *incident.Approval
	var in *incident.Incident
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if a, err = tx.Approval(approvalID); err != nil {
			return err
		}
		var tree *org.Tree
		if in, tree, err = s.IncidentFor(&tx.Q, actor, a.IncidentID); err != nil {
			if errs.CodeOf(err) == errs.NotFound {
				return errs.New(errs.NotFound, "error.approval_not_found")
			}
			return err
		}
		if a.Status != incident.Pending {
			return errs.New(errs.Conflict, "error.approval_decided")
		}
		p, err := s.PlanByID(&tx.Q, in.PlanID)
		if err != nil {
			return err
		}
		if err := access.MayDecide(actor, tree, p, a, in); err != nil {
			return err
		}
		decidedUnder, informed := p, plan.ApprovalRule{}
		// The incident runs under the plan version in force when it is activated.
		var cur *plan.Plan
		var curID int64
		if d.Approve && a.Kind == incident.KindActivation {
			if cur, curID, err = s.CurrentPlan(&tx.Q, tree.Org(in.OrgID)); err != nil {
				return err
			}
			if cur.Category(in.Category) == nil {
				return errs.New(errs.Conflict, "error.category_gone", in.Category)
			}
		}
		out, ok := incident.Decide(in, a, d.Approve, tx.Now, curID)
		if !ok {
			return errs.New(errs.Conflict, "error.transition", string(in.Status), string(out.Action))
		}
		a.Status, a.DecidedBy, a.Opinion = out.Approval, actor.ID, d.Opinion
		if err := tx.DecideApproval(a); err != nil {
			return err
		}
		out.Apply(in)
		var tasks []*incident.Task
		switch out.Action {
		case incident.ApproveActivation:
			p = cur
			tasks = planTasks(p, in, tx.Now)
			if err := s.notifyDutyOnActivation(tx, in); err != nil { // activation.go: the duty leader and leading group on duty
				return err
			}
			// A decision taken in the county: the superiors the plan names are
			// told at once (assign.go). The rule is the one the request was
			// decided under.
			if rule := decidedUnder.ActivationRule(in.Category); len(rule.Inform) > 0 {
				informed = rule
			}
		case incident.ApproveTermination:
			// A task reopened while the request waited blocks the approval too.
			tasks, err := tx.Tasks(in.ID)
			if err != nil {
				return err
			}
			if _, err := terminationCheck(p, in, tasks); err != nil {
				return err
			}
		}
		if err := tx.UpdateIncident(in); err != nil {
			return err
		}
		// The decision's audit record follows the superiors' being told
		// (their own act), as it always has: it is written below.
		if _, err := core.Record(tx, core.Act{IncidentID: in.ID, ActorID: actor.ID, ApprovalID: a.ID, Event: event.Decided(out.Entry, d.Opinion)}); err != nil {
			return err
		}
		if len(informed.Inform) > 0 {
			if err := s.informSuperiors(tx, tree, actor, in, informed, d.Opinion); err != nil {
				return err
			}
		}
		if err := tx.Audit(core.AuditEntry(actor, "approval.decide", "approval", a.ID, in.OrgID, map[string]any{
			"incident_id": in.ID, "kind": string(a.Kind), "decision": string(a.Status), "opinion": d.Opinion, "to": string(out.Status), "plan_id": in.PlanID})); err != nil {
			return err
		}
		for _, t := range tasks {
			if err := tx.CreateTask(t); err != nil {
				return err
			}
		}
		if len(tasks) > 0 {
			if _, err := core.Record(tx, core.Act{IncidentID: in.ID, Event: tasksCreated(p, len(tasks)),
				Audit: core.Audited(user.System(), "task.create_from_plan", "incident", in.ID, in.OrgID, map[string]any{"count": len(tasks), "plan_id": in.PlanID})}); err != nil {
				return err
			}
		}
		return core.Notice(tx, a.RequestedBy, in.ID, "approval_decided", map[string]any{"number": in.Number, "kind": string(a.Kind), "decision": string(a.Status), "opinion": d.Opinion})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// planTasks makes the tasks the plan prescribes for the incident's category.
func planTasks(p *plan.Plan, in *incident.Incident, now time.Time) []*incident.Task {
	cat := p.Category(in.Category)
	var out []*incident.Task
	for _, ph := range cat.Phases {
		for _, tt := range ph.Tasks {
			t := &incident.Task{IncidentID: in.ID, Phase: ph.Key, TemplateKey: tt.Key, Title: tt.Title, Description: tt.Description,
				Department: tt.Department, Status: incident.TaskTodo}
			if tt.Due > 0 {
				due := now.Add(tt.Due)
				t.DueAt = &due
			}
			out = append(out, t)
		}
	}
	return out
}

// ApprovalsFor lists the open approvals this actor may decide.
func (s *Service) ApprovalsFor(ctx context.Context, actor *user.User) ([]*incident.Approval, error) {
	var out []*incident.Approval
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, visible, sc, err := s.VisibleScope(q, actor)
		if err != nil {
			return err
		}
		pending, err := q.PendingApprovals(visible, sc)
		if err != nil {
			return err
		}
		for _, a := range pending {
			in, err := q.Incident(a.IncidentID)
			if err != nil {
				return err
			}
			p, err := s.PlanByID(q, in.PlanID)
			if err != nil {
				return err
			}
			if access.MayDecide(actor, tree, p, a, in) == nil {
				out = append(out, a)
			}
		}
		return nil
	})
	return out, err
}
