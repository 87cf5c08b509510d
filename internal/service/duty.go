package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/registry"
	"yingji/internal/rollcall"
	"yingji/internal/store"
	"yingji/internal/user"
)

// dutyManagers set up shifts, rotations and sensitive periods.
var dutyManagers = []string{user.RoleSystemAdmin, user.RoleDutyOfficer, user.RoleLeader, user.RoleDeputy}

// dutyLeaders approve swaps and overrides (the duty leader).
var dutyLeaders = []string{user.RoleLeader, user.RoleDeputy}

// MaxRotationDays bounds one rotation request.
const MaxRotationDays = 92

func mayManageDuty(actor *user.User, orgID int64) error {
	if actor == nil {
		return nil
	}
	if !actor.HasRole(dutyManagers...) {
		return errs.New(errs.Forbidden, "duty.forbidden")
	}
	if actor.OrgID != orgID {
		return errs.New(errs.Forbidden, "duty.forbidden_other_org")
	}
	return nil
}

// ShiftView is a shift with its people and the staffing it needs.
type ShiftView struct {
	Shift    *duty.Shift
	Leader   *user.User
	Officers []*user.User
	Need     duty.Staffing
	// Short is true when the shift has fewer people than Need.
	Short bool
}

// NowView answers "who is on duty now".
type NowView struct {
	At         time.Time
	OrgID      int64
	Current    *ShiftView // nil: nobody is on duty (a gap)
	Next       *ShiftView
	Periods    []*duty.Period // in force now
	Heightened bool
	Required   duty.Staffing
	Handover   *store.Handover // into the current shift, if any
}

// Schedule is the roster for a span.
type Schedule struct {
	OrgID   int64
	From    time.Time
	To      time.Time
	Shifts  []*ShiftView
	Gaps    []duty.Interval
	Periods []*duty.Period
	Pending []*store.Change
}

func (s *Service) dutyOrg(q *store.Q, actor *user.User, org int64) (int64, error) {
	if org == 0 {
		if actor == nil {
			return 0, errs.Field("org", "error.required")
		}
		return actor.OrgID, nil
	}
	if ok, err := canSeeOrg(q, actor, org); err != nil || !ok {
		return 0, orErr(err, errs.Field("org", "error.org_not_visible"))
	}
	return org, nil
}

func userMap(q *store.Q, orgID int64) (map[int64]*user.User, error) {
	us, err := q.Users(orgID)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]*user.User, len(us))
	for _, u := range us {
		m[u.ID] = u
	}
	return m, nil
}

func shiftView(sh *duty.Shift, users map[int64]*user.User, periods []*duty.Period) *ShiftView {
	if sh == nil {
		return nil
	}
	v := &ShiftView{Shift: sh, Leader: users[sh.LeaderID], Need: duty.Required(periods, sh.Start, sh.End)}
	for _, id := range sh.OfficerIDs {
		if u := users[id]; u != nil {
			v.Officers = append(v.Officers, u)
		}
	}
	l, o := duty.Shortfall(sh, v.Need)
	v.Short = l > 0 || o > 0
	return v
}

// DutyNow tells who is on duty at the service's current time.
func (s *Service) DutyNow(ctx context.Context, actor *user.User, org int64) (*NowView, error) {
	var v *NowView
	err := s.DB.Read(ctx, func(q *store.Q) error {
		orgID, err := s.dutyOrg(q, actor, org)
		if err != nil {
			return err
		}
		v, err = dutyNow(q, orgID, q.Now)
		return err
	})
	return v, err
}

