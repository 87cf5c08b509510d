package service

import (
	"context"
	"strconv"
	"strings"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// NewIncident is what a duty officer registers.
type NewIncident struct {
	Title           string
	Category        string
	GBClass         string // optional; the category's class by default
	Level           int
	DiscoveredAt    time.Time
	DiscoveryMethod string
	Description     string
	// OrgID, when set to an organisation below the actor's, makes this an
	// assignment (四(五) 交办): see assign.go. 0 or the actor's own
	// organisation is an ordinary registration.
	OrgID        int64
	Instructions string // the superior's instructions; required for an assignment
}

// assignment reports whether in is registered for an organisation other than
// the actor's.
func (in *NewIncident) assignment(actor *user.User) bool {
	return in.OrgID != 0 && in.OrgID != actor.OrgID
}

// CreateIncident registers an incident in the actor's organisation.
func (s *Service) CreateIncident(ctx context.Context, actor *user.User, in NewIncident) (*incident.Incident, error) {
	if err := checkNewIncident(actor, &in); err != nil {
		return nil, err
	}
	var out *incident.Incident
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.createIncident(tx, actor, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// createIncident writes a checked NewIncident inside tx, with its timeline
// entry and audit record (the duty log turns an entry into an incident in
// the same transaction).
func (s *Service) createIncident(tx *store.Tx, actor *user.User, in NewIncident) (*incident.Incident, error) {
	var out *incident.Incident
	err := func() error {
		// Here, not in the handlers: the API, the console form and the duty
		// log all create incidents through this one function.
		if err := core.CheckWhen("discovered_at", in.DiscoveredAt, tx.Now, "error.in_future"); err != nil {
			return err
		}
		if in.assignment(actor) {
			var err error
			out, err = s.assignIncident(tx, actor, in)
			return err
		}
		org, err := tx.Org(actor.OrgID)
		if err != nil {
			return err
		}
		p, planID, err := s.CurrentPlan(&tx.Q, org)
		if err != nil {
			return err
		}
		out, err = s.createIn(tx, actor, org, p, planID, in)
		return err
	}()
	return out, err
}

// createIn writes a new incident of org under plan p (version planID), in
// status reported, with its timeline entry and audit record.
func (s *Service) createIn(tx *store.Tx, actor *user.User, org *user.Org, p *plan.Plan, planID int64, in NewIncident) (*incident.Incident, error) {
	var out *incident.Incident
	err := func() error {
		cat := p.Category(in.Category)
		if cat == nil {
			return errs.Field("category", "error.unknown_category", in.Category)
		}
		gb := in.GBClass
		if gb == "" {
			gb = cat.GBClass
		} else if plan.GBClassName(gb) == "" {
			return errs.Field("gb_class", "error.unknown_gb_class", gb)
		}
		year := tx.Now.In(p.Location).Year()
		seq, err := tx.NextIncidentSeq(org.ID, year)
		if err != nil {
			return err
		}
		out = &incident.Incident{
			OrgID: org.ID, PlanID: planID, Year: year, Seq: seq, Number: incident.FormatNumber(org.Code, year, seq),
			Title: in.Title, Category: cat.Key, GBClass: gb, Level: incident.Level(in.Level), Status: incident.Reported,
			DiscoveredAt: in.DiscoveredAt.UTC().Truncate(time.Millisecond), DiscoveryMethod: strings.TrimSpace(in.DiscoveryMethod),
			Description: in.Description, ReporterID: actor.ID,
		}
		if err := tx.CreateIncident(out); err != nil {
			return err
		}
		if err := tx.AddEntry(&incident.Entry{IncidentID: out.ID, ActorID: actor.ID, Kind: incident.EntryCreated,
			Data: map[string]string{"number": out.Number, "title": out.Title, "category": cat.Name, "level": out.Level.Roman()}}); err != nil {
			return err
		}
		// Registered after the 首报 window had passed: say so on the record
		// at once (不得迟报 runs from discovery), so that nobody reads the
		// late first report as the duty officer's delay alone.
		if late, delay := report.LateRegistration(p, out); late {
			if err := tx.AddEntry(&incident.Entry{IncidentID: out.ID, ActorID: actor.ID, Kind: report.EntryLateRegistration, Data: map[string]string{
				"discovered": report.ChineseTime(out.DiscoveredAt.In(p.Location)),
				"delay_s":    strconv.FormatInt(int64(delay/time.Second), 10),
				"window_s":   strconv.FormatInt(int64(p.Reports.Initial.For(int(out.Level))/time.Second), 10)}}); err != nil {
				return err
			}
		}
		return tx.Audit(core.AuditEntry(actor, "incident.create", "incident", out.ID, org.ID, map[string]any{
			"number": out.Number, "title": out.Title, "category": out.Category, "gb_class": out.GBClass, "level": int(out.Level),
			"discovered_at": out.DiscoveredAt.UnixMilli(), "description": out.Description}))
	}()
	return out, err
}

// AddNote puts a free-text note on the incident's timeline.
func (s *Service) AddNote(ctx context.Context, actor *user.User, id int64, text string) (*incident.Entry, error) {
	return s.AddNoteWith(ctx, actor, id, Note{Text: text})
}

// Note is a timeline note. An internal (内部) note stays in the record for
// those who may read the incident and is never drafted into a report that
// leaves the bureau (五(二) 严禁暴露公安机关专用技术侦查手段).
type Note struct {
	Text     string
	Internal bool
	// Feedback marks the note as the county's report back (反馈) on a task
	// a superior assigned; the assigner is told.
	Feedback bool
}

// AddNoteWith puts a note, internal or not, on the incident's timeline.
func (s *Service) AddNoteWith(ctx context.Context, actor *user.User, id int64, n Note) (*incident.Entry, error) {
	text := strings.TrimSpace(n.Text)
	if err := core.CheckText("text", text, true, 10000); err != nil {
		return nil, err
	}
	var e *incident.Entry
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, _, err := s.IncidentFor(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if in.OrgID != actor.OrgID {
			return errs.New(errs.Forbidden, "error.forbidden_other_org")
		}
		if in.Status == incident.Closed {
			return errs.New(errs.Conflict, "error.incident_closed")
		}
		data, detail := map[string]string{"text": text}, map[string]any{"text": text}
		if n.Internal {
			data[incident.NoteInternal], detail["internal"] = "true", true
		}
		if n.Feedback {
			by, err := assignedBy(&tx.Q, in)
			if err != nil {
				return err
			}
			if by == nil {
				return errs.Field("feedback", "error.feedback_not_assigned")
			}
			if n.Internal {
				return errs.Field("feedback", "error.feedback_internal")
			}
			data[NoteFeedback], detail["feedback"] = "true", true
			if err := core.Notice(tx, by.ID, id, "assignment_feedback", map[string]any{"number": in.Number, "title": in.Title, "text": text}); err != nil {
				return err
			}
		}
		e = &incident.Entry{IncidentID: id, ActorID: actor.ID, Kind: incident.EntryNote, Data: data}
		if err := tx.AddEntry(e); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "incident.note", "incident", id, in.OrgID, detail))
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// ListIncidents lists the incidents the actor may see, newest first.
func (s *Service) ListIncidents(ctx context.Context, actor *user.User, f store.IncidentFilter) ([]*incident.Incident, error) {
	for i, st := range f.Statuses {
		if !st.Valid() {
			return nil, errs.Field("status", "error.unknown_status", string(f.Statuses[i]))
		}
	}
	if f.Level != 0 && !f.Level.Valid() {
		return nil, errs.Field("level", "error.level_range")
	}
	if f.Limit < 0 || f.Limit > 500 {
		return nil, errs.Field("limit", "error.limit_range", 500)
	}
	var out []*incident.Incident
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		visible := tree.Visible(actor.OrgID)
		if len(f.OrgIDs) > 0 {
			for _, id := range f.OrgIDs {
				if !tree.CanSee(actor, id) {
					return errs.Field("org", "error.org_not_visible")
				}
			}
		} else {
			f.OrgIDs = visible
		}
		if f.Scope, err = s.ScopeFor(q, actor, visible); err != nil {
			return err
		}
		out, err = q.Incidents(f)
		return err
	})
	return out, err
}

// View is everything the incident page and API show about one incident.
type View struct {
	Incident  *incident.Incident
	Org       *user.Org
	Plan      *plan.Plan
	Category  *plan.Category
	Tasks     []*incident.Task
	Approvals []*incident.Approval
	Reports   []*incident.Report
	Deadlines []report.Deadline
	// LateRegistration: registered more than the 首报 window after
	// discovery; RegistrationDelay is registration minus discovery.
	LateRegistration  bool
	RegistrationDelay time.Duration
	Pending           *incident.Approval // the open approval, if any
	// Instructions are the 批示 on the incident, oldest first.
	Instructions []*InstructionItem
	// Activation is who activates the incident's category under its plan
	// version: an approval from above or a decision of the leading group.
	Activation plan.ApprovalRule
	// AssignedBy is the superior who assigned the incident (四(五)), nil if
	// its own organisation registered it.
	AssignedBy *user.User
	// Can lists what this actor may do now: request_activation,
	// request_termination, decide, update_tasks, note, file_summary,
	// correct, instruct.
	Can map[string]bool
	// TaskCan lists, per task id, what this actor may do to the task now:
	// update, request_approval, decide_approval (task_closure.go).
	TaskCan map[int64]map[string]bool
	// OpenBeforeTermination: the tasks to do or close as 不适用 before
	// termination can be requested; NotApplicable: the tasks closed so, whose
	// reasons the termination approver reads.
	OpenBeforeTermination []*incident.Task
	NotApplicable         []*incident.Task
}

// GetIncident returns the incident with its tasks, approvals and deadlines.
func (s *Service) GetIncident(ctx context.Context, actor *user.User, id int64) (*View, error) {
	var v View
	err := s.DB.Read(ctx, func(q *store.Q) error {
		in, tree, err := s.IncidentFor(q, actor, id)
		if err != nil {
			return err
		}
		v.Incident, v.Org = in, tree.Org(in.OrgID)
		if v.Plan, err = s.PlanByID(q, in.PlanID); err != nil {
			return err
		}
		v.Category = v.Plan.Category(in.Category)
		if v.Tasks, err = q.Tasks(id); err != nil {
			return err
		}
		if v.Approvals, err = q.Approvals(id); err != nil {
			return err
		}
		if v.Reports, err = q.Reports(id); err != nil {
			return err
		}
		for _, a := range v.Approvals {
			if a.Status == incident.Pending {
				v.Pending = a
			}
		}
		v.Deadlines = report.Deadlines(v.Plan, v.Category, in, v.Reports, q.Now)
		v.LateRegistration, v.RegistrationDelay = report.LateRegistration(v.Plan, in)
		v.Activation = v.Plan.ActivationRule(in.Category)
		if v.AssignedBy, err = assignedBy(q, in); err != nil {
			return err
		}
		list, err := q.Instructions(id)
		if err != nil {
			return err
		}
		if v.Instructions, err = s.instructionItems(q, actor, map[int64]*incident.Incident{in.ID: in}, list); err != nil {
			return err
		}
		v.Can = s.can(actor, tree, &v)
		v.TaskCan = taskCan(actor, tree, &v)
		v.OpenBeforeTermination = openBeforeTermination(v.Plan, in, v.Tasks)
		for _, t := range v.Tasks {
			if t.Status == incident.TaskNA {
				v.NotApplicable = append(v.NotApplicable, t)
			}
		}
		if !v.Can["update_tasks"] {
			for _, c := range v.TaskCan {
				v.Can["update_tasks"] = v.Can["update_tasks"] || c["update"]
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// can works out the actions open to actor, so that pages offer only those.
func (s *Service) can(actor *user.User, tree *org.Tree, v *View) map[string]bool {
	in := v.Incident
	own := actor.OrgID == in.OrgID
	cmd := own && actor.HasRole(access.CommandRoles...)
	can := map[string]bool{
		"request_activation":  cmd && in.Status == incident.Reported,
		"request_termination": cmd && in.Status == incident.Active,
		"update_tasks":        own && incident.TasksEditable(in.Status) && (cmd || v.hasTaskOf(actor.Department)),
		"note":                own && in.Status != incident.Closed,
		"file_summary":        cmd && in.Status == incident.Terminated,
		"correct":             mayCorrect(actor, in),
		"instruct":            mayInstruct(actor, tree, v.Plan, in),
		"feedback":            own && v.AssignedBy != nil && in.Status != incident.Closed,
	}
	if v.Pending != nil {
		can["decide"] = mayDecide(actor, tree, v.Plan, v.Pending, in) == nil
	}
	return can
}

// TaskHistory returns the timeline entries about one task.
func (s *Service) TaskHistory(ctx context.Context, actor *user.User, id, taskID int64) ([]*incident.Entry, error) {
	var out []*incident.Entry
	err := s.DB.Read(ctx, func(q *store.Q) error {
		if _, _, err := s.IncidentFor(q, actor, id); err != nil {
			return err
		}
		if _, err := q.Task(id, taskID); err != nil {
			return err
		}
		var err error
		out, err = q.TaskHistory(id, taskID)
		return err
	})
	return out, err
}

func (v *View) hasTaskOf(dept string) bool {
	for _, t := range v.Tasks {
		if dept != "" && t.Department == dept {
			return true
		}
	}
	return false
}

// Timeline returns an incident's timeline entries after the given id.
func (s *Service) Timeline(ctx context.Context, actor *user.User, id, after int64, limit int) ([]*incident.Entry, error) {
	var out []*incident.Entry
	err := s.DB.Read(ctx, func(q *store.Q) error {
		if _, _, err := s.IncidentFor(q, actor, id); err != nil {
			return err
		}
		var err error
		out, err = q.Timeline(id, after, limit)
		return err
	})
	return out, err
}

// checkNewIncident checks and trims what a duty officer registers.
func checkNewIncident(actor *user.User, in *NewIncident) error {
	// An assignment's right comes from the category's rule (assign.go).
	if !in.assignment(actor) && !actor.HasRole(access.CommandRoles...) {
		return errs.New(errs.Forbidden, "error.forbidden_create")
	}
	in.Instructions = strings.TrimSpace(in.Instructions)
	if !in.assignment(actor) && in.Instructions != "" {
		return errs.Field("instructions", "error.instructions_only_assign")
	}
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	for _, c := range []struct {
		field, v string
		req      bool
		max      int
	}{{"title", in.Title, true, 200}, {"discovery_method", in.DiscoveryMethod, false, 200}, {"description", in.Description, false, 20000}} {
		if err := core.CheckText(c.field, c.v, c.req, c.max); err != nil {
			return err
		}
	}
	if in.Category == "" {
		return errs.Field("category", "error.required")
	}
	if !incident.Level(in.Level).Valid() {
		return errs.Field("level", "error.level_range")
	}
	if in.DiscoveredAt.IsZero() {
		return errs.Field("discovered_at", "error.required")
	}
	return nil
}
