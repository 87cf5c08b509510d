package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/registry"
	"yingji/internal/service"
	"yingji/internal/store"
	"yingji/internal/user"
	"yingji/internal/web/ledger"
)

// maxImportBytes bounds an uploaded ledger (a 60,000-row XLSX is ~10 MiB).
const maxImportBytes = 64 << 20

type unitJSON struct {
	ID               int64  `json:"id"`
	OrgID            int64  `json:"org_id"`
	Name             string `json:"name"`
	Kind             string `json:"kind"`
	CreditCode       string `json:"credit_code"`
	Region           string `json:"region"`
	Address          string `json:"address"`
	Responsible      string `json:"responsible"`
	ResponsiblePhone string `json:"responsible_phone"`
	ContactName      string `json:"contact_name"`
	ContactPhone     string `json:"contact_phone"`
	ContactEmail     string `json:"contact_email"`
	Note             string `json:"note"`
	CreatedAt        string `json:"created_at,omitempty"`
	UpdatedAt        string `json:"updated_at,omitempty"`
}

type websiteJSON struct {
	ID        int64    `json:"id"`
	OrgID     int64    `json:"org_id"`
	UnitID    int64    `json:"unit_id"`
	UnitName  string   `json:"unit_name,omitempty"`
	Name      string   `json:"name"`
	Domain    string   `json:"domain"`
	URL       string   `json:"url"`
	ICP       string   `json:"icp"`
	IPs       []string `json:"ips"`
	Hosting   string   `json:"hosting"`
	KeySite   bool     `json:"key_site"`
	Note      string   `json:"note"`
	UpdatedAt string   `json:"updated_at,omitempty"`
}

type contactJSON struct {
	ID     int64  `json:"id"`
	OrgID  int64  `json:"org_id"`
	UnitID int64  `json:"unit_id"`
	Name   string `json:"name"`
	Role   string `json:"role"`
	Phone  string `json:"phone"`
	Email  string `json:"email"`
	Note   string `json:"note"`
}

type expertJSON struct {
	ID        int64  `json:"id"`
	OrgID     int64  `json:"org_id"`
	Name      string `json:"name"`
	Unit      string `json:"unit"`
	Expertise string `json:"expertise"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
	Available bool   `json:"available"`
	Note      string `json:"note"`
}

type equipmentJSON struct {
	ID        int64  `json:"id"`
	OrgID     int64  `json:"org_id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	Location  string `json:"location"`
	Custodian string `json:"custodian"`
	Phone     string `json:"phone"`
	Note      string `json:"note"`
}

func (s *Server) toUnitJSON(u *registry.Unit) unitJSON {
	return unitJSON{ID: u.ID, OrgID: u.OrgID, Name: u.Name, Kind: u.Kind, CreditCode: u.CreditCode, Region: u.Region, Address: u.Address,
		Responsible: u.Responsible, ResponsiblePhone: u.ResponsiblePhone, ContactName: u.ContactName, ContactPhone: u.ContactPhone,
		ContactEmail: u.ContactEmail, Note: u.Note, CreatedAt: ts(u.CreatedAt, s.Loc), UpdatedAt: ts(u.UpdatedAt, s.Loc)}
}

func (b unitJSON) unit() *registry.Unit {
	return &registry.Unit{Name: b.Name, Kind: b.Kind, CreditCode: b.CreditCode, Region: b.Region, Address: b.Address, Responsible: b.Responsible,
		ResponsiblePhone: b.ResponsiblePhone, ContactName: b.ContactName, ContactPhone: b.ContactPhone, ContactEmail: b.ContactEmail, Note: b.Note}
}

func (s *Server) toWebsiteJSON(w *registry.Website) websiteJSON {
	ips := make([]string, len(w.IPs))
	for i, a := range w.IPs {
		ips[i] = a.String()
	}
	return websiteJSON{ID: w.ID, OrgID: w.OrgID, UnitID: w.UnitID, UnitName: w.UnitName, Name: w.Name, Domain: w.Domain, URL: w.URL, ICP: w.ICP,
		IPs: ips, Hosting: w.Hosting, KeySite: w.KeySite, Note: w.Note, UpdatedAt: ts(w.UpdatedAt, s.Loc)}
}

func (b websiteJSON) website() (*registry.Website, error) {
	w := &registry.Website{UnitID: b.UnitID, Name: b.Name, Domain: b.Domain, URL: b.URL, ICP: b.ICP, Hosting: b.Hosting, KeySite: b.KeySite, Note: b.Note}
	ips, bad, ok := registry.ParseIPs(strings.Join(b.IPs, ","))
	if !ok {
		return nil, errs.Field("ips", "registry.bad_ip", bad)
	}
	w.IPs = ips
	return w, nil
}

func toContactJSON(c *registry.Contact) contactJSON {
	return contactJSON{c.ID, c.OrgID, c.UnitID, c.Name, c.Role, c.Phone, c.Email, c.Note}
}

