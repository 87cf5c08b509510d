package org

import (
	"slices"
	"testing"

	"yingji/internal/user"
)

func TestTree(t *testing.T) {
	// city 1 above counties 2 and 3; department-less bureau 4 below 2.
	tr := NewTree([]*user.Org{{ID: 3, ParentID: 1}, {ID: 1}, {ID: 2, ParentID: 1}, {ID: 4, ParentID: 2}})
	for _, c := range []struct {
		a, b int64
		want bool
	}{{1, 2, true}, {1, 4, true}, {2, 4, true}, {2, 3, false}, {2, 1, false}, {1, 1, false}, {4, 4, false}, {9, 2, false}} {
		if got := tr.IsAncestor(c.a, c.b); got != c.want {
			t.Errorf("IsAncestor(%d, %d) = %v", c.a, c.b, got)
		}
	}
	if got := tr.Visible(2); !slices.Equal(got, []int64{2, 4}) {
		t.Errorf("Visible(2) = %v", got)
	}
	if got := tr.Visible(1); !slices.Equal(got, []int64{1, 2, 3, 4}) {
		t.Errorf("Visible(1) = %v", got)
	}
	if !tr.CanSee(&user.User{OrgID: 1}, 4) || tr.CanSee(&user.User{OrgID: 3}, 2) || !tr.CanSee(&user.User{OrgID: 3}, 3) {
		t.Error("CanSee")
	}
	if tr.Org(9) != nil || tr.Parent(4) != 2 || !slices.Equal(tr.IDs(), []int64{1, 2, 3, 4}) {
		t.Error("accessors")
	}
}
