package core

import (
	"slices"

	"yingji/internal/errs"
	"yingji/internal/org"
	"yingji/internal/store"
	"yingji/internal/user"
)

// LoadTree reads the organisation tree within the transaction.
func LoadTree(q *store.Q) (*org.Tree, error) {
	orgs, err := q.Orgs()
	if err != nil {
		return nil, err
	}
	return org.NewTree(orgs), nil
}

// VisibleOrgs is the actor's organisation and those below it, narrowed to
// one organisation when id is set (which must be visible). The system actor
// (the operator's CLI) sees every organisation.
func VisibleOrgs(q *store.Q, actor *user.User, id int64) ([]int64, error) {
	if err := RequireActor(actor); err != nil {
		return nil, err
	}
	tree, err := LoadTree(q)
	if err != nil {
		return nil, err
	}
	if actor.IsSystem() {
		if id != 0 {
			return []int64{id}, nil
		}
		return append([]int64(nil), tree.IDs()...), nil
	}
	if id != 0 {
		if !tree.CanSee(actor, id) {
			return nil, errs.Field("org", "error.org_not_visible")
		}
		return []int64{id}, nil
	}
	ids := tree.Visible(actor.OrgID)
	slices.Sort(ids)
	return ids, nil
}

// CanSeeOrg loads the tree and reports whether actor may read rows of orgID.
func CanSeeOrg(q *store.Q, actor *user.User, orgID int64) (bool, error) {
	if err := RequireActor(actor); err != nil {
		return false, err
	}
	if actor.IsSystem() {
		return true, nil
	}
	tree, err := LoadTree(q)
	if err != nil {
		return false, err
	}
	return tree.CanSee(actor, orgID), nil
}

// OrgOf is the organisation a change is for: id when given, else the actor's.
func OrgOf(actor *user.User, id int64) int64 {
	if id != 0 || actor == nil || actor.IsSystem() {
		return id // nil: 0, which the checks after refuse
	}
	return actor.OrgID
}