func dutyNow(q *store.Q, orgID int64, now time.Time) (*NowView, error) {
	v := &NowView{At: now, OrgID: orgID}
	cur, next, err := q.ShiftNowAndNext(orgID, now)
	if err != nil {
		return nil, err
	}
	end := now.Add(time.Second)
	if next != nil {
		end = next.End
	}
	periods, err := q.PeriodsBetween([]int64{orgID}, now, end)
	if err != nil {
		return nil, err
	}
	users, err := userMap(q, orgID)
	if err != nil {
		return nil, err
	}
	v.Current, v.Next = shiftView(cur, users, periods), shiftView(next, users, periods)
	v.Periods = duty.Active(periods, now)
	v.Heightened = len(v.Periods) > 0
	v.Required = duty.Required(v.Periods, now, now.Add(time.Millisecond))
	if cur != nil {
		if v.Handover, err = q.HandoverTo(cur.ID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// DutySchedule lists the roster in [from, to) with gaps and sensitive periods.
func (s *Service) DutySchedule(ctx context.Context, actor *user.User, org int64, from, to time.Time) (*Schedule, error) {
	if !to.After(from) {
		return nil, errs.Field("to", "duty.bad_span")
	}
	if to.Sub(from) > MaxRotationDays*24*time.Hour {
		return nil, errs.Field("to", "duty.span_too_long", MaxRotationDays)
	}
	var out *Schedule
	err := s.DB.Read(ctx, func(q *store.Q) error {
		orgID, err := s.dutyOrg(q, actor, org)
		if err != nil {
			return err
		}
		shifts, err := q.ShiftsBetween(orgID, from, to)
		if err != nil {
			return err
		}
		periods, err := q.PeriodsBetween([]int64{orgID}, from, to)
		if err != nil {
			return err
		}
		users, err := userMap(q, orgID)
		if err != nil {
			return err
		}
		out = &Schedule{OrgID: orgID, From: from, To: to, Periods: periods, Gaps: duty.Gaps(shifts, from, to)}
		for _, sh := range shifts {
			out.Shifts = append(out.Shifts, shiftView(sh, users, periods))
		}
		out.Pending, err = q.PendingChanges(orgID)
		return err
	})
	return out, err
}

// ShiftInput is a shift to create.
type ShiftInput struct {
	Org        int64 // 0: the actor's
	Kind       string
	Start, End time.Time
	LeaderID   int64
	OfficerIDs []int64
	Note       string
}

// checkPeople: the leader and officers are enabled users of the organisation.
func checkPeople(users map[int64]*user.User, orgID, leader int64, officers []int64) error {
	if leader != 0 {
		if u := users[leader]; u == nil || u.Disabled || u.OrgID != orgID {
			return errs.Field("leader_id", "duty.bad_person", leader)
		}
	}
	seen := map[int64]bool{}
	for _, id := range officers {
		if u := users[id]; u == nil || u.Disabled || u.OrgID != orgID {
			return errs.Field("officer_ids", "duty.bad_person", id)
		}
		if seen[id] {
			return errs.Field("officer_ids", "duty.duplicate_person", id)
		}
		seen[id] = true
	}
	return nil
}

func (s *Service) addShift(tx *store.Tx, actor *user.User, sh *duty.Shift, users map[int64]*user.User) error {
	if !sh.End.After(sh.Start) {
		return errs.Field("ends_at", "duty.bad_span")
	}
	if sh.End.Sub(sh.Start) > 48*time.Hour {
		return errs.Field("ends_at", "duty.shift_too_long")
	}
	if err := checkPeople(users, sh.OrgID, sh.LeaderID, sh.OfficerIDs); err != nil {
		return err
	}
	if err := checkText("note", sh.Note, false, 2000); err != nil {
		return err
	}
	existing, err := tx.ShiftsBetween(sh.OrgID, sh.Start, sh.End)
	if err != nil {
		return err
	}
	if o := duty.FindOverlap(existing, sh); o != nil {
		loc := s.orgLoc(&tx.Q, sh.OrgID)
		const f = "2006-01-02 15:04"
		return &errs.Error{Code: errs.Conflict, Field: "starts_at", Key: "duty.overlap", Args: []any{o.ID, o.Start.In(loc).Format(f), o.End.In(loc).Format(f)}}
	}
	if err := tx.CreateShift(sh); err != nil {
		return err
	}
	return tx.Audit(auditEntry(actor, "shift.create", "shift", sh.ID, sh.OrgID, map[string]any{
		"kind": sh.Kind, "start": sh.Start.UnixMilli(), "end": sh.End.UnixMilli(), "leader_id": sh.LeaderID, "officer_ids": sh.OfficerIDs}))
}

// CreateShift adds one shift; a shift overlapping another of the
// organisation is a Conflict naming it.
func (s *Service) CreateShift(ctx context.Context, actor *user.User, in ShiftInput) (*duty.Shift, error) {
	k := duty.Kind(in.Kind)
	if in.Kind == "" {
		k = duty.Special
	}
	if !k.Valid() {
		return nil, errs.Field("kind", "duty.bad_kind", in.Kind)
	}
	if in.Start.IsZero() {
		return nil, errs.Field("starts_at", "error.required")
	}
	if in.End.IsZero() {
		return nil, errs.Field("ends_at", "error.required")
	}
	sh := &duty.Shift{OrgID: orgOf(actor, in.Org), Kind: k, Start: in.Start.UTC().Truncate(time.Millisecond), End: in.End.UTC().Truncate(time.Millisecond),
		LeaderID: in.LeaderID, OfficerIDs: in.OfficerIDs, Note: strings.TrimSpace(in.Note)}
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := mayManageDuty(actor, sh.OrgID); err != nil {
			return err
		}
		users, err := userMap(&tx.Q, sh.OrgID)
		if err != nil {
			return err
		}
		return s.addShift(tx, actor, sh, users)
	})
	return sh, err
}

// RotationInput generates shifts for consecutive days.
type RotationInput struct {
	Org        int64
	Kind       string    // "24h" or "day_night"
	First      time.Time // the first day (its date in the plan's zone)
	Days       int
	DayStart   time.Duration // e.g. 8h: shifts change at 08:00
	NightStart time.Duration // day_night: e.g. 20h
	Leaders    []int64       // cycled one per shift
	Officers   []int64       // cycled PerShift per shift
	PerShift   int
}

// CreateRotation creates the shifts of a rotation in one transaction:
// all of them, or none when one overlaps an existing shift.
func (s *Service) CreateRotation(ctx context.Context, actor *user.User, loc *time.Location, in RotationInput) ([]*duty.Shift, error) {
	if in.Kind != "24h" && in.Kind != "day_night" {
		return nil, errs.Field("kind", "duty.bad_rotation", in.Kind)
	}
	if in.Days < 1 || in.Days > MaxRotationDays {
		return nil, errs.Field("days", "duty.days_range", MaxRotationDays)
	}
	if in.DayStart < 0 || in.DayStart >= 24*time.Hour {
		return nil, errs.Field("day_start", "duty.bad_clock")
	}
	if in.Kind == "day_night" && (in.NightStart <= in.DayStart || in.NightStart >= 24*time.Hour) {
		return nil, errs.Field("night_start", "duty.bad_clock")
	}
	if len(in.Leaders) == 0 {
		return nil, errs.Field("leaders", "error.required")
	}
	if len(in.Officers) == 0 {
		return nil, errs.Field("officers", "error.required")
	}
	if in.PerShift <= 0 {
		in.PerShift = 1
	}
	if in.PerShift > len(in.Officers) {
		return nil, errs.Field("officers_per_shift", "duty.per_shift_range", len(in.Officers))
	}
	rot := duty.Rotation{Kind: in.Kind, DayStart: in.DayStart, NightStart: in.NightStart, Loc: loc}
	slots := rot.Slots(in.First, in.Days)
	duty.Assign(slots, in.Leaders, in.Officers, in.PerShift)
	org := orgOf(actor, in.Org)
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := mayManageDuty(actor, org); err != nil {
			return err
		}
		users, err := userMap(&tx.Q, org)
		if err != nil {
			return err
		}
		if err := checkPeople(users, org, 0, in.Leaders); err != nil {
			return &errs.Error{Code: errs.Invalid, Field: "leaders", Key: "duty.bad_person", Args: errs.As(err).Args}
		}
		if err := checkPeople(users, org, 0, in.Officers); err != nil {
			return &errs.Error{Code: errs.Invalid, Field: "officers", Key: errs.As(err).Key, Args: errs.As(err).Args}
		}
		for _, sh := range slots {
			sh.OrgID = org
			sh.Start, sh.End = sh.Start.UTC(), sh.End.UTC()
			if err := s.addShift(tx, actor, sh, users); err != nil {
				return err
			}
		}
		return nil
	})
	return slots, err
}

