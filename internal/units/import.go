package units

import (
	"context"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/registry"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Import row states.
const (
	RowNew       = "new"
	RowChanged   = "changed"
	RowUnchanged = "unchanged"
	RowWrong     = "wrong"
)

// ImportRow is one line of an import report.
type ImportRow struct {
	Sheet    string
	Line     int
	Status   string
	Key      string // credit code or domain
	Name     string
	Problems []registry.Problem // Field is the column header
}

// ImportReport says, row by row, what an import does (or would do).
type ImportReport struct {
	Rows                           []ImportRow
	New, Changed, Unchanged, Wrong int
	Written                        bool
	units                          []*registry.Unit // new and changed, with ids for the changed
	sites                          []*registry.Website
}

func (r *ImportReport) add(row ImportRow) {
	switch row.Status {
	case RowNew:
		r.New++
	case RowChanged:
		r.Changed++
	case RowUnchanged:
		r.Unchanged++
	case RowWrong:
		r.Wrong++
	}
	r.Rows = append(r.Rows, row)
}

// ImportLedger imports a units ledger and/or a websites ledger into an
// organisation (0: the actor's). It first builds the row-by-row report; a
// dry run or a file with any wrong row writes nothing (the error is Invalid
// and the report is returned with it). Otherwise everything is written in
// one transaction with one audit record. A unit is matched by its credit
// code (same code: the same unit, changed or unchanged); a website by its
// domain. A credit code or domain twice in the file, or a domain that
// already belongs to another unit, is a wrong row.
func (s *Service) ImportLedger(ctx context.Context, actor *user.User, org int64, file string, units, sites *registry.Table, dryRun bool) (*ImportReport, error) {
	org, err := importOrg(actor, org)
	if err != nil {
		return nil, err
	}
	return s.runImport(ctx, dryRun, func(q *store.Q) (*ImportReport, error) {
		return importPlan(q, org, units, sites)
	}, func(tx *store.Tx, rep *ImportReport) error {
		if err := upsert(rep.units, func(u *registry.Unit) bool { return u.ID == 0 }, tx.UpdateUnit, tx.InsertUnits); err != nil {
			return err
		}
		if len(rep.sites) > 0 {
			ids, err := tx.UnitIDsByCode(org)
			if err != nil {
				return err
			}
			for _, w := range rep.sites {
				w.UnitID = ids[w.UnitCode]
			}
			if err := upsert(rep.sites, func(w *registry.Website) bool { return w.ID == 0 }, tx.UpdateWebsite, tx.InsertWebsites); err != nil {
				return err
			}
		}
		if rep.New+rep.Changed > 1000 {
			if err := tx.AnalyzeRegistry(); err != nil {
				return err
			}
		}
		return tx.Audit(core.AuditEntry(actor, "registry.import", "org", org, org, map[string]any{
			"file": file, "new": rep.New, "changed": rep.Changed, "unchanged": rep.Unchanged}))
	})
}

// runImport plans an import (the row-by-row report) and, unless it is a
// dry run, plans it again in the writing transaction and writes it with
// write when no row is wrong; a wrong row makes the error Invalid, with the
// report returned.
func (s *Service) runImport(ctx context.Context, dryRun bool, plan func(q *store.Q) (*ImportReport, error), write func(tx *store.Tx, rep *ImportReport) error) (*ImportReport, error) {
	var rep *ImportReport
	if dryRun {
		err := s.DB.Read(ctx, func(q *store.Q) error {
			var err error
			rep, err = plan(q)
			return err
		})
		return rep, err
	}
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if rep, err = plan(&tx.Q); err != nil {
			return err
		}
		if rep.Wrong > 0 {
			return errs.New(errs.Invalid, "registry.import_has_errors", rep.Wrong)
		}
		return write(tx, rep)
	})
	if err != nil {
		return rep, err
	}
	rep.Written = true
	return rep, nil
}

// upsert writes an import's rows: those already in the ledger one by one,
// the new ones in batches.
func upsert[T any](rows []T, isNew func(T) bool, update func(T) error, insert func([]T) error) error {
	var ins []T
	for _, r := range rows {
		if isNew(r) {
			ins = append(ins, r)
		} else if err := update(r); err != nil {
			return err
		}
	}
	return insert(ins)
}

