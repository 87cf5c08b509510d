package reports

import (
	"context"
	"sort"
	"time"

	"yingji/internal/core"
	"yingji/internal/deadline"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// TimelinessFilter selects the obligations due in [From, To) of the
// organisation OrgID and those below it (0: the actor's own). Zero To is
// now plus a day; zero From is 30 days before To.
type TimelinessFilter struct {
	From, To time.Time
	OrgID    int64
}

// TimelinessRow is one obligation of one incident.
type TimelinessRow struct {
	Org        *user.Org
	Incident   *incident.Incident
	Obligation report.Obligation
}

// Tally counts obligations by outcome. Missing is overdue plus missed;
// Pending is upcoming or due soon. Late durations are of late submissions.
type Tally struct {
	OnTime, Late, Missing, Pending int
	LateTotal, LateMax             time.Duration
}

func (t *Tally) add(o report.Obligation) {
	switch o.State {
	case deadline.OnTime:
		t.OnTime++
	case deadline.Late:
		t.Late++
		t.LateTotal += o.Late
		t.LateMax = max(t.LateMax, o.Late)
	case deadline.Overdue, deadline.Missed:
		t.Missing++
	default:
		t.Pending++
	}
}

// OrgTally and IncidentTally are the per-organisation and per-incident sums.
type OrgTally struct {
	Org *user.Org
	Tally
}

type IncidentTally struct {
	Incident *incident.Incident
	Tally
}

// Timeliness is the timeliness view: every obligation in the period with
// its outcome, summed per organisation and per incident.
type Timeliness struct {
	From, To    time.Time
	Rows        []TimelinessRow
	Orgs        []*OrgTally
	Incidents   []*IncidentTally
	Total       Tally
	GeneratedAt time.Time
}

// maxTimelinessSpan bounds one query.
const maxTimelinessSpan = 366 * 24 * time.Hour

// Timeliness reports which reports were on time, late or missing, for the
// actor's organisation and those below it (a city bureau sees its counties).
func (s *Service) Timeliness(ctx context.Context, actor *user.User, f TimelinessFilter) (*Timeliness, error) {
	var out Timeliness
	err := s.DB.Read(ctx, func(q *store.Q) error {
		now := q.Now
		if f.To.IsZero() {
			// By default the period ends a day ahead, so that today's
			// deadline shows (as pending) before it passes.
			f.To = now.Add(24 * time.Hour)
		}
		if f.From.IsZero() {
			f.From = f.To.Add(-30 * 24 * time.Hour)
		}
		if !f.From.Before(f.To) {
			return errs.Field("from", "error.period_order")
		}
		if f.To.Sub(f.From) > maxTimelinessSpan {
			return errs.Field("to", "error.period_span", 366)
		}
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		org := actor.OrgID
		if f.OrgID != 0 {
			if tree.Org(f.OrgID) == nil || !tree.CanSee(actor, f.OrgID) {
				return errs.Field("org", "error.org_not_visible")
			}
			org = f.OrgID
		}
		sc, err := s.ScopeFor(q, actor, tree.Visible(org))
		if err != nil {
			return err
		}
		// A 首报 is due at most a day or so after discovery (the plan's
		// window); a week's margin keeps any sane window in.
		incidents, err := q.ReportingIncidents(tree.Visible(org), sc, f.From.Add(-7*24*time.Hour))
		if err != nil {
			return err
		}
		out.From, out.To, out.GeneratedAt = f.From, f.To, now
		byOrg := map[int64]*OrgTally{}
		for _, in := range incidents {
			p, err := s.PlanByID(q, in.PlanID)
			if err != nil {
				return err
			}
			reports, err := q.Reports(in.ID)
			if err != nil {
				return err
			}
			var it *IncidentTally
			for _, o := range report.Obligations(report.ObligationRule(p, p.Category(in.Category), in), in, reports, now) {
				if o.Due.Before(f.From) || !o.Due.Before(f.To) {
					continue
				}
				out.Rows = append(out.Rows, TimelinessRow{Org: tree.Org(in.OrgID), Incident: in, Obligation: o})
				if it == nil {
					it = &IncidentTally{Incident: in}
					out.Incidents = append(out.Incidents, it)
				}
				it.add(o)
				ot := byOrg[in.OrgID]
				if ot == nil {
					ot = &OrgTally{Org: tree.Org(in.OrgID)}
					byOrg[in.OrgID] = ot
					out.Orgs = append(out.Orgs, ot)
				}
				ot.add(o)
				out.Total.add(o)
			}
		}
		sort.Slice(out.Orgs, func(i, j int) bool { return out.Orgs[i].Org.ID < out.Orgs[j].Org.ID })
		sort.SliceStable(out.Rows, func(i, j int) bool { return out.Rows[i].Obligation.Due.Before(out.Rows[j].Obligation.Due) })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