// DeleteShift removes a shift without handovers or log entries.
func (s *Service) DeleteShift(ctx context.Context, actor *user.User, id int64) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		sh, err := s.visibleShift(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if err := mayManageDuty(actor, sh.OrgID); err != nil {
			return err
		}
		if err := tx.DeleteShift(id); err != nil {
			return err
		}
		return tx.Audit(auditEntry(actor, "shift.delete", "shift", id, sh.OrgID, map[string]any{"start": sh.Start.UnixMilli(), "end": sh.End.UnixMilli()}))
	})
}

func (s *Service) visibleShift(q *store.Q, actor *user.User, id int64) (*duty.Shift, error) {
	sh, err := q.Shift(id)
	if err != nil {
		return nil, err
	}
	if ok, err := canSeeOrg(q, actor, sh.OrgID); err != nil || !ok {
		return nil, orErr(err, errs.New(errs.NotFound, "duty.shift_not_found"))
	}
	return sh, nil
}

// ChangeInput asks to put ToUser on a shift in place of FromUser (0: add an
// officer, or set the leader).
type ChangeInput struct {
	Role       string // leader or officer
	FromUserID int64
	ToUserID   int64
	Reason     string
}

// RequestChange records a swap or override. A duty leader's own request is
// an override and takes effect at once; anyone else's waits for a duty
// leader's approval, who is notified in-app.
func (s *Service) RequestChange(ctx context.Context, actor *user.User, shiftID int64, in ChangeInput) (*store.Change, error) {
	if in.Role != "leader" && in.Role != "officer" {
		return nil, errs.Field("role", "duty.bad_role", in.Role)
	}
	if in.ToUserID == 0 {
		return nil, errs.Field("to_user_id", "error.required")
	}
	if err := checkText("reason", in.Reason, true, 1000); err != nil {
		return nil, err
	}
	var c *store.Change
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		sh, err := s.visibleShift(&tx.Q, actor, shiftID)
		if err != nil {
			return err
		}
		if actor.OrgID != sh.OrgID || !actor.HasRole(append(dutyManagers, user.RoleMember)...) && !sh.Has(actor.ID) {
			return errs.New(errs.Forbidden, "duty.forbidden")
		}
		if !sh.End.After(tx.Now) {
			return errs.New(errs.Conflict, "duty.shift_over")
		}
		users, err := userMap(&tx.Q, sh.OrgID)
		if err != nil {
			return err
		}
		if err := checkPeople(users, sh.OrgID, in.ToUserID, nil); err != nil {
			return errs.Field("to_user_id", "duty.bad_person", in.ToUserID)
		}
		if in.Role == "leader" && in.FromUserID != 0 && in.FromUserID != sh.LeaderID ||
			in.Role == "officer" && in.FromUserID != 0 && !slices.Contains(sh.OfficerIDs, in.FromUserID) {
			return errs.Field("from_user_id", "duty.not_on_shift", in.FromUserID)
		}
		c = &store.Change{ShiftID: sh.ID, Role: in.Role, FromUserID: in.FromUserID, ToUserID: in.ToUserID, Reason: strings.TrimSpace(in.Reason),
			Status: "pending", RequestedBy: actor.ID}
		override := actor.HasRole(dutyLeaders...)
		if override {
			now := tx.Now
			c.Status, c.DecidedBy, c.DecidedAt = "approved", actor.ID, &now
		}
		if err := tx.CreateChange(c); err != nil {
			return err
		}
		if err := tx.Audit(auditEntry(actor, "shift.change_request", "shift", sh.ID, sh.OrgID, map[string]any{
			"change_id": c.ID, "role": c.Role, "from": c.FromUserID, "to": c.ToUserID, "reason": c.Reason, "status": c.Status})); err != nil {
			return err
		}
		if override {
			return applyChange(tx, actor, sh, c)
		}
		for _, u := range users {
			if u.HasRole(dutyLeaders...) && !u.Disabled {
				if err := enqueueNotice(tx, u.ID, 0, "duty_change_requested", map[string]any{"change_id": c.ID, "shift_id": sh.ID,
					"start": sh.Start.UnixMilli(), "reason": c.Reason}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return c, err
}

func applyChange(tx *store.Tx, actor *user.User, sh *duty.Shift, c *store.Change) error {
	if c.Role == "leader" {
		sh.LeaderID = c.ToUserID
	} else {
		var out []int64
		for _, id := range sh.OfficerIDs {
			if id != c.FromUserID && id != c.ToUserID {
				out = append(out, id)
			}
		}
		sh.OfficerIDs = append(out, c.ToUserID)
	}
	if err := tx.UpdateShift(sh); err != nil {
		return err
	}
	if err := tx.Audit(auditEntry(actor, "shift.change_apply", "shift", sh.ID, sh.OrgID, map[string]any{
		"change_id": c.ID, "leader_id": sh.LeaderID, "officer_ids": sh.OfficerIDs})); err != nil {
		return err
	}
	return enqueueNotice(tx, c.ToUserID, 0, "duty_assigned", map[string]any{"shift_id": sh.ID, "start": sh.Start.UnixMilli(), "end": sh.End.UnixMilli(), "role": c.Role})
}

// DecideChange approves or rejects a pending swap; only a duty leader of the
// shift's organisation may, and not their own request.
func (s *Service) DecideChange(ctx context.Context, actor *user.User, id int64, approve bool) (*store.Change, error) {
	var c *store.Change
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = tx.Change(id); err != nil {
			return err
		}
		sh, err := s.visibleShift(&tx.Q, actor, c.ShiftID)
		if err != nil {
			return errs.New(errs.NotFound, "duty.change_not_found")
		}
		if !actor.HasRole(dutyLeaders...) || actor.OrgID != sh.OrgID {
			return errs.New(errs.Forbidden, "duty.not_duty_leader")
		}
		if c.RequestedBy == actor.ID {
			return errs.New(errs.Forbidden, "error.own_request")
		}
		c.Status, c.DecidedBy = "rejected", actor.ID
		if approve {
			c.Status = "approved"
		}
		ok, err := tx.DecideChange(c)
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.Conflict, "duty.change_decided")
		}
		now := tx.Now
		c.DecidedAt = &now
		if err := tx.Audit(auditEntry(actor, "shift.change_decide", "shift", sh.ID, sh.OrgID, map[string]any{"change_id": c.ID, "decision": c.Status})); err != nil {
			return err
		}
		if err := enqueueNotice(tx, c.RequestedBy, 0, "duty_change_decided", map[string]any{"change_id": c.ID, "decision": c.Status}); err != nil {
			return err
		}
		if approve {
			return applyChange(tx, actor, sh, c)
		}
		return nil
	})
	return c, err
}

