// Package bench seeds large data sets and measures the use cases; it serves
// both `yingji bench` and the go test benchmarks, so the figures in the
// README come from one code path.
package bench

import (
	"context"
	"fmt"
	"sort"
	"time"

	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/store"
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

// SeedIncidents inserts n incidents of org in one statement (a recursive
// CTE works on both dialects), spread over statuses, levels and categories
// as a real register would be: most closed, some active.
func SeedIncidents(ctx context.Context, db *store.DB, orgID, planID, reporterID int64, year, n int) error {
	return db.Raw(ctx, seedIncidentsSQL(orgID, planID, reporterID, year, 0, n))
}

// SeedCovered inserts n incidents, each with one timeline entry, through
// the application's write transactions (batch incidents each), so that the
// audit chain covers them as it covers any write.
func SeedCovered(ctx context.Context, db *store.DB, orgID, planID, reporterID int64, year, n, batch int) error {
	for done := 0; done < n; done += batch {
		k := min(batch, n-done)
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.Exec(seedIncidentsSQL(orgID, planID, reporterID, year, done, k)); err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO timeline (incident_id, at, actor_id, kind, data)
SELECT id, created_at, reporter_id, 'note', '{"text":"压测记录"}' FROM incidents WHERE org_id = ? AND year = ? AND seq > ? AND seq <= ?`,
				orgID, year, done, done+k)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// SeedIncidentsSQL is the statement that inserts incidents with seq from+1
// to from+n (for benchmarks that seed in steps).
func SeedIncidentsSQL(orgID, planID, reporterID int64, year, from, n int) string {
	return seedIncidentsSQL(orgID, planID, reporterID, year, from, n)
}

// seedIncidentsSQL inserts incidents with seq from+1 to from+n.
func seedIncidentsSQL(orgID, planID, reporterID int64, year, from, n int) string {
	now := time.Now().UnixMilli()
	return fmt.Sprintf(`WITH RECURSIVE seq(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM seq WHERE i < %d)
INSERT INTO incidents (org_id, plan_id, year, seq, number, title, category, gb_class, level, status,
	discovered_at, discovery_method, description, reporter_id, activated_at, created_at, updated_at)
SELECT %d, %d, %d, i, 'BN-%d-' || i, '压测事件 ' || i,
	CASE i %% 5 WHEN 0 THEN 'harmful_info' WHEN 1 THEN 'malicious_hype' WHEN 2 THEN 'network_attack' WHEN 3 THEN 'virus_outbreak' ELSE 'assigned_task' END,
	'attack', 1 + i %% 4,
	CASE WHEN i %% 100 = 0 THEN 'active' WHEN i %% 100 = 1 THEN 'reported' ELSE 'closed' END,
	%d - i * CAST(60000 AS BIGINT), '监测发现', '压测数据', %d, %d - i * CAST(60000 AS BIGINT), %d - i * CAST(60000 AS BIGINT), %d - i * CAST(60000 AS BIGINT)
FROM seq`, from+1, from+n, orgID, planID, year, year, now, reporterID, now, now, now)
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

// SeedAudit appends n audit records through the real chain code, batch
// records per transaction.
func SeedAudit(ctx context.Context, db *store.DB, n, batch int) error {
	for done := 0; done < n; {
		k := min(batch, n-done)
		err := db.Write(ctx, func(tx *store.Tx) error {
			for i := 0; i < k; i++ {
				if err := tx.Audit(store.AuditEntry{Actor: "bench", Action: "bench.record", ObjectType: "bench", ObjectID: int64(done + i),
					Detail: map[string]any{"i": done + i, "note": "基准测试记录"}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		done += k
	}
	return nil
}
