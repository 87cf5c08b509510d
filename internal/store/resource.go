package store

import (
	"database/sql"

	"yingji/internal/errs"
	"yingji/internal/incident"
)

const resourceCols = `id, incident_id, kind, ref_id, name, detail, note, prev_status, added_by, added_at, COALESCE(returned_by, 0), returned_at`

func scanResource(s scanner) (*incident.Resource, error) {
	var r incident.Resource
	var added int64
	var ret sql.NullInt64
	if err := s.Scan(&r.ID, &r.IncidentID, &r.Kind, &r.RefID, &r.Name, &r.Detail, &r.Note, &r.PrevStatus, &r.AddedBy, &added, &r.ReturnedBy, &ret); err != nil {
		return nil, err
	}
	r.AddedAt, r.ReturnedAt = fromMs(added), fromMsPtr(ret)
	return &r, nil
}

// Resources lists the resources attached to an incident, in the order attached.
func (q *Q) Resources(incidentID int64) ([]*incident.Resource, error) {
	return list(q, "resources", scanResource, `SELECT `+resourceCols+` FROM incident_resources WHERE incident_id = ? ORDER BY id`, incidentID)
}

// Resource loads one resource of an incident.
func (q *Q) Resource(incidentID, id int64) (*incident.Resource, error) {
	r, err := scanResource(q.row(`SELECT `+resourceCols+` FROM incident_resources WHERE incident_id = ? AND id = ?`, incidentID, id))
	return r, notFound(err, "resource.not_found")
}

// EquipmentOut returns the open dispatch of an item of equipment, or nil.
func (q *Q) EquipmentOut(equipmentID int64) (*incident.Resource, error) {
	r, err := scanResource(q.row(`SELECT `+resourceCols+` FROM incident_resources WHERE kind = 'equipment' AND ref_id = ? AND returned_at IS NULL`, equipmentID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return r, errs.Wrap(err, "equipment out")
}

// AddResource attaches a resource; the same unit, website or expert twice on
// one incident, or an item already out, is a Conflict.
func (tx *Tx) AddResource(r *incident.Resource) error {
	r.AddedAt = tx.Now
	id, err := tx.insert(`INSERT INTO incident_resources (incident_id, kind, ref_id, name, detail, note, prev_status, added_by, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.IncidentID, r.Kind, r.RefID, r.Name, r.Detail, r.Note, r.PrevStatus, r.AddedBy, ms(tx.Now))
	if err != nil {
		return errs.Wrap(mapErr(err), "add resource")
	}
	r.ID = id
	return nil
}

// ReturnResource records an item of equipment as returned.
func (tx *Tx) ReturnResource(r *incident.Resource, by int64) error {
	now := tx.Now
	_, err := tx.exec(`UPDATE incident_resources SET returned_by = ?, returned_at = ? WHERE id = ? AND returned_at IS NULL`, by, ms(now), r.ID)
	if err != nil {
		return errs.Wrap(err, "return resource")
	}
	r.ReturnedBy, r.ReturnedAt = by, &now
	return nil
}

// RemoveResource detaches a resource.
func (tx *Tx) RemoveResource(id int64) error {
	_, err := tx.exec(`DELETE FROM incident_resources WHERE id = ?`, id)
	return errs.Wrap(err, "remove resource")
}

// SetEquipmentStatus writes the register status of an item of equipment.
func (tx *Tx) SetEquipmentStatus(id int64, status string) error {
	_, err := tx.exec(`UPDATE equipment SET status = ?, updated_at = ? WHERE id = ?`, status, ms(tx.Now), id)
	return errs.Wrap(err, "equipment status")
}
