package units

import (
	"context"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/registry"
	"yingji/internal/store"
	"yingji/internal/user"
)

// regOps is what the generic registry CRUD needs of one kind of row.
type regOps[T any] struct {
	kind   string // audit object type
	check  func(T) []registry.Problem
	org    func(T) int64
	setOrg func(T, int64)
	setID  func(T, int64)
	id     func(T) int64
	load   func(q *store.Q, id int64) (T, error)
	create func(tx *store.Tx, v T) error
	update func(tx *store.Tx, v T) error
	delete func(tx *store.Tx, id int64) error
	list   func(q *store.Q, f registry.Filter) ([]T, error)
	unitID func(T) int64
}

func regList[T any](s *Service, ctx context.Context, ops regOps[T], actor *user.User, f registry.Filter, org int64) ([]T, error) {
	return listVisible(s, ctx, actor, f, org, ops.list)
}

// listVisible searches a ledger within the organisations the actor may see
// (org: one of them and those below it).
func listVisible[T any](s *Service, ctx context.Context, actor *user.User, f registry.Filter, org int64, list func(*store.Q, registry.Filter) ([]T, error)) ([]T, error) {
	var out []T
	err := s.DB.Read(ctx, func(q *store.Q) error {
		ids, err := core.VisibleOrgs(q, actor, org)
		if err != nil {
			return err
		}
		f.OrgIDs = ids
		out, err = list(q, f)
		return err
	})
	return out, err
}

func regGet[T any](s *Service, ctx context.Context, ops regOps[T], actor *user.User, id int64) (T, error) {
	var v T
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		v, err = regVisible(q, ops, actor, id)
		return err
	})
	return v, err
}

func regVisible[T any](q *store.Q, ops regOps[T], actor *user.User, id int64) (T, error) {
	v, err := ops.load(q, id)
	if err != nil {
		return v, err
	}
	if ok, err := core.CanSeeOrg(q, actor, ops.org(v)); err != nil || !ok {
		var zero T
		return zero, core.OrErr(err, errs.New(errs.NotFound, "registry."+ops.kind+"_not_found"))
	}
	return v, nil
}

// regSave creates (id 0) or replaces a row.
func regSave[T any](s *Service, ctx context.Context, ops regOps[T], actor *user.User, org, id int64, v T) error {
	if err := problemsErr(ops.check(v)); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if ops.unitID != nil && ops.unitID(v) != 0 {
			u, err := tx.Unit(ops.unitID(v))
			if err != nil {
				return errs.Field("unit_id", "registry.unit_not_found")
			}
			org = u.OrgID
		}
		if id == 0 {
			ops.setOrg(v, core.OrgOf(actor, org))
			if err := mayEditRegistry(actor, ops.org(v)); err != nil {
				return err
			}
			if err := ops.create(tx, v); err != nil {
				return err
			}
			return tx.Audit(core.AuditEntry(actor, ops.kind+".create", ops.kind, ops.id(v), ops.org(v), v))
		}
		old, err := regVisible(&tx.Q, ops, actor, id)
		if err != nil {
			return err
		}
		if err := mayEditRegistry(actor, ops.org(old)); err != nil {
			return err
		}
		if ops.unitID != nil && ops.unitID(v) != 0 && org != ops.org(old) {
			return errs.Field("unit_id", "registry.forbidden_other_org")
		}
		ops.setOrg(v, ops.org(old))
		ops.setID(v, id)
		if err := ops.update(tx, v); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, ops.kind+".update", ops.kind, id, ops.org(v), map[string]any{"before": old, "after": v}))
	})
}

func regDelete[T any](s *Service, ctx context.Context, ops regOps[T], actor *user.User, id int64) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := regVisible(&tx.Q, ops, actor, id)
		if err != nil {
			return err
		}
		if err := mayEditRegistry(actor, ops.org(old)); err != nil {
			return err
		}
		if err := ops.delete(tx, id); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, ops.kind+".delete", ops.kind, id, ops.org(old), old))
	})
}

var contactOps = regOps[*registry.Contact]{
	kind: "contact", check: (*registry.Contact).Check,
	org: func(v *registry.Contact) int64 { return v.OrgID }, setOrg: func(v *registry.Contact, o int64) { v.OrgID = o },
	id: func(v *registry.Contact) int64 { return v.ID }, setID: func(v *registry.Contact, id int64) { v.ID = id },
	load: (*store.Q).Contact, create: (*store.Tx).CreateContact, update: (*store.Tx).UpdateContact, delete: (*store.Tx).DeleteContact,
	list: (*store.Q).ListContacts, unitID: func(v *registry.Contact) int64 { return v.UnitID },
}

