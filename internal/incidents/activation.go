package incidents

import (
	"slices"

	"yingji/internal/incident"
	"yingji/internal/rollcall"
	"yingji/internal/store"
	"yingji/internal/user"
)

// notifyDutyOnActivation tells the duty leader and officers on duty and the
// leading group (组长, 副组长 and every member department's leader) of the
// incident's organisation that the plan is activated, through the outbox, in
// the activating transaction, each notice with its roll-call row (到位确认).
func (s *Service) notifyDutyOnActivation(tx *store.Tx, in *incident.Incident) error {
	leader, officers, err := s.duty.OnDuty(&tx.Q, in.OrgID, tx.Now)
	if err != nil {
		return err
	}
	users, err := tx.Users(in.OrgID)
	if err != nil {
		return err
	}
	notify := map[int64]string{}
	if leader != 0 {
		notify[leader] = "duty_leader"
	}
	for _, id := range officers {
		notify[id] = "duty_officer"
	}
	for _, u := range users {
		if !u.Disabled && u.HasRole(user.RoleLeader, user.RoleDeputy, user.RoleMember) {
			if _, ok := notify[u.ID]; !ok {
				notify[u.ID] = "leading_group"
			}
		}
	}
	ids := make([]int64, 0, len(notify))
	for id := range notify {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := rollcall.Page(tx, in, id, notify[id], map[string]any{"number": in.Number, "title": in.Title,
			"level": in.Level.Roman(), "as": notify[id]}); err != nil {
			return err
		}
	}
	return nil
}