// HandOver records the handover (交接班) from a shift to the next one:
// notes and the open items carried over. The giver serves on the shift; the
// receiving shift's people are notified and one of them confirms.
func (s *Service) HandOver(ctx context.Context, actor *user.User, fromShiftID int64, notes string, openItems []string) (*store.Handover, error) {
	notes = strings.TrimSpace(notes)
	if err := checkText("notes", notes, true, 10000); err != nil {
		return nil, err
	}
	var items []string
	for _, it := range openItems {
		if it = strings.TrimSpace(it); it != "" {
			if err := checkText("open_items", it, false, 1000); err != nil {
				return nil, err
			}
			items = append(items, it)
		}
	}
	if len(items) > 100 {
		return nil, errs.Field("open_items", "error.too_long", 100)
	}
	var h *store.Handover
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		from, err := s.visibleShift(&tx.Q, actor, fromShiftID)
		if err != nil {
			return err
		}
		to, err := tx.NextShift(from.OrgID, from.End)
		if err != nil {
			return err
		}
		if to == nil {
			return errs.New(errs.Conflict, "duty.no_next_shift")
		}
		if !duty.CanHandOver(from, to, actor.ID) {
			return errs.New(errs.Forbidden, "duty.not_on_shift_giver")
		}
		h = &store.Handover{OrgID: from.OrgID, FromShiftID: from.ID, ToShiftID: to.ID, GivenBy: actor.ID, Notes: notes, OpenItems: items}
		if err := tx.CreateHandover(h); err != nil {
			if errs.CodeOf(err) == errs.Conflict {
				return errs.New(errs.Conflict, "duty.handover_exists")
			}
			return err
		}
		if err := tx.Audit(auditEntry(actor, "handover.create", "handover", h.ID, h.OrgID, map[string]any{
			"from_shift": from.ID, "to_shift": to.ID, "notes": notes, "open_items": items})); err != nil {
			return err
		}
		for _, id := range append([]int64{to.LeaderID}, to.OfficerIDs...) {
			if id != 0 {
				if err := enqueueNotice(tx, id, 0, "duty_handover", map[string]any{"handover_id": h.ID, "open_items": len(items)}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return h, err
}

// ConfirmHandover is the receiver's confirmation.
func (s *Service) ConfirmHandover(ctx context.Context, actor *user.User, id int64) (*store.Handover, error) {
	var h *store.Handover
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if h, err = tx.Handover(id); err != nil {
			return err
		}
		to, err := s.visibleShift(&tx.Q, actor, h.ToShiftID)
		if err != nil {
			return errs.New(errs.NotFound, "duty.handover_not_found")
		}
		if !duty.CanReceive(to, actor.ID) {
			return errs.New(errs.Forbidden, "duty.not_receiver")
		}
		ok, err := tx.ConfirmHandover(id, actor.ID)
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.Conflict, "duty.handover_confirmed")
		}
		now := tx.Now
		h.ConfirmedBy, h.ConfirmedAt = actor.ID, &now
		if err := tx.Audit(auditEntry(actor, "handover.confirm", "handover", id, h.OrgID, nil)); err != nil {
			return err
		}
		return enqueueNotice(tx, h.GivenBy, 0, "duty_handover_confirmed", map[string]any{"handover_id": id, "by": actor.DisplayName})
	})
	return h, err
}

