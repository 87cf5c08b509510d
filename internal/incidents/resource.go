package incidents

import (
	"context"
	"slices"
	"strings"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Resources attached to an incident (五(五) 保障措施: 配备应急处置交通工具和技术
// 勘查、检验、监测设备设施; 视情组织…技术专家组): the units and websites it
// affects, the experts consulted, the equipment and vehicles sent. They are
// read under the incident (need-to-know) and changed by its command.

// Equipment statuses the register uses (registry.EquipmentStatuses).
const (
	equipmentInUse    = "在用"
	equipmentRepair   = "维修"
	equipmentScrapped = "报废"
)

// ResourceView is an incident's resources and whether the actor may change them.
type ResourceView struct {
	Items     []*incident.Resource
	CanChange bool
}

// NewResource names a row of the base database to attach.
type NewResource struct {
	Kind  string
	RefID int64
	Note  string
}

// mayChangeResources: the command of the incident's own organisation, while
// the incident is open.
func mayChangeResources(actor *user.User, in *incident.Incident) error {
	if actor.OrgID != in.OrgID {
		return errs.New(errs.Forbidden, "error.forbidden_other_org")
	}
	if !actor.HasRole(access.CommandRoles...) {
		return errs.New(errs.Forbidden, "resource.forbidden")
	}
	return nil
}

// resourceIncident loads the incident whose resources the actor changes,
// refusing one he may not change them in; open refuses a closed incident
// too (equipment still comes back after closing).
func (s *Service) resourceIncident(q *store.Q, actor *user.User, id int64, open bool) (*incident.Incident, *org.Tree, error) {
	in, tree, err := s.IncidentFor(q, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if err := mayChangeResources(actor, in); err != nil {
		return nil, nil, err
	}
	if open && in.Status == incident.Closed {
		return nil, nil, errs.New(errs.Conflict, "error.incident_closed")
	}
	return in, tree, nil
}

// Resources lists what is attached to an incident.
func (s *Service) Resources(ctx context.Context, actor *user.User, id int64) (*ResourceView, error) {
	var v ResourceView
	err := s.DB.Read(ctx, func(q *store.Q) error {
		in, _, err := s.IncidentFor(q, actor, id)
		if err != nil {
			return err
		}
		if v.Items, err = q.Resources(id); err != nil {
			return err
		}
		v.CanChange = mayChangeResources(actor, in) == nil && in.Status != incident.Closed
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// AddResource attaches a unit, website, expert or item of equipment from the
// base database. Dispatching equipment marks it 在用 in the register; an
// item under repair, scrapped or already out with an incident is refused.
func (s *Service) AddResource(ctx context.Context, actor *user.User, id int64, nr NewResource) (*incident.Resource, error) {
	nr.Note = strings.TrimSpace(nr.Note)
	if !slices.Contains(incident.ResourceKinds, nr.Kind) {
		return nil, errs.Field("kind", "resource.bad_kind", nr.Kind)
	}
	if nr.RefID <= 0 {
		return nil, errs.Field("ref_id", "resource.ref_required")
	}
	if err := core.CheckText("note", nr.Note, false, 500); err != nil {
		return nil, err
	}
	var r *incident.Resource
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, tree, err := s.resourceIncident(&tx.Q, actor, id, true)
		if err != nil {
			return err
		}
		r = &incident.Resource{IncidentID: id, Kind: nr.Kind, RefID: nr.RefID, Note: nr.Note, AddedBy: actor.ID}
		notFound := errs.Field("ref_id", "resource.ref_not_found")
		switch nr.Kind {
		case incident.ResourceUnit:
			u, err := tx.Unit(nr.RefID)
			if err != nil || !tree.CanSee(actor, u.OrgID) {
				return orNotFound(err, notFound)
			}
			r.Name, r.Detail = u.Name, joinNonEmpty(" ", u.ContactName, u.ContactPhone)
		case incident.ResourceWebsite:
			w, err := tx.Website(nr.RefID)
			if err != nil || !tree.CanSee(actor, w.OrgID) {
				return orNotFound(err, notFound)
			}
			r.Name, r.Detail = w.Name, joinNonEmpty("，", w.Domain, w.UnitName)
		case incident.ResourceExpert:
			e, err := tx.Expert(nr.RefID)
			if err != nil || !tree.CanSee(actor, e.OrgID) {
				return orNotFound(err, notFound)
			}
			if !e.Available {
				return &errs.Error{Code: errs.Conflict, Field: "ref_id", Key: "resource.expert_unavailable", Args: []any{e.Name}}
			}
			r.Name, r.Detail = e.Name, joinNonEmpty("，", e.Unit, e.Expertise, e.Phone)
		case incident.ResourceEquipment:
			e, err := tx.Equipment(nr.RefID)
			if err != nil || !tree.CanSee(actor, e.OrgID) {
				return orNotFound(err, notFound)
			}
			if e.OrgID != in.OrgID {
				return errs.Field("ref_id", "resource.equipment_other_org", e.Name)
			}
			if e.Status == equipmentRepair || e.Status == equipmentScrapped {
				return &errs.Error{Code: errs.Conflict, Field: "ref_id", Key: "resource.equipment_unavailable", Args: []any{e.Name, e.Status}}
			}
			out, err := tx.EquipmentOut(e.ID)
			if err != nil {
				return err
			}
			if out != nil {
				number := ""
				if other, err := tx.Incident(out.IncidentID); err == nil {
					number = other.Number
				}
				return &errs.Error{Code: errs.Conflict, Field: "ref_id", Key: "resource.equipment_out", Args: []any{e.Name, number}}
			}
			r.Name, r.Detail, r.PrevStatus = e.Name, joinNonEmpty("，", e.Kind, e.Custodian, e.Phone), e.Status
			if e.Status != equipmentInUse {
				if err := tx.SetEquipmentStatus(e.ID, equipmentInUse); err != nil {
					return err
				}
			}
		}
		if err := tx.AddResource(r); err != nil {
			if errs.CodeOf(err) == errs.Conflict {
				return &errs.Error{Code: errs.Conflict, Field: "ref_id", Key: "resource.already_attached", Args: []any{r.Name}}
			}
			return err
		}
		_, err = core.Record(tx, core.Act{IncidentID: id, ActorID: actor.ID,
			Event: event.ResourceAdded{ResourceKind: r.Kind, Name: r.Name, Detail: r.Detail, Note: r.Note},
			Audit: core.Audited(actor, "incident.resource_add", "incident", id, in.OrgID, map[string]any{
				"resource_id": r.ID, "kind": r.Kind, "ref_id": r.RefID, "name": r.Name, "detail": r.Detail, "note": r.Note, "prev_status": r.PrevStatus})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ReturnResource records an item of equipment as back: the register's
// status returns to what it was before dispatch (unless someone changed it
// meanwhile, say to 维修). A return is recorded even after the incident is
// closed, so that nothing stays out for good.
func (s *Service) ReturnResource(ctx context.Context, actor *user.User, id, resourceID int64) (*incident.Resource, error) {
	var r *incident.Resource
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, _, err := s.resourceIncident(&tx.Q, actor, id, false)
		if err != nil {
			return err
		}
		if r, err = tx.Resource(id, resourceID); err != nil {
			return err
		}
		if r.Kind != incident.ResourceEquipment {
			return errs.New(errs.Conflict, "resource.not_equipment")
		}
		if !r.Out() {
			return errs.New(errs.Conflict, "resource.already_returned")
		}
		if err := tx.ReturnResource(r, actor.ID); err != nil {
			return err
		}
		restored := ""
		if e, err := tx.Equipment(r.RefID); err == nil && e.Status == equipmentInUse && r.PrevStatus != "" && r.PrevStatus != equipmentInUse {
			if err := tx.SetEquipmentStatus(e.ID, r.PrevStatus); err != nil {
				return err
			}
			restored = r.PrevStatus
		}
		_, err = core.Record(tx, core.Act{IncidentID: id, ActorID: actor.ID, Event: event.ResourceReturned{ResourceKind: r.Kind, Name: r.Name},
			Audit: core.Audited(actor, "incident.resource_return", "incident", id, in.OrgID, map[string]any{
				"resource_id": r.ID, "ref_id": r.RefID, "name": r.Name, "status_restored": restored})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// RemoveResource detaches a unit, website or expert named in error or no
// longer concerned. Equipment is returned, not removed: its dispatch stays
// in the record.
func (s *Service) RemoveResource(ctx context.Context, actor *user.User, id, resourceID int64) error {
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, _, err := s.resourceIncident(&tx.Q, actor, id, true)
		if err != nil {
			return err
		}
		r, err := tx.Resource(id, resourceID)
		if err != nil {
			return err
		}
		if r.Kind == incident.ResourceEquipment {
			return errs.New(errs.Conflict, "resource.equipment_return")
		}
		if err := tx.RemoveResource(r.ID); err != nil {
			return err
		}
		_, err = core.Record(tx, core.Act{IncidentID: id, ActorID: actor.ID, Event: event.ResourceRemoved{ResourceKind: r.Kind, Name: r.Name},
			Audit: core.Audited(actor, "incident.resource_remove", "incident", id, in.OrgID, map[string]any{
				"resource_id": r.ID, "kind": r.Kind, "ref_id": r.RefID, "name": r.Name})})
		return err
	})
	if err == nil {
	}
	return err
}

// orNotFound hides a row of another organisation as not found.
func orNotFound(err, nf error) error {
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return err
	}
	return nf
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