func importPlan(q *store.Q, org int64, units, sites *registry.Table) (*ImportReport, error) {
	rep := &ImportReport{}
	byCode := map[string]*registry.Unit{}
	if units != nil || sites != nil {
		existing, err := q.UnitsOfOrg(org)
		if err != nil {
			return nil, err
		}
		for _, u := range existing {
			byCode[u.CreditCode] = u
		}
	}
	fileCodes := map[string]int{}
	codeHeader := registry.UnitColumns[2].Header
	if units != nil {
		for _, r := range units.Rows {
			u, ps := registry.UnitFromRow(r)
			u.OrgID = org
			row := ImportRow{Sheet: registry.UnitSheet, Line: r.Line, Key: u.CreditCode, Name: u.Name, Problems: ps}
			if u.CreditCode != "" {
				row.seenInFile(fileCodes, u.CreditCode, codeHeader)
			}
			ex := byCode[u.CreditCode]
			if ex != nil {
				u.KeepAbsent(r.Cells, ex)
			}
			if row.judge(ex != nil, ex != nil && ex.Same(u)) {
				if ex != nil {
					u.ID = ex.ID
				}
				rep.units = append(rep.units, u)
			}
			rep.add(row)
		}
	}
	if sites != nil {
		existing, err := q.WebsitesOfOrg(org)
		if err != nil {
			return nil, err
		}
		byDomain := map[string]*registry.Website{}
		for _, w := range existing {
			byDomain[w.Domain] = w
		}
		fileDomains := map[string]int{}
		unitHeader, domainHeader := registry.WebsiteColumns[6].Header, registry.WebsiteColumns[1].Header
		for _, r := range sites.Rows {
			w, ps := registry.WebsiteFromRow(r)
			w.OrgID = org
			row := ImportRow{Sheet: registry.WebsiteSheet, Line: r.Line, Key: w.Domain, Name: w.Name, Problems: ps}
			if w.Domain != "" {
				row.seenInFile(fileDomains, w.Domain, domainHeader)
			}
			owner := byCode[w.UnitCode]
			if w.UnitCode != "" && owner == nil {
				if _, inFile := fileCodes[w.UnitCode]; !inFile {
					row.Problems = append(row.Problems, registry.Problem{Field: unitHeader, Key: "registry.unknown_unit", Args: []any{w.UnitCode}})
				}
			}
			ex := byDomain[w.Domain]
			if ex != nil {
				w.KeepAbsent(r.Cells, ex)
			}
			if ex != nil && ex.UnitCode != w.UnitCode {
				row.Problems = append(row.Problems, registry.Problem{Field: domainHeader, Key: "registry.domain_taken", Args: []any{w.Domain, ex.UnitName}})
			}
			if owner != nil {
				w.UnitID = owner.ID
			}
			if row.judge(ex != nil, ex != nil && ex.Same(w)) {
				if ex != nil {
					w.ID = ex.ID
				}
				rep.sites = append(rep.sites, w)
			}
			rep.add(row)
		}
	}
	return rep, nil
}

// importOrg is the organisation a ledger is imported into (0: the actor's),
// when the actor may edit its registry.
func importOrg(actor *user.User, org int64) (int64, error) {
	org = core.OrgOf(actor, org)
	if org == 0 {
		return 0, errs.Field("org", "error.required")
	}
	if err := mayEditRegistry(actor, org); err != nil {
		return 0, err
	}
	return org, nil
}

// seenInFile notes the line a key first stands on; a key the file had
// before is a problem of this row.
func (row *ImportRow) seenInFile(seen map[string]int, key, field string) {
	if first, dup := seen[key]; dup {
		row.Problems = append(row.Problems, registry.Problem{Field: field, Key: "registry.duplicate_in_file", Args: []any{key, first}})
	} else {
		seen[key] = row.Line
	}
}

// judge sets the row's status: wrong with any problem, else new, unchanged
// or changed against the row it matches. It says whether the row is written.
func (row *ImportRow) judge(found, same bool) bool {
	switch {
	case len(row.Problems) > 0:
		row.Status = RowWrong
	case !found:
		row.Status = RowNew
		return true
	case same:
		row.Status = RowUnchanged
	default:
		row.Status = RowChanged
		return true
	}
	return false
}
