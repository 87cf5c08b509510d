package console

import (
	"context"
	"html/template"
	"net/http"
	"strings"

	"yingji/internal/access"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/registry"
	"yingji/internal/user"
)

// The base database's unit pages: a unit with its websites and contacts,
// create and edit forms for units and websites (the office only, as the
// service allows), and list pages for websites, contacts, experts and
// equipment.

// formField is one input of a generic registry form.
type formField struct {
	Name, Label, Type string
	Required          bool
	Options           []string
}

var unitFields = []formField{
	{"name", "rf.name", "text", true, nil}, {"kind", "rf.kind", "select", false, registry.UnitKinds},
	{"credit_code", "rf.credit_code", "text", false, nil}, {"region", "rf.region", "text", false, nil},
	{"address", "rf.address", "text", false, nil}, {"responsible", "rf.responsible", "text", false, nil},
	{"responsible_phone", "rf.responsible_phone", "tel", false, nil}, {"contact_name", "rf.contact_name", "text", false, nil},
	{"contact_phone", "rf.contact_phone", "tel", false, nil}, {"contact_email", "rf.contact_email", "email", false, nil},
	{"note", "rf.note", "textarea", false, nil},
}

var websiteFields = []formField{
	{"name", "rf.site_name", "text", true, nil}, {"domain", "rf.domain", "text", true, nil}, {"url", "rf.url", "text", false, nil},
	{"icp", "rf.icp", "text", false, nil}, {"ips", "rf.ips", "text", false, nil}, {"hosting", "rf.hosting", "text", false, nil},
	{"key_site", "rf.key_site", "checkbox", false, nil}, {"note", "rf.note", "textarea", false, nil},
}

func (s *Server) unitPage(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	v, err := s.App.Units.GetUnit(r.Context(), c.u, id)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, v.Unit.Name, "registry")
	p.Data = map[string]any{"V": v, "CanEdit": access.MayEditRegistry(c.u) && v.Unit.OrgID == c.u.OrgID}
	s.render(w, http.StatusOK, "unit", p)
	return nil
}

// regForm is a registry form's state.
type regForm struct {
	Title, Action, Back string
	Fields              []formField
	V                   map[string]string
	Errors              map[string]string
}

func (s *Server) renderRegForm(w http.ResponseWriter, r *http.Request, c *req, st int, f regForm) error {
	p := s.newPage(w, r, c, f.Title, "registry")
	p.Data = f
	s.render(w, st, "regform", p)
	return nil
}

func unitValues(u *registry.Unit) map[string]string {
	return map[string]string{"name": u.Name, "kind": u.Kind, "credit_code": u.CreditCode, "region": u.Region, "address": u.Address,
		"responsible": u.Responsible, "responsible_phone": u.ResponsiblePhone, "contact_name": u.ContactName,
		"contact_phone": u.ContactPhone, "contact_email": u.ContactEmail, "note": u.Note}
}

func (s *Server) unitNew(w http.ResponseWriter, r *http.Request, c *req) error {
	if !access.MayEditRegistry(c.u) {
		return errs.New(errs.Forbidden, "registry.forbidden")
	}
	return s.renderRegForm(w, r, c, http.StatusOK, regForm{Title: i18n.T(c.l, "rf.new_unit"), Action: "/registry/units", Back: "/registry",
		Fields: unitFields, V: map[string]string{}})
}

// regTarget loads the registry row named in the path for a form that
// edits it or adds under it: one the actor may not see is not found before
// the actor who may not edit is refused.
func regTarget[T any](r *http.Request, c *req, get func(context.Context, *user.User, int64) (T, error)) (int64, T, error) {
	var none T
	id, err := pathID(r, "id")
	if err != nil {
		return 0, none, errs.New(errs.NotFound, "error.page_not_found")
	}
	v, err := get(r.Context(), c.u, id)
	if err != nil {
		return 0, none, err
	}
	if !access.MayEditRegistry(c.u) {
		return 0, none, errs.New(errs.Forbidden, "registry.forbidden")
	}
	return id, v, nil
}

