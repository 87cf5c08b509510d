// Package units holds the use cases of the base database (基础数据库): the
// networked units, their websites and systems, contacts, experts and
// equipment of each organisation, and the import and export of their
// ledgers. The rows and their checks are the pure package registry.
package units

import (
	"context"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/registry"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Service is the registry use cases.
type Service struct{ *core.Core }

// New returns the registry use cases over c.
func New(c *core.Core) *Service { return &Service{Core: c} }

// problemsErr turns the first problem into an Invalid error naming the field.
func problemsErr(ps []registry.Problem) error {
	if len(ps) == 0 {
		return nil
	}
	return &errs.Error{Code: errs.Invalid, Field: ps[0].Field, Key: ps[0].Key, Args: ps[0].Args}
}

// mayEditRegistry: a registry row belongs to one organisation; only the
// office of that organisation edits it. The system actor (the operator's
// CLI, the demo) is trusted; nil is refused.
func mayEditRegistry(actor *user.User, orgID int64) error {
	if err := core.RequireActor(actor); err != nil || actor.IsSystem() {
		return err
	}
	if !actor.HasRole(access.RegistryEditors...) {
		return errs.New(errs.Forbidden, "registry.forbidden")
	}
	if actor.OrgID != orgID {
		return errs.New(errs.Forbidden, "registry.forbidden_other_org")
	}
	return nil
}

// OrgIDByName finds an organisation (for the operator's CLI).
func (s *Service) OrgIDByName(ctx context.Context, name string) (int64, error) {
	var id int64
	err := s.DB.Read(ctx, func(q *store.Q) error {
		o, err := q.OrgByName(name)
		if err != nil {
			return errs.Field("org", "error.unknown_org", name)
		}
		id = o.ID
		return nil
	})
	return id, err
}

// UnitView is a unit with its websites and contacts.
type UnitView struct {
	Unit     *registry.Unit
	Websites []*registry.Website
	Contacts []*registry.Contact
}

// ListUnits searches the units the actor may see.
func (s *Service) ListUnits(ctx context.Context, actor *user.User, f registry.Filter, org int64) ([]*registry.Unit, error) {
	return listVisible(s, ctx, actor, f, org, (*store.Q).ListUnits)
}

// GetUnit returns a unit with its websites and contacts.
func (s *Service) GetUnit(ctx context.Context, actor *user.User, id int64) (*UnitView, error) {
	v := &UnitView{}
	err := s.DB.Read(ctx, func(q *store.Q) error {
		u, err := q.Unit(id)
		if err != nil {
			return err
		}
		if ok, err := core.CanSeeOrg(q, actor, u.OrgID); err != nil || !ok {
			return core.OrErr(err, errs.New(errs.NotFound, "registry.unit_not_found"))
		}
		v.Unit = u
		if v.Websites, err = q.ListWebsites(registry.Filter{OrgIDs: []int64{u.OrgID}, UnitID: id, Limit: 1000}); err != nil {
			return err
		}
		v.Contacts, err = q.ContactsOfUnits([]int64{id})
		return err
	})
	return v, err
}

// CreateUnit adds a unit to the actor's organisation (org for the operator).
func (s *Service) CreateUnit(ctx context.Context, actor *user.User, org int64, u *registry.Unit) error {
	if err := problemsErr(u.Check()); err != nil {
		return err
	}
	u.OrgID = core.OrgOf(actor, org)
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := mayEditRegistry(actor, u.OrgID); err != nil {
			return err
		}
		if err := tx.CreateUnit(u); err != nil {
			if errs.CodeOf(err) == errs.Conflict {
				return errs.Field("credit_code", "registry.duplicate_credit_code", u.CreditCode)
			}
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "unit.create", "unit", u.ID, u.OrgID, u))
	})
}

// UpdateUnit replaces a unit's fields.
func (s *Service) UpdateUnit(ctx context.Context, actor *user.User, id int64, u *registry.Unit) error {
	if err := problemsErr(u.Check()); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := s.editableUnit(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		u.ID, u.OrgID, u.CreatedAt = id, old.OrgID, old.CreatedAt
		if err := tx.UpdateUnit(u); err != nil {
			if errs.CodeOf(err) == errs.Conflict {
				return errs.Field("credit_code", "registry.duplicate_credit_code", u.CreditCode)
			}
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "unit.update", "unit", id, u.OrgID, map[string]any{"before": old, "after": u}))
	})
}

