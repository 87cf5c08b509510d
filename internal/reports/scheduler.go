package reports

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strconv"
	"time"

	"yingji/internal/core"
	"yingji/internal/deadline"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/plan"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// The report scheduler reminds the people responsible before a report is
// due and tells the leading group when it is overdue. Its rules:
//
//   - Reminders go at the plan's offsets before each open deadline
//     (plan.Reports.Daily.Reminders; 60 and 15 minutes by default) to the
//     organisation's duty officers and the author of the open draft.
//   - When a deadline passes unmet, the leading group (leader, deputies and
//     members) and the duty officers get one escalation notice.
//   - Every reminder, escalation or deliberate skip is claimed under a
//     unique key (incident, obligation, due time, stage) in reminders_sent
//     in the same transaction as its notices: a restart, or a second node,
//     never sends it twice.
//   - Catch-up after downtime: on the first tick, a reminder whose time
//     passed while the node was down is sent once if its deadline is still
//     ahead; when several are pending only the latest goes out and the
//     earlier are recorded as skipped_superseded. A reminder whose deadline
//     has already passed is recorded as skipped_late (the escalation covers
//     it). Escalation is sent while the obligation is overdue; one that was
//     missed entirely during downtime is recorded as skipped_late too.
//   - Several nodes on one database: each tick first takes the lease
//     "report-scheduler" (holder and expiry, in the database); only the
//     holder works, and a dead holder's lease expires after SchedulerLease.
const (
	SchedulerLeaseName = "report-scheduler"
	SchedulerLease     = 2 * time.Minute
	SchedulerInterval  = 30 * time.Second
)

// Reminder outcomes recorded in reminders_sent.
const (
	ReminderSent       = "sent"
	ReminderLate       = "skipped_late"
	ReminderSuperseded = "skipped_superseded"
)

// TickResult says what one scheduler tick did.
type TickResult struct {
	Leader  bool // this node held the lease and did the work
	Sent    int  // reminders and escalations sent
	Skipped int  // recorded as skipped
}

