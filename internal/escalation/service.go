package escalation

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"yingji/internal/core"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/rollcall"
	"yingji/internal/store"
)

// The ticker's lease, as the report scheduler's (reports.SchedulerTick):
// several nodes on one database, one of them does each tick's work.
const (
	LeaseName = "escalation"
	Lease     = 2 * time.Minute
	Interval  = 30 * time.Second
)

// Duty answers who leads the duty of an organisation at a time (the rota).
type Duty interface {
	OnDuty(q *store.Q, orgID int64, at time.Time) (int64, []int64, error)
}

// Service runs escalation.
type Service struct {
	*core.Core
	Duty Duty
	// afterRead runs between the tick's read and its writes (tests: a
	// decision taken in that gap).
	afterRead func()
}

// New builds the service.
func New(c *core.Core, d Duty) *Service { return &Service{Core: c, Duty: d} }

// Result says what one tick did.
type Result struct {
	Leader bool // this node held the lease and did the work
	Taken  int  // escalations taken (one transaction each)
	Sent   int  // notices written
}

// Run ticks every interval until ctx ends, then gives the lease up.
func (s *Service) Run(ctx context.Context, holder string, interval time.Duration) {
	s.RunLeased(ctx, LeaseName, holder, "escalation", interval, func(ctx context.Context) error {
		res, err := s.Tick(ctx, holder)
		if err == nil && res.Taken > 0 {
			s.Log.Info("escalation", "taken", res.Taken, "sent", res.Sent)
		}
		return err
	})
}

// askKinds are the notices that asked for a decision, by request kind.
var askKinds = map[string]string{"approval_requested": event.KindApproval, "task_approval_requested": event.KindTask, "report_signoff_requested": event.KindReport}

// askID is the id an asking notice names.
var askID = map[string]string{event.KindApproval: "approval_id", event.KindTask: "task_id", event.KindReport: "report_id"}

