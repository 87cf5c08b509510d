package rota

import (
	"context"
	"strings"
	"time"

	"yingji/internal/core"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/store"
	"yingji/internal/user"
)

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
	if err := core.CheckText("note", sh.Note, false, 2000); err != nil {
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
	return tx.Audit(core.AuditEntry(actor, "shift.create", "shift", sh.ID, sh.OrgID, map[string]any{
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
	sh := &duty.Shift{OrgID: core.OrgOf(actor, in.Org), Kind: k, Start: in.Start.UTC().Truncate(time.Millisecond), End: in.End.UTC().Truncate(time.Millisecond),
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
	org := core.OrgOf(actor, in.Org)
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
		return tx.Audit(core.AuditEntry(actor, "shift.delete", "shift", id, sh.OrgID, map[string]any{"start": sh.Start.UnixMilli(), "end": sh.End.UnixMilli()}))
	})
}

func (s *Service) visibleShift(q *store.Q, actor *user.User, id int64) (*duty.Shift, error) {
	sh, err := q.Shift(id)
	if err != nil {
		return nil, err
	}
	if ok, err := core.CanSeeOrg(q, actor, sh.OrgID); err != nil || !ok {
		return nil, core.OrErr(err, errs.New(errs.NotFound, "duty.shift_not_found"))
	}
	return sh, nil
}

// ChangeInput asks to put ToUser on a shift in place of FromUser (0: add an
// officer, or set the leader).