var expertOps = regOps[*registry.Expert]{
	kind: "expert", check: (*registry.Expert).Check,
	org: func(v *registry.Expert) int64 { return v.OrgID }, setOrg: func(v *registry.Expert, o int64) { v.OrgID = o },
	id: func(v *registry.Expert) int64 { return v.ID }, setID: func(v *registry.Expert, id int64) { v.ID = id },
	load: (*store.Q).Expert, create: (*store.Tx).CreateExpert, update: (*store.Tx).UpdateExpert, delete: (*store.Tx).DeleteExpert,
	list: (*store.Q).ListExperts,
}

var equipmentOps = regOps[*registry.Equipment]{
	kind: "equipment", check: (*registry.Equipment).Check,
	org: func(v *registry.Equipment) int64 { return v.OrgID }, setOrg: func(v *registry.Equipment, o int64) { v.OrgID = o },
	id: func(v *registry.Equipment) int64 { return v.ID }, setID: func(v *registry.Equipment, id int64) { v.ID = id },
	load: (*store.Q).Equipment, create: (*store.Tx).CreateEquipment, update: (*store.Tx).UpdateEquipment, delete: deleteEquipment,
	list: (*store.Q).ListEquipment,
}

// ListContacts lists contacts the actor may see.
func (s *Service) ListContacts(ctx context.Context, actor *user.User, f registry.Filter, org int64) ([]*registry.Contact, error) {
	return regList(s, ctx, contactOps, actor, f, org)
}

// GetContact returns one contact.
func (s *Service) GetContact(ctx context.Context, actor *user.User, id int64) (*registry.Contact, error) {
	return regGet(s, ctx, contactOps, actor, id)
}

// SaveContact creates (id 0) or replaces a contact; with a unit, it belongs to the unit's organisation.
func (s *Service) SaveContact(ctx context.Context, actor *user.User, org, id int64, c *registry.Contact) error {
	return regSave(s, ctx, contactOps, actor, org, id, c)
}

// DeleteContact removes a contact.
func (s *Service) DeleteContact(ctx context.Context, actor *user.User, id int64) error {
	return regDelete(s, ctx, contactOps, actor, id)
}

// ListExperts lists the expert group.
func (s *Service) ListExperts(ctx context.Context, actor *user.User, f registry.Filter, org int64) ([]*registry.Expert, error) {
	return regList(s, ctx, expertOps, actor, f, org)
}

// GetExpert returns one expert.
func (s *Service) GetExpert(ctx context.Context, actor *user.User, id int64) (*registry.Expert, error) {
	return regGet(s, ctx, expertOps, actor, id)
}

// SaveExpert creates (id 0) or replaces an expert.
func (s *Service) SaveExpert(ctx context.Context, actor *user.User, org, id int64, e *registry.Expert) error {
	return regSave(s, ctx, expertOps, actor, org, id, e)
}

// DeleteExpert removes an expert.
func (s *Service) DeleteExpert(ctx context.Context, actor *user.User, id int64) error {
	return regDelete(s, ctx, expertOps, actor, id)
}

// ListEquipment lists equipment and vehicles.
func (s *Service) ListEquipment(ctx context.Context, actor *user.User, f registry.Filter, org int64) ([]*registry.Equipment, error) {
	return regList(s, ctx, equipmentOps, actor, f, org)
}

// GetEquipment returns one item.
func (s *Service) GetEquipment(ctx context.Context, actor *user.User, id int64) (*registry.Equipment, error) {
	return regGet(s, ctx, equipmentOps, actor, id)
}

// SaveEquipment creates (id 0) or replaces an item.
func (s *Service) SaveEquipment(ctx context.Context, actor *user.User, org, id int64, e *registry.Equipment) error {
	return regSave(s, ctx, equipmentOps, actor, org, id, e)
}

// DeleteEquipment removes an item.
func (s *Service) DeleteEquipment(ctx context.Context, actor *user.User, id int64) error {
	return regDelete(s, ctx, equipmentOps, actor, id)
}

// deleteEquipment removes an item from the register unless it is out with
// an incident: it is returned first.
func deleteEquipment(tx *store.Tx, id int64) error {
	out, err := tx.EquipmentOut(id)
	if err != nil {
		return err
	}
	if out != nil {
		return errs.New(errs.Conflict, "resource.equipment_out_delete")
	}
	return tx.DeleteEquipment(id)
}