// Tick takes the lease, reads the state of every incident escalation looks
// at, and takes each escalation due, one transaction each. The keys make it
// safe to repeat if it stops half-way.
func (s *Service) Tick(ctx context.Context, holder string) (Result, error) {
	var res Result
	var err error
	res.Leader, err = s.TakeLease(ctx, LeaseName, holder, Lease)
	if err != nil || !res.Leader {
		return res, err
	}
	type job struct {
		in *incident.Incident
		a  Action
	}
	var jobs []job
	err = s.DB.Read(ctx, func(q *store.Q) error {
		now := q.Now
		ins, err := q.EscalationIncidents()
		if err != nil || len(ins) == 0 {
			return err
		}
		done, err := q.EscalationKeys()
		if err != nil {
			return err
		}
		w, err := s.world(q)
		if err != nil {
			return err
		}
		missing, err := q.MissingRollCalls()
		if err != nil {
			return err
		}
		asks, err := s.asks(q)
		if err != nil {
			return err
		}
		tasks, err := q.OverdueTasks(now)
		if err != nil {
			return err
		}
		byIncTask := map[int64][]Task{}
		for _, t := range tasks {
			byIncTask[t.IncidentID] = append(byIncTask[t.IncidentID], Task{ID: t.ID, Title: t.Title, Department: t.Department, DueAt: *t.DueAt})
		}
		for _, in := range ins {
			p, err := s.PlanByID(q, in.PlanID)
			if err != nil {
				return err
			}
			x := &Incident{ID: in.ID, OrgID: in.OrgID, Number: in.Number, Title: in.Title, Rules: p.Escalation, Asks: asks[in.ID], Tasks: byIncTask[in.ID]}
			if in.Status == incident.Active || in.Status == incident.TerminationRequested {
				for _, r := range missing[in.ID] {
					x.Missing = append(x.Missing, Missing{ID: r.ID, UserID: r.UserID, OutboxID: r.OutboxID, Name: r.Name, OpenedAt: r.OpenedAt, ExpiresAt: r.ExpiresAt})
				}
			}
			if len(x.Missing) > 0 && p.Escalation.RollCall.Tell != "" && s.Duty != nil {
				if x.DutyLeader, _, err = s.Duty.OnDuty(q, in.OrgID, now); err != nil {
					return err
				}
			}
			for _, a := range Due(now, x, w, done) {
				jobs = append(jobs, job{in, a})
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	if s.afterRead != nil {
		s.afterRead()
	}
	for _, j := range jobs {
		var sent int
		if err := s.DB.Write(ctx, func(tx *store.Tx) error {
			var err error
			sent, err = take(tx, j.in, j.a)
			return err
		}); err != nil {
			return res, err
		}
		if sent > 0 {
			res.Taken++
			res.Sent += sent
		}
	}
	return res, nil
}

func (s *Service) world(q *store.Q) (*World, error) {
	w := &World{People: map[int64]*Person{}, Parent: map[int64]int64{}}
	users, err := q.Users(0)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if !u.Disabled {
			w.People[u.ID] = &Person{ID: u.ID, Name: u.DisplayName, OrgID: u.OrgID, Department: u.Department, Roles: u.Roles}
		}
	}
	tree, err := core.LoadTree(q)
	if err != nil {
		return nil, err
	}
	for _, o := range tree.IDs() {
		w.Parent[o] = tree.Parent(o)
	}
	return w, nil
}

// asks are the pending requests by incident, each with those its notices
// asked: they are the ones reminded.
func (s *Service) asks(q *store.Q) (map[int64][]Ask, error) {
	ps, err := q.PendingRequests()
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	kinds := make([]string, 0, len(askKinds))
	for k := range askKinds {
		kinds = append(kinds, k)
	}
	ns, err := q.AskNotices(kinds)
	if err != nil {
		return nil, err
	}
	type ref struct {
		kind string
		id   int64
	}
	asked := map[ref][]int64{}
	for _, n := range ns {
		kind := askKinds[n.Kind]
		var body map[string]any
		if json.Unmarshal([]byte(n.Body), &body) != nil {
			continue
		}
		if f, ok := body[askID[kind]].(float64); ok {
			r := ref{kind, int64(f)}
			asked[r] = append(asked[r], n.RecipientID)
		}
	}
	out := map[int64][]Ask{}
	for _, p := range ps {
		ds := dedupe(asked[ref{p.Kind, p.ID}])
		out[p.IncidentID] = append(out[p.IncidentID], Ask{Kind: p.Kind, ID: p.ID, Title: p.Title, RequestedAt: p.RequestedAt, Deciders: ds})
	}
	return out, nil
}

func dedupe(ids []int64) []int64 {
	seen := map[int64]bool{}
	out := ids[:0:0]
	for _, x := range ids {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// take claims an escalation's keys and, for those claimed, writes its
// notices, its timeline entry and its audit record, in tx. It returns the
// notices written: 0 when another node or an earlier tick took it.
func take(tx *store.Tx, in *incident.Incident, a Action) (int, error) {
	data := map[string]string{"rule": a.Rule}
	for k, v := range a.Data {
		data[k] = v
	}
	var to []int64
	keys := a.Keys
	if a.Rule == RuleResend {
		keys = nil
		var names []string
		rs, err := tx.RollCalls(in.ID) // one read, not one a row
		if err != nil {
			return 0, err
		}
		byID := make(map[int64]*store.RollCall, len(rs))
		for _, r := range rs {
			byID[r.ID] = r
		}
		for i, k := range a.Keys {
			// Confirmed since the read: not paged again.
			r := byID[a.Rows[i].ID]
			if r == nil || r.ConfirmedAt != nil {
				continue
			}
			ok, err := tx.ClaimEscalation(k, in.ID, a.Rule, r.ID, r.UserID)
			if err != nil {
				return 0, err
			}
			if !ok {
				continue
			}
			m := &store.Message{Channel: "sms", RecipientID: r.UserID, IncidentID: in.ID, Kind: rollcall.KindResend, Body: rollcall.ResendBody(r, in.Number, in.Title)}
			if err := tx.Enqueue(m); err != nil {
				return 0, err
			}
			to, names, keys = append(to, r.UserID), append(names, r.Name), append(keys, k)
		}
		data["names"], data["count"] = strings.Join(names, "、"), strconv.Itoa(len(names))
	} else {
		if a.Rule == RuleRemind || a.Rule == RuleNextUp {
			// Decided since the read: nobody is reminded of it.
			pending, err := tx.StillPending(a.Data["kind"], a.SubjectID)
			if err != nil || !pending {
				return 0, err
			}
		}
		ok, err := tx.ClaimEscalation(a.Keys[0], in.ID, a.Rule, a.SubjectID, 0)
		if err != nil || !ok {
			return 0, err
		}
		for _, u := range a.To {
			if err := core.Notice(tx, u, in.ID, a.Kind, a.Args); err != nil {
				return 0, err
			}
		}
		to = a.To
	}
	if len(to) == 0 {
		return 0, nil
	}
	if a.Rule == RuleMissing {
		// Who the tell names is who is missing as it is sent.
		rs, err := tx.RollCalls(in.ID)
		if err != nil {
			return 0, err
		}
		var names []string
		for _, r := range rs {
			if r.ConfirmedAt == nil {
				names = append(names, r.Name)
			}
		}
		data["names"], data["count"] = strings.Join(names, "、"), strconv.Itoa(len(names))
		told := make([]string, 0, len(to))
		for _, u := range to {
			if x, err := tx.User(u); err == nil {
				told = append(told, x.DisplayName)
			}
		}
		data["told"] = strings.Join(told, "、")
	}
	// The rule's data (rules.go) is flat strings: it decodes into the typed
	// event as a stored row would, and the audit record keeps it as is.
	_, err := core.Record(tx, core.Act{IncidentID: in.ID, Event: event.Decode(event.KindEscalated, data),
		Audit: &store.AuditEntry{Actor: "escalation", Action: "escalation." + a.Rule, ObjectType: "incident", ObjectID: in.ID, OrgID: in.OrgID,
			Detail: map[string]any{"keys": keys, "to": to, "subject_id": a.SubjectID, "data": data}}})
	return len(to), err
}
