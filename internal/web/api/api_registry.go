package api

import (
	"context"
	"net/http"
	"strconv"

	"yingji/internal/registry"
	"yingji/internal/user"
)

// maxImportBytes bounds an uploaded ledger (a 60,000-row XLSX is ~10 MiB).
const maxImportBytes = 64 << 20

// page writes a list with the keyset cursor for the next page.
func page[T any](w http.ResponseWriter, items []T, id func(T) int64, limit int) {
	if limit == 0 {
		limit = 50
	}
	var next *int64
	if len(items) == limit {
		n := id(items[len(items)-1])
		next = &n
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next_after": next})
}

func (s *Server) del(w http.ResponseWriter, r *http.Request, u *user.User, do func(ctx contextT, u *user.User, id int64) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := do(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleter is a DELETE route's handler: do removes the row named in the path.
func (s *Server) deleter(do func(ctx contextT, u *user.User, id int64) error) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, u *user.User) error { return s.del(w, r, u, do) }
}

// rowHandlers serve one kind of registry row: the list, one row, save
// (create without an id, replace with one) and delete. routes.go registers
// them.
type rowHandlers struct{ list, get, save, del apiHandler }

// crud builds the handlers of one kind of registry row.
func crud[T any, J any](s *Server,
	list func(ctx contextT, u *user.User, f registry.Filter, org int64) ([]T, error),
	get func(ctx contextT, u *user.User, id int64) (T, error),
	save func(ctx contextT, u *user.User, org, id int64, v T) error,
	del func(ctx contextT, u *user.User, id int64) error,
	toJSON func(T) J, fromJSON func(J) T, idOf func(J) int64) rowHandlers {
	h := rowHandlers{list: rowList(list, toJSON, idOf), get: rowGet(get, toJSON)}
	h.save = func(w http.ResponseWriter, r *http.Request, u *user.User) error {
		id, b, err := saveBody[J](r)
		if err != nil {
			return err
		}
		v := fromJSON(b)
		if err := save(r.Context(), u, 0, id, v); err != nil {
			return err
		}
		writeJSON(w, savedStatus(id), toJSON(v))
		return nil
	}
	h.del = s.deleter(del)
	return h
}

// rowList is a registry list route: the filter from the query, then a page
// of the rows.
func rowList[T any, J any](list func(ctx contextT, u *user.User, f registry.Filter, org int64) ([]T, error),
	toJSON func(T) J, idOf func(J) int64) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, u *user.User) error {
		f, org, err := registryFilter(r)
		if err != nil {
			return err
		}
		items, err := list(r.Context(), u, f, org)
		if err != nil {
			return err
		}
		out := convert(items, toJSON)
		page(w, out, idOf, f.Limit)
		return nil
	}
}

// rowGet answers the registry row named in the path.
func rowGet[T any, J any](get func(ctx contextT, u *user.User, id int64) (T, error), toJSON func(T) J) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, u *user.User) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		v, err := get(r.Context(), u, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, toJSON(v))
		return nil
	}
}

func (s *Server) contactRows() rowHandlers {
	x := s.App.Units
	return crud(s, x.ListContacts, x.GetContact, x.SaveContact, x.DeleteContact, toContactJSON, contactJSON.contact,
		func(v contactJSON) int64 { return v.ID })
}

func (s *Server) expertRows() rowHandlers {
	x := s.App.Units
	return crud(s, x.ListExperts, x.GetExpert, x.SaveExpert, x.DeleteExpert, toExpertJSON, expertJSON.expert,
		func(v expertJSON) int64 { return v.ID })
}

func (s *Server) equipmentRows() rowHandlers {
	x := s.App.Units
	return crud(s, x.ListEquipment, x.GetEquipment, x.SaveEquipment, x.DeleteEquipment, toEquipmentJSON, equipmentJSON.equipment,
		func(v equipmentJSON) int64 { return v.ID })
}

func (s *Server) apiListUnits(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return rowList(s.App.Units.ListUnits, s.toUnitJSON, func(v unitJSON) int64 { return v.ID })(w, r, u)
}

