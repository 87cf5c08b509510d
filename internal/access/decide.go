package access

import (
	"slices"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/user"
)

// ApprovalRule is the plan's rule for approval a on incident in: the
// category's activation rule, or the plan's termination rule.
func ApprovalRule(p *plan.Plan, a *incident.Approval, in *incident.Incident) plan.ApprovalRule {
	if a.Kind == incident.KindTermination {
		return p.Approvals.Termination
	}
	return p.ActivationRule(in.Category)
}

// MayDecide checks the plan's approval rule for approval a on incident in:
// the right role, in the right organisation, and never the requester.
func MayDecide(actor *user.User, tree *org.Tree, p *plan.Plan, a *incident.Approval, in *incident.Incident) error {
	return MayDecideUnder(actor, tree, ApprovalRule(p, a, in), a.RequestedBy, in.OrgID)
}

// MayDecideUnder checks rule for a request by requestedBy about an incident
// of orgID (an activation, a termination or a gated task): one of the
// rule's roles, in the organisation its scope names (the incident's own, an
// ancestor of it, or either), never the requester himself.
func MayDecideUnder(actor *user.User, tree *org.Tree, rule plan.ApprovalRule, requestedBy, orgID int64) error {
	if actor.ID == requestedBy {
		return errs.New(errs.Forbidden, "error.own_request")
	}
	if !slices.ContainsFunc(rule.Roles, func(r string) bool { return actor.HasRole(r) }) {
		return errs.New(errs.Forbidden, "error.not_approver", rule.Name)
	}
	var ok bool
	switch rule.Scope {
	case plan.ScopeSame:
		ok = actor.OrgID == orgID
	case plan.ScopeSameOrParent:
		ok = actor.OrgID == orgID || tree.IsAncestor(actor.OrgID, orgID)
	default: // plan.ScopeParent: the superior bureau decides
		ok = tree.IsAncestor(actor.OrgID, orgID)
	}
	if !ok {
		return errs.New(errs.Forbidden, "error.not_approver", rule.Name)
	}
	return nil
}
