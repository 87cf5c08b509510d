package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"yingji/internal/app"
	"yingji/internal/demo"
	"yingji/internal/rota"
	"yingji/internal/store"
	"yingji/internal/user"
	"yingji/internal/web"
)

// `yingji duty now --json` prints the document GET /api/v1/duty/now answers
// (rota.NowJSON writes both), with someone on duty, without a web server.
func TestDutyNowJSONAsAPI(t *testing.T) {
	data := demoData(t)
	out, code := run(t, nil, "user", "token", "duty", "--expires", "7d", "--data", data)
	if code != 0 {
		t.Fatalf("token: %d %s", code, out)
	}
	tok := strings.TrimSpace(out)

	ctx := context.Background()
	db := openData(t, data)
	defer db.Close()
	a := app.New(db, nil)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	var county int64
	people := map[string]int64{}
	if err := db.Read(ctx, func(q *store.Q) error {
		o, err := q.OrgByName(demo.County)
		if err != nil {
			return err
		}
		county = o.ID
		for _, n := range []string{"chief", "duty"} {
			u, err := q.UserByName(n)
			if err != nil {
				return err
			}
			people[n] = u.ID
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// 24-hour shifts from yesterday: one is in force now.
	first := a.Core.Now().In(loc).AddDate(0, 0, -1)
	if _, err := a.Rota.CreateRotation(ctx, user.System(), loc, rota.RotationInput{Org: county, Kind: "24h", First: first, Days: 3,
		DayStart: 8 * time.Hour, Leaders: []int64{people["chief"]}, Officers: []int64{people["duty"]}}); err != nil {
		t.Fatal(err)
	}

	out, code = run(t, nil, "duty", "now", "--json", "--data", data)
	if code != 0 {
		t.Fatalf("duty now --json: %d %s", code, out)
	}
	var cli map[string]any
	if err := json.Unmarshal([]byte(out), &cli); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}

	srv := httptest.NewServer(web.New(a, nil, loc))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/duty/now", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var api map[string]any
	if err := json.NewDecoder(res.Body).Decode(&api); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("api: %d %v", res.StatusCode, err)
	}
	// The two were asked a moment apart.
	delete(cli, "at")
	delete(api, "at")
	if !reflect.DeepEqual(cli, api) {
		t.Fatalf("CLI and API differ:\ncli %v\napi %v", cli, api)
	}
	if cli["on_duty"] != true || cli["leader"].(map[string]any)["display_name"] == "" {
		t.Fatalf("nobody on duty: %v", cli)
	}
}