func (s *Server) unitEdit(w http.ResponseWriter, r *http.Request, c *req) error {
	id, v, err := regTarget(r, c, s.App.Units.GetUnit)
	if err != nil {
		return err
	}
	u := "/registry/units/" + itoa64(id)
	return s.renderRegForm(w, r, c, http.StatusOK, regForm{Title: i18n.T(c.l, "rf.edit_unit", v.Unit.Name), Action: u, Back: u,
		Fields: unitFields, V: unitValues(v.Unit)})
}

func formValues(r *http.Request, fields []formField) map[string]string {
	v := map[string]string{}
	for _, f := range fields {
		v[f.Name] = r.PostFormValue(f.Name)
	}
	return v
}

// formError renders the form again with the error next to its field, or
// returns err when it is not about the input.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, c *req, f regForm, err error) error {
	e := errs.As(err)
	if e.Code != errs.Invalid && !(e.Code == errs.Conflict && e.Field != "") {
		return err
	}
	name := e.Field
	known := false
	for _, x := range f.Fields {
		known = known || x.Name == name
	}
	if !known {
		name = "_form"
	}
	f.Errors = map[string]string{name: i18n.T(c.l, e.Key, e.Args...)}
	st := http.StatusBadRequest
	if e.Code == errs.Conflict {
		st = http.StatusConflict
	}
	return s.renderRegForm(w, r, c, st, f)
}

func (s *Server) unitSave(w http.ResponseWriter, r *http.Request, c *req) error {
	var id int64
	if r.PathValue("id") != "" {
		n, err := pathID(r, "id")
		if err != nil {
			return errs.New(errs.NotFound, "error.page_not_found")
		}
		id = n
	}
	v := formValues(r, unitFields)
	u := &registry.Unit{Name: v["name"], Kind: v["kind"], CreditCode: v["credit_code"], Region: v["region"], Address: v["address"],
		Responsible: v["responsible"], ResponsiblePhone: v["responsible_phone"], ContactName: v["contact_name"],
		ContactPhone: v["contact_phone"], ContactEmail: v["contact_email"], Note: v["note"]}
	f := regForm{Title: i18n.T(c.l, "rf.new_unit"), Action: "/registry/units", Back: "/registry", Fields: unitFields, V: v}
	var err error
	if id == 0 {
		err = s.App.Units.CreateUnit(r.Context(), c.u, 0, u)
	} else {
		f.Title, f.Action, f.Back = i18n.T(c.l, "rf.edit_unit", v["name"]), "/registry/units/"+itoa64(id), "/registry/units/"+itoa64(id)
		err = s.App.Units.UpdateUnit(r.Context(), c.u, id, u)
	}
	if err != nil {
		return s.formError(w, r, c, f, err)
	}
	setFlash(w, r, "ok", i18n.T(c.l, "rf.unit_saved"))
	http.Redirect(w, r, "/registry/units/"+itoa64(u.ID), http.StatusSeeOther)
	return nil
}

func websiteValues(x *registry.Website) map[string]string {
	k := ""
	if x.KeySite {
		k = "1"
	}
	return map[string]string{"name": x.Name, "domain": x.Domain, "url": x.URL, "icp": x.ICP, "ips": registry.JoinIPs(x.IPs),
		"hosting": x.Hosting, "key_site": k, "note": x.Note}
}

func (s *Server) websiteNew(w http.ResponseWriter, r *http.Request, c *req) error {
	id, v, err := regTarget(r, c, s.App.Units.GetUnit)
	if err != nil {
		return err
	}
	u := "/registry/units/" + itoa64(id)
	return s.renderRegForm(w, r, c, http.StatusOK, regForm{Title: i18n.T(c.l, "rf.new_site", v.Unit.Name), Action: u + "/websites", Back: u,
		Fields: websiteFields, V: map[string]string{}})
}

