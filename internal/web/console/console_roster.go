package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"yingji/internal/access"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/rota"
	"yingji/internal/user"
)

// Roster management on /duty: rotations, single shifts, swaps and
// overrides, sensitive periods. The service decides who may; the page
// shows the forms to those it would allow.

// orgPeople are the users of the actor's organisation, read alone (not
// every account): the enabled ones for the roster forms' selects, and the
// names of all, a disabled person's too, for what they requested.
func (s *Server) orgPeople(r *http.Request, c *req) ([]*user.User, map[int64]string, error) {
	all, err := s.App.Accounts.OrgUsers(r.Context(), c.u.OrgID)
	if err != nil {
		return nil, nil, err
	}
	var out []*user.User
	names := make(map[int64]string, len(all))
	for _, u := range all {
		names[u.ID] = u.DisplayName
		if !u.Disabled {
			out = append(out, u)
		}
	}
	return out, names, nil
}

func formIDs(r *http.Request, name string) ([]int64, error) {
	var out []int64
	for _, v := range r.PostForm[name] {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, errs.Field(name, "error.bad_id", v)
		}
		out = append(out, n)
	}
	return out, nil
}

func formInt(r *http.Request, name string, def int) (int, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, errs.Field(name, "roster.bad_number", v)
	}
	return n, nil
}

