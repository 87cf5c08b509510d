package api

import (
	"net/http"
	"strconv"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/user"
	"yingji/internal/warnings"
)

// Public warnings (预警信息), issue 14. The public outputs (page, Atom,
// CAP) are the console's, without login: /public/warnings.

type warningBody struct {
	IncidentID  int64  `json:"incident_id"`
	Level       string `json:"level"`
	Event       string `json:"event"`
	Headline    string `json:"headline"`
	Description string `json:"description"`
	Instruction string `json:"instruction"`
	Area        string `json:"area"`
	Effective   string `json:"effective"`
	Expires     string `json:"expires"`
}

func (b warningBody) input() (warnings.Input, error) {
	in := warnings.Input{IncidentID: b.IncidentID, Level: b.Level, Event: b.Event, Headline: b.Headline,
		Description: b.Description, Instruction: b.Instruction, Area: b.Area}
	var err error
	if b.Effective != "" {
		if in.Effective, err = parseTime("effective", b.Effective); err != nil {
			return in, err
		}
	}
	if b.Expires != "" {
		if in.Expires, err = parseTime("expires", b.Expires); err != nil {
			return in, err
		}
	}
	return in, nil
}

type warningJSON struct {
	ID          int64   `json:"id"`
	UUID        string  `json:"uuid"`
	Thread      string  `json:"thread_uuid"`
	ReplacesID  int64   `json:"replaces_id,omitempty"`
	OrgID       int64   `json:"org_id"`
	OrgName     string  `json:"org_name"`
	IncidentID  int64   `json:"incident_id,omitempty"`
	Type        string  `json:"type"`
	Status      string  `json:"status"`
	StatusName  string  `json:"status_name"`
	Level       string  `json:"level"`
	LevelName   string  `json:"level_name"`
	Event       string  `json:"event"`
	Headline    string  `json:"headline"`
	Description string  `json:"description"`
	Instruction string  `json:"instruction"`
	Area        string  `json:"area"`
	Effective   string  `json:"effective"`
	Expires     string  `json:"expires"`
	DraftedBy   int64   `json:"drafted_by"`
	DraftedAt   string  `json:"drafted_at"`
	ApprovedBy  int64   `json:"approved_by,omitempty"`
	ApprovedAt  *string `json:"approved_at"`
	Note        string  `json:"approval_note,omitempty"`
	ReleasedAt  *string `json:"released_at"`
	Rule        string  `json:"approval_rule"`
	CAP         string  `json:"cap,omitempty"` // the public CAP document, once released
	CanApprove  bool    `json:"can_approve"`
	CanRelease  bool    `json:"can_release"`
	CanRevise   bool    `json:"can_revise"`
}

func (s *Server) toWarningJSON(it *warnings.Item, l i18n.Lang) warningJSON {
	m := it.Message
	j := warningJSON{ID: m.ID, UUID: m.UUID, Thread: m.ThreadUUID, ReplacesID: m.ReplacesID, OrgID: m.OrgID, OrgName: it.OrgName,
		IncidentID: m.IncidentID, Type: string(m.Type), Status: string(m.Status), StatusName: i18n.T(l, "warn.status."+string(m.Status)),
		Level: string(m.Level), LevelName: i18n.T(l, "warn.level."+string(m.Level)), Event: m.Event, Headline: m.Headline,
		Description: m.Description, Instruction: m.Instruction, Area: m.Area, Effective: ts(m.Effective, warnings.Zone),
		Expires: ts(m.Expires, warnings.Zone), DraftedBy: m.DraftedBy, DraftedAt: ts(m.DraftedAt, warnings.Zone),
		ApprovedBy: m.ApprovedBy, ApprovedAt: tsPtr(m.ApprovedAt, warnings.Zone), Note: m.ApprovalNote,
		ReleasedAt: tsPtr(m.ReleasedAt, warnings.Zone), Rule: it.Rule, CanApprove: it.CanApprove, CanRelease: it.CanRelease, CanRevise: it.CanRevise}
	if m.ReleasedAt != nil {
		j.CAP = warnings.CAPPath(m.UUID)
	}
	return j
}

func (s *Server) apiListWarnings(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var incidentID int64
	if v := r.URL.Query().Get("incident"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return errs.Field("incident", "error.bad_id", v)
		}
		incidentID = id
	}
	list, err := s.App.Warnings.List(r.Context(), u, incidentID)
	if err != nil {
		return err
	}
	out := convert(list, func(it *warnings.Item) warningJSON { return s.toWarningJSON(it, lang(r)) })
	writeJSON(w, http.StatusOK, map[string]any{"warnings": out})
	return nil
}

func (s *Server) apiDraftWarning(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b warningBody
	if err := decode(r, &b); err != nil {
		return err
	}
	in, err := b.input()
	if err != nil {
		return err
	}
	m, err := s.App.Warnings.Draft(r.Context(), u, in)
	if err != nil {
		return err
	}
	return s.writeWarning(w, r, u, m.ID, http.StatusCreated)
}

func (s *Server) apiGetWarning(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.App.Warnings.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	thread := convert(v.Thread, func(it *warnings.Item) warningJSON { return s.toWarningJSON(it, lang(r)) })
	writeJSON(w, http.StatusOK, map[string]any{"warning": s.toWarningJSON(v.Item, lang(r)), "thread": thread})
	return nil
}

// writeWarning answers a change with the message as the actor now sees it.
func (s *Server) writeWarning(w http.ResponseWriter, r *http.Request, u *user.User, id int64, status int) error {
	v, err := s.App.Warnings.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/warnings/"+strconv.FormatInt(id, 10))
	}
	writeJSON(w, status, s.toWarningJSON(v.Item, lang(r)))
	return nil
}

type warningApprovalBody struct {
	Note string `json:"note"`
}

func (s *Server) apiApproveWarning(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[warningApprovalBody](r)
	if err != nil {
		return err
	}
	if _, err := s.App.Warnings.Approve(r.Context(), u, id, b.Note); err != nil {
		return err
	}
	return s.writeWarning(w, r, u, id, http.StatusOK)
}

func (s *Server) apiReleaseWarning(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, _, err := idBody[struct{}](r) // an empty object: a field there is refused
	if err != nil {
		return err
	}
	if _, err := s.App.Warnings.Release(r.Context(), u, id); err != nil {
		return err
	}
	return s.writeWarning(w, r, u, id, http.StatusOK)
}

// apiReviseWarning drafts an update (typ "update") or a cancellation
// ("cancel", the body's description is the reason) of a released message.
func (s *Server) apiReviseWarning(typ string) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, u *user.User) error {
		id, b, err := idBody[warningBody](r)
		if err != nil {
			return err
		}
		in, err := b.input()
		if err != nil {
			return err
		}
		m, err := s.App.Warnings.Revise(r.Context(), u, id, typ, in)
		if err != nil {
			return err
		}
		return s.writeWarning(w, r, u, m.ID, http.StatusCreated)
	}
}
