package store

import (
	"yingji/internal/errs"
	"yingji/internal/user"
)

// RenameOrg changes an organisation's name (its code stays: incident numbers
// already issued carry it).
func (tx *Tx) RenameOrg(id int64, name string) error {
	_, err := tx.exec(`UPDATE orgs SET name = ? WHERE id = ?`, name, id)
	return errs.Wrap(mapErr(err), "rename org")
}

// RenameDepartment changes a department's name; its key stays, as tasks and
// users refer to it.
func (tx *Tx) RenameDepartment(orgID int64, key, name string) error {
	_, err := tx.exec(`UPDATE departments SET name = ? WHERE org_id = ? AND key = ?`, name, orgID, key)
	return errs.Wrap(err, "rename department")
}

func scanOrg(s scanner) (*user.Org, error) {
	var o user.Org
	var created int64
	if err := s.Scan(&o.ID, &o.ParentID, &o.Name, &o.Code, &o.PlanKey, &created); err != nil {
		return nil, err
	}
	o.CreatedAt = fromMs(created)
	return &o, nil
}

// CreateOrg inserts an organisation.
func (tx *Tx) CreateOrg(o *user.Org) error {
	id, err := tx.insert(`INSERT INTO orgs (parent_id, name, code, plan_key, created_at) VALUES (?, ?, ?, ?, ?)`,
		nullID(o.ParentID), o.Name, o.Code, o.PlanKey, ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "create org")
	}
	o.ID, o.CreatedAt = id, tx.Now
	return nil
}

// Org loads one organisation.
func (q *Q) Org(id int64) (*user.Org, error) {
	o, err := scanOrg(q.row(`SELECT `+orgCols+` FROM orgs WHERE id = ?`, id))
	return o, notFound(err, "error.org_not_found")
}

// OrgByName loads an organisation by its name.
func (q *Q) OrgByName(name string) (*user.Org, error) {
	o, err := scanOrg(q.row(`SELECT `+orgCols+` FROM orgs WHERE name = ?`, name))
	return o, notFound(err, "error.org_not_found")
}

// Orgs lists every organisation.
func (q *Q) Orgs() ([]*user.Org, error) {
	return list(q, "orgs", scanOrg, `SELECT `+orgCols+` FROM orgs ORDER BY id`)
}

// CreateDepartment inserts a department of an organisation.
func (tx *Tx) CreateDepartment(d *user.Department) error {
	id, err := tx.insert(`INSERT INTO departments (org_id, key, name) VALUES (?, ?, ?)`, d.OrgID, d.Key, d.Name)
	if err != nil {
		return errs.Wrap(err, "create department")
	}
	d.ID = id
	return nil
}

// Departments lists an organisation's departments.
func (q *Q) Departments(orgID int64) ([]*user.Department, error) {
	return list(q, "departments", func(s scanner) (*user.Department, error) {
		var d user.Department
		return &d, s.Scan(&d.ID, &d.OrgID, &d.Key, &d.Name)
	}, `SELECT id, org_id, key, name FROM departments WHERE org_id = ? ORDER BY id`, orgID)
}
