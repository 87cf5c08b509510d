package main

import (
	"context"
	"fmt"
	"time"

	"yingji/internal/app"
	"yingji/internal/audit"
	"yingji/internal/bench"
	"yingji/internal/store"
	"yingji/internal/user"
)

// benchAuditPages times the 审计记录 page's reads over the seeded chain, as
// the city's audit administrator: the newest page, and filtered pages
// whose records lie deep under the seeded ones (the lifecycle's, written
// before them) or nowhere (a day with no records).
func benchAuditPages(ctx context.Context, a *app.App) error {
	var auditor *user.User
	err := a.Core.DB.Read(ctx, func(q *store.Q) error {
		var err error
		auditor, err = q.UserByName("auditor")
		return err
	})
	if err != nil {
		return err
	}
	yesterday := a.Core.Now().AddDate(0, 0, -1)
	for _, c := range []struct {
		name string
		f    audit.Filter
	}{
		{"newest page", audit.Filter{}},
		{"actor=duty", audit.Filter{Actor: "duty"}},
		{"action=approval.decide", audit.Filter{Action: "approval.decide"}},
		{"incident=1", audit.Filter{IncidentRef: "1"}},
		{"a day with none", audit.Filter{From: yesterday.Add(-24 * time.Hour), To: yesterday}},
		{"page at the middle", audit.Filter{Before: 500_000}},
	} {
		c.f.Newest, c.f.Limit = true, audit.PageSize
		var times []time.Duration
		for i := 0; i < 200; i++ {
			t1 := time.Now()
			if _, err := a.AuditLog.Records(ctx, auditor, c.f); err != nil {
				return err
			}
			times = append(times, time.Since(t1))
		}
		fmt.Printf("audit records %-24s %s\n", c.name+":", bench.Summarise(times))
	}
	return nil
}
