package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/plan"
)

// dashboardTasks caps "my tasks": the most urgent first, the rest on the
// incident pages.
const dashboardTasks = 15

func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request, c *req) error {
	d, err := s.App.Dashboard.Dashboard(r.Context(), c.u)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "dash.title"), "home")
	p.Now, p.Live = d.Now, "/events"
	tasks := d.MyTasks
	if len(tasks) > dashboardTasks {
		tasks = tasks[:dashboardTasks]
	}
	p.Data = map[string]any{"D": d, "Rows": len(d.Incidents), "Total": d.Total, "Capped": d.Total > len(d.Incidents),
		"MyTasks": tasks, "MoreTasks": len(d.MyTasks) > len(tasks),
		"Body": dashBody(dashRows(c.l, p.Loc, d.Incidents),
			map[string]string{"Status": i18n.T(c.l, "col.status") + i18n.T(c.l, "sep.colon"), "Tasks": i18n.T(c.l, "col.tasks") + i18n.T(c.l, "sep.colon"),
				"Deadline": i18n.T(c.l, "col.deadline") + i18n.T(c.l, "sep.colon")})}
	s.addHeightened(r, c, p.Data.(map[string]any))
	if p.Data.(map[string]any)["Await"], err = s.App.Reports.SignoffInbox(r.Context(), c.u); err != nil {
		return err
	}
	s.render(w, http.StatusOK, "dashboard", p)
	return nil
}

// listFilter is the incidents page's filter as the form holds it.
type listFilter struct {
	Status, Level, Category, Org, Text string
	Before                             int64
}

func (f listFilter) query(before int64) string {
	v := make([]string, 0, 6)
	for _, kv := range [][2]string{{"status", f.Status}, {"level", f.Level}, {"category", f.Category}, {"org", f.Org}, {"q", f.Text}} {
		if kv[1] != "" {
			v = append(v, kv[0]+"="+url.QueryEscape(kv[1]))
		}
	}
	if before > 0 {
		v = append(v, "before="+itoa64(before))
	}
	return "/incidents?" + strings.Join(v, "&")
}

func (s *Server) incidentsPage(w http.ResponseWriter, r *http.Request, c *req) error {
	q := r.URL.Query()
	lf := listFilter{Status: q.Get("status"), Level: q.Get("level"), Category: q.Get("category"), Org: q.Get("org"), Text: strings.TrimSpace(q.Get("q"))}
	f := incident.Filter{Category: lf.Category, Text: lf.Text, Limit: 50}
	if lf.Status != "" {
		f.Statuses = []incident.Status{incident.Status(lf.Status)}
	}
	for _, p := range []struct {
		name, v string
		set     func(int64)
	}{
		{"level", lf.Level, func(n int64) { f.Level = incident.Level(n) }},
		{"org", lf.Org, func(n int64) { f.OrgIDs = []int64{n} }},
		{"before", q.Get("before"), func(n int64) { f.Before, lf.Before = n, n }},
	} {
		if p.v == "" {
			continue
		}
		n, err := strconv.ParseInt(p.v, 10, 64)
		if err != nil || n <= 0 {
			return errs.Field(p.name, "error.bad_id", p.v)
		}
		p.set(n)
	}
	list, err := s.App.Incidents.ListIncidents(r.Context(), c.u, f)
	if err != nil {
		return err
	}
	orgs, err := s.App.Dashboard.VisibleOrgs(r.Context(), c.u)
	if err != nil {
		return err
	}
	pl, err := s.App.Dashboard.PlanFor(r.Context(), c.u)
	if err != nil {
		return err
	}
	orgNames := map[int64]string{}
	for _, o := range orgs {
		orgNames[o.ID] = o.Name
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "list.title"), "incidents")
	data := map[string]any{"List": list, "F": lf, "Orgs": orgs, "OrgNames": orgNames, "Plan": pl, "Statuses": incident.Statuses,
		"Levels": []incident.Level{1, 2, 3, 4}, "First": lf.query(0)}
	if len(list) == f.Limit {
		data["Next"] = lf.query(list[len(list)-1].ID)
	}
	p.Data = data
	s.render(w, http.StatusOK, "incidents", p)
	return nil
}