// Handovers lists the organisation's recent handovers.
func (s *Service) Handovers(ctx context.Context, actor *user.User, org int64) ([]*store.Handover, error) {
	var out []*store.Handover
	err := s.DB.Read(ctx, func(q *store.Q) error {
		orgID, err := s.dutyOrg(q, actor, org)
		if err != nil {
			return err
		}
		out, err = q.Handovers(orgID, 50)
		return err
	})
	return out, err
}

// LogInput is a duty log entry (值班记录).
type LogInput struct {
	At            time.Time
	Place         string
	What          string
	Measures      string
	Informed      string
	InformedAt    *time.Time
	ReporterUnit  string
	ReporterName  string
	ReporterPhone string
	// Incident, when set, registers an incident from the entry in the same transaction.
	Incident *NewIncident
}

func checkLog(in *LogInput) error {
	if in.At.IsZero() {
		return errs.Field("at", "error.required")
	}
	for _, c := range []struct {
		f   string
		v   *string
		req bool
		max int
	}{{"place", &in.Place, false, 200}, {"what", &in.What, true, 10000}, {"measures", &in.Measures, false, 10000},
		{"informed", &in.Informed, false, 1000}, {"reporter_unit", &in.ReporterUnit, false, 200}, {"reporter_name", &in.ReporterName, false, 50}} {
		*c.v = strings.TrimSpace(*c.v)
		if err := checkText(c.f, *c.v, c.req, c.max); err != nil {
			return err
		}
	}
	in.ReporterPhone = registry.NormalizePhone(in.ReporterPhone)
	if in.ReporterPhone != "" && !registry.ValidPhone(in.ReporterPhone) {
		return errs.Field("reporter_phone", "registry.bad_phone", in.ReporterPhone)
	}
	return nil
}

