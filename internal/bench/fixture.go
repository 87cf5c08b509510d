package bench

import (
	"context"
	"fmt"
	"time"

	"yingji/internal/store"
)

// Benchmark fixtures. They write rows straight through the store, not
// through the use cases: a benchmark wants 100,000 incidents or 1,000,000
// audit records, and one use-case transaction per row (with its checks,
// timeline entry, audit record and chain hash) would take far longer than
// the measurement (see docs/accounts-units.md for the figures). Only
// benchmarks call them; nothing a user runs does.

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
