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

// cond returns the condition on the incidents row aliased i. The incidents
// a reader is named on, or whose tasks his department owns, are gathered by
// one uncorrelated UNION on indexes (migration 006): the database then
// drives the query from those few ids rather than testing every incident of
// the bureau, which matters for a reader who may see few of many.
func (s *Scope) cond(i string) (string, []any) {
	var or []string
	var args []any
	if len(s.All) > 0 {
		or = append(or, i+".org_id IN ("+placeholders(len(s.All))+")")
		args = append(args, idArgs(s.All)...)
	}
	partOrgs := append([]int64{}, s.Named...)
	if s.Own != 0 {
		partOrgs = append(partOrgs, s.Own)
	}
	if len(partOrgs) > 0 {
		part := "SELECT id FROM incidents WHERE reporter_id = ?" +
			" UNION SELECT incident_id FROM tasks WHERE assignee_id = ?" +
			" UNION SELECT incident_id FROM approvals WHERE requested_by = ?" +
			" UNION SELECT incident_id FROM approvals WHERE decided_by = ?" +
			" UNION SELECT incident_id FROM instruction_to WHERE user_id = ?"
		partArgs := []any{s.UserID, s.UserID, s.UserID, s.UserID, s.UserID}
		if s.Own != 0 && s.Department != "" {
			// Department keys are per organisation: only his own's tasks count.
			part += " UNION SELECT pt.incident_id FROM tasks pt JOIN incidents px ON px.id = pt.incident_id WHERE pt.department = ? AND px.org_id = ?"
			// A department addressed by a 批示 reads the incident too.
			part += " UNION SELECT it.incident_id FROM instruction_to it JOIN incidents ix ON ix.id = it.incident_id WHERE it.department = ? AND ix.org_id = ?"
			partArgs = append(partArgs, s.Department, s.Own, s.Department, s.Own)
		}
		or = append(or, "("+i+".org_id IN ("+placeholders(len(partOrgs))+") AND "+i+".id IN ("+part+"))")
		args = append(append(args, idArgs(partOrgs)...), partArgs...)
	}
	if s.Own != 0 && (len(s.OwnPlans) > 0 || len(s.OwnCategories) > 0) {
		var open []string
		args = append(args, s.Own)
		if len(s.OwnPlans) > 0 {
			open = append(open, i+".plan_id IN ("+placeholders(len(s.OwnPlans))+")")
			args = append(args, idArgs(s.OwnPlans)...)
		}
		for _, c := range s.OwnCategories {
			open = append(open, "("+i+".plan_id = ? AND "+i+".category = ?)")
			args = append(args, c.PlanID, c.Category)
		}
		or = append(or, "("+i+".org_id = ? AND ("+strings.Join(open, " OR ")+"))")
	}
	if len(or) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(or, " OR ") + ")", args
}
