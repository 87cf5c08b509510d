// Package warnings is the use case of public warnings (预警信息, issue 14):
// drafting from an incident or on its own, approval by the role the plan
// names (approvals.warning, never the drafter), release, update and
// cancellation as new messages, and the public outputs (page, Atom feed,
// CAP 1.2). Every change is one transaction with its audit record and, for
// a warning of an incident, its timeline entry.
package warnings

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
	"yingji/internal/warning"
)

// DefaultEvent is a warning's event (CAP event) when the drafter names
// none and no incident category does.
const DefaultEvent = "网络安全风险"

// Service runs public warnings.
type Service struct {
	*core.Core
	// Domain is the CAP sender's domain: a message's sender is the
	// bureau's code at it (qs@yingji.local). Set it to the bureau's own
	// domain so that senders are unique worldwide.
	Domain string
	// PublicURL is where the public reads the warnings (scheme and host,
	// e.g. https://gaj.qingshen.gov.cn): the Atom feed's links are made
	// absolute with it, as feed readers want. Empty: relative links.
	PublicURL string
}

// New builds the service.
func New(c *core.Core) *Service { return &Service{Core: c, Domain: "yingji.local"} }

// Input is a warning as the office drafts it. For an update, empty fields
// keep the replaced message's; for a cancellation, Description is the
// reason.
type Input struct {
	IncidentID  int64 // 0: a warning on its own
	Level       string
	Event       string
	Headline    string
	Description string
	Instruction string
	Area        string
	Effective   time.Time // zero: now
	Expires     time.Time
}

// Item is a message as pages and the API show it.
type Item struct {
	*warning.Message
	OrgName    string
	Rule       string // who approves, as the plan words it
	CanApprove bool
	CanRelease bool
	CanRevise  bool
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Draft drafts a new warning (CAP Alert).
func (s *Service) Draft(ctx context.Context, actor *user.User, in Input) (*warning.Message, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out *warning.Message
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		orgID, inc, _, err := s.scope(&tx.Q, actor, in.IncidentID)
		if err != nil {
			return err
		}
		if !mayDraft(actor, orgID) {
			return errs.New(errs.Forbidden, "error.warning_forbidden_draft")
		}
		id := newUUID()
		m := &warning.Message{UUID: id, ThreadUUID: id, OrgID: orgID, IncidentID: in.IncidentID, Type: warning.Alert, Status: warning.Draft, DraftedBy: actor.ID}
		fill(m, in, tx.Now)
		if m.Event == "" && inc != nil {
			if p, err := s.PlanByID(&tx.Q, inc.PlanID); err == nil {
				if c := p.Category(inc.Category); c != nil {
					m.Event = c.Name
				}
			}
		}
		if m.Event == "" {
			m.Event = DefaultEvent
		}
		if err := s.submit(tx, m); err != nil {
			return err
		}
		out = m
		return s.record(tx, actor, m, event.KindWarningDrafted, "warning.draft", nil)
	})
	return out, err
}

// Revise drafts an update or a cancellation (typ) of the released message
// id: a new message in its warning, approved and released the same way.
func (s *Service) Revise(ctx context.Context, actor *user.User, id int64, typ string, in Input) (*warning.Message, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out *warning.Message
	err := s.changeMessage(ctx, actor, id, func(tx *store.Tx, cur *warning.Message) error {
		if !mayDraft(actor, cur.OrgID) {
			return errs.New(errs.Forbidden, "error.warning_forbidden_draft")
		}
		m, err := warning.Revise(cur, warning.Type(typ), tx.Now)
		if err != nil {
			return err
		}
		if m.Type == warning.Cancel {
			if strings.TrimSpace(in.Description) == "" {
				return errs.Field("description", "error.required")
			}
			in = Input{Description: in.Description}
		}
		keep := m.Effective
		fill(m, in, tx.Now)
		if in.Effective.IsZero() {
			m.Effective = keep
		}
		m.UUID, m.DraftedBy = newUUID(), actor.ID
		if err := s.submit(tx, m); err != nil {
			return err
		}
		out = m
		return s.record(tx, actor, m, event.KindWarningDrafted, "warning.draft", map[string]any{"replaces_id": cur.ID})
	})
	return out, err
}

