package alerts

import (
	"context"
	"strconv"
	"strings"
	"time"

	"yingji/internal/alertrule"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incidents"
	"yingji/internal/plan"
	"yingji/internal/registry"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/user"
)

// The handler's lease, as escalation's: several nodes on one database, one
// of them handles each batch.
const (
	LeaseName = "alert-handler"
	Lease     = 30 * time.Second
	Interval  = 2 * time.Second
	Batch     = 200
)

// Result says what one tick did.
type Result struct {
	Leader   bool
	Handled  int
	Paged    int // notices written
	Incident int // incidents registered by alert rules
	Woken    int // silences ended
	Noted    int // linked alerts' status changes put on their incidents' timelines
}

// Run ticks every interval until ctx ends, then gives the lease up.
func (s *Service) Run(ctx context.Context, holder string, interval time.Duration) {
	s.RunLeased(ctx, LeaseName, holder, "alert handler", interval, func(ctx context.Context) error {
		res, err := s.Tick(ctx, holder)
		if err == nil && (res.Handled > 0 || res.Woken > 0 || res.Noted > 0) {
			s.Log.Info("alert handler", "handled", res.Handled, "paged", res.Paged, "incidents", res.Incident, "woken", res.Woken, "noted", res.Noted)
		}
		return err
	})
}

// orgWorld is what handling needs of one organisation, read once a batch.
type orgWorld struct {
	sites     []*registry.Website
	rules     []plan.AlertRule
	sensitive bool
	leader    int64
	officers  []int64
}

