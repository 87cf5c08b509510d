package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"yingji/internal/audit"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/plan"
	"yingji/internal/service"
	"yingji/internal/store"
	"yingji/internal/user"
	"yingji/internal/web/timeline"
)

type incidentJSON struct {
	ID              int64   `json:"id"`
	Number          string  `json:"number"`
	OrgID           int64   `json:"org_id"`
	PlanID          int64   `json:"plan_id"`
	Title           string  `json:"title"`
	Category        string  `json:"category"`
	GBClass         string  `json:"gb_class"`
	Level           int     `json:"level"`
	LevelName       string  `json:"level_name"`
	Color           string  `json:"color"`
	Status          string  `json:"status"`
	StatusName      string  `json:"status_name"`
	DiscoveredAt    string  `json:"discovered_at"`
	DiscoveryMethod string  `json:"discovery_method"`
	Description     string  `json:"description"`
	ReporterID      int64   `json:"reporter_id"`
	ActivatedAt     *string `json:"activated_at"`
	TerminatedAt    *string `json:"terminated_at"`
	ClosedAt        *string `json:"closed_at"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
}

type taskJSON struct {
	ID          int64   `json:"id"`
	Phase       string  `json:"phase"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Department  string  `json:"department"`
	AssigneeID  *int64  `json:"assignee_id"`
	DueAt       *string `json:"due_at"`
	Overdue     bool    `json:"overdue"`
	Status      string  `json:"status"`
	Note        string  `json:"note"`
	UpdatedAt   string  `json:"updated_at"`
	// Issue 11: why a task is 不适用 (status "na"), the approval a gated task
	// carries, and (in an incident's detail) what the caller may do to it.
	NAReason string            `json:"na_reason,omitempty"`
	Approval *taskApprovalJSON `json:"approval,omitempty"`
	Actions  []string          `json:"actions,omitempty"`
	// AfterTermination: done only once termination is approved, workable
	// after it (终止预案,同时报告…); Gate: the approval the task needs.
	AfterTermination bool   `json:"after_termination,omitempty"`
	Gate             string `json:"gate,omitempty"`
}

type taskApprovalJSON struct {
	Status      string  `json:"status"`
	Reason      string  `json:"reason"`
	RequestedBy *int64  `json:"requested_by"`
	RequestedAt *string `json:"requested_at"`
	DecidedBy   *int64  `json:"decided_by"`
	DecidedAt   *string `json:"decided_at"`
	Opinion     string  `json:"opinion"`
}

type approvalJSON struct {
	ID          int64   `json:"id"`
	IncidentID  int64   `json:"incident_id"`
	Kind        string  `json:"kind"`
	Status      string  `json:"status"`
	Reason      string  `json:"reason"`
	RequestedBy int64   `json:"requested_by"`
	RequestedAt string  `json:"requested_at"`
	DecidedBy   *int64  `json:"decided_by"`
	DecidedAt   *string `json:"decided_at"`
	Opinion     string  `json:"opinion"`
}

type deadlineJSON struct {
	Kind  string `json:"kind"`
	Due   string `json:"due"`
	State string `json:"state"`
}

type reportJSON struct {
	ID          int64   `json:"id"`
	Kind        string  `json:"kind"`
	Title       string  `json:"title"`
	Status      string  `json:"status"`
	SubmittedAt *string `json:"submitted_at"`
	SHA256      string  `json:"sha256"`
}

type entryJSON struct {
	ID         int64             `json:"id"`
	At         string            `json:"at"`
	ActorID    *int64            `json:"actor_id"`
	Actor      string            `json:"actor"`
	Kind       string            `json:"kind"`
	TaskID     *int64            `json:"task_id,omitempty"`
	ApprovalID *int64            `json:"approval_id,omitempty"`
	Data       map[string]string `json:"data"`
	Text       string            `json:"text"`
}

func ts(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.RFC3339) }

