package rota

import (
	"time"

	"yingji/internal/duty"
	"yingji/internal/i18n"
	"yingji/internal/user"
)

// The roster as JSON, shared by the API and the CLI's `duty now --json` so
// that both print the same document. Times are RFC 3339 in loc.

// PersonJSON is someone on a shift.
type PersonJSON struct {
	ID          int64  `json:"id"`
	DisplayName string `json:"display_name"`
	Title       string `json:"title"`
	Phone       string `json:"phone"`
}

// PersonJSONOf is u as JSON; nil for nobody.
func PersonJSONOf(u *user.User) *PersonJSON {
	if u == nil {
		return nil
	}
	return &PersonJSON{u.ID, u.DisplayName, u.Title, u.Phone}
}

// ShiftJSON is a shift with its people and the staffing it needs.
type ShiftJSON struct {
	ID         int64        `json:"id"`
	OrgID      int64        `json:"org_id"`
	Kind       string       `json:"kind"`
	KindName   string       `json:"kind_name"`
	Start      string       `json:"start"`
	End        string       `json:"end"`
	Leader     *PersonJSON  `json:"leader"`
	Officers   []PersonJSON `json:"officers"`
	Note       string       `json:"note"`
	Need       *StaffJSON   `json:"required,omitempty"`
	Understaff bool         `json:"understaffed"`
	Gap        bool         `json:"unstaffed"`
}

// StaffJSON is a number of leaders and officers.
type StaffJSON struct {
	Leaders  int `json:"leaders"`
	Officers int `json:"officers"`
}

// PeriodJSON is a sensitive period.
type PeriodJSON struct {
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

func ts(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.RFC3339) }

// ShiftJSONOf is v as JSON; nil for no shift.
func ShiftJSONOf(v *ShiftView, loc *time.Location, l i18n.Lang) *ShiftJSON {
	if v == nil {
		return nil
	}
	sh := v.Shift
	out := &ShiftJSON{ID: sh.ID, OrgID: sh.OrgID, Kind: string(sh.Kind), KindName: i18n.T(l, "duty.kind."+string(sh.Kind)),
		Start: ts(sh.Start, loc), End: ts(sh.End, loc), Leader: PersonJSONOf(v.Leader), Officers: []PersonJSON{}, Note: sh.Note,
		Need: &StaffJSON{v.Need.Leaders, v.Need.Officers}, Understaff: v.Short, Gap: !sh.Staffed()}
	for _, o := range v.Officers {
		out.Officers = append(out.Officers, *PersonJSONOf(o))
	}
	return out
}

// PeriodJSONOf is p as JSON.
func PeriodJSONOf(p *duty.Period, loc *time.Location) PeriodJSON {
	return PeriodJSON{p.ID, p.OrgID, p.Name, ts(p.Start, loc), ts(p.End, loc), p.Level, p.MinLeaders, p.MinOfficers, p.Note}
}

// HandoverJSONOf is h as JSON.
func HandoverJSONOf(h *duty.Handover, loc *time.Location) map[string]any {
	var confirmedBy *int64
	if h.ConfirmedBy != 0 {
		confirmedBy = &h.ConfirmedBy
	}
	var confirmedAt *string
	if h.ConfirmedAt != nil {
		at := ts(*h.ConfirmedAt, loc)
		confirmedAt = &at
	}
	return map[string]any{"id": h.ID, "org_id": h.OrgID, "from_shift_id": h.FromShiftID, "to_shift_id": h.ToShiftID, "given_by": h.GivenBy,
		"notes": h.Notes, "open_items": h.OpenItems, "created_at": ts(h.CreatedAt, loc), "confirmed_by": confirmedBy,
		"confirmed_at": confirmedAt}
}

// NowJSON renders who is on duty.
func NowJSON(v *NowView, loc *time.Location, l i18n.Lang) map[string]any {
	periods := make([]PeriodJSON, 0, len(v.Periods))
	for _, p := range v.Periods {
		periods = append(periods, PeriodJSONOf(p, loc))
	}
	cur := ShiftJSONOf(v.Current, loc, l)
	out := map[string]any{"at": ts(v.At, loc), "org_id": v.OrgID, "on_duty": v.Current != nil, "current": cur,
		"next": ShiftJSONOf(v.Next, loc, l), "heightened": v.Heightened, "periods": periods,
		"required": StaffJSON{v.Required.Leaders, v.Required.Officers}, "handover": nil}
	if cur != nil {
		out["leader"], out["officers"] = cur.Leader, cur.Officers
	} else {
		out["leader"], out["officers"] = nil, []PersonJSON{}
	}
	if v.Handover != nil {
		out["handover"] = HandoverJSONOf(v.Handover, loc)
	}
	return out
}
