package user

import "testing"

// Only System makes the system actor; nil and people are not it.
func TestSystemActor(t *testing.T) {
	var none *User
	if none.IsSystem() || (&User{ID: 1, Username: "duty"}).IsSystem() || !System().IsSystem() {
		t.Fatal("IsSystem: nil and a person are not the system; System() is")
	}
	if s := System(); s.ID != 0 || s.Username != "" || s.Via != "" || len(s.Roles) != 0 {
		t.Fatalf("the system actor carries no person: %+v", s)
	}
}