func tsPtr(t *time.Time, loc *time.Location) *string {
	if t == nil {
		return nil
	}
	s := ts(*t, loc)
	return &s
}

func idPtr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func toIncidentJSON(in *incident.Incident, loc *time.Location, l i18n.Lang) incidentJSON {
	return incidentJSON{
		ID: in.ID, Number: in.Number, OrgID: in.OrgID, PlanID: in.PlanID, Title: in.Title, Category: in.Category, GBClass: in.GBClass,
		Level: int(in.Level), LevelName: i18n.T(l, "level."+strconv.Itoa(int(in.Level))), Color: in.Level.Color(),
		Status: string(in.Status), StatusName: i18n.T(l, "status."+string(in.Status)),
		DiscoveredAt: ts(in.DiscoveredAt, loc), DiscoveryMethod: in.DiscoveryMethod, Description: in.Description, ReporterID: in.ReporterID,
		ActivatedAt: tsPtr(in.ActivatedAt, loc), TerminatedAt: tsPtr(in.TerminatedAt, loc), ClosedAt: tsPtr(in.ClosedAt, loc),
		CreatedAt: ts(in.CreatedAt, loc), UpdatedAt: ts(in.UpdatedAt, loc),
	}
}

func toTaskJSON(t *incident.Task, loc *time.Location, now time.Time) taskJSON {
	return taskJSON{ID: t.ID, Phase: t.Phase, Title: t.Title, Description: t.Description, Department: t.Department,
		AssigneeID: idPtr(t.AssigneeID), DueAt: tsPtr(t.DueAt, loc), Overdue: t.Overdue(now), Status: string(t.Status), Note: t.Note,
		UpdatedAt: ts(t.UpdatedAt, loc), NAReason: t.NAReason, Approval: toTaskApprovalJSON(&t.Approval, loc)}
}

func toTaskApprovalJSON(a *incident.TaskApproval, loc *time.Location) *taskApprovalJSON {
	if a.Status == "" {
		return nil
	}
	return &taskApprovalJSON{Status: string(a.Status), Reason: a.Reason, RequestedBy: idPtr(a.RequestedBy), RequestedAt: tsPtr(a.RequestedAt, loc),
		DecidedBy: idPtr(a.DecidedBy), DecidedAt: tsPtr(a.DecidedAt, loc), Opinion: a.Opinion}
}

func toApprovalJSON(a *incident.Approval, loc *time.Location) approvalJSON {
	return approvalJSON{ID: a.ID, IncidentID: a.IncidentID, Kind: string(a.Kind), Status: string(a.Status), Reason: a.Reason,
		RequestedBy: a.RequestedBy, RequestedAt: ts(a.RequestedAt, loc), DecidedBy: idPtr(a.DecidedBy), DecidedAt: tsPtr(a.DecidedAt, loc), Opinion: a.Opinion}
}

func lang(r *http.Request) i18n.Lang { return i18n.Parse(r.Header.Get("Accept-Language")) }

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, u *user.User) error {
	writeJSON(w, http.StatusOK, map[string]any{"id": u.ID, "username": u.Username, "display_name": u.DisplayName, "org_id": u.OrgID,
		"department": u.Department, "roles": u.Roles})
	return nil
}

