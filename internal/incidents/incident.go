package incidents

import (
	"context"
	"strconv"
	"strings"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
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
	// ReporterID is whom an incident the system registers (an alert rule of
	// the plan, issue 12) is registered for: the person on duty who carries
	// it. Ignored for a person, who is the reporter himself.
	ReporterID int64
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
		out, err = s.CreateIncidentTx(tx, actor, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CreateIncidentTx writes a checked NewIncident inside tx, with its timeline
// entry and audit record (the duty log turns an entry into an incident in
// the same transaction).
func (s *Service) CreateIncidentTx(tx *store.Tx, actor *user.User, in NewIncident) (*incident.Incident, error) {
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
		if actor.IsSystem() {
			out.ReporterID = in.ReporterID
		}
		if err := tx.CreateIncident(out); err != nil {
			return err
		}
		if _, err := core.Record(tx, core.Act{IncidentID: out.ID, ActorID: actor.ID,
			Event: event.Created{Number: out.Number, Title: out.Title, Category: cat.Name, Level: out.Level.Roman()},
			Audit: core.Audited(actor, "incident.create", "incident", out.ID, org.ID, map[string]any{
				"number": out.Number, "title": out.Title, "category": out.Category, "gb_class": out.GBClass, "level": int(out.Level),
				"discovered_at": out.DiscoveredAt.UnixMilli(), "description": out.Description})}); err != nil {
			return err
		}
		// Registered after the 首报 window had passed: say so on the record
		// at once (不得迟报 runs from discovery), so that nobody reads the
		// late first report as the duty officer's delay alone.
		if late, delay := report.LateRegistration(p, out); late {
			if _, err := core.Record(tx, core.Act{IncidentID: out.ID, ActorID: actor.ID, Event: event.LateRegistration{
				DiscoveredAt: out.DiscoveredAt.In(p.Location).Format(event.WallClock),
				DelayS:       strconv.FormatInt(int64(delay/time.Second), 10),
				WindowS:      strconv.FormatInt(int64(p.Reports.Initial.For(int(out.Level))/time.Second), 10)}}); err != nil {
				return err
			}
		}
		return nil
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
		note, detail := event.Note{Body: text, Internal: n.Internal}, map[string]any{"text": text}
		if n.Internal {
			detail["internal"] = true
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
			note.Feedback, detail["feedback"] = true, true
			if err := core.Notice(tx, by.ID, id, "assignment_feedback", map[string]any{"number": in.Number, "title": in.Title, "text": text}); err != nil {
				return err
			}
		}
		e, err = core.Record(tx, core.Act{IncidentID: id, ActorID: actor.ID, Event: note,
			Audit: core.Audited(actor, "incident.note", "incident", id, in.OrgID, detail)})
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
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
	if in.Level == 0 { // not given (a form left on 请选择, a body without it)
		return errs.Field("level", "error.required")
	}
	if !incident.Level(in.Level).Valid() {
		return errs.Field("level", "error.level_range")
	}
	if in.DiscoveredAt.IsZero() {
		return errs.Field("discovered_at", "error.required")
	}
	return nil
}

// CheckNewIncident checks and trims what a duty officer registers, for
// callers that register in their own transaction (the duty log).
func (s *Service) CheckNewIncident(actor *user.User, in *NewIncident) error {
	return checkNewIncident(actor, in)
}
