// Package bench seeds large data sets and measures the use cases; it serves
// both `yingji bench` and the go test benchmarks, so the figures in the
// README come from one code path. The people and organisations of a
// benchmark come from demo.Ensure (the use cases); the bulk rows come from
// the fixtures in fixture.go.
package bench

import (
	"context"
	"fmt"
	"sort"
	"time"

	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/user"
)

// Stats summarises a series of timings.
type Stats struct {
	N             int
	Total         time.Duration
	P50, P99, Max time.Duration
}

// Summarise computes percentiles (nearest rank).
func Summarise(d []time.Duration) Stats {
	if len(d) == 0 {
		return Stats{}
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	var total time.Duration
	for _, v := range s {
		total += v
	}
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return Stats{N: len(s), Total: total, P50: rank(0.50), P99: rank(0.99), Max: s[len(s)-1]}
}

func (s Stats) String() string {
	return fmt.Sprintf("n=%d p50=%s p99=%s max=%s", s.N, s.P50, s.P99, s.Max)
}

// Actors are the users a lifecycle needs.
type Actors struct{ Duty, Approver *user.User }

// Lifecycle runs one incident through create → request activation → approve
// → close the tasks as 不适用 → request termination → approve. The category
// is one the city approves both ways (virus_outbreak under the shipped
// plan), so that one Approver decides both requests: network_attack is
// activated by the county's own leading group since the per-category rule.
func Lifecycle(ctx context.Context, svc *incidents.Service, a Actors) error {
	in, err := svc.CreateIncident(ctx, a.Duty, incidents.NewIncident{Title: "压测事件", Category: "virus_outbreak", Level: 3,
		DiscoveredAt: svc.Now().Add(-time.Minute), Description: "基准测试"})
	if err != nil {
		return err
	}
	ap, err := svc.RequestActivation(ctx, a.Duty, in.ID, "基准测试")
	if err != nil {
		return err
	}
	if _, err := svc.Decide(ctx, a.Approver, ap.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
		return err
	}
	// Every task before termination is done or 不适用 before it is requested.
	open, err := svc.OpenTasksBeforeTermination(ctx, a.Duty, in.ID)
	if err != nil {
		return err
	}
	na, reason := string(incident.TaskNA), "基准测试"
	for _, t := range open {
		if _, err := svc.UpdateTask(ctx, a.Duty, in.ID, t.ID, incidents.TaskPatch{Status: &na, Reason: &reason}); err != nil {
			return err
		}
	}
	ap, err = svc.RequestTermination(ctx, a.Duty, in.ID, "基准测试")
	if err != nil {
		return err
	}
	_, err = svc.Decide(ctx, a.Approver, ap.ID, incidents.Decision{Approve: true, Opinion: "同意"})
	return err
}
