package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/plan"
	"yingji/internal/user"
	"yingji/internal/web/timeline"
)

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, u *user.User) error {
	writeJSON(w, http.StatusOK, map[string]any{"id": u.ID, "username": u.Username, "display_name": u.DisplayName, "org_id": u.OrgID,
		"department": u.Department, "roles": u.Roles})
	return nil
}

func (s *Server) apiPlans(w http.ResponseWriter, r *http.Request, u *user.User) error {
	plans, err := s.App.Plans.Plans(r.Context())
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(plans))
	for _, p := range plans {
		out = append(out, map[string]any{"id": p.ID, "key": p.Key, "version": p.Version, "title": p.Title, "sha256": p.SHA256})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiListIncidents(w http.ResponseWriter, r *http.Request, u *user.User) error {
	q := r.URL.Query()
	f := incident.Filter{Category: q.Get("category"), Text: strings.TrimSpace(q.Get("q"))}
	for _, st := range strings.Split(q.Get("status"), ",") {
		if st != "" {
			f.Statuses = append(f.Statuses, incident.Status(st))
		}
	}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"before", &f.Before}, {"org", nil}, {"level", nil}, {"limit", nil}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return errs.Field(p.name, "error.bad_id", v)
		}
		switch p.name {
		case "before":
			f.Before = n
		case "org":
			f.OrgIDs = []int64{n}
		case "level":
			f.Level = incident.Level(n)
		case "limit":
			f.Limit = int(n)
		}
	}
	list, err := s.App.Incidents.ListIncidents(r.Context(), u, f)
	if err != nil {
		return err
	}
	l := lang(r)
	limit := max(f.Limit, 0)
	writePage(w, list, func(in *incident.Incident) incidentJSON { return toIncidentJSON(in, s.Loc, l) },
		limit == 0 && len(list) == 50 || len(list) == limit, func(in *incident.Incident) int64 { return in.ID })
	return nil
}

type createIncidentBody struct {
	Title           string `json:"title"`
	Category        string `json:"category"`
	GBClass         string `json:"gb_class"`
	Level           int    `json:"level"`
	DiscoveredAt    string `json:"discovered_at"`
	DiscoveryMethod string `json:"discovery_method"`
	Description     string `json:"description"`
}

// assignBody is the create body with what a superior adds when it assigns
// the incident to an organisation below it (四(五) 交办). Flat, not
// embedding createIncidentBody: a type error must name the field alone.
type assignBody struct {
	Title           string `json:"title"`
	Category        string `json:"category"`
	GBClass         string `json:"gb_class"`
	Level           int    `json:"level"`
	DiscoveredAt    string `json:"discovered_at"`
	DiscoveryMethod string `json:"discovery_method"`
	Description     string `json:"description"`
	OrgID           int64  `json:"org_id"`
	Instructions    string `json:"instructions"`
}

func (s *Server) apiCreateIncident(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b assignBody
	if err := decode(r, &b); err != nil {
		return err
	}
	var discovered time.Time
	if b.DiscoveredAt != "" {
		t, err := time.Parse(time.RFC3339, b.DiscoveredAt)
		if err != nil {
			return errs.Field("discovered_at", "error.bad_time")
		}
		discovered = t
	}
	in, err := s.App.Incidents.CreateIncident(r.Context(), u, incidents.NewIncident{Title: b.Title, Category: b.Category, GBClass: b.GBClass,
		Level: b.Level, DiscoveredAt: discovered, DiscoveryMethod: b.DiscoveryMethod, Description: b.Description,
		OrgID: b.OrgID, Instructions: b.Instructions})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/incidents/"+strconv.FormatInt(in.ID, 10))
	writeJSON(w, http.StatusCreated, toIncidentJSON(in, s.Loc, lang(r)))
	return nil
}

