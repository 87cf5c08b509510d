package console

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
	"time"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/registry"
	"yingji/internal/user"
)

// highlight escapes text and marks each case-insensitive occurrence of q
// with <mark>, so that a list shows where the search matched.
func highlight(text, q string) template.HTML {
	q = strings.TrimSpace(q)
	if q == "" {
		return template.HTML(template.HTMLEscapeString(text))
	}
	var b strings.Builder
	last := 0
	for i := 0; i+len(q) <= len(text); {
		if strings.EqualFold(text[i:i+len(q)], q) {
			b.WriteString(template.HTMLEscapeString(text[last:i]))
			b.WriteString("<mark>" + template.HTMLEscapeString(text[i:i+len(q)]) + "</mark>")
			i += len(q)
			last = i
			continue
		}
		i++
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String())
}

func (s *Server) addResource(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	kind, ref, _ := strings.Cut(r.PostFormValue("ref"), ":")
	refID, _ := parseID(ref)
	_, err = s.App.Incidents.AddResource(r.Context(), c.u, id, incidents.NewResource{Kind: kind, RefID: refID, Note: r.PostFormValue("note")})
	return done(w, r, c, incidentURL(id)+"#resources", err, i18n.T(c.l, "console.resource_added"))
}

func (s *Server) removeResource(w http.ResponseWriter, r *http.Request, c *req) error {
	id, rid, err := twoIDs(r)
	if err != nil {
		return err
	}
	err = s.App.Incidents.RemoveResource(r.Context(), c.u, id, rid)
	return done(w, r, c, incidentURL(id)+"#resources", err, i18n.T(c.l, "console.resource_removed"))
}

func (s *Server) returnResource(w http.ResponseWriter, r *http.Request, c *req) error {
	id, rid, err := twoIDs(r)
	if err != nil {
		return err
	}
	_, err = s.App.Incidents.ReturnResource(r.Context(), c.u, id, rid)
	return done(w, r, c, incidentURL(id)+"#resources", err, i18n.T(c.l, "console.resource_returned_ok"))
}

func twoIDs(r *http.Request) (int64, int64, error) { return idAnd(r, "resourceId") }

// idAnd reads the incident id and a second id (a task's, a resource's) from
// the path; a page with a bad one is not found.
func idAnd(r *http.Request, name string) (int64, int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, 0, errs.New(errs.NotFound, "error.page_not_found")
	}
	id2, err := pathID(r, name)
	if err != nil {
		return 0, 0, errs.New(errs.NotFound, "error.page_not_found")
	}
	return id, id2, nil
}

func parseID(s string) (int64, bool) {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' || n > 1<<50 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, s != ""
}

// resourceRow is one attached resource as the page shows it.
type resourceRow struct {
	ID                        int64
	Kind, Name, Detail, Note  string
	State                     string
	Out, CanRemove, CanReturn bool
}

type resourceOption struct{ Value, Label string }

type resourceGroup struct {
	Label   string
	Options []resourceOption
}

var resourcesTmpl = template.Must(template.New("res").Parse(`<section aria-labelledby="h-resources" id="resources" data-live-id="inc-resources" class="card">
  <h2 id="h-resources">{{.Title}}</h2>
  {{if .Rows}}<div class="scroll"><table class="resources">
    <thead><tr><th scope="col">{{.ColKind}}</th><th scope="col">{{.ColName}}</th><th scope="col">{{.ColDetail}}</th><th scope="col">{{.ColState}}</th>{{if .CanChange}}<th scope="col"></th>{{end}}</tr></thead>
    <tbody>{{range .Rows}}<tr data-resource="{{.ID}}"><td>{{.Kind}}</td><td>{{.Name}}</td><td>{{.Detail}}{{with .Note}}<br><span class="small muted">{{.}}</span>{{end}}</td><td>{{.State}}</td>
      {{if $.CanChange}}<td class="noprint">{{if .CanReturn}}<form method="post" action="{{$.URL}}/resources/{{.ID}}/return" class="inline"><input type="hidden" name="csrf" value="{{$.CSRF}}"><button type="submit">{{$.Return}}</button></form>{{end}}
        {{if .CanRemove}}<form method="post" action="{{$.URL}}/resources/{{.ID}}/remove" class="inline"><input type="hidden" name="csrf" value="{{$.CSRF}}"><button type="submit" class="link">{{$.Remove}}</button></form>{{end}}</td>{{end}}
    </tr>{{end}}</tbody>
  </table></div>{{else}}<p class="muted">{{.None}}</p>{{end}}
  {{if .CanChange}}<form method="post" action="{{.URL}}/resources" class="row noprint" id="resource-form">
    <input type="hidden" name="csrf" value="{{.CSRF}}">
    <div class="grow"><label for="res-ref">{{.ColName}}</label><select id="res-ref" name="ref" required><option value=""></option>
      {{range .Groups}}{{if .Options}}<optgroup label="{{.Label}}">{{range .Options}}<option value="{{.Value}}">{{.Label}}</option>{{end}}</optgroup>{{end}}{{end}}</select></div>
    <div class="grow"><label for="res-note">{{.ColNote}}</label><input id="res-note" name="note" maxlength="500"></div>
    <div><button type="submit" class="primary">{{.Add}}</button></div>
  </form>{{end}}
</section>
`))