// changeMessage runs change on message id, loaded as actor may see it, in
// one transaction.
func (s *Service) changeMessage(ctx context.Context, actor *user.User, id int64, change func(tx *store.Tx, m *warning.Message) error) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		m, err := s.load(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		return change(tx, m)
	})
}

// submit checks a drafted message (new or a revision), stores it and asks
// for its approval.
func (s *Service) submit(tx *store.Tx, m *warning.Message) error {
	if err := warning.Check(m, tx.Now); err != nil {
		return err
	}
	if err := tx.CreateWarning(m); err != nil {
		return err
	}
	return s.askApproval(tx, m)
}

// fill puts the given fields of in on m; empty ones keep m's.
func fill(m *warning.Message, in Input, now time.Time) {
	set := func(dst *string, v string) {
		if v = strings.TrimSpace(v); v != "" {
			*dst = v
		}
	}
	if in.Level != "" {
		m.Level = warning.Level(in.Level)
	}
	set(&m.Event, in.Event)
	set(&m.Headline, in.Headline)
	set(&m.Description, in.Description)
	set(&m.Instruction, in.Instruction)
	set(&m.Area, in.Area)
	if !in.Effective.IsZero() {
		m.Effective = in.Effective
	} else if m.Effective.IsZero() {
		m.Effective = now
	}
	if !in.Expires.IsZero() {
		m.Expires = in.Expires
	}
}

// Approve approves a drafted message: a holder of the plan's warning
// approval role in the organisation its scope names, never the drafter.
func (s *Service) Approve(ctx context.Context, actor *user.User, id int64, note string) (*warning.Message, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if err := core.CheckText("note", note, false, warning.MaxNote); err != nil {
		return nil, err
	}
	var out *warning.Message
	err := s.changeMessage(ctx, actor, id, func(tx *store.Tx, m *warning.Message) error {
		rule, tree, err := s.rule(&tx.Q, m)
		if err != nil {
			return err
		}
		if m.Status == warning.Draft {
			if err := access.MayDecideUnder(actor, tree, rule, m.DraftedBy, m.OrgID); err != nil {
				return err
			}
		}
		if err := warning.Approve(m, actor.ID, note, tx.Now); err != nil {
			return err
		}
		if err := tx.ApproveWarning(m); err != nil {
			return err
		}
		out = m
		return s.record(tx, actor, m, event.KindWarningApproved, "warning.approve", map[string]any{"note": note})
	})
	return out, err
}

// Release releases an approved message to the public; an update or a
// cancellation ends the message it replaces in the same transaction.
func (s *Service) Release(ctx context.Context, actor *user.User, id int64) (*warning.Message, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out *warning.Message
	err := s.changeMessage(ctx, actor, id, func(tx *store.Tx, m *warning.Message) error {
		// The office releases; so may the one who approved it.
		if !mayDraft(actor, m.OrgID) && (m.ApprovedBy == 0 || actor.ID != m.ApprovedBy) {
			return errs.New(errs.Forbidden, "error.warning_forbidden_release")
		}
		var replaced *warning.Message
		if m.ReplacesID != 0 {
			var err error
			if replaced, err = tx.Warning(m.ReplacesID); err != nil {
				return err
			}
		}
		if err := warning.Release(m, replaced, actor.ID, tx.Now); err != nil {
			return err
		}
		if err := tx.ReleaseWarning(m, replaced); err != nil {
			return err
		}
		out = m
		return s.record(tx, actor, m, event.KindWarningReleased, "warning.release", nil)
	})
	return out, err
}

