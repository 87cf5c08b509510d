package store

import "strings"

// Scope is who reads incidents, for queries that list them: the SQL twin of
// the service's need-to-know rule (五(二) 严守工作秘密), so that lists filter in
// the database and keep their pagination. The zero Scope sees nothing.
type Scope struct {
	All   []int64 // organisations whose every incident the reader may see
	Named []int64 // organisations where he sees only incidents that name him
	// Own is the reader's organisation when it is not in All: there he sees
	// the incidents that name him, whose tasks his department owns, whose
	// plan version is in OwnPlans or whose category is in OwnCategories.
	Own           int64
	OwnPlans      []int64
	OwnCategories []PlanCategory
	UserID        int64
	Department    string
}

// PlanCategory is one category of one stored plan version.
type PlanCategory struct {
	PlanID   int64
	Category string
}

// cond returns the condition on the incidents row aliased i.
func (s *Scope) cond(i string) (string, []any) {
	var or []string
	var args []any
	if len(s.All) > 0 {
		or = append(or, i+".org_id IN ("+placeholders(len(s.All))+")")
		args = append(args, idArgs(s.All)...)
	}
	// The incident names the reader: its reporter, a task's assignee, an
	// approval's requester or decider.
	named := "(" + i + ".reporter_id = ? OR EXISTS (SELECT 1 FROM tasks nt WHERE nt.incident_id = " + i + ".id AND nt.assignee_id = ?)" +
		" OR EXISTS (SELECT 1 FROM approvals na WHERE na.incident_id = " + i + ".id AND (na.requested_by = ? OR na.decided_by = ?)))"
	namedArgs := []any{s.UserID, s.UserID, s.UserID, s.UserID}
	if len(s.Named) > 0 {
		or = append(or, "("+i+".org_id IN ("+placeholders(len(s.Named))+") AND "+named+")")
		args = append(append(args, idArgs(s.Named)...), namedArgs...)
	}
	if s.Own != 0 {
		own := []string{named}
		ownArgs := append([]any{}, namedArgs...)
		if len(s.OwnPlans) > 0 {
			own = append(own, i+".plan_id IN ("+placeholders(len(s.OwnPlans))+")")
			ownArgs = append(ownArgs, idArgs(s.OwnPlans)...)
		}
		for _, c := range s.OwnCategories {
			own = append(own, "("+i+".plan_id = ? AND "+i+".category = ?)")
			ownArgs = append(ownArgs, c.PlanID, c.Category)
		}
		if s.Department != "" {
			own = append(own, "EXISTS (SELECT 1 FROM tasks dt WHERE dt.incident_id = "+i+".id AND dt.department = ?)")
			ownArgs = append(ownArgs, s.Department)
		}
		or = append(or, "("+i+".org_id = ? AND ("+strings.Join(own, " OR ")+"))")
		args = append(append(args, s.Own), ownArgs...)
	}
	if len(or) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(or, " OR ") + ")", args
}