func toExpertJSON(e *registry.Expert) expertJSON {
	return expertJSON{e.ID, e.OrgID, e.Name, e.Unit, e.Expertise, e.Phone, e.Email, e.Available, e.Note}
}

func toEquipmentJSON(e *registry.Equipment) equipmentJSON {
	return equipmentJSON{e.ID, e.OrgID, e.Name, e.Kind, e.Status, e.Location, e.Custodian, e.Phone, e.Note}
}

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

// crud registers list, create, get, replace and delete for one kind of registry row.
func crud[T any, J any](s *Server, name string,
	list func(ctx contextT, u *user.User, f store.RegistryFilter, org int64) ([]T, error),
	get func(ctx contextT, u *user.User, id int64) (T, error),
	save func(ctx contextT, u *user.User, org, id int64, v T) error,
	del func(ctx contextT, u *user.User, id int64) error,
	toJSON func(T) J, fromJSON func(J) T, idOf func(J) int64) {
	base := "/api/v1/" + name
	s.api("GET "+base, func(w http.ResponseWriter, r *http.Request, u *user.User) error {
		f, org, err := registryFilter(r)
		if err != nil {
			return err
		}
		items, err := list(r.Context(), u, f, org)
		if err != nil {
			return err
		}
		out := make([]J, 0, len(items))
		for _, it := range items {
			out = append(out, toJSON(it))
		}
		page(w, out, idOf, f.Limit)
		return nil
	})
	s.api("GET "+base+"/{id}", func(w http.ResponseWriter, r *http.Request, u *user.User) error {
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
	})
	saveH := func(w http.ResponseWriter, r *http.Request, u *user.User) error {
		var id int64
		if r.PathValue("id") != "" {
			var err error
			if id, err = pathID(r, "id"); err != nil {
				return err
			}
		}
		var b J
		if err := decode(r, &b); err != nil {
			return err
		}
		v := fromJSON(b)
		if err := save(r.Context(), u, 0, id, v); err != nil {
			return err
		}
		st := http.StatusOK
		if id == 0 {
			st = http.StatusCreated
		}
		writeJSON(w, st, toJSON(v))
		return nil
	}
	s.api("POST "+base, saveH)
	s.api("PUT "+base+"/{id}", saveH)
	s.api("DELETE "+base+"/{id}", func(w http.ResponseWriter, r *http.Request, u *user.User) error {
		return s.del(w, r, u, del)
	})
}

func (s *Server) apiListUnits(w http.ResponseWriter, r *http.Request, u *user.User) error {
	f, org, err := registryFilter(r)
	if err != nil {
		return err
	}
	units, err := s.Svc.ListUnits(r.Context(), u, f, org)
	if err != nil {
		return err
	}
	out := make([]unitJSON, 0, len(units))
	for _, x := range units {
		out = append(out, s.toUnitJSON(x))
	}
	page(w, out, func(v unitJSON) int64 { return v.ID }, f.Limit)
	return nil
}

func (s *Server) apiCreateUnit(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b unitJSON
	if err := decode(r, &b); err != nil {
		return err
	}
	x := b.unit()
	if err := s.Svc.CreateUnit(r.Context(), u, 0, x); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/units/"+strconv.FormatInt(x.ID, 10))
	writeJSON(w, http.StatusCreated, s.toUnitJSON(x))
	return nil
}

func (s *Server) apiUpdateUnit(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b unitJSON
	if err := decode(r, &b); err != nil {
		return err
	}
	x := b.unit()
	if err := s.Svc.UpdateUnit(r.Context(), u, id, x); err != nil {
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
	v, err := s.Svc.GetUnit(r.Context(), u, id)
	if err != nil {
		return err
	}
	sites := make([]websiteJSON, 0, len(v.Websites))
	for _, x := range v.Websites {
		sites = append(sites, s.toWebsiteJSON(x))
	}
	contacts := make([]contactJSON, 0, len(v.Contacts))
	for _, c := range v.Contacts {
		contacts = append(contacts, toContactJSON(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"unit": s.toUnitJSON(v.Unit), "websites": sites, "contacts": contacts})
	return nil
}

func (s *Server) apiListWebsites(w http.ResponseWriter, r *http.Request, u *user.User) error {
	f, org, err := registryFilter(r)
	if err != nil {
		return err
	}
	sites, err := s.Svc.ListWebsites(r.Context(), u, f, org)
	if err != nil {
		return err
	}
	out := make([]websiteJSON, 0, len(sites))
	for _, x := range sites {
		out = append(out, s.toWebsiteJSON(x))
	}
	page(w, out, func(v websiteJSON) int64 { return v.ID }, f.Limit)
	return nil
}

func (s *Server) apiGetWebsite(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.Svc.GetWebsite(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.toWebsiteJSON(x))
	return nil
}

func (s *Server) apiSaveWebsite(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r, "id"); err != nil {
			return err
		}
	}
	var b websiteJSON
	if err := decode(r, &b); err != nil {
		return err
	}
	x, err := b.website()
	if err != nil {
		return err
	}
	if err := s.Svc.SaveWebsite(r.Context(), u, id, x); err != nil {
		return err
	}
	st := http.StatusOK
	if id == 0 {
		st = http.StatusCreated
	}
	writeJSON(w, st, s.toWebsiteJSON(x))
	return nil
}

