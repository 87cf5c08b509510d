package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"yingji/internal/app"
	"yingji/internal/bench"
	"yingji/internal/demo"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

const benchUsage = `yingji bench lifecycle [-n 200] [--db URL]   full lifecycles through the service layer
yingji bench list [-n 100000] [--db URL]      incident list pages of 50 over n incidents
yingji bench audit [-n 1000000] [--db URL]    audit verify over n records
yingji bench state [-n 100000] [--db URL]     audit verify with n incidents and n timeline entries covered
yingji bench ingest [--batch 100] [--concurrency 32] [--dup-ratio 0.5] [--duration 10s] [--pg | --db URL] [--syslog-duration 5s]
                                              a real serve driven with Alertmanager webhooks and syslog TCP

Without --db the benchmark runs on a fresh SQLite file in a temporary
directory (removed afterwards). With --db, give an EMPTY throwaway PostgreSQL
database: the benchmark writes test data into it.
`

func benchCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Print(benchUsage)
		return nil
	}
	if args[0] == "ingest" { // issue 12 (bench_ingest.go): a real server, driven over HTTP
		return benchIngest(ctx, args[1:])
	}
	fs := flag.NewFlagSet("yingji bench "+args[0], flag.ContinueOnError)
	n := fs.Int("n", 0, "size (default depends on the benchmark)")
	dbURL := fs.String("db", "", "PostgreSQL URL of an empty throwaway database")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError(2)
	}
	dir, err := os.MkdirTemp("", "yingji-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	d := dbFlags{data: dir, db: *dbURL}
	a, p, err := d.open(ctx, quietLog())
	if err != nil {
		return err
	}
	defer a.Core.DB.Close()
	if *dbURL != "" {
		if users, err := a.Accounts.ListUsers(ctx); err != nil || len(users) > 0 {
			return fmt.Errorf("bench writes test data: give it an empty database (this one has %d users)", len(users))
		}
	}
	user.BcryptCost = 4 // demo accounts only; their passwords are not the point here
	if _, err := demo.Ensure(ctx, a, p, user.NewPassword()); err != nil {
		return err
	}
	var duty, approver *user.User
	var planID int64
	err = a.Core.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if duty, err = q.UserByName("duty"); err != nil {
			return err
		}
		if approver, err = q.UserByName("citydeputy"); err != nil {
			return err
		}
		row, err := q.LatestPlan(p.Key)
		planID = row.ID
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("database: %s\n", a.Core.DB)
	switch args[0] {
	case "lifecycle":
		count := orDefault(*n, 200)
		t0 := time.Now()
		var times []time.Duration
		for i := 0; i < count; i++ {
			t1 := time.Now()
			if err := bench.Lifecycle(ctx, a.Incidents, bench.Actors{Duty: duty, Approver: approver}); err != nil {
				return err
			}
			times = append(times, time.Since(t1))
		}
		el := time.Since(t0)
		fmt.Printf("lifecycle (5 changes each): %d in %s = %.1f lifecycles/s (%.0f changes/s); per lifecycle %s\n",
			count, el.Round(time.Millisecond), float64(count)/el.Seconds(), 5*float64(count)/el.Seconds(), bench.Summarise(times))
	case "list":
		count := orDefault(*n, 100_000)
		t0 := time.Now()
		if err := bench.SeedIncidents(ctx, a.Core.DB, duty.OrgID, planID, duty.ID, 2025, count); err != nil {
			return err
		}
		fmt.Printf("seeded %d incidents in %s\n", count, time.Since(t0).Round(time.Millisecond))
		for _, c := range []struct {
			name string
			f    incident.Filter
		}{{"first page", incident.Filter{Limit: 50}}, {"page at the middle", incident.Filter{Limit: 50, Before: int64(count / 2)}},
			{"status=active", incident.Filter{Limit: 50, Statuses: []incident.Status{incident.Active}}}} {
			var times []time.Duration
			for i := 0; i < 1000; i++ {
				t1 := time.Now()
				if _, err := a.Incidents.ListIncidents(ctx, duty, c.f); err != nil {
					return err
				}
				times = append(times, time.Since(t1))
			}
			fmt.Printf("list %-20s %s\n", c.name+":", bench.Summarise(times))
		}
	case "audit":
		count := orDefault(*n, 1_000_000)
		// one incident's life first: records for the filters to find under the seeded ones
		if err := bench.Lifecycle(ctx, a.Incidents, bench.Actors{Duty: duty, Approver: approver}); err != nil {
			return err
		}
		t0 := time.Now()
		if err := bench.SeedAudit(ctx, a.Core.DB, count, 10_000); err != nil {
			return err
		}
		fmt.Printf("seeded %d audit records in %s\n", count, time.Since(t0).Round(time.Millisecond))
		res, el, err := verifyTimed(ctx, a)
		if err != nil {
			return err
		}
		fmt.Printf("audit verify: %d records in %s (%.0f records/s)\n", res.Records, el.Round(time.Millisecond), float64(res.Records)/el.Seconds())
		return benchAuditPages(ctx, a)
	case "state":
		count := orDefault(*n, 100_000)
		t0 := time.Now()
		if err := bench.SeedCovered(ctx, a.Core.DB, duty.OrgID, planID, duty.ID, 2025, count, 10_000); err != nil {
			return err
		}
		fmt.Printf("seeded %d incidents and %d timeline entries, covered by the chain, in %s\n", count, count, time.Since(t0).Round(time.Millisecond))
		res, el, err := verifyTimed(ctx, a)
		if err != nil {
			return err
		}
		fmt.Printf("audit verify with state: %d records, %d rows in %s (%.0f rows/s)\n", res.Records, res.Rows, el.Round(time.Millisecond), float64(res.Rows)/el.Seconds())
	default:
		fmt.Fprint(os.Stderr, benchUsage)
		return exitError(2)
	}
	return nil
}

// verifyTimed verifies the whole audit chain (a broken one is an error)
// and says how long it took.
func verifyTimed(ctx context.Context, a *app.App) (store.VerifyResult, time.Duration, error) {
	t0 := time.Now()
	res, err := a.AuditLog.VerifyAudit(ctx)
	if err == nil {
		err = res.Err
	}
	return res, time.Since(t0), err
}

func orDefault(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}