// record writes a change's timeline entry (a warning of an incident) and
// its audit record.
func (s *Service) record(tx *store.Tx, actor *user.User, m *warning.Message, kind incident.EntryKind, action string, extra map[string]any) error {
	detail := map[string]any{"uuid": m.UUID, "thread": m.ThreadUUID, "type": m.Type, "status": m.Status, "level": m.Level, "headline": m.Headline,
		"incident_id": m.IncidentID, "effective": m.Effective, "expires": m.Expires}
	for k, v := range extra {
		detail[k] = v
	}
	audit := core.Audited(actor, action, "warning", m.ID, m.OrgID, detail)
	if m.IncidentID == 0 { // no timeline to put it on
		return tx.Audit(*audit)
	}
	w := event.Warning{WarningID: strconv.FormatInt(m.ID, 10), Type: string(m.Type), Level: string(m.Level), Headline: m.Headline}
	var ev event.Event
	switch kind {
	case event.KindWarningDrafted:
		ev = event.WarningDrafted{Warning: w}
	case event.KindWarningApproved:
		ev = event.WarningApproved{Warning: w, Note: m.ApprovalNote}
	default:
		ev = event.WarningReleased{Warning: w}
	}
	_, err := core.Record(tx, core.Act{IncidentID: m.IncidentID, ActorID: actor.ID, Event: ev, Audit: audit})
	return err
}

// mayDraft: the command roles of the warning's own organisation draft
// and release (the office on duty, the leading group).
func mayDraft(actor *user.User, orgID int64) bool {
	return actor.IsSystem() || access.Commands(actor, orgID)
}

// scope is the organisation a new warning belongs to: its incident's (as
// the actor may see it: need-to-know, else not found) or the actor's own.
func (s *Service) scope(q *store.Q, actor *user.User, incidentID int64) (int64, *incident.Incident, *org.Tree, error) {
	if incidentID == 0 {
		tree, err := core.LoadTree(q)
		return actor.OrgID, nil, tree, err
	}
	in, tree, err := s.IncidentFor(q, actor, incidentID)
	if err != nil {
		return 0, nil, nil, err
	}
	return in.OrgID, in, tree, nil
}

// load reads a message the actor may see: of an incident he may know, or
// of an organisation he sees; otherwise not found.
func (s *Service) load(q *store.Q, actor *user.User, id int64) (*warning.Message, error) {
	m, err := q.Warning(id)
	if err != nil {
		return nil, err
	}
	if m.IncidentID != 0 {
		if _, _, err := s.IncidentFor(q, actor, m.IncidentID); err != nil {
			if errs.CodeOf(err) == errs.NotFound {
				return nil, errs.New(errs.NotFound, "error.warning_not_found")
			}
			return nil, err
		}
		return m, nil
	}
	tree, err := core.LoadTree(q)
	if err != nil {
		return nil, err
	}
	if !tree.CanSee(actor, m.OrgID) {
		return nil, errs.New(errs.NotFound, "error.warning_not_found")
	}
	return m, nil
}

// rule is the plan's warning approval rule for m: the plan its incident
// runs under, or the one its organisation runs now.
func (s *Service) rule(q *store.Q, m *warning.Message) (plan.ApprovalRule, *org.Tree, error) {
	tree, err := core.LoadTree(q)
	if err != nil {
		return plan.ApprovalRule{}, nil, err
	}
	var p *plan.Plan
	if m.IncidentID != 0 {
		in, err := q.Incident(m.IncidentID)
		if err != nil {
			return plan.ApprovalRule{}, nil, err
		}
		p, err = s.PlanByID(q, in.PlanID)
		if err != nil {
			return plan.ApprovalRule{}, nil, err
		}
	} else {
		o := tree.Org(m.OrgID)
		if o == nil {
			return plan.ApprovalRule{}, nil, errs.New(errs.NotFound, "error.warning_not_found")
		}
		if p, _, err = s.CurrentPlan(q, o); err != nil {
			return plan.ApprovalRule{}, nil, err
		}
	}
	return p.WarningRule(), tree, nil
}

// askApproval leaves an in-app notice for everyone who may approve a new
// draft under the plan's rule (not its drafter), in the same transaction.
func (s *Service) askApproval(tx *store.Tx, m *warning.Message) error {
	rule, tree, err := s.rule(&tx.Q, m)
	if err != nil {
		return err
	}
	users, err := tx.Users(0)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Disabled || access.MayDecideUnder(u, tree, rule, m.DraftedBy, m.OrgID) != nil {
			continue
		}
		if err := core.Notice(tx, u.ID, m.IncidentID, "warning_approval_requested", map[string]any{"warning_id": m.ID, "headline": m.Headline}); err != nil {
			return err
		}
	}
	return nil
}