func (s *Server) formTime(r *http.Request, name string) (time.Time, error) {
	v := r.PostFormValue(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(formTime, v, s.loc())
	if err != nil {
		return time.Time{}, errs.Field(name, "error.bad_form_time")
	}
	return t, nil
}

// clock parses "08:00" as a duration since midnight.
func formClock(name, v string, def time.Duration) (time.Duration, error) {
	if v = strings.TrimSpace(v); v == "" {
		return def, nil
	}
	t, err := time.Parse("15:04", v)
	if err != nil {
		return 0, errs.Field(name, "duty.bad_clock")
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func (s *Server) rotationSubmit(w http.ResponseWriter, r *http.Request, c *req) error {
	in := rota.RotationInput{Kind: r.PostFormValue("kind")}
	err := func() (err error) {
		first, perr := time.ParseInLocation("2006-01-02", r.PostFormValue("first"), s.loc())
		if perr != nil {
			return errs.Field("first", "roster.bad_date")
		}
		in.First = first
		if in.Days, err = formInt(r, "days", 0); err != nil {
			return err
		}
		if in.PerShift, err = formInt(r, "per_shift", 1); err != nil {
			return err
		}
		if in.DayStart, err = formClock("day_start", r.PostFormValue("day_start"), 8*time.Hour); err != nil {
			return err
		}
		if in.NightStart, err = formClock("night_start", r.PostFormValue("night_start"), 20*time.Hour); err != nil {
			return err
		}
		if in.Leaders, err = formIDs(r, "leaders"); err != nil {
			return err
		}
		if in.Officers, err = formIDs(r, "officers"); err != nil {
			return err
		}
		_, err = s.App.Rota.CreateRotation(r.Context(), c.u, s.loc(), in)
		return err
	}()
	if e := errs.As(err); err != nil && e.Code == errs.Invalid {
		field := e.Field
		if field == "officers_per_shift" {
			field = "per_shift"
		}
		if rotationFields[field] {
			f := &logForm{Which: "rotation", V: map[string]string{}, Multi: r.PostForm, Errors: map[string]string{field: i18n.T(c.l, e.Key, e.Args...)}}
			for k := range rotationFields {
				f.V[k] = r.PostFormValue(k)
			}
			return s.renderDuty(w, r, c, http.StatusBadRequest, f)
		}
	}
	return done(w, r, c, "/duty", err, i18n.T(c.l, "roster.rotation_done"))
}

func (s *Server) shiftSubmit(w http.ResponseWriter, r *http.Request, c *req) error {
	in := rota.ShiftInput{Kind: r.PostFormValue("kind"), Note: r.PostFormValue("note")}
	err := func() (err error) {
		if in.Start, err = s.formTime(r, "starts_at"); err != nil {
			return err
		}
		if in.End, err = s.formTime(r, "ends_at"); err != nil {
			return err
		}
		ids, err := formIDs(r, "leader_id")
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			in.LeaderID = ids[0]
		}
		if in.OfficerIDs, err = formIDs(r, "officer_ids"); err != nil {
			return err
		}
		_, err = s.App.Rota.CreateShift(r.Context(), c.u, in)
		return err
	}()
	return done(w, r, c, "/duty", err, i18n.T(c.l, "roster.shift_done"))
}

// dutyDelete is a delete button on /duty (a shift, a sensitive period): del
// removes the row named in the path, then back to /duty with ok.
func (s *Server) dutyDelete(del func(ctx context.Context, u *user.User, id int64) error, ok string) consoleHandler {
	return func(w http.ResponseWriter, r *http.Request, c *req) error {
		id, err := pathID(r, "id")
		if err != nil {
			return errs.New(errs.NotFound, "error.page_not_found")
		}
		return done(w, r, c, "/duty", del(r.Context(), c.u, id), i18n.T(c.l, ok))
	}
}

func (s *Server) changeSubmit(w http.ResponseWriter, r *http.Request, c *req) error {
	in := rota.ChangeInput{Role: r.PostFormValue("role"), Reason: r.PostFormValue("reason")}
	var ch *changeResult
	err := func() error {
		sh, err := formIDs(r, "shift_id")
		if err != nil {
			return err
		}
		if len(sh) == 0 {
			return errs.Field("shift_id", "error.required")
		}
		from, err := formIDs(r, "from_user_id")
		if err != nil {
			return err
		}
		if len(from) > 0 {
			in.FromUserID = from[0]
		}
		to, err := formIDs(r, "to_user_id")
		if err != nil {
			return err
		}
		if len(to) > 0 {
			in.ToUserID = to[0]
		}
		res, err := s.App.Rota.RequestChange(r.Context(), c.u, sh[0], in)
		if res != nil {
			ch = &changeResult{Status: res.Status}
		}
		return err
	}()
	ok := ""
	if ch != nil {
		ok = i18n.T(c.l, "roster.change_"+ch.Status)
	}
	return done(w, r, c, "/duty", err, ok)
}

type changeResult struct{ Status string }

func (s *Server) changeDecide(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	approve := r.PostFormValue("decision") == "approve"
	_, err = s.App.Rota.DecideChange(r.Context(), c.u, id, approve)
	ok := "roster.rejected"
	if approve {
		ok = "roster.approved"
	}
	return done(w, r, c, "/duty", err, i18n.T(c.l, ok))
}

func (s *Server) periodSubmit(w http.ResponseWriter, r *http.Request, c *req) error {
	p := &duty.Period{Name: r.PostFormValue("name"), Level: r.PostFormValue("level"), Note: r.PostFormValue("note")}
	err := func() (err error) {
		if p.Start, err = s.formTime(r, "starts_at"); err != nil {
			return err
		}
		if p.End, err = s.formTime(r, "ends_at"); err != nil {
			return err
		}
		if p.MinLeaders, err = formInt(r, "min_leaders", 1); err != nil {
			return err
		}
		if p.MinOfficers, err = formInt(r, "min_officers", 2); err != nil {
			return err
		}
		return s.App.Rota.DeclarePeriod(r.Context(), c.u, p)
	}()
	return done(w, r, c, "/duty", err, i18n.T(c.l, "roster.period_done"))
}

// rosterData adds what the roster forms need to the /duty page's data.
func (s *Server) rosterData(r *http.Request, c *req, data map[string]any) error {
	people, names, err := s.orgPeople(r, c)
	if err != nil {
		return err
	}
	t := s.App.Core.Now().In(s.loc())
	data["People"] = people
	data["PeopleNames"] = names
	data["CanManage"] = access.MayManageDuty(c.u)
	data["IsLeader"] = access.DutyLeader(c.u)
	data["Today"] = t.Format("2006-01-02")
	return nil
}

// rotationFields are the rotation form's fields.
var rotationFields = map[string]bool{"kind": true, "first": true, "days": true, "per_shift": true, "day_start": true, "night_start": true,
	"leaders": true, "officers": true}

// rotVal is the rotation form's value for name: what came back, else def.
func rotVal(x any, name, def string) string {
	f, _ := x.(*logForm)
	if f == nil {
		return def
	}
	return f.V[name]
}

func rotErr(x any, name string) string {
	f, _ := x.(*logForm)
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

func rotSel(x any, name string, id int64) bool {
	f, _ := x.(*logForm)
	if f == nil {
		return false
	}
	for _, v := range f.Multi[name] {
		if v == strconv.FormatInt(id, 10) {
			return true
		}
	}
	return false
}

func init() {
	for _, f := range []string{"days", "first", "per_shift", "day_start", "night_start", "leaders", "officers", "starts_at", "ends_at",
		"leader_id", "officer_ids", "shift_id", "role", "from_user_id", "to_user_id", "name", "min_leaders", "min_officers",
		"at", "what", "place", "informed_at", "reporter_phone", "kind"} {
		if fieldLabels[f] == "" {
			fieldLabels[f] = "d_" + f
		}
	}
}

// addHeightened puts the duty state on the command post when a sensitive
// period is in force (data["Heightened"], a *rota.NowView). A failure to
// read the roster does not take the command post down.
func (s *Server) addHeightened(r *http.Request, c *req, data map[string]any) {
	now, err := s.App.Rota.DutyNow(r.Context(), c.u, 0)
	if err != nil {
		s.logError("duty state for the command post", "err", err)
		return
	}
	if now.Heightened {
		data["Heightened"] = now
	}
}
