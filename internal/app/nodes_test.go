package app_test

import (
	"fmt"
	"sync"
	"testing"
	"time"
	"yingji/internal/app"
	"yingji/internal/incident"

	"yingji/internal/auditlog"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// Several nodes on one PostgreSQL (or several processes on one SQLite file)
// write at the same time: every change lands, incident numbers stay unique
// and the audit chain stays one contiguous chain.
func TestSeveralNodesOneDatabase(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		nodes := []*app.App{env.App}
		for i := 0; i < 2; i++ {
			db, err := store.Open(ctx, env.URL, env.Dir)
			if err != nil {
				t.Fatal(err)
			}
			db.Now = env.Clock.Now
			t.Cleanup(func() { db.Close() })
			nodes = append(nodes, app.New(db, nil))
		}
		var wg sync.WaitGroup
		errc := make(chan error, 60)
		for n, a := range nodes {
			for w := 0; w < 2; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 10; i++ {
						_, err := a.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{Title: fmt.Sprintf("节点%d-%d-%d", n, w, i),
							Category: "network_attack", Level: 4, DiscoveredAt: env.Clock.Now().Add(-time.Minute)})
						if err != nil {
							errc <- err
						}
					}
				}()
			}
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		list, err := env.App.Incidents.ListIncidents(ctx, env.Users["duty"], incident.Filter{Limit: 500})
		if err != nil || len(list) != 60 {
			t.Fatalf("%d incidents, %v", len(list), err)
		}
		numbers := map[string]bool{}
		for _, in := range list {
			if numbers[in.Number] {
				t.Fatalf("number %s given twice", in.Number)
			}
			numbers[in.Number] = true
		}
		res, err := auditlog.New(nodes[2].Core).VerifyAudit(ctx)
		if err != nil || res.Err != nil {
			t.Fatalf("chain: %v %v", err, res.Err)
		}
	})
}