// Tick takes the lease, ends the silences that are over, puts the linked
// alerts' changes of status on their incidents' timelines (noteStatus),
// and handles up to Batch alerts, one transaction each; it repeats while
// full batches come.
func (s *Service) Tick(ctx context.Context, holder string) (Result, error) {
	var res Result
	var err error
	res.Leader, err = s.TakeLease(ctx, LeaseName, holder, Lease)
	if err != nil || !res.Leader {
		return res, err
	}
	if res.Woken, err = s.wake(ctx); err != nil {
		return res, err
	}
	if res.Noted, err = s.noteStatus(ctx); err != nil {
		return res, err
	}
	for range 50 { // at most 10,000 a tick: the lease must not run out under us
		var batch []*signal.Alert
		worlds := map[int64]*orgWorld{}
		err := s.DB.Read(ctx, func(q *store.Q) error {
			var err error
			if batch, err = q.UnhandledAlerts(Batch); err != nil {
				return err
			}
			for _, a := range batch {
				if worlds[a.OrgID] == nil {
					if worlds[a.OrgID], err = s.world(q, a.OrgID); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		// One transaction an alert, each with its fsync: batching them was
		// measured (docs/alerts.md) and left out; the work list's order
		// (worst first) is what gets a critical alert paged in a flood.
		if err := s.handleOneByOne(ctx, batch, worlds, &res); err != nil {
			return res, err
		}
		if len(batch) < Batch {
			return res, nil
		}
	}
	return res, nil
}

// handleOneByOne handles each alert of batch in its own transaction.
func (s *Service) handleOneByOne(ctx context.Context, batch []*signal.Alert, worlds map[int64]*orgWorld, res *Result) error {
	for _, a := range batch {
		var one Result
		err := s.DB.Write(ctx, func(tx *store.Tx) error { one = Result{}; return s.handle(tx, a, worlds[a.OrgID], &one, false) })
		if err != nil && ctx.Err() == nil {
			// One alert the rule cannot act on (say, the plan changed
			// under it) must not stop the queue: it is handled without
			// the rule's page and registration, and its history says so.
			s.Log.Error("alert handler: rule failed", "alert", a.ID, "err", err)
			err = s.DB.Write(ctx, func(tx *store.Tx) error { one = Result{}; return s.handle(tx, a, worlds[a.OrgID], &one, true) })
		}
		if err != nil {
			return err
		}
		res.add(one)
	}
	return nil
}

func (r *Result) add(o Result) {
	r.Handled, r.Paged, r.Incident = r.Handled+o.Handled, r.Paged+o.Paged, r.Incident+o.Incident
}

// world reads an organisation's registered websites, the alert rules of the
// plan it runs, whether a sensitive period is declared and who is on duty.
func (s *Service) world(q *store.Q, orgID int64) (*orgWorld, error) {
	w := &orgWorld{}
	var err error
	if w.sites, err = q.WebsitesOfOrg(orgID); err != nil {
		return nil, err
	}
	if org, err := q.Org(orgID); err == nil && org.PlanKey != "" {
		if p, _, err := s.CurrentPlan(q, org); err == nil {
			w.rules = p.AlertRules
		}
	}
	if s.Duty != nil {
		if w.sensitive, err = s.Duty.InPeriod(q, orgID, q.Now); err != nil {
			return nil, err
		}
		if w.leader, w.officers, err = s.Duty.OnDuty(q, orgID, q.Now); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// handle applies the registry, the priority rule and the plan's alert rule
// to one alert, in tx.
// degraded: an earlier attempt failed; the rule's page and registration are
// left out and the history says the rule failed.
func (s *Service) handle(tx *store.Tx, a *signal.Alert, w *orgWorld, res *Result, degraded bool) error {
	h := store.Handling{}
	site := alertrule.MatchSite(w.sites, a.DstIP, a.Domain)
	key := site != nil && site.KeySite
	if site != nil {
		h.UnitID, h.WebsiteID = site.UnitID, site.ID
	} else if unit, err := reportUnit(&tx.Q, a); err != nil {
		return err
	} else {
		h.UnitID = unit
	}
	h.Priority = alertrule.Priority(a.Severity, key, w.sensitive)
	rule := alertrule.Applies(w.rules, a, key, w.sensitive)
	data := map[string]string{"priority": strconv.Itoa(h.Priority)}
	if site != nil {
		data["site"] = site.Name
	}
	if w.sensitive {
		data["sensitive"] = "true"
	}
	var paged []int64
	var reporter int64
	if rule != nil {
		h.RuleName, h.Category, h.Level = rule.Name, rule.Category, rule.LevelNum
		data["rule"] = rule.Name
		// A source saying "over" is recorded, not paged or registered.
		firing := a.Status != signal.Resolved && !degraded
		if degraded {
			data["failed"] = "true"
		}
		if rule.Page && firing {
			paged = onDuty(w)
			h.Paged = len(paged) > 0
		}
		if rule.Register && firing {
			if len(w.officers) > 0 {
				reporter = w.officers[0]
			} else {
				reporter = w.leader
			}
			if reporter == 0 {
				data["register"] = "nobody_on_duty"
			}
		}
	}
	ok, err := tx.HandleAlert(a.ID, h)
	if err != nil || !ok {
		return err // another node handled it
	}
	// Read again in the transaction: a person may have promoted or attached
	// it since the batch was read; it is theirs then, and nobody is paged or
	// registers a second incident for it.
	if cur, err := tx.Alert(a.ID); err != nil {
		return err
	} else if cur.IncidentID != 0 || cur.State == signal.Promoted {
		paged, reporter = nil, 0
		data["taken"] = "true"
	}
	for _, u := range paged {
		if err := core.Notice(tx, u, 0, NoticePaged, map[string]any{"alert_id": a.ID, "title": a.Title, "priority": h.Priority, "rule": h.RuleName}); err != nil {
			return err
		}
	}
	if len(paged) > 0 {
		data["paged"] = strconv.Itoa(len(paged))
		res.Paged += len(paged)
	}
	if reporter != 0 {
		in, err := s.Incidents.RegisterForOrgTx(tx, a.OrgID, incidents.NewIncident{
			Title: cut(a.Title, 200), Category: h.Category, Level: h.Level, DiscoveredAt: a.FirstSeen,
			DiscoveryMethod: discoveryMethod(a), Description: cut(a.Detail, 20000), ReporterID: reporter})
		if err != nil {
			return err
		}
		if ok, err := tx.SetAlertState(a.ID, Actionable, signal.Promoted, 0, nil, "", in.ID); err != nil {
			return err
		} else if !ok { // taken by a person meanwhile: the incident is not kept
			return errs.New(errs.Conflict, "alert.bad_state")
		}
		if err := entry(tx, 0, in.ID, a, event.HowRule); err != nil {
			return err
		}
		data["incident"], data["number"] = strconv.FormatInt(in.ID, 10), in.Number
		res.Incident++
	}
	res.Handled++
	if err := tx.AddAlertEvent(a.ID, 0, alertrule.EventHandled, data); err != nil {
		return err
	}
	return tx.Audit(core.AuditEntry(user.System(), "alert.handle", "alert", a.ID, a.OrgID, map[string]any{
		"unit_id": h.UnitID, "website_id": h.WebsiteID, "priority": h.Priority, "rule": h.RuleName, "paged": paged, "incident": data["incident"]}))
}

// reportUnit is the unit whose report through the units' channel made the
// alert, or 0. Only the channel's own record counts: a source's signal has
// a source id, and a unit_id label anyone could send is never read.
func reportUnit(q *store.Q, a *signal.Alert) (int64, error) {
	if a.Format != signal.FormatUnit || a.SourceID != 0 {
		return 0, nil
	}
	_, unit, _, err := q.UnitReportOfAlert(a.ID)
	return unit, err
}

// onDuty is the people paged: the officers on duty, then the leader.
func onDuty(w *orgWorld) []int64 {
	out := append([]int64(nil), w.officers...)
	if w.leader != 0 && !contains(out, w.leader) {
		out = append(out, w.leader)
	}
	return out
}

func contains(xs []int64, x int64) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// entry puts an alert on an incident's timeline.
func entry(tx *store.Tx, actorID, incidentID int64, a *signal.Alert, how string) error {
	// The alert's history and audit record (linked, the rule's run) tell
	// the alert's side of it; they are written apart.
	_, err := core.Record(tx, core.Act{IncidentID: incidentID, ActorID: actorID, Event: event.AlertAttached{
		AlertID: strconv.FormatInt(a.ID, 10), Title: a.Title, Rule: a.Rule, Count: strconv.FormatInt(a.Count, 10), How: how}})
	return err
}

// wake ends the silences that are over: the alerts are open again.
func (s *Service) wake(ctx context.Context) (int, error) {
	n := 0
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ids, err := tx.SilencesOver(tx.Now, Batch)
		if err != nil {
			return err
		}
		for _, id := range ids {
			ok, err := tx.SetAlertState(id, []signal.State{signal.Silenced}, signal.Open, 0, nil, "", 0)
			if err != nil {
				return err
			}
			if ok {
				if err := tx.AddAlertEvent(id, 0, alertrule.EventWoken, nil); err != nil {
					return err
				}
				n++
			}
		}
		if n == 0 {
			return nil
		}
		return tx.Audit(core.AuditEntry(user.System(), "alert.silence_over", "alert", 0, 0, map[string]any{"ids": ids}))
	})
	return n, err
}

// discoveryMethod is the 发现方式 of an incident an alert became, as the
// incident's page and every report state it: a unit's report and yingji's
// own website checks by name (their rules, "unit.report" and "monitor.down",
// are codes nobody reads), a device's alert with its rule.
func discoveryMethod(a *signal.Alert) string {
	switch a.Format {
	case signal.FormatUnit:
		return "联网单位报告"
	case signal.FormatMonitor:
		return "本系统网站监测"
	}
	return cut("监测告警（规则："+cut(a.Rule, 180)+"）", 200)
}

// cut shortens s to at most n characters.
func cut(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
