package api

import (
	"net/http"
	"strconv"

	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/service"
	"yingji/internal/store"
	"yingji/internal/user"
)

type personJSON struct {
	ID          int64  `json:"id"`
	DisplayName string `json:"display_name"`
	Title       string `json:"title"`
	Phone       string `json:"phone"`
}

func person(u *user.User) *personJSON {
	if u == nil {
		return nil
	}
	return &personJSON{u.ID, u.DisplayName, u.Title, u.Phone}
}

type shiftJSON struct {
	ID         int64        `json:"id"`
	OrgID      int64        `json:"org_id"`
	Kind       string       `json:"kind"`
	KindName   string       `json:"kind_name"`
	Start      string       `json:"start"`
	End        string       `json:"end"`
	Leader     *personJSON  `json:"leader"`
	Officers   []personJSON `json:"officers"`
	Note       string       `json:"note"`
	Need       *staffJSON   `json:"required,omitempty"`
	Understaff bool         `json:"understaffed"`
	Gap        bool         `json:"unstaffed"`
}

type staffJSON struct {
	Leaders  int `json:"leaders"`
	Officers int `json:"officers"`
}

type periodJSON struct {
	ID          int64  `json:"id"`
	OrgID       int64  `json:"org_id"`
	Name        string `json:"name"`
	Start       string `json:"start"`
	End         string `json:"end"`
	Level       string `json:"level"`
	MinLeaders  int    `json:"min_leaders"`
	MinOfficers int    `json:"min_officers"`
	Note        string `json:"note"`
}

func (s *Server) toShiftJSON(v *service.ShiftView, l i18n.Lang) *shiftJSON {
	if v == nil {
		return nil
	}
	sh := v.Shift
	out := &shiftJSON{ID: sh.ID, OrgID: sh.OrgID, Kind: string(sh.Kind), KindName: i18n.T(l, "duty.kind."+string(sh.Kind)),
		Start: ts(sh.Start, s.Loc), End: ts(sh.End, s.Loc), Leader: person(v.Leader), Officers: []personJSON{}, Note: sh.Note,
		Need: &staffJSON{v.Need.Leaders, v.Need.Officers}, Understaff: v.Short, Gap: !sh.Staffed()}
	for _, o := range v.Officers {
		out.Officers = append(out.Officers, *person(o))
	}
	return out
}

func (s *Server) toPeriodJSON(p *duty.Period) periodJSON {
	return periodJSON{p.ID, p.OrgID, p.Name, ts(p.Start, s.Loc), ts(p.End, s.Loc), p.Level, p.MinLeaders, p.MinOfficers, p.Note}
}

func (s *Server) toHandoverJSON(h *store.Handover) map[string]any {
	return map[string]any{"id": h.ID, "org_id": h.OrgID, "from_shift_id": h.FromShiftID, "to_shift_id": h.ToShiftID, "given_by": h.GivenBy,
		"notes": h.Notes, "open_items": h.OpenItems, "created_at": ts(h.CreatedAt, s.Loc), "confirmed_by": idPtr(h.ConfirmedBy),
		"confirmed_at": tsPtr(h.ConfirmedAt, s.Loc)}
}

func queryOrg(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("org")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, errs.Field("org", "error.bad_id", v)
	}
	return n, nil
}

// NowJSON renders who is on duty (shared with the CLI's --json).
func (s *Server) NowJSON(v *service.NowView, l i18n.Lang) map[string]any {
	periods := make([]periodJSON, 0, len(v.Periods))
	for _, p := range v.Periods {
		periods = append(periods, s.toPeriodJSON(p))
	}
	out := map[string]any{"at": ts(v.At, s.Loc), "org_id": v.OrgID, "on_duty": v.Current != nil, "current": s.toShiftJSON(v.Current, l),
		"next": s.toShiftJSON(v.Next, l), "heightened": v.Heightened, "periods": periods,
		"required": staffJSON{v.Required.Leaders, v.Required.Officers}, "handover": nil}
	if v.Current != nil {
		out["leader"], out["officers"] = out["current"].(*shiftJSON).Leader, out["current"].(*shiftJSON).Officers
	} else {
		out["leader"], out["officers"] = nil, []personJSON{}
	}
	if v.Handover != nil {
		out["handover"] = s.toHandoverJSON(v.Handover)
	}
	return out
}