func (s *Server) apiCreateUnit(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b unitJSON
	if err := decode(r, &b); err != nil {
		return err
	}
	x := b.unit()
	if err := s.App.Units.CreateUnit(r.Context(), u, 0, x); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/units/"+strconv.FormatInt(x.ID, 10))
	writeJSON(w, http.StatusCreated, s.toUnitJSON(x))
	return nil
}

func (s *Server) apiUpdateUnit(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[unitJSON](r)
	if err != nil {
		return err
	}
	x := b.unit()
	if err := s.App.Units.UpdateUnit(r.Context(), u, id, x); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.toUnitJSON(x))
	return nil
}

func (s *Server) apiGetUnit(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.App.Units.GetUnit(r.Context(), u, id)
	if err != nil {
		return err
	}
	sites := convert(v.Websites, s.toWebsiteJSON)
	contacts := convert(v.Contacts, toContactJSON)
	writeJSON(w, http.StatusOK, map[string]any{"unit": s.toUnitJSON(v.Unit), "websites": sites, "contacts": contacts})
	return nil
}

func (s *Server) apiListWebsites(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return rowList(s.App.Units.ListWebsites, s.toWebsiteJSON, func(v websiteJSON) int64 { return v.ID })(w, r, u)
}

func (s *Server) apiGetWebsite(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return rowGet(s.App.Units.GetWebsite, s.toWebsiteJSON)(w, r, u)
}

func (s *Server) apiSaveWebsite(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := saveBody[websiteJSON](r)
	if err != nil {
		return err
	}
	x, err := b.website()
	if err != nil {
		return err
	}
	if err := s.App.Units.SaveWebsite(r.Context(), u, id, x); err != nil {
		return err
	}
	writeJSON(w, savedStatus(id), s.toWebsiteJSON(x))
	return nil
}

type taskUnitBody struct {
	UnitID int64 `json:"unit_id"`
}

func (s *Server) apiSetTaskUnit(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, taskID, err := idAnd(r, "taskId")
	if err != nil {
		return err
	}
	var b taskUnitBody
	if err := decode(r, &b); err != nil {
		return err
	}
	if _, err := s.App.Incidents.SetTaskUnit(r.Context(), u, id, taskID, b.UnitID); err != nil {
		return err
	}
	return s.apiTaskUnits(w, r, u)
}

func (s *Server) apiTaskUnits(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.App.Incidents.TaskUnits(r.Context(), u, id)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, tu := range list {
		contacts := convert(tu.Contacts, toContactJSON)
		var unit any
		if tu.Unit != nil {
			unit = s.toUnitJSON(tu.Unit)
		}
		out = append(out, map[string]any{"task_id": tu.TaskID, "unit": unit, "contacts": contacts})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

type contextT = context.Context

// taskWithUnit is a task of GET /api/v1/incidents/{id} with the registry
// unit it names and that unit's contacts (null when it names none).
type taskWithUnit struct {
	taskJSON
	Unit *taskUnitJSON `json:"unit"`
}

type taskUnitJSON struct {
	unitJSON
	Contacts []contactJSON `json:"contacts"`
}

// addTaskUnits puts each task's unit and contacts into an incident body:
// three queries whatever the number of tasks (no N+1).
func (s *Server) addTaskUnits(r *http.Request, u *user.User, incidentID int64, body map[string]any) error {
	tasks, ok := body["tasks"].([]taskJSON)
	if !ok {
		return nil
	}
	list, err := s.App.Incidents.TaskUnits(r.Context(), u, incidentID)
	if err != nil {
		return err
	}
	byTask := map[int64]*taskUnitJSON{}
	for _, tu := range list {
		if tu.Unit == nil {
			continue
		}
		j := &taskUnitJSON{unitJSON: s.toUnitJSON(tu.Unit), Contacts: []contactJSON{}}
		for _, c := range tu.Contacts {
			j.Contacts = append(j.Contacts, toContactJSON(c))
		}
		byTask[tu.TaskID] = j
	}
	out := make([]taskWithUnit, len(tasks))
	for i, t := range tasks {
		out[i] = taskWithUnit{taskJSON: t, Unit: byTask[t.ID]}
	}
	body["tasks"] = out
	return nil
}