// newForm is the register form with what was typed and what was wrong.
type newForm struct {
	Plan   *plan.Plan
	V      map[string]string
	Errors map[string]string
	Zone   string
	// Opts are where the user may register: his own organisation and, for
	// a superior, the organisations he may assign a task to (四(五)).
	Opts *incidents.RegisterOptions
}

func (s *Server) renderNew(w http.ResponseWriter, r *http.Request, c *req, st int, f newForm) error {
	opts, err := s.App.Incidents.RegisterOptionsFor(r.Context(), c.u)
	if err != nil {
		return err
	}
	if !opts.Own && len(opts.Targets) == 0 {
		return errs.New(errs.Forbidden, "error.forbidden_create")
	}
	pl := opts.Plan
	if pl == nil {
		if pl, err = s.App.Dashboard.PlanFor(r.Context(), c.u); err != nil {
			return err
		}
	}
	f.Plan, f.Zone, f.Opts = pl, pl.TimeZone, opts
	if f.Zone == "" {
		f.Zone = plan.DefaultTimeZone
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "new.title"), "new")
	p.Data = f
	s.render(w, st, "new", p)
	return nil
}

const formTime = "2006-01-02T15:04"

func (s *Server) newIncidentPage(w http.ResponseWriter, r *http.Request, c *req) error {
	v := map[string]string{"level": "4", "discovered_at": s.App.Core.Now().In(s.loc()).Format(formTime)}
	return s.renderNew(w, r, c, http.StatusOK, newForm{V: v})
}

func (s *Server) createIncident(w http.ResponseWriter, r *http.Request, c *req) error {
	v := map[string]string{}
	for _, k := range []string{"title", "category", "gb_class", "level", "discovered_at", "discovery_method", "description", "org_id", "instructions"} {
		v[k] = r.PostFormValue(k)
	}
	in := incidents.NewIncident{Title: v["title"], Category: v["category"], GBClass: v["gb_class"], DiscoveryMethod: v["discovery_method"], Description: v["description"],
		Instructions: v["instructions"]}
	var err error
	if in.Level, err = strconv.Atoi(v["level"]); err != nil {
		err = errs.Field("level", "error.level_range")
	} else if v["discovered_at"] != "" {
		t, perr := time.ParseInLocation(formTime, v["discovered_at"], s.loc())
		if perr != nil {
			err = errs.Field("discovered_at", "error.bad_form_time")
		}
		in.DiscoveredAt = t
	}
	if v["org_id"] != "" && err == nil { // a superior's form: 本单位 or an organisation below (四(五) 交办)
		if in.OrgID, err = strconv.ParseInt(v["org_id"], 10, 64); err != nil || in.OrgID <= 0 {
			in.OrgID, err = 0, errs.Field("org_id", "error.assign_org")
		}
	}
	var created *incident.Incident
	if err == nil {
		created, err = s.App.Incidents.CreateIncident(r.Context(), c.u, in)
	}
	if e := errs.As(err); err != nil && e.Code == errs.Invalid {
		return s.renderNew(w, r, c, http.StatusBadRequest, newForm{V: v, Errors: map[string]string{e.Field: i18n.T(c.l, e.Key, e.Args...)}})
	}
	if err != nil {
		return err
	}
	setFlash(w, r, "ok", i18n.T(c.l, "new.done", created.Number))
	http.Redirect(w, r, incidentURL(created.ID), http.StatusSeeOther)
	return nil
}

// timelinePage is how many timeline entries the incident page shows at once.
const timelinePage = 200