type importRowJSON struct {
	Sheet      string        `json:"sheet"`
	Line       int           `json:"line"`
	Status     string        `json:"status"`
	StatusName string        `json:"status_name"`
	Key        string        `json:"key"`
	Name       string        `json:"name"`
	Problems   []problemJSON `json:"problems,omitempty"`
}

type problemJSON struct {
	Column string `json:"column"`
	Key    string `json:"message_key"`
	Text   string `json:"message"`
}

// ImportReportJSON renders an import report (also used by the CLI's --json).
func ImportReportJSON(rep *service.ImportReport, l i18n.Lang) map[string]any {
	rows := make([]importRowJSON, 0, len(rep.Rows))
	for _, r := range rep.Rows {
		row := importRowJSON{Sheet: r.Sheet, Line: r.Line, Status: r.Status, StatusName: i18n.T(l, "registry.row."+r.Status), Key: r.Key, Name: r.Name}
		for _, p := range r.Problems {
			row.Problems = append(row.Problems, problemJSON{Column: p.Field, Key: p.Key, Text: i18n.T(l, p.Key, p.Args...)})
		}
		rows = append(rows, row)
	}
	return map[string]any{"written": rep.Written, "new": rep.New, "changed": rep.Changed, "unchanged": rep.Unchanged, "wrong": rep.Wrong, "rows": rows}
}

// apiImport takes the ledger file as the request body: ?format=xlsx|csv,
// ?kind=units|websites|contacts|experts|equipment (an XLSX of units may also
// hold the websites sheet), ?dry_run=true to only get the report.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	v := r.URL.Query()
	format, kind := registry.Format(v.Get("format")), v.Get("kind")
	if format != registry.CSV && format != registry.XLSX {
		return errs.Field("format", "registry.bad_format", v.Get("format"))
	}
	if kind == "" {
		kind = "units"
	}
	extendBodyDeadline(w, importReadWindow)
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxImportBytes))
	if err != nil {
		return bodyError(err)
	}
	rep, err := ledger.ImportFile(r.Context(), s.Svc, u, 0, "upload."+string(format), bytes.NewReader(data), format, kind, v.Get("dry_run") == "true" || v.Get("dry_run") == "1")
	if rep == nil {
		return err
	}
	st := http.StatusOK
	if err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			return err
		}
		st = http.StatusUnprocessableEntity
	}
	body := ImportReportJSON(rep, lang(r))
	if err != nil {
		e := errs.As(err)
		body["error"] = map[string]any{"code": string(e.Code), "message_key": e.Key, "detail": i18n.T(lang(r), e.Key, e.Args...)}
	}
	writeJSON(w, st, body)
	return nil
}

func (s *Server) apiExport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	v := r.URL.Query()
	format, kind := registry.Format(v.Get("format")), v.Get("kind")
	if format == "" {
		format = registry.XLSX
	}
	if kind == "" {
		kind = "units"
	}
	if format != registry.CSV && format != registry.XLSX {
		return errs.Field("format", "registry.bad_format", v.Get("format"))
	}
	org, err := queryOrg(r)
	if err != nil {
		return err
	}
	l, err := s.Svc.ExportAll(r.Context(), u, org)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	name, err := ledger.ExportFile(&buf, l, format, kind)
	if err != nil {
		return err
	}
	if format == registry.XLSX {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	} else {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	}
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+urlPathEscape(name+"."+string(format)))
	w.Write(buf.Bytes())
	return nil
}

type taskUnitBody struct {
	UnitID int64 `json:"unit_id"`
}

func (s *Server) apiSetTaskUnit(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	taskID, err := pathID(r, "taskId")
	if err != nil {
		return err
	}
	var b taskUnitBody
	if err := decode(r, &b); err != nil {
		return err
	}
	if _, err := s.Svc.SetTaskUnit(r.Context(), u, id, taskID, b.UnitID); err != nil {
		return err
	}
	return s.apiTaskUnits(w, r, u)
}

func (s *Server) apiTaskUnits(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.Svc.TaskUnits(r.Context(), u, id)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, tu := range list {
		contacts := make([]contactJSON, 0, len(tu.Contacts))
		for _, c := range tu.Contacts {
			contacts = append(contacts, toContactJSON(c))
		}
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

func urlPathEscape(s string) string { return url.PathEscape(s) }

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
	list, err := s.Svc.TaskUnits(r.Context(), u, incidentID)
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
