package incidents

import (
	"context"
	"slices"

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

// Activation authority as the seed writes it, and 四(五) assigned tasks.
//
// A category's activation rule (plan.ActivationRule) is either an approval
// by a superior organisation (四(一)、(四) 报经市公安局分管领导批准后启动) or a
// decision of the incident's own leading group (四(二)、(三) "…时,启动预案"),
// whose Inform roles in the superior organisations are told at once. A
// category with an Assignment rule may be registered by a superior for an
// organisation below it: the assignment is the decision to act.

// NoteFeedback is the data key that marks a note as the county's report back
// (反馈) on an assigned task.
const NoteFeedback = event.NoteFeedback

// informSuperiors tells the holders of rule.Inform in the organisations above
// the incident's that its leading group activated the plan, and puts
// "已报告市局" on the timeline.
func (s *Service) informSuperiors(tx *store.Tx, tree *org.Tree, actor *user.User, in *incident.Incident, rule plan.ApprovalRule, opinion string) error {
	var names []string
	var ids []int64
	for org := tree.Parent(in.OrgID); org != 0; org = tree.Parent(org) {
		us, err := tx.Users(org)
		if err != nil {
			return err
		}
		for _, u := range us {
			if u.Disabled || !slices.ContainsFunc(rule.Inform, func(r string) bool { return u.HasRole(r) }) {
				continue
			}
			if err := core.Notice(tx, u.ID, in.ID, "activation_informed", map[string]any{
				"number": in.Number, "title": in.Title, "decided_by": actor.DisplayName, "opinion": opinion}); err != nil {
				return err
			}
			ids = append(ids, u.ID)
			names = append(names, tree.Org(org).Name+u.DisplayName)
		}
	}
	_, err := core.Record(tx, core.Act{IncidentID: in.ID,
		Event: event.SuperiorInformed{To: names, Rule: rule.Name},
		Audit: core.Audited(actor, "incident.inform_superiors", "incident", in.ID, in.OrgID, map[string]any{"user_ids": ids, "rule": rule.Name})})
	return err
}

// assignIncident registers an incident a superior assigns to org (四(五)):
// checked against the category's Assignment rule, it is active at once
// under org's plan with the plan's tasks, and its timeline says who
// assigned it with what instructions.
func (s *Service) assignIncident(tx *store.Tx, actor *user.User, in NewIncident) (*incident.Incident, error) {
	tree, err := core.LoadTree(&tx.Q)
	if err != nil {
		return nil, err
	}
	org := tree.Org(in.OrgID)
	if org == nil || !tree.IsAncestor(actor.OrgID, org.ID) {
		return nil, errs.Field("org_id", "error.assign_org")
	}
	p, planID, err := s.CurrentPlan(&tx.Q, org)
	if err != nil {
		return nil, err
	}
	cat := p.Category(in.Category)
	if cat == nil {
		return nil, errs.Field("category", "error.unknown_category", in.Category)
	}
	if !cat.Assignment.IsSet() {
		return nil, errs.Field("category", "error.not_assignable", cat.Name)
	}
	if !slices.ContainsFunc(cat.Assignment.Roles, func(r string) bool { return actor.HasRole(r) }) {
		return nil, errs.New(errs.Forbidden, "error.not_assigner", cat.Assignment.Name)
	}
	if err := core.CheckText("instructions", in.Instructions, true, 5000); err != nil {
		return nil, err
	}
	out, err := s.createIn(tx, actor, org, p, planID, in)
	if err != nil {
		return nil, err
	}
	now := tx.Now
	from := out.Status
	out.Status, out.ActivatedAt = incident.Active, &now
	if err := tx.UpdateIncident(out); err != nil {
		return nil, err
	}
	by := tree.Org(actor.OrgID)
	if _, err := core.Record(tx, core.Act{IncidentID: out.ID, ActorID: actor.ID,
		Event: event.Assigned{Org: by.Name, By: actor.DisplayName, Instructions: in.Instructions, Rule: cat.Assignment.Name},
		Audit: core.Audited(actor, "incident.assign", "incident", out.ID, org.ID, map[string]any{
			"to_org": org.ID, "instructions": in.Instructions, "from": string(from), "to": string(out.Status), "plan_id": planID})}); err != nil {
		return nil, err
	}
	tasks := planTasks(p, out, now)
	for _, t := range tasks {
		if err := tx.CreateTask(t); err != nil {
			return nil, err
		}
	}
	if len(tasks) > 0 {
		if _, err := core.Record(tx, core.Act{IncidentID: out.ID, Event: tasksCreated(p, len(tasks)),
			Audit: core.Audited(user.System(), "task.create_from_plan", "incident", out.ID, out.OrgID, map[string]any{"count": len(tasks), "plan_id": planID})}); err != nil {
			return nil, err
		}
	}
	return out, s.notifyDutyOnActivation(tx, out)
}

// assignedBy returns the superior who assigned the incident, nil if its own
// organisation registered it.
func assignedBy(q *store.Q, in *incident.Incident) (*user.User, error) {
	u, err := q.User(in.ReporterID)
	if err != nil {
		return nil, err
	}
	if u.OrgID == in.OrgID {
		return nil, nil
	}
	return u, nil
}

// hasFeedback reports whether the county has reported back on an assigned
// incident.
func hasFeedback(q *store.Q, id int64) (bool, error) {
	var after int64
	for {
		page, err := q.Timeline(id, after, 500)
		if err != nil {
			return false, err
		}
		for _, e := range page {
			if e.Kind == incident.EntryNote && e.Data[NoteFeedback] == "true" {
				return true, nil
			}
			after = e.ID
		}
		if len(page) < 500 {
			return false, nil
		}
	}
}

// checkFeedbackFirst refuses a termination request of an assigned incident
// until the county has reported back: the city's approval of the
// termination is its acceptance (验收) of the result.
func checkFeedbackFirst(q *store.Q, in *incident.Incident) error {
	by, err := assignedBy(q, in)
	if err != nil || by == nil {
		return err
	}
	ok, err := hasFeedback(q, in.ID)
	if err != nil {
		return err
	}
	if !ok {
		return errs.New(errs.Conflict, "error.feedback_first")
	}
	return nil
}

// RegisterOptions says where an actor may register incidents: in his own
// organisation (a command role) and, by assignment, in the organisations
// below it whose plan lets him assign some category.
type RegisterOptions struct {
	Own        bool
	Targets    []*user.Org
	Plan       *plan.Plan      // the plan whose categories the form offers
	Assignable map[string]bool // category keys he may assign
}

// RegisterOptionsFor reads the actor's RegisterOptions; the console's
// register form offers exactly these, the service enforces the same rules.
func (s *Service) RegisterOptionsFor(ctx context.Context, actor *user.User) (*RegisterOptions, error) {
	o := &RegisterOptions{Own: actor.HasRole(access.CommandRoles...), Assignable: map[string]bool{}}
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		if org := tree.Org(actor.OrgID); o.Own && org != nil && org.PlanKey != "" {
			if o.Plan, _, err = s.CurrentPlan(q, org); err != nil {
				return err
			}
		}
		ids := tree.Visible(actor.OrgID)
		slices.Sort(ids)
		for _, id := range ids {
			org := tree.Org(id)
			if id == actor.OrgID || org.PlanKey == "" {
				continue
			}
			p, _, err := s.CurrentPlan(q, org)
			if err != nil {
				return err
			}
			may := false
			for _, c := range p.Categories {
				if c.Assignment.IsSet() && slices.ContainsFunc(c.Assignment.Roles, func(r string) bool { return actor.HasRole(r) }) {
					o.Assignable[c.Key], may = true, true
				}
			}
			if may {
				o.Targets = append(o.Targets, org)
				if o.Plan == nil {
					o.Plan = p
				}
			}
		}
		return nil
	})
	return o, err
}

// MayRegister reports whether the actor may register an incident anywhere:
// the console shows its register link by it.
func (s *Service) MayRegister(ctx context.Context, actor *user.User) bool {
	if actor == nil {
		return false
	}
	if actor.HasRole(access.CommandRoles...) {
		return true
	}
	o, err := s.RegisterOptionsFor(ctx, actor)
	return err == nil && len(o.Targets) > 0
}
