package units

import (
	"context"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/registry"
	"yingji/internal/store"
	"yingji/internal/user"
)

// simpleLedger is what importing one of the smaller ledgers needs: a row is
// matched to a stored one by its key (contacts and experts: name and
// phone; equipment: name), and then is unchanged or changed.
type simpleLedger[T any] struct {
	sheet    string
	keyCol   string // the header named when a key repeats
	fromRow  func(q *store.Q, org int64, r registry.Row, codes map[string]int64) (T, []registry.Problem)
	key      func(T) string
	existing func(q *store.Q, org int64) ([]T, error)
	same     func(a, b T) bool
	setID    func(T, int64, int64) // id, org
	id       func(T) int64
	create   func(tx *store.Tx, v T) error
	update   func(tx *store.Tx, v T) error
}

func importSimple[T any](s *Service, ctx context.Context, actor *user.User, org int64, file string, t *registry.Table, dryRun bool, l simpleLedger[T]) (*ImportReport, error) {
	org, err := importOrg(actor, org)
	if err != nil {
		return nil, err
	}
	var write []T
	plan := func(q *store.Q) (*ImportReport, error) {
		rep := &ImportReport{}
		write = nil
		codes, err := q.UnitIDsByCode(org)
		if err != nil {
			return rep, err
		}
		old, err := l.existing(q, org)
		if err != nil {
			return rep, err
		}
		byKey := map[string]T{}
		for _, o := range old {
			byKey[l.key(o)] = o
		}
		seen := map[string]int{}
		for _, r := range t.Rows {
			v, ps := l.fromRow(q, org, r, codes)
			k := l.key(v)
			row := ImportRow{Sheet: l.sheet, Line: r.Line, Key: k, Problems: ps}
			row.seenInFile(seen, k, l.keyCol)
			ex, found := byKey[k]
			if row.judge(found, found && l.same(ex, v)) {
				var id int64
				if found {
					id = l.id(ex)
				}
				l.setID(v, id, org)
				write = append(write, v)
			}
			rep.add(row)
		}
		return rep, nil
	}
	return s.runImport(ctx, dryRun, plan, func(tx *store.Tx, rep *ImportReport) error {
		for _, v := range write {
			var err error
			if l.id(v) == 0 {
				err = l.create(tx, v)
			} else {
				err = l.update(tx, v)
			}
			if err != nil {
				return err
			}
		}
		return tx.Audit(core.AuditEntry(actor, "registry.import", "org", org, org, map[string]any{
			"file": file, "sheet": l.sheet, "new": rep.New, "changed": rep.Changed, "unchanged": rep.Unchanged}))
	})
}

// ImportContacts imports a contacts ledger (all or nothing, like ImportLedger).
func (s *Service) ImportContacts(ctx context.Context, actor *user.User, org int64, file string, t *registry.Table, dryRun bool) (*ImportReport, error) {
	return importSimple(s, ctx, actor, org, file, t, dryRun, simpleLedger[*registry.Contact]{
		sheet: registry.ContactSheet, keyCol: "姓名、联系电话",
		fromRow: func(q *store.Q, org int64, r registry.Row, codes map[string]int64) (*registry.Contact, []registry.Problem) {
			c, code, ps := registry.ContactFromRow(r)
			if code != "" && registry.ValidCreditCode(code) {
				if c.UnitID = codes[code]; c.UnitID == 0 {
					ps = append(ps, registry.Problem{Field: "所属单位统一社会信用代码", Key: "registry.unknown_unit", Args: []any{code}})
				}
			}
			return c, ps
		},
		key:      func(c *registry.Contact) string { return c.Name + "|" + c.Phone },
		existing: (*store.Q).ContactsOfOrg,
		same: func(a, b *registry.Contact) bool {
			return *a == (registry.Contact{ID: a.ID, OrgID: a.OrgID, UnitID: b.UnitID, Name: b.Name, Role: b.Role, Phone: b.Phone, Email: b.Email, Note: b.Note})
		},
		setID:  func(c *registry.Contact, id, org int64) { c.ID, c.OrgID = id, org },
		id:     func(c *registry.Contact) int64 { return c.ID },
		create: (*store.Tx).CreateContact, update: (*store.Tx).UpdateContact,
	})
}

