package incidents

import (
	"context"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// ListIncidents lists the incidents the actor may see, newest first.
func (s *Service) ListIncidents(ctx context.Context, actor *user.User, f incident.Filter) ([]*incident.Incident, error) {
	for i, st := range f.Statuses {
		if !st.Valid() {
			return nil, errs.Field("status", "error.unknown_status", string(f.Statuses[i]))
		}
	}
	if f.Level != 0 && !f.Level.Valid() {
		return nil, errs.Field("level", "error.level_range")
	}
	if f.Limit < 0 || f.Limit > 500 {
		return nil, errs.Field("limit", "error.limit_range", 500)
	}
	var out []*incident.Incident
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		visible := tree.Visible(actor.OrgID)
		if len(f.OrgIDs) > 0 {
			for _, id := range f.OrgIDs {
				if !tree.CanSee(actor, id) {
					return errs.Field("org", "error.org_not_visible")
				}
			}
		} else {
			f.OrgIDs = visible
		}
		sc, err := s.ScopeFor(q, actor, visible)
		if err != nil {
			return err
		}
		out, err = q.Incidents(f, sc)
		return err
	})
	return out, err
}

// View is everything the incident page and API show about one incident.
type View struct {
	Incident  *incident.Incident
	Org       *user.Org
	Plan      *plan.Plan
	Category  *plan.Category
	Tasks     []*incident.Task
	Approvals []*incident.Approval
	Reports   []*incident.Report
	Deadlines []report.Deadline
	// LateRegistration: registered more than the 首报 window after
	// discovery; RegistrationDelay is registration minus discovery.
	LateRegistration  bool
	RegistrationDelay time.Duration
	Pending           *incident.Approval // the open approval, if any
	// Instructions are the 批示 on the incident, oldest first.
	Instructions []*InstructionItem
	// Activation is who activates the incident's category under its plan
	// version: an approval from above or a decision of the leading group.
	Activation plan.ApprovalRule
	// AssignedBy is the superior who assigned the incident (四(五)), nil if
	// its own organisation registered it.
	AssignedBy *user.User
	// Can lists what this actor may do now: request_activation,
	// request_termination, decide, update_tasks, note, file_summary,
	// correct, instruct.
	Can map[string]bool
	// TaskCan lists, per task id, what this actor may do to the task now:
	// update, request_approval, decide_approval (task_closure.go).
	TaskCan map[int64]map[string]bool
	// OpenBeforeTermination: the tasks to do or close as 不适用 before
	// termination can be requested; NotApplicable: the tasks closed so, whose
	// reasons the termination approver reads.
	OpenBeforeTermination []*incident.Task
	NotApplicable         []*incident.Task
}

// GetIncident returns the incident with its tasks, approvals and deadlines.
func (s *Service) GetIncident(ctx context.Context, actor *user.User, id int64) (*View, error) {
	var v View
	err := s.DB.Read(ctx, func(q *store.Q) error {
		in, tree, err := s.IncidentFor(q, actor, id)
		if err != nil {
			return err
		}
		v.Incident, v.Org = in, tree.Org(in.OrgID)
		if v.Plan, err = s.PlanByID(q, in.PlanID); err != nil {
			return err
		}
		v.Category = v.Plan.Category(in.Category)
		if v.Tasks, err = q.Tasks(id); err != nil {
			return err
		}
		if v.Approvals, err = q.Approvals(id); err != nil {
			return err
		}
		if v.Reports, err = q.Reports(id); err != nil {
			return err
		}
		for _, a := range v.Approvals {
			if a.Status == incident.Pending {
				v.Pending = a
			}
		}
		v.Deadlines = report.Deadlines(v.Plan, v.Category, in, v.Reports, q.Now)
		v.LateRegistration, v.RegistrationDelay = report.LateRegistration(v.Plan, in)
		v.Activation = v.Plan.ActivationRule(in.Category)
		if v.AssignedBy, err = assignedBy(q, in); err != nil {
			return err
		}
		list, err := q.Instructions(id)
		if err != nil {
			return err
		}
		if v.Instructions, err = s.instructionItems(q, actor, map[int64]*incident.Incident{in.ID: in}, list); err != nil {
			return err
		}
		v.Can = s.can(actor, tree, &v)
		v.TaskCan = taskCan(actor, tree, &v)
		v.OpenBeforeTermination = openBeforeTermination(v.Plan, in, v.Tasks)
		for _, t := range v.Tasks {
			if t.Status == incident.TaskNA {
				v.NotApplicable = append(v.NotApplicable, t)
			}
		}
		if !v.Can["update_tasks"] {
			for _, c := range v.TaskCan {
				v.Can["update_tasks"] = v.Can["update_tasks"] || c["update"]
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// can works out the actions open to actor, so that pages offer only those.
func (s *Service) can(actor *user.User, tree *org.Tree, v *View) map[string]bool {
	in := v.Incident
	own := actor.OrgID == in.OrgID
	cmd := own && actor.HasRole(access.CommandRoles...)
	can := map[string]bool{
		"request_activation":  cmd && in.Status == incident.Reported,
		"request_termination": cmd && in.Status == incident.Active,
		"update_tasks":        own && incident.TasksEditable(in.Status) && (cmd || v.hasTaskOf(actor.Department)),
		"note":                own && in.Status != incident.Closed,
		"file_summary":        cmd && in.Status == incident.Terminated,
		"correct":             mayCorrect(actor, in),
		"instruct":            mayInstruct(actor, tree, v.Plan, in),
		"feedback":            own && v.AssignedBy != nil && in.Status != incident.Closed,
	}
	if v.Pending != nil {
		can["decide"] = access.MayDecide(actor, tree, v.Plan, v.Pending, in) == nil
	}
	return can
}

// TaskHistory returns the timeline entries about one task.
func (s *Service) TaskHistory(ctx context.Context, actor *user.User, id, taskID int64) ([]*incident.Entry, error) {
	var out []*incident.Entry
	err := s.DB.Read(ctx, func(q *store.Q) error {
		if _, _, err := s.IncidentFor(q, actor, id); err != nil {
			return err
		}
		if _, err := q.Task(id, taskID); err != nil {
			return err
		}
		var err error
		out, err = q.TaskHistory(id, taskID)
		return err
	})
	return out, err
}

func (v *View) hasTaskOf(dept string) bool {
	for _, t := range v.Tasks {
		if dept != "" && t.Department == dept {
			return true
		}
	}
	return false
}

// Timeline returns an incident's timeline entries after the given id.
func (s *Service) Timeline(ctx context.Context, actor *user.User, id, after int64, limit int) ([]*incident.Entry, error) {
	var out []*incident.Entry
	err := s.DB.Read(ctx, func(q *store.Q) error {
		if _, _, err := s.IncidentFor(q, actor, id); err != nil {
			return err
		}
		var err error
		out, err = q.Timeline(id, after, limit)
		return err
	})
	return out, err
}