// DeleteUnit removes a unit with its websites and contacts.
func (s *Service) DeleteUnit(ctx context.Context, actor *user.User, id int64) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := s.editableUnit(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteUnit(id); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "unit.delete", "unit", id, old.OrgID, old))
	})
}

// editableUnit is a unit the actor may see (not found otherwise) and edit,
// for its update and deletion.
func (s *Service) editableUnit(q *store.Q, actor *user.User, id int64) (*registry.Unit, error) {
	u, err := q.Unit(id)
	if err != nil {
		return nil, err
	}
	if ok, err := core.CanSeeOrg(q, actor, u.OrgID); err != nil || !ok {
		return nil, core.OrErr(err, errs.New(errs.NotFound, "registry.unit_not_found"))
	}
	if err := mayEditRegistry(actor, u.OrgID); err != nil {
		return nil, err
	}
	return u, nil
}

// ListWebsites searches the websites the actor may see.
func (s *Service) ListWebsites(ctx context.Context, actor *user.User, f registry.Filter, org int64) ([]*registry.Website, error) {
	return listVisible(s, ctx, actor, f, org, (*store.Q).ListWebsites)
}

// GetWebsite returns one website.
func (s *Service) GetWebsite(ctx context.Context, actor *user.User, id int64) (*registry.Website, error) {
	var w *registry.Website
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if w, err = q.Website(id); err != nil {
			return err
		}
		if ok, err := core.CanSeeOrg(q, actor, w.OrgID); err != nil || !ok {
			return core.OrErr(err, errs.New(errs.NotFound, "registry.website_not_found"))
		}
		return nil
	})
	return w, err
}

// SaveWebsite creates (id 0) or replaces a website. Its unit must be one of
// the same organisation.
func (s *Service) SaveWebsite(ctx context.Context, actor *user.User, id int64, w *registry.Website) error {
	if err := problemsErr(w.Check()); err != nil {
		return err
	}
	if w.UnitID == 0 {
		return errs.Field("unit_id", "error.required")
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.Unit(w.UnitID)
		if err != nil {
			return errs.Field("unit_id", "registry.unit_not_found")
		}
		if err := mayEditRegistry(actor, u.OrgID); err != nil {
			return err
		}
		w.OrgID = u.OrgID
		action, detail := "website.create", any(w)
		if id == 0 {
			err = tx.CreateWebsite(w)
		} else {
			old, err := tx.Website(id)
			if err != nil {
				return err
			}
			if err := mayEditRegistry(actor, old.OrgID); err != nil {
				return err
			}
			w.ID, w.CreatedAt = id, old.CreatedAt
			action, detail = "website.update", map[string]any{"before": old, "after": w}
			err = tx.UpdateWebsite(w)
			if err != nil {
				return dupDomain(err, w.Domain)
			}
			return tx.Audit(core.AuditEntry(actor, action, "website", w.ID, w.OrgID, detail))
		}
		if err != nil {
			return dupDomain(err, w.Domain)
		}
		return tx.Audit(core.AuditEntry(actor, action, "website", w.ID, w.OrgID, detail))
	})
}

func dupDomain(err error, domain string) error {
	if errs.CodeOf(err) == errs.Conflict {
		return errs.Field("domain", "registry.duplicate_domain", domain)
	}
	return err
}

// DeleteWebsite removes a website.
func (s *Service) DeleteWebsite(ctx context.Context, actor *user.User, id int64) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := tx.Website(id)
		if err != nil {
			return err
		}
		if ok, err := core.CanSeeOrg(&tx.Q, actor, old.OrgID); err != nil || !ok {
			return core.OrErr(err, errs.New(errs.NotFound, "registry.website_not_found"))
		}
		if err := mayEditRegistry(actor, old.OrgID); err != nil {
			return err
		}
		if err := tx.DeleteWebsite(id); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "website.delete", "website", id, old.OrgID, old))
	})
}