// AddLog records a call or report received on duty, on the shift in force
// at its time. With in.Incident set, it also registers the incident (same
// transaction: both or neither).
func (s *Service) AddLog(ctx context.Context, actor *user.User, in LogInput) (*store.LogEntry, *incident.Incident, error) {
	if !actor.HasRole(dutyManagers...) && !actor.HasRole(user.RoleMember) {
		return nil, nil, errs.New(errs.Forbidden, "duty.forbidden")
	}
	if err := checkLog(&in); err != nil {
		return nil, nil, err
	}
	if in.Incident != nil {
		if err := checkNewIncident(actor, in.Incident); err != nil {
			return nil, nil, err
		}
	}
	var e *store.LogEntry
	var inc *incident.Incident
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := checkWhen("at", in.At, tx.Now, "error.at_in_future"); err != nil {
			return err
		}
		if in.InformedAt != nil {
			if err := checkWhen("informed_at", *in.InformedAt, tx.Now, "error.at_in_future"); err != nil {
				return err
			}
		}
		sh, err := tx.ShiftAt(actor.OrgID, in.At)
		if err != nil {
			return err
		}
		e = &store.LogEntry{OrgID: actor.OrgID, At: in.At.UTC().Truncate(time.Millisecond), Place: in.Place, What: in.What, Measures: in.Measures,
			Informed: in.Informed, InformedAt: in.InformedAt, ReporterUnit: in.ReporterUnit, ReporterName: in.ReporterName,
			ReporterPhone: in.ReporterPhone, RecorderID: actor.ID}
		if sh != nil {
			e.ShiftID = sh.ID
		}
		if err := tx.CreateLogEntry(e); err != nil {
			return err
		}
		if err := tx.Audit(auditEntry(actor, "duty_log.create", "duty_log", e.ID, e.OrgID, e)); err != nil {
			return err
		}
		if in.Incident != nil {
			if inc, err = s.incidentFromLog(tx, actor, e, *in.Incident); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if inc != nil {
	}
	return e, inc, nil
}

func (s *Service) incidentFromLog(tx *store.Tx, actor *user.User, e *store.LogEntry, ni NewIncident) (*incident.Incident, error) {
	if e.IncidentID != 0 {
		return nil, errs.New(errs.Conflict, "duty.log_has_incident")
	}
	inc, err := s.createIncident(tx, actor, ni)
	if err != nil {
		return nil, err
	}
	if err := tx.SetLogIncident(e.ID, inc.ID); err != nil {
		return nil, err
	}
	e.IncidentID = inc.ID
	return inc, tx.Audit(auditEntry(actor, "duty_log.to_incident", "duty_log", e.ID, e.OrgID, map[string]any{"incident_id": inc.ID, "number": inc.Number}))
}

// LogToIncident registers an incident from an existing log entry in one
// transaction. Fields of ni left empty are taken from the entry.
func (s *Service) LogToIncident(ctx context.Context, actor *user.User, logID int64, ni NewIncident) (*incident.Incident, error) {
	var inc *incident.Incident
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		e, err := tx.LogEntry(logID)
		if err != nil {
			return err
		}
		if e.OrgID != actor.OrgID {
			return errs.New(errs.NotFound, "duty.log_not_found")
		}
		if ni.Description == "" {
			ni.Description = strings.TrimSpace(e.What + "\n" + e.Measures)
		}
		if ni.DiscoveredAt.IsZero() {
			ni.DiscoveredAt = e.At
		}
		if ni.DiscoveryMethod == "" {
			ni.DiscoveryMethod = "值班接报"
			if e.ReporterUnit != "" || e.ReporterName != "" {
				ni.DiscoveryMethod = "值班接报：" + strings.TrimSpace(e.ReporterUnit+" "+e.ReporterName)
			}
		}
		if err := checkNewIncident(actor, &ni); err != nil {
			return err
		}
		inc, err = s.incidentFromLog(tx, actor, e, ni)
		return err
	})
	if err != nil {
		return nil, err
	}
	return inc, nil
}

