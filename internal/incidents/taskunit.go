package incidents

import (
	"context"
	"slices"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/registry"
	"yingji/internal/store"
	"yingji/internal/user"
)

// The registry unit a task concerns (task<->unit links), issue 6.

// SetTaskUnit names the registry unit a task concerns (0 clears it). Who may
// update the task may set its unit; the unit must be visible to the
// incident's organisation.
func (s *Service) SetTaskUnit(ctx context.Context, actor *user.User, incidentID, taskID, unitID int64) (*incident.Task, error) {
	var t *incident.Task
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, tree, t0, err := s.incidentTask(&tx.Q, actor, incidentID, taskID)
		if err != nil {
			return err
		}
		t = t0
		if in.OrgID != actor.OrgID || !(actor.HasRole(access.CommandRoles...) || actor.Department == t.Department) {
			return errs.New(errs.Forbidden, "error.forbidden_task")
		}
		if !incident.TasksEditable(in.Status) {
			return errs.New(errs.Conflict, "error.tasks_locked", string(in.Status))
		}
		unit := ""
		if unitID != 0 {
			u, err := tx.Unit(unitID)
			if err != nil || !(u.OrgID == in.OrgID || tree.IsAncestor(u.OrgID, in.OrgID) || tree.IsAncestor(in.OrgID, u.OrgID)) {
				return errs.Field("unit_id", "registry.unit_not_found")
			}
			unit = u.Name
		}
		if err := tx.SetTaskUnit(t.ID, unitID); err != nil {
			return err
		}
		// The unit's name is stored, the sentence made when read (rows
		// before the typed events hold it composed in the note).
		_, err = core.Record(tx, core.Act{IncidentID: in.ID, ActorID: actor.ID, TaskID: t.ID, Event: event.TaskUpdated{Title: t.Title, Unit: &unit},
			Audit: core.Audited(actor, "task.set_unit", "task", t.ID, in.OrgID, map[string]any{"incident_id": in.ID, "unit_id": unitID})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// TaskUnit is the registry unit named by a task, with its contacts.
type TaskUnit struct {
	TaskID   int64
	Unit     *registry.Unit
	Contacts []*registry.Contact
}

// TaskUnits returns the units named by an incident's tasks, with their
// contacts: three queries whatever the number of tasks.
func (s *Service) TaskUnits(ctx context.Context, actor *user.User, incidentID int64) ([]*TaskUnit, error) {
	var out []*TaskUnit
	err := s.DB.Read(ctx, func(q *store.Q) error {
		if _, _, err := s.IncidentFor(q, actor, incidentID); err != nil {
			return err
		}
		m, err := q.TaskUnitIDs(incidentID)
		if err != nil || len(m) == 0 {
			return err
		}
		var ids []int64
		for _, u := range m {
			if !slices.Contains(ids, u) {
				ids = append(ids, u)
			}
		}
		units, err := q.UnitsByID(ids)
		if err != nil {
			return err
		}
		contacts, err := q.ContactsOfUnits(ids)
		if err != nil {
			return err
		}
		byID := map[int64]*registry.Unit{}
		for _, u := range units {
			byID[u.ID] = u
		}
		byUnit := map[int64][]*registry.Contact{}
		for _, c := range contacts {
			byUnit[c.UnitID] = append(byUnit[c.UnitID], c)
		}
		var tasks []int64
		for t := range m {
			tasks = append(tasks, t)
		}
		slices.Sort(tasks)
		for _, t := range tasks {
			out = append(out, &TaskUnit{TaskID: t, Unit: byID[m[t]], Contacts: byUnit[m[t]]})
		}
		return nil
	})
	return out, err
}