// NewSchedulerID returns a random holder name for a node's scheduler.
func NewSchedulerID() string {
	var b [8]byte
	rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// RunScheduler ticks every interval until ctx ends, then gives the lease up.
func (s *Service) RunScheduler(ctx context.Context, holder string, interval time.Duration) {
	s.RunLeased(ctx, SchedulerLeaseName, holder, "report scheduler", interval, func(ctx context.Context) error {
		res, err := s.SchedulerTick(ctx, holder)
		if err == nil && res.Sent+res.Skipped > 0 {
			s.Log.Info("report scheduler", "sent", res.Sent, "skipped", res.Skipped)
		}
		return err
	})
}

// SchedulerTick runs one round: take or renew the lease, then send the
// reminders and escalations that are due at the database clock's now.
func (s *Service) SchedulerTick(ctx context.Context, holder string) (TickResult, error) {
	var res TickResult
	var err error
	res.Leader, err = s.TakeLease(ctx, SchedulerLeaseName, holder, SchedulerLease)
	if err != nil || !res.Leader {
		return res, err
	}
	// A read-only pass finds the incidents with a notice not yet claimed, so
	// that a quiet tick takes no write lock at all.
	var work []int64
	if err := s.DB.Read(ctx, func(q *store.Q) error {
		incidents, err := q.OpenForReminders()
		if err != nil {
			return err
		}
		for _, in := range incidents {
			due, err := s.dueNotices(q, in)
			if err != nil {
				return err
			}
			if len(due.notices) == 0 {
				continue
			}
			claimed, err := q.ReminderKeys(in.ID)
			if err != nil {
				return err
			}
			for _, n := range due.notices {
				if !claimed[n.key] {
					work = append(work, in.ID)
					break
				}
			}
		}
		return nil
	}); err != nil {
		return res, err
	}
	// One transaction per incident keeps each short; the unique keys make
	// the whole tick safe to repeat if it stops half-way.
	for _, id := range work {
		if err := s.DB.Write(ctx, func(tx *store.Tx) error { return s.remindIncident(tx, id, &res) }); err != nil {
			return res, err
		}
	}
	return res, nil
}

// notice is one reminder or escalation an obligation owes now.
type notice struct {
	key     string
	o       report.Obligation
	stage   string
	before  time.Duration // 0 for the escalation
	outcome string
}

type dueSet struct {
	plan     *plan.Plan
	versions []*report.Report
	notices  []notice
}

// dueNotices works out, without writing, every notice an incident's
// obligations owe at the transaction's now (claimed already or not).
func (s *Service) dueNotices(q *store.Q, in *incident.Incident) (*dueSet, error) {
	p, err := s.PlanByID(q, in.PlanID)
	if err != nil {
		return nil, err
	}
	versions, err := q.ReportVersions(in.ID)
	if err != nil {
		return nil, err
	}
	now := q.Now
	offsets := p.Reports.Daily.Reminders
	if offsets == nil {
		offsets = plan.DefaultReminders
	}
	offsets = slices.Clone(offsets)
	slices.Sort(offsets)
	slices.Reverse(offsets) // largest offset first: the earliest reminder
	d := &dueSet{plan: p, versions: versions}
	for _, o := range report.Obligations(report.ObligationRule(p, p.Category(in.Category), in), in, lightReports(versions), now) {
		if o.SubmittedAt != nil {
			continue // met: nothing to send, nothing to record
		}
		if o.Kind == report.ObligationInitial {
			// The 首报 falls due hours after discovery, mostly before
			// activation, while the duty officer is at the incident: the
			// scheduler watches activated incidents only, and a late 首报
			// shows in timeliness and as 迟报 on the incident instead.
			continue
		}
		var stages []stage
		for _, off := range offsets {
			stages = append(stages, stage{"before_" + strconv.Itoa(int(off/time.Minute)) + "m", o.Due.Add(-off), off})
		}
		stages = append(stages, stage{"overdue", o.Due, 0})
		for i, st := range stages {
			if now.Before(st.at) || (st.before == 0 && !now.After(st.at)) {
				break // not yet; later stages are later still
			}
			outcome := ReminderSent
			switch {
			case st.before > 0 && now.After(o.Due):
				outcome = ReminderLate
			case st.before > 0 && i+1 < len(stages)-1 && !now.Before(stages[i+1].at):
				outcome = ReminderSuperseded // a later reminder is due too; send only that one
			case st.before == 0 && o.State != deadline.Overdue:
				outcome = ReminderLate // missed entirely while no node ran
			}
			key := "report:" + strconv.FormatInt(in.ID, 10) + ":" + o.Kind + ":" + strconv.FormatInt(o.Due.UnixMilli(), 10) + ":" + st.name
			d.notices = append(d.notices, notice{key: key, o: o, stage: st.name, before: st.before, outcome: outcome})
		}
	}
	return d, nil
}

// stage is one notice the scheduler may owe for an obligation.
type stage struct {
	name   string
	at     time.Time
	before time.Duration // 0 for the escalation
}

// remindIncident claims and sends an incident's due notices in tx.
func (s *Service) remindIncident(tx *store.Tx, id int64, res *TickResult) error {
	in, err := tx.Incident(id) // re-read inside the transaction: it may have moved on
	if err != nil || in.ActivatedAt == nil || in.Status == incident.Closed {
		return err
	}
	due, err := s.dueNotices(&tx.Q, in)
	if err != nil {
		return err
	}
	p := due.plan
	var users []*user.User
	for _, n := range due.notices {
		o := n.o
		claimed, err := tx.RecordReminder(&store.Reminder{Key: n.key, IncidentID: in.ID, Kind: o.Kind, DueAt: o.Due, Stage: n.stage, Outcome: n.outcome})
		if err != nil {
			return err
		}
		if !claimed {
			continue
		}
		if n.outcome != ReminderSent {
			res.Skipped++
			continue
		}
		if users == nil {
			if users, err = tx.Users(in.OrgID); err != nil {
				return err
			}
		}
		escalate := n.before == 0
		to := recipientsFor(users, due.versions, o, escalate)
		kind := "report_reminder"
		if escalate {
			kind = "report_overdue"
		}
		dueText := report.ChineseTime(o.Due.In(p.Location))
		args := map[string]any{"incident": in.Number, "title": in.Title, "obligation": o.Kind, "due": o.Due.UnixMilli(),
			"due_text": dueText, "minutes": int(n.before / time.Minute)}
		for _, uid := range to {
			if err := core.Notice(tx, uid, in.ID, kind, args); err != nil {
				return err
			}
		}
		if err := tx.SetReminderRecipients(n.key, len(to)); err != nil {
			return err
		}
		notice := event.ReportReminder{Obligation: o.Kind, DueAt: o.Due.In(p.Location).Format(event.WallClock), Stage: n.stage,
			Minutes: strconv.Itoa(int(n.before / time.Minute)), Recipients: strconv.Itoa(len(to))}
		var ev event.Event = notice
		if escalate {
			ev = event.ReportOverdue(notice)
		}
		if _, err := core.Record(tx, core.Act{IncidentID: in.ID, Event: ev,
			Audit: &store.AuditEntry{Actor: "scheduler", Action: "report." + kind, ObjectType: "incident", ObjectID: in.ID, OrgID: in.OrgID,
				Detail: map[string]any{"key": n.key, "obligation": o.Kind, "due_at": o.Due.UnixMilli(), "recipients": to}}}); err != nil {
			return err
		}
		res.Sent++
	}
	return nil
}

// recipientsFor: duty officers and the author of the open draft for a
// reminder; for an escalation also the leading group.
func recipientsFor(users []*user.User, versions []*report.Report, o report.Obligation, escalate bool) []int64 {
	seen := map[int64]bool{}
	var out []int64
	add := func(id int64) {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	roles := []string{user.RoleDutyOfficer}
	if escalate {
		roles = append(roles, user.RoleLeader, user.RoleDeputy, user.RoleMember)
	}
	for _, u := range users {
		if !u.Disabled && u.HasRole(roles...) {
			add(u.ID)
		}
	}
	kind := report.Daily
	switch o.Kind {
	case report.ObligationSummary:
		kind = report.Summary
	case report.ObligationFinal:
		kind = report.Final
	}
	for _, v := range versions {
		if v.Kind == kind && v.Supersedes == 0 && v.SubmittedAt == nil && (kind != report.Daily || (v.DueAt != nil && v.DueAt.Equal(o.Due))) {
			add(v.AuthorID)
		}
	}
	return out
}