func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	var before int64
	if b := r.URL.Query().Get("before"); b != "" {
		if before, err = strconv.ParseInt(b, 10, 64); err != nil || before < 0 {
			return errs.Field("before", "error.bad_id", b)
		}
	}
	pg, err := s.App.Dashboard.IncidentPage(r.Context(), c.u, id, before, timelinePage)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, pg.Incident.Number+" "+pg.Incident.Title, "incidents")
	p.Loc = pg.Plan.Location
	groups, phase := groupTasks(c.l, p.Loc, p.Now, pg, c.u, c.sess.CSRF)
	p.Live = "/events?incident=" + itoa64(id)
	data := map[string]any{"P": pg, "In": pg.Incident, "Groups": groups, "Phase": phase, "GBName": plan.GBClassName(pg.Incident.GBClass),
		"URL": incidentURL(id), "Before": before, "Timeline": timelineHTML(c.l, p.Loc, pg.Timeline)}
	if n := len(pg.Timeline); n == timelinePage {
		data["Older"] = incidentURL(id) + "?before=" + itoa64(pg.Timeline[n-1].ID) + "#timeline"
	}
	if pg.Pending != nil {
		data["PendingKind"] = i18n.T(c.l, "approval."+string(pg.Pending.Kind))
	}
	for k, key := range decisionWording(pg.View) {
		if key == "inc.decide" {
			data[k] = i18n.T(c.l, key, data["PendingKind"])
		} else {
			data[k] = i18n.T(c.l, key)
		}
	}
	if data["Resources"], err = s.resourcesHTML(r, c.l, p.Loc, c.u, c.sess.CSRF, pg.Incident); err != nil {
		return err
	}
	if data["Alerts"], err = s.App.Alerts.ForIncident(r.Context(), c.u, id); err != nil { // issue 12
		return err
	}
	p.Data = data
	s.render(w, http.StatusOK, "incident", p)
	return nil
}

// taskPage is one task with the forms that need more than a button: a note,
// marking it blocked (with the reason), and the assignee.
func (s *Server) taskPage(w http.ResponseWriter, r *http.Request, c *req) error {
	id, taskID, err := idAnd(r, "taskId")
	if err != nil {
		return err
	}
	pg, err := s.App.Dashboard.IncidentPage(r.Context(), c.u, id, 0, 0)
	if err != nil {
		return err
	}
	var task *incident.Task
	for _, t := range pg.Tasks {
		if t.ID == taskID {
			task = t
		}
	}
	if task == nil {
		return errs.New(errs.NotFound, "error.task_not_found")
	}
	p := s.newPage(w, r, c, task.Title, "incidents")
	p.Loc = pg.Plan.Location
	p.Live = "/events?incident=" + itoa64(id)
	p.Data = map[string]any{"P": pg, "In": pg.Incident, "T": newTaskView(c.l, p.Loc, p.Now, pg, c.u, task), "URL": incidentURL(id)}
	s.render(w, http.StatusOK, "task", p)
	return nil
}

// decisionWording names the activation and decision forms by who decides
// under the incident's plan (the service's rule, View.Activation): 申请市局批准
// 启动 for an approval from above, 提请领导小组决定启动 for a decision of the
// county's leading group, and 验收 for the termination of a task a superior
// assigned.
func decisionWording(v *incidents.View) map[string]string {
	w := map[string]string{"ReqAct": "inc.req_act_approval", "DecideTitle": "inc.decide", "Approve": "inc.approve", "Reject": "inc.reject"}
	if v.Activation.ByOwnOrganisation() {
		w["ReqAct"] = "inc.req_act_decision"
	}
	if v.Pending == nil {
		return w
	}
	switch {
	case v.Pending.Kind == incident.KindActivation && v.Activation.ByOwnOrganisation():
		w["DecideTitle"], w["Approve"] = "inc.decide_act_decision", "inc.approve_act_decision"
	case v.Pending.Kind == incident.KindActivation:
		w["DecideTitle"] = "inc.decide_act_approval"
	case v.Pending.Kind == incident.KindTermination && v.AssignedBy != nil:
		w["DecideTitle"], w["Approve"], w["Reject"] = "inc.decide_term_acceptance", "inc.approve_acceptance", "inc.reject_acceptance"
	}
	return w
}