func (s *Server) apiPlans(w http.ResponseWriter, r *http.Request, u *user.User) error {
	plans, err := s.Svc.Plans(r.Context())
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
	f := store.IncidentFilter{Category: q.Get("category"), Text: strings.TrimSpace(q.Get("q"))}
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
	list, err := s.Svc.ListIncidents(r.Context(), u, f)
	if err != nil {
		return err
	}
	l := lang(r)
	items := make([]incidentJSON, 0, len(list))
	for _, in := range list {
		items = append(items, toIncidentJSON(in, s.Loc, l))
	}
	var next *int64
	if limit := max(f.Limit, 0); len(list) > 0 && (limit == 0 && len(list) == 50 || len(list) == limit) {
		next = &list[len(list)-1].ID
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next_before": next})
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
	in, err := s.Svc.CreateIncident(r.Context(), u, service.NewIncident{Title: b.Title, Category: b.Category, GBClass: b.GBClass,
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
	v, err := s.Svc.GetIncident(r.Context(), u, id)
	if err != nil {
		return err
	}
	body := incidentDetail(v, lang(r), s.Svc.Now())
	if err := s.addTaskUnits(r, u, id, body); err != nil { // api_registry.go: the registry unit named by each task
		return err
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

func incidentDetail(v *service.View, l i18n.Lang, now time.Time) map[string]any {
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
	approvals := make([]approvalJSON, 0, len(v.Approvals))
	for _, a := range v.Approvals {
		approvals = append(approvals, toApprovalJSON(a, loc))
	}
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
func activationJSON(v *service.View) map[string]any {
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
	entries, err := s.Svc.Timeline(r.Context(), u, id, after, limit)
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
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	taskID, err := pathID(r, "taskId")
	if err != nil {
		return err
	}
	entries, err := s.Svc.TaskHistory(r.Context(), u, id, taskID)
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

type reasonBody struct {
	Reason string `json:"reason"`
}

func (s *Server) apiRequestActivation(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.apiRequest(w, r, u, s.Svc.RequestActivation)
}

func (s *Server) apiRequestTermination(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.apiRequest(w, r, u, s.Svc.RequestTermination)
}

func (s *Server) apiRequest(w http.ResponseWriter, r *http.Request, u *user.User,
	do func(ctx context.Context, u *user.User, id int64, reason string) (*incident.Approval, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b reasonBody
	if err := decode(r, &b); err != nil {
		return err
	}
	a, err := do(r.Context(), u, id, b.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toApprovalJSON(a, s.Loc))
	return nil
}

type decisionBody struct {
	Decision string `json:"decision"`
	Opinion  string `json:"opinion"`
}

// decodeDecision reads an approve/reject body with its opinion.
func decodeDecision(r *http.Request) (service.Decision, error) {
	var b decisionBody
	if err := decode(r, &b); err != nil {
		return service.Decision{}, err
	}
	return service.ParseDecision(b.Decision, b.Opinion)
}

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := decodeDecision(r)
	if err != nil {
		return err
	}
	a, err := s.Svc.Decide(r.Context(), u, id, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toApprovalJSON(a, s.Loc))
	return nil
}

func (s *Server) apiPendingApprovals(w http.ResponseWriter, r *http.Request, u *user.User) error {
	list, err := s.Svc.ApprovalsFor(r.Context(), u)
	if err != nil {
		return err
	}
	out := make([]approvalJSON, 0, len(list))
	for _, a := range list {
		out = append(out, toApprovalJSON(a, s.Loc))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

type taskBody struct {
	Status     *string `json:"status"`
	AssigneeID *int64  `json:"assignee_id"`
	Note       *string `json:"note"`
	Reason     *string `json:"reason"` // required with status "na" (不适用)
}

func (s *Server) apiUpdateTask(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	taskID, err := pathID(r, "taskId")
	if err != nil {
		return err
	}
	var b taskBody
	if err := decode(r, &b); err != nil {
		return err
	}
	t, err := s.Svc.UpdateTask(r.Context(), u, id, taskID, service.TaskPatch{Status: b.Status, AssigneeID: b.AssigneeID, Note: b.Note, Reason: b.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toTaskJSON(t, s.Loc, s.Svc.Now()))
	return nil
}

type noteBody struct {
	Text     string `json:"text"`
	Internal bool   `json:"internal"`
	Feedback bool   `json:"feedback"` // the report back (反馈) on an assigned task
}

func (s *Server) apiNote(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b noteBody
	if err := decode(r, &b); err != nil {
		return err
	}
	e, err := s.Svc.AddNoteWith(r.Context(), u, id, service.Note{Text: b.Text, Internal: b.Internal, Feedback: b.Feedback})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": e.ID, "at": ts(e.At, s.Loc), "internal": e.InternalNote(), "feedback": e.Data[service.NoteFeedback] == "true"})
	return nil
}

type summaryBody struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

func (s *Server) apiSummary(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b summaryBody
	if err := decode(r, &b); err != nil {
		return err
	}
	rp, err := s.Svc.FileSummary(r.Context(), u, id, b.Title, b.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, reportJSON{ID: rp.ID, Kind: rp.Kind, Title: rp.Title, Status: rp.Status, SubmittedAt: tsPtr(rp.SubmittedAt, s.Loc), SHA256: rp.SHA256})
	return nil
}

func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var anchors []audit.Anchor
	for _, v := range r.URL.Query()["anchor"] {
		a, err := audit.ParseAnchor(v)
		if err != nil {
			return errs.Field("anchor", "error.bad_anchor")
		}
		anchors = append(anchors, a)
	}
	res, err := s.Svc.VerifyAudit(r.Context(), anchors...)
	if err != nil {
		return err
	}
	body := map[string]any{"ok": res.Err == nil, "records": res.Records, "head_seq": res.HeadSeq, "head_hash": res.Head, "rows_checked": res.Rows}
	if res.Err != nil {
		body["error"] = res.Err.Error()
	}
	var se *store.StateError
	if errors.As(res.Err, &se) {
		rows := make([]map[string]any, 0, len(se.Rows))
		for _, p := range se.Rows {
			rows = append(rows, map[string]any{"table": p.Table, "id": p.ID, "seq": p.Seq, "reason": p.Reason})
		}
		body["rows"], body["rows_differing"] = rows, se.Count
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

func (s *Server) apiAuditRecords(w http.ResponseWriter, r *http.Request, u *user.User) error {
	q := r.URL.Query()
	after, limit := int64(0), 500
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return errs.Field("after", "error.bad_id", v)
		}
		after = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errs.Field("limit", "error.limit_range", 1000)
		}
		limit = n
	}
	recs, err := s.Svc.AuditRecords(r.Context(), u, after, limit)
	if err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(recs))
	for _, a := range recs {
		items = append(items, map[string]any{"seq": a.Seq, "at": ts(a.At, s.Loc), "actor_id": a.ActorID, "actor": a.Actor, "action": a.Action,
			"object_type": a.ObjectType, "object_id": a.ObjectID, "org_id": a.OrgID, "detail": json.RawMessage(a.Detail), "prev_hash": a.PrevHash, "hash": a.Hash,
			"v": max(a.Version, 1), "state": a.State})
	}
	var next *int64
	if len(recs) == limit {
		next = &recs[len(recs)-1].Seq
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next_after": next})
	return nil
}

type taskApprovalBody struct {
	Reason string `json:"reason"`
}

func taskPath(r *http.Request) (id, taskID int64, err error) {
	if id, err = pathID(r, "id"); err != nil {
		return
	}
	taskID, err = pathID(r, "taskId")
	return
}

// apiRequestTaskApproval asks for the approval a gated task needs
// (四(一)2 关闭本地网站和网上服务,需报经分管领导批准).
func (s *Server) apiRequestTaskApproval(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, taskID, err := taskPath(r)
	if err != nil {
		return err
	}
	var b taskApprovalBody
	if err := decode(r, &b); err != nil {
		return err
	}
	t, err := s.Svc.RequestTaskApproval(r.Context(), u, id, taskID, b.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toTaskJSON(t, s.Loc, s.Svc.Now()))
	return nil
}

// apiDecideTaskApproval records the decision on a gated task's request.
func (s *Server) apiDecideTaskApproval(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, taskID, err := taskPath(r)
	if err != nil {
		return err
	}
	d, err := decodeDecision(r)
	if err != nil {
		return err
	}
	t, err := s.Svc.DecideTaskApproval(r.Context(), u, id, taskID, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toTaskJSON(t, s.Loc, s.Svc.Now()))
	return nil
}