func (s *Server) websiteEdit(w http.ResponseWriter, r *http.Request, c *req) error {
	id, x, err := regTarget(r, c, s.App.Units.GetWebsite)
	if err != nil {
		return err
	}
	return s.renderRegForm(w, r, c, http.StatusOK, regForm{Title: i18n.T(c.l, "rf.edit_site", x.Name), Action: "/registry/websites/" + itoa64(id),
		Back: "/registry/units/" + itoa64(x.UnitID), Fields: websiteFields, V: websiteValues(x)})
}

// websiteSave creates a website of the unit in the path
// (/registry/units/{id}/websites) or replaces one (/registry/websites/{id}).
func (s *Server) websiteSave(w http.ResponseWriter, r *http.Request, c *req) error {
	n, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	v := formValues(r, websiteFields)
	x := &registry.Website{Name: v["name"], Domain: v["domain"], URL: v["url"], ICP: v["icp"], Hosting: v["hosting"],
		KeySite: v["key_site"] != "", Note: v["note"]}
	var siteID int64
	f := regForm{Fields: websiteFields, V: v}
	if strings.HasPrefix(r.URL.Path, "/registry/units/") {
		x.UnitID = n
		f.Title, f.Action = i18n.T(c.l, "rf.new_site", ""), "/registry/units/"+itoa64(n)+"/websites"
	} else {
		old, err := s.App.Units.GetWebsite(r.Context(), c.u, n)
		if err != nil {
			return err
		}
		siteID, x.UnitID = n, old.UnitID
		f.Title, f.Action = i18n.T(c.l, "rf.edit_site", old.Name), "/registry/websites/"+itoa64(n)
	}
	f.Back = "/registry/units/" + itoa64(x.UnitID)
	if ips, bad, ok := registry.ParseIPs(v["ips"]); !ok {
		return s.formError(w, r, c, f, errs.Field("ips", "registry.bad_ip", bad))
	} else {
		x.IPs = ips
	}
	if err := s.App.Units.SaveWebsite(r.Context(), c.u, siteID, x); err != nil {
		return s.formError(w, r, c, f, err)
	}
	setFlash(w, r, "ok", i18n.T(c.l, "rf.site_saved"))
	http.Redirect(w, r, f.Back, http.StatusSeeOther)
	return nil
}

// registryList lists one ledger (websites, contacts, experts, equipment) with a search.
func (s *Server) registryList(w http.ResponseWriter, r *http.Request, c *req) error {
	kind := r.PathValue("kind")
	f := registry.Filter{Q: strings.TrimSpace(r.URL.Query().Get("q")), Limit: 200}
	if len([]rune(f.Q)) > 100 {
		return errs.Field("q", "error.too_long", 100)
	}
	f.KeySite = r.URL.Query().Get("key_site") != ""
	var rows any
	var err error
	switch kind {
	case "websites":
		rows, err = s.App.Units.ListWebsites(r.Context(), c.u, f, 0)
	case "contacts":
		rows, err = s.App.Units.ListContacts(r.Context(), c.u, f, 0)
	case "experts":
		rows, err = s.App.Units.ListExperts(r.Context(), c.u, f, 0)
	case "equipment":
		rows, err = s.App.Units.ListEquipment(r.Context(), c.u, f, 0)
	default:
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "reg.ledger_"+kind), "registry")
	p.Data = map[string]any{"Kind": kind, "Rows": rows, "Q": f.Q, "KeySite": f.KeySite}
	s.render(w, http.StatusOK, "reglist", p)
	return nil
}

// regTabs is the base database's tab bar: units, then the other ledgers.
func regTabs(v *view, cur string) template.HTML {
	var b strings.Builder
	b.WriteString(`<nav class="tabs" aria-label="` + template.HTMLEscapeString(i18n.T(v.L, "rf.ledgers")) + `">`)
	for _, k := range []string{"units", "websites", "contacts", "experts", "equipment"} {
		href := "/registry/list/" + k
		if k == "units" {
			href = "/registry"
		}
		b.WriteString(`<a href="` + href + `"`)
		if k == cur {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteString(`>` + template.HTMLEscapeString(i18n.T(v.L, "reg.ledger_"+k)) + `</a>`)
	}
	b.WriteString(`</nav>`)
	return template.HTML(b.String())
}