// resourcesHTML renders the incident page's 资源 section: what is attached
// and, for those the service lets change them, the forms.
func (s *Server) resourcesHTML(r *http.Request, l i18n.Lang, loc *time.Location, u *user.User, csrf string, in *incident.Incident) (template.HTML, error) {
	v, err := s.App.Incidents.Resources(r.Context(), u, in.ID)
	if err != nil {
		return "", err
	}
	data := map[string]any{"Title": i18n.T(l, "console.resources"), "None": i18n.T(l, "console.resources_none"),
		"ColKind": i18n.T(l, "console.resource_kind"), "ColName": i18n.T(l, "console.resource_name"), "ColDetail": i18n.T(l, "console.resource_detail"),
		"ColState": i18n.T(l, "console.resource_state"), "ColNote": i18n.T(l, "console.resource_note"), "Add": i18n.T(l, "console.resource_add"),
		"Remove": i18n.T(l, "console.resource_remove"), "Return": i18n.T(l, "console.resource_return"),
		"CanChange": v.CanChange, "URL": incidentURL(in.ID), "CSRF": csrf}
	var rows []resourceRow
	for _, x := range v.Items {
		row := resourceRow{ID: x.ID, Kind: i18n.T(l, "resource.kind."+x.Kind), Name: x.Name, Detail: x.Detail, Note: x.Note, Out: x.Out()}
		switch {
		case x.Out():
			row.State, row.CanReturn = i18n.T(l, "console.resource_out"), v.CanChange
		case x.ReturnedAt != nil:
			row.State = i18n.T(l, "console.resource_returned", timeIn(l, loc, *x.ReturnedAt))
		default:
			row.CanRemove = v.CanChange
		}
		rows = append(rows, row)
	}
	data["Rows"] = rows
	if v.CanChange {
		groups, err := s.resourceOptions(r, l, u)
		if err != nil {
			return "", err
		}
		data["Groups"] = groups
	}
	var b bytes.Buffer
	if err := resourcesTmpl.Execute(&b, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// resourceOptions lists what may be attached: the first units, websites,
// available experts and equipment that can go out (not 维修 or 报废).
func (s *Server) resourceOptions(r *http.Request, l i18n.Lang, u *user.User) ([]resourceGroup, error) {
	ctx, f := r.Context(), registry.Filter{Limit: 500}
	units, err := s.App.Units.ListUnits(ctx, u, f, u.OrgID)
	if err != nil {
		return nil, err
	}
	sites, err := s.App.Units.ListWebsites(ctx, u, f, u.OrgID)
	if err != nil {
		return nil, err
	}
	experts, err := s.App.Units.ListExperts(ctx, u, f, u.OrgID)
	if err != nil {
		return nil, err
	}
	equipment, err := s.App.Units.ListEquipment(ctx, u, f, u.OrgID)
	if err != nil {
		return nil, err
	}
	g := []resourceGroup{{Label: i18n.T(l, "resource.kind.unit")}, {Label: i18n.T(l, "resource.kind.website")},
		{Label: i18n.T(l, "resource.kind.expert")}, {Label: i18n.T(l, "resource.kind.equipment")}}
	for _, x := range units {
		g[0].Options = append(g[0].Options, resourceOption{"unit:" + itoa64(x.ID), x.Name})
	}
	for _, x := range sites {
		g[1].Options = append(g[1].Options, resourceOption{"website:" + itoa64(x.ID), x.Name + "（" + x.Domain + "）"})
	}
	for _, x := range experts {
		if x.Available {
			g[2].Options = append(g[2].Options, resourceOption{"expert:" + itoa64(x.ID), x.Name + "（" + x.Expertise + "）"})
		}
	}
	for _, x := range equipment {
		if x.Status != "维修" && x.Status != "报废" {
			g[3].Options = append(g[3].Options, resourceOption{"equipment:" + itoa64(x.ID), x.Name + "（" + x.Status + "）"})
		}
	}
	return g, nil
}