func (s *Server) apiGetIncident(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.App.Incidents.GetIncident(r.Context(), u, id)
	if err != nil {
		return err
	}
	body := incidentDetail(v, lang(r), s.App.Core.Now())
	if err := s.addTaskRollCall(r, id, body); err != nil { // issue 10, api_notices.go
		return err
	}
	if err := s.addTaskUnits(r, u, id, body); err != nil { // api_registry.go: the registry unit named by each task
		return err
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

func incidentDetail(v *incidents.View, l i18n.Lang, now time.Time) map[string]any {
	loc := v.Plan.Location
	tasks := make([]taskJSON, 0, len(v.Tasks))
	for _, t := range v.Tasks {
		tj := toTaskJSON(t, loc, now)
		if v.Category != nil {
			if tt, _ := v.Category.Task(t.TemplateKey); tt != nil {
				tj.AfterTermination = tt.AfterTermination
				if tt.Gated() {
					tj.Gate = tt.Approval.Name
				}
			}
		}
		for _, a := range []string{"update", "finish", "request_approval", "decide_approval"} {
			if v.TaskCan[t.ID][a] {
				tj.Actions = append(tj.Actions, a)
			}
		}
		tasks = append(tasks, tj)
	}
	approvals := convert(v.Approvals, func(a *incident.Approval) approvalJSON { return toApprovalJSON(a, loc) })
	deadlines := make([]deadlineJSON, 0, len(v.Deadlines))
	for _, d := range v.Deadlines {
		deadlines = append(deadlines, deadlineJSON{Kind: d.Kind, Due: ts(d.Due, loc), State: string(d.State)})
	}
	reports := make([]reportJSON, 0, len(v.Reports))
	for _, rp := range v.Reports {
		reports = append(reports, reportJSON{ID: rp.ID, Kind: rp.Kind, Title: rp.Title, Status: rp.Status, SubmittedAt: tsPtr(rp.SubmittedAt, loc), SHA256: rp.SHA256})
	}
	var actions []string
	for _, a := range []string{"request_activation", "decide", "request_termination", "update_tasks", "note", "file_summary", "correct", "instruct", "feedback"} {
		if v.Can[a] {
			actions = append(actions, a)
		}
	}
	catName := ""
	if v.Category != nil {
		catName = v.Category.Name
	}
	return map[string]any{
		"incident": toIncidentJSON(v.Incident, loc, l), "org": v.Org.Name, "category_name": catName,
		"gb_class_name": plan.GBClassName(v.Incident.GBClass), "plan": map[string]any{"id": v.Incident.PlanID, "key": v.Plan.Key, "version": v.Plan.Version},
		"status": string(v.Incident.Status), "tasks": tasks, "approvals": approvals, "deadlines": deadlines, "reports": reports,
		"allowed_actions": actions, "activation": activationJSON(v),
		// 首报 window passed before registration (discovered long before).
		"late_registration": v.LateRegistration, "registration_delay_seconds": int64(v.RegistrationDelay / time.Second),
	}
}

// activationJSON says who activates the incident under its plan version:
// "approval" by a superior organisation or "decision" of the incident's own
// leading group, and, for an assigned incident, who assigned it.
func activationJSON(v *incidents.View) map[string]any {
	rule := v.Activation
	mode := "approval"
	if rule.ByOwnOrganisation() {
		mode = "decision"
	}
	out := map[string]any{"mode": mode, "rule": rule.Name, "roles": rule.Roles, "inform": rule.Inform}
	if v.AssignedBy != nil {
		out["assigned_by"] = map[string]any{"id": v.AssignedBy.ID, "name": v.AssignedBy.DisplayName, "org_id": v.AssignedBy.OrgID}
	}
	return out
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var after int64
	if v := r.URL.Query().Get("after"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after < 0 {
			return errs.Field("after", "error.bad_id", v)
		}
	}
	limit := 500
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errs.Field("limit", "error.limit_range", 1000)
		}
		limit = n
	}
	entries, err := s.App.Incidents.Timeline(r.Context(), u, id, after, limit)
	if err != nil {
		return err
	}
	// A full page means there may be more: the client asks again after the last id.
	var next *int64
	if len(entries) == limit {
		next = &entries[len(entries)-1].ID
	}
	s.writeEntries(w, r, entries, next)
	return nil
}

func (s *Server) apiTaskHistory(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, taskID, err := idAnd(r, "taskId")
	if err != nil {
		return err
	}
	entries, err := s.App.Incidents.TaskHistory(r.Context(), u, id, taskID)
	if err != nil {
		return err
	}
	s.writeEntries(w, r, entries, nil)
	return nil
}

func (s *Server) writeEntries(w http.ResponseWriter, r *http.Request, entries []*incident.Entry, next *int64) {
	l := lang(r)
	out := make([]entryJSON, 0, len(entries))
	for _, e := range entries {
		actor := e.Actor
		if e.ActorID == 0 {
			actor = i18n.T(l, "actor.system")
		}
		out = append(out, entryJSON{ID: e.ID, At: ts(e.At, s.Loc), ActorID: idPtr(e.ActorID), Actor: actor, Kind: string(e.Kind),
			TaskID: idPtr(e.TaskID), ApprovalID: idPtr(e.ApprovalID), Data: e.Data, Text: timeline.EntryText(l, e)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "next_after": next})
}

type taskBody struct {
	Status     *string `json:"status"`
	AssigneeID *int64  `json:"assignee_id"`
	Note       *string `json:"note"`
	Reason     *string `json:"reason"` // required with status "na" (不适用)
}

func (s *Server) apiUpdateTask(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, taskID, err := idAnd(r, "taskId")
	if err != nil {
		return err
	}
	var b taskBody
	if err := decode(r, &b); err != nil {
		return err
	}
	t, err := s.App.Incidents.UpdateTask(r.Context(), u, id, taskID, incidents.TaskPatch{Status: b.Status, AssigneeID: b.AssigneeID, Note: b.Note, Reason: b.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toTaskJSON(t, s.Loc, s.App.Core.Now()))
	return nil
}

type noteBody struct {
	Text     string `json:"text"`
	Internal bool   `json:"internal"`
	Feedback bool   `json:"feedback"` // the report back (反馈) on an assigned task
}

func (s *Server) apiNote(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[noteBody](r)
	if err != nil {
		return err
	}
	e, err := s.App.Incidents.AddNoteWith(r.Context(), u, id, incidents.Note{Text: b.Text, Internal: b.Internal, Feedback: b.Feedback})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": e.ID, "at": ts(e.At, s.Loc), "internal": e.InternalNote(), "feedback": e.Data[incidents.NoteFeedback] == "true"})
	return nil
}

type summaryBody struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

func (s *Server) apiSummary(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[summaryBody](r)
	if err != nil {
		return err
	}
	rp, err := s.App.Reports.FileSummary(r.Context(), u, id, b.Title, b.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, reportJSON{ID: rp.ID, Kind: rp.Kind, Title: rp.Title, Status: rp.Status, SubmittedAt: tsPtr(rp.SubmittedAt, s.Loc), SHA256: rp.SHA256})
	return nil
}
