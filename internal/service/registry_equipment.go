package service

// Restructure (issue 8), helper B: moved here from resource.go (now in
// internal/incidents) as only the registry's equipment delete uses it.

import (
	"yingji/internal/errs"
	"yingji/internal/store"
)

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