// DutyLog lists log entries the actor may see, newest first.
func (s *Service) DutyLog(ctx context.Context, actor *user.User, org, before int64, limit int) ([]*store.LogEntry, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var out []*store.LogEntry
	err := s.DB.Read(ctx, func(q *store.Q) error {
		ids, err := visibleOrgs(q, actor, org)
		if err != nil {
			return err
		}
		out, err = q.DutyLog(ids, before, limit)
		return err
	})
	return out, err
}

// DeclarePeriod declares a sensitive period or major event.
func (s *Service) DeclarePeriod(ctx context.Context, actor *user.User, p *duty.Period) error {
	p.Name, p.Level, p.Note = strings.TrimSpace(p.Name), strings.TrimSpace(p.Level), strings.TrimSpace(p.Note)
	if err := checkText("name", p.Name, true, 200); err != nil {
		return err
	}
	if err := checkText("level", p.Level, false, 20); err != nil {
		return err
	}
	if p.Start.IsZero() {
		return errs.Field("starts_at", "error.required")
	}
	if !p.End.After(p.Start) {
		return errs.Field("ends_at", "duty.bad_span")
	}
	if p.MinLeaders < 1 || p.MinLeaders > 10 {
		return errs.Field("min_leaders", "duty.staffing_range")
	}
	if p.MinOfficers < 1 || p.MinOfficers > 20 {
		return errs.Field("min_officers", "duty.staffing_range")
	}
	p.OrgID = orgOf(actor, p.OrgID)
	p.Start, p.End = p.Start.UTC().Truncate(time.Millisecond), p.End.UTC().Truncate(time.Millisecond)
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := mayManageDuty(actor, p.OrgID); err != nil {
			return err
		}
		if err := tx.CreatePeriod(p); err != nil {
			return err
		}
		return tx.Audit(auditEntry(actor, "duty_period.create", "duty_period", p.ID, p.OrgID, p))
	})
}

// DeletePeriod withdraws a sensitive period.
func (s *Service) DeletePeriod(ctx context.Context, actor *user.User, id int64) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		p, err := tx.Period(id)
		if err != nil {
			return err
		}
		if err := mayManageDuty(actor, p.OrgID); err != nil {
			return err
		}
		if err := tx.DeletePeriod(id); err != nil {
			return err
		}
		return tx.Audit(auditEntry(actor, "duty_period.delete", "duty_period", id, p.OrgID, p))
	})
}

// IssueFeedToken makes (replacing any old one) the actor's calendar feed token.
func (s *Service) IssueFeedToken(ctx context.Context, actor *user.User) (string, error) {
	token, hash := user.NewToken()
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetFeedToken(actor.ID, hash); err != nil {
			return err
		}
		return tx.Audit(auditEntry(actor, "duty_feed.issue", "user", actor.ID, actor.OrgID, nil))
	})
	return token, err
}

// FeedUser finds the user of a calendar feed token.
func (s *Service) FeedUser(ctx context.Context, token string) (*user.User, error) {
	if token == "" {
		return nil, errs.New(errs.Unauthorized, "error.no_token")
	}
	var u *user.User
	err := s.DB.Read(ctx, func(q *store.Q) error {
		id, err := q.UserByFeedToken(user.HashToken(token))
		if err != nil {
			return err
		}
		u, err = q.User(id)
		return err
	})
	if err == nil && u.Disabled {
		return nil, errs.New(errs.Unauthorized, "error.user_disabled")
	}
	return u, err
}

// notifyDutyOnActivation tells the duty leader and officers on duty and the
// leading group (group_leader, group_deputy) of the incident's organisation
// that the plan is activated, through the outbox, in the activating transaction.
func (s *Service) notifyDutyOnActivation(tx *store.Tx, in *incident.Incident) error {
	sh, err := tx.ShiftAt(in.OrgID, tx.Now)
	if err != nil {
		return err
	}
	users, err := tx.Users(in.OrgID)
	if err != nil {
		return err
	}
	notify := map[int64]string{}
	if sh != nil {
		if sh.LeaderID != 0 {
			notify[sh.LeaderID] = "duty_leader"
		}
		for _, id := range sh.OfficerIDs {
			notify[id] = "duty_officer"
		}
	}
	for _, u := range users {
		if !u.Disabled && u.HasRole(user.RoleLeader, user.RoleDeputy, user.RoleMember) { // issue 10: members too (PORT)
			if _, ok := notify[u.ID]; !ok {
				notify[u.ID] = "leading_group"
			}
		}
	}
	ids := make([]int64, 0, len(notify))
	for id := range notify {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		// issue 10 (PORT): the notice with its roll-call row (rollcall.Page).
		if err := rollcall.Page(tx, in, id, notify[id], map[string]any{"number": in.Number, "title": in.Title,
			"level": in.Level.Roman(), "as": notify[id]}); err != nil {
			return err
		}
	}
	return nil
}

