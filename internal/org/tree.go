// Package org answers questions about the hierarchy of organisations (the
// city bureau above the county bureaus): ancestry and who may see whom.
// It is pure: the tree is built from rows the caller has read.
package org

import (
	"sort"

	"yingji/internal/user"
)

// Tree is the organisation hierarchy as read in one transaction. The table is
// small (one row per bureau), so it is read whole.
type Tree struct {
	parent map[int64]int64
	byID   map[int64]*user.Org
	ids    []int64 // ascending, so that walks over the tree are deterministic
}

// NewTree builds the tree of orgs.
func NewTree(orgs []*user.Org) *Tree {
	t := &Tree{parent: map[int64]int64{}, byID: map[int64]*user.Org{}}
	for _, o := range orgs {
		t.parent[o.ID] = o.ParentID
		t.byID[o.ID] = o
		t.ids = append(t.ids, o.ID)
	}
	sort.Slice(t.ids, func(i, j int) bool { return t.ids[i] < t.ids[j] })
	return t
}

// Org returns the organisation id, or nil.
func (t *Tree) Org(id int64) *user.Org { return t.byID[id] }

// Parent returns the id of id's parent (0 at the top).
func (t *Tree) Parent(id int64) int64 { return t.parent[id] }

// Orgs lists every organisation, by ascending id.
func (t *Tree) Orgs() []*user.Org {
	out := make([]*user.Org, len(t.ids))
	for i, id := range t.ids {
		out[i] = t.byID[id]
	}
	return out
}

// IDs lists every organisation's id, ascending.
func (t *Tree) IDs() []int64 { return t.ids }

// IsAncestor reports whether a is a strict ancestor of b.
func (t *Tree) IsAncestor(a, b int64) bool {
	for p := t.parent[b]; p != 0; p = t.parent[p] {
		if p == a {
			return true
		}
	}
	return false
}

// Visible lists org and every organisation below it: what its users may read.
func (t *Tree) Visible(org int64) []int64 {
	out := []int64{org}
	for _, id := range t.ids {
		if t.IsAncestor(org, id) {
			out = append(out, id)
		}
	}
	return out
}

// CanSee reports whether actor's organisation is orgID or above it.
func (t *Tree) CanSee(actor *user.User, orgID int64) bool {
	return actor.OrgID == orgID || t.IsAncestor(actor.OrgID, orgID)
}