// ImportExperts imports an expert-group ledger.
func (s *Service) ImportExperts(ctx context.Context, actor *user.User, org int64, file string, t *registry.Table, dryRun bool) (*ImportReport, error) {
	return importSimple(s, ctx, actor, org, file, t, dryRun, simpleLedger[*registry.Expert]{
		sheet: registry.ExpertSheet, keyCol: "姓名、联系电话",
		fromRow: func(q *store.Q, org int64, r registry.Row, codes map[string]int64) (*registry.Expert, []registry.Problem) {
			return registry.ExpertFromRow(r)
		},
		key:      func(e *registry.Expert) string { return e.Name + "|" + e.Phone },
		existing: (*store.Q).ExpertsOfOrg,
		same: func(a, b *registry.Expert) bool {
			return a.Name == b.Name && a.Unit == b.Unit && a.Expertise == b.Expertise && a.Phone == b.Phone && a.Email == b.Email && a.Available == b.Available && a.Note == b.Note
		},
		setID:  func(e *registry.Expert, id, org int64) { e.ID, e.OrgID = id, org },
		id:     func(e *registry.Expert) int64 { return e.ID },
		create: (*store.Tx).CreateExpert, update: (*store.Tx).UpdateExpert,
	})
}

// ImportEquipment imports an equipment and vehicles ledger.
func (s *Service) ImportEquipment(ctx context.Context, actor *user.User, org int64, file string, t *registry.Table, dryRun bool) (*ImportReport, error) {
	return importSimple(s, ctx, actor, org, file, t, dryRun, simpleLedger[*registry.Equipment]{
		sheet: registry.EquipmentSheet, keyCol: "名称",
		fromRow: func(q *store.Q, org int64, r registry.Row, codes map[string]int64) (*registry.Equipment, []registry.Problem) {
			return registry.EquipmentFromRow(r)
		},
		key:      func(e *registry.Equipment) string { return e.Name },
		existing: (*store.Q).EquipmentOfOrg,
		same: func(a, b *registry.Equipment) bool {
			return a.Name == b.Name && a.Kind == b.Kind && a.Status == b.Status && a.Location == b.Location && a.Custodian == b.Custodian && a.Phone == b.Phone && a.Note == b.Note
		},
		setID:  func(e *registry.Equipment, id, org int64) { e.ID, e.OrgID = id, org },
		id:     func(e *registry.Equipment) int64 { return e.ID },
		create: (*store.Tx).CreateEquipment, update: (*store.Tx).UpdateEquipment,
	})
}

// OrgLedgers is everything of one organisation's base database, for export.
type OrgLedgers struct {
	Units     []*registry.Unit
	Websites  []*registry.Website
	Contacts  []*registry.Contact
	UnitCodes map[int64]string // unit id → credit code, for the contacts ledger
	Experts   []*registry.Expert
	Equipment []*registry.Equipment
}

// ExportAll returns every registry row of one organisation (0: the actor's).
func (s *Service) ExportAll(ctx context.Context, actor *user.User, org int64) (*OrgLedgers, error) {
	org = core.OrgOf(actor, org)
	out := &OrgLedgers{UnitCodes: map[int64]string{}}
	err := s.DB.Read(ctx, func(q *store.Q) error {
		if ok, err := core.CanSeeOrg(q, actor, org); err != nil || !ok {
			return core.OrErr(err, errs.Field("org", "error.org_not_visible"))
		}
		var err error
		if out.Units, err = q.UnitsOfOrg(org); err != nil {
			return err
		}
		for _, u := range out.Units {
			out.UnitCodes[u.ID] = u.CreditCode
		}
		if out.Websites, err = q.WebsitesOfOrg(org); err != nil {
			return err
		}
		if out.Contacts, err = q.ContactsOfOrg(org); err != nil {
			return err
		}
		if out.Experts, err = q.ExpertsOfOrg(org); err != nil {
			return err
		}
		out.Equipment, err = q.EquipmentOfOrg(org)
		return err
	})
	return out, err
}