// SetTaskUnit names the registry unit a task concerns (0 clears it). Who may
// update the task may set its unit; the unit must be visible to the
// incident's organisation.
func (s *Service) SetTaskUnit(ctx context.Context, actor *user.User, incidentID, taskID, unitID int64) (*incident.Task, error) {
	var t *incident.Task
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, tree, err := s.loadForActor(&tx.Q, actor, incidentID)
		if err != nil {
			return err
		}
		if t, err = tx.Task(incidentID, taskID); err != nil {
			return err
		}
		if in.OrgID != actor.OrgID || !(actor.HasRole(commandRoles...) || actor.Department == t.Department) {
			return errs.New(errs.Forbidden, "error.forbidden_task")
		}
		if !incident.TasksEditable(in.Status) {
			return errs.New(errs.Conflict, "error.tasks_locked", string(in.Status))
		}
		data := map[string]string{"title": t.Title, "unit": ""}
		if unitID != 0 {
			u, err := tx.Unit(unitID)
			if err != nil || !(u.OrgID == in.OrgID || tree.isAncestor(u.OrgID, in.OrgID) || tree.isAncestor(in.OrgID, u.OrgID)) {
				return errs.Field("unit_id", "registry.unit_not_found")
			}
			data["unit"] = u.Name
		}
		if err := tx.SetTaskUnit(t.ID, unitID); err != nil {
			return err
		}
		if err := tx.AddEntry(&incident.Entry{IncidentID: in.ID, ActorID: actor.ID, Kind: incident.EntryTaskUpdated, TaskID: t.ID,
			Data: map[string]string{"title": t.Title, "note": "关联联网单位：" + orDash(data["unit"])}}); err != nil {
			return err
		}
		return tx.Audit(auditEntry(actor, "task.set_unit", "task", t.ID, in.OrgID, map[string]any{"incident_id": in.ID, "unit_id": unitID}))
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func orDash(s string) string {
	if s == "" {
		return "（无）"
	}
	return s
}

// TaskUnit is the registry unit named by a task, with its contacts.
type TaskUnit struct {
	TaskID   int64
	Unit     *registry.Unit
	Contacts []*registry.Contact
}

// TaskUnits returns the units named by an incident's tasks, with their
// contacts: three queries whatever the number of tasks.
func (s *Service) TaskUnits(ctx context.Context, actor *user.User, incidentID int64) ([]*TaskUnit, error) {
	var out []*TaskUnit
	err := s.DB.Read(ctx, func(q *store.Q) error {
		if _, _, err := s.loadForActor(q, actor, incidentID); err != nil {
			return err
		}
		m, err := q.TaskUnitIDs(incidentID)
		if err != nil || len(m) == 0 {
			return err
		}
		var ids []int64
		for _, u := range m {
			if !slices.Contains(ids, u) {
				ids = append(ids, u)
			}
		}
		units, err := q.UnitsByID(ids)
		if err != nil {
			return err
		}
		contacts, err := q.ContactsOfUnits(ids)
		if err != nil {
			return err
		}
		byID := map[int64]*registry.Unit{}
		for _, u := range units {
			byID[u.ID] = u
		}
		byUnit := map[int64][]*registry.Contact{}
		for _, c := range contacts {
			byUnit[c.UnitID] = append(byUnit[c.UnitID], c)
		}
		var tasks []int64
		for t := range m {
			tasks = append(tasks, t)
		}
		slices.Sort(tasks)
		for _, t := range tasks {
			out = append(out, &TaskUnit{TaskID: t, Unit: byID[m[t]], Contacts: byUnit[m[t]]})
		}
		return nil
	})
	return out, err
}

// orgLoc is the time zone of the plan an organisation runs (Asia/Shanghai
// when it has none).
func (s *Service) orgLoc(q *store.Q, orgID int64) *time.Location {
	if org, err := q.Org(orgID); err == nil {
		if p, _, err := s.currentPlan(q, org); err == nil && p.Location != nil {
			return p.Location
		}
	}
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// OrgLocation is the time zone of the plan an organisation runs.
func (s *Service) OrgLocation(ctx context.Context, orgID int64) *time.Location {
	var loc *time.Location
	s.DB.Read(ctx, func(q *store.Q) error { loc = s.orgLoc(q, orgID); return nil })
	return loc
}
