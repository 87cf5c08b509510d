package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"yingji/internal/ingest"
	"yingji/internal/intake"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

func post(t *testing.T, url, auth, body string) (*http.Response, map[string]any) {
	t.Helper()
	return postHeaders(t, url, body, "Authorization", auth)
}

// postHeaders posts body with the given header names and values (an empty
// value is left out) and reads the JSON answer (nil when it is not JSON).
func postHeaders(t *testing.T, url, body string, header ...string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] != "" {
			req.Header.Set(header[i], header[i+1])
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	json.Unmarshal(raw, &m)
	return res, m
}

// An Alertmanager webhook as its documentation gives it (version 4),
// firing then resolved, lands on one alert; the answer comes after the
// commit and names what was taken. Refusals take nothing.
func TestIngestAPI(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base, clients := newServer(t, env)
	src := clients["duty"].do("POST", "/api/v1/intake/sources", `{"name":"Prometheus","format":"alertmanager"}`, 201)
	key := src["key"].(string)
	if len(key) != 43 || src["url"] != "/api/v1/intake/alertmanager" {
		t.Fatalf("%v", src)
	}
	list := clients["duty"].do("GET", "/api/v1/intake/sources", "", 200)
	if raw, _ := json.Marshal(list); strings.Contains(string(raw), key) {
		t.Fatal("the list shows the key")
	}
	wh := func(status, ends string) string {
		return `{"version":"4","groupKey":"{}:{}","status":"` + status + `","receiver":"yingji","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am",
"alerts":[{"status":"` + status + `","labels":{"alertname":"SiteDown","instance":"www.xx.gov.cn:443","severity":"critical"},"annotations":{"summary":"门户网站无法访问"},
"startsAt":"2026-11-28T00:59:00Z","endsAt":"` + ends + `","generatorURL":"http://prom","fingerprint":"5f3c"},{"status":"firing","labels":{}}]}`
	}
	url := base + "/api/v1/intake/alertmanager"
	res, ans := post(t, url, "Bearer "+key, wh("firing", "0001-01-01T00:00:00Z"))
	if res.StatusCode != 200 || ans["accepted"] != 1.0 || ans["created"] != 1.0 || ans["rejected_count"] != 1.0 {
		t.Fatalf("%d %v", res.StatusCode, ans)
	}
	req, _ := http.NewRequest("POST", url, strings.NewReader(wh("resolved", "2026-11-28T01:10:00Z")))
	req.SetBasicAuth("alertmanager", key)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("basic auth: %v %v", res, err)
	}
	res.Body.Close()
	var n, sum int64
	env.DB.Read(context.Background(), func(q *store.Q) (err error) { n, sum, _, err = q.AlertTotals(); return err })
	if n != 1 || sum != 2 {
		t.Fatalf("alerts %d sum %d", n, sum)
	}
	for _, c := range []struct {
		path, auth, body string
		want             int
	}{
		{"/api/v1/intake/alertmanager", "", wh("firing", ""), 401},
		{"/api/v1/intake/alertmanager", "Bearer " + key + "x", wh("firing", ""), 401},
		{"/api/v1/intake/suricata", "Bearer " + key, "{}", 400},
		{"/api/v1/intake/alertmanager", "Bearer " + key, "{not json", 400},
	} {
		if res, p := post(t, base+c.path, c.auth, c.body); res.StatusCode != c.want {
			t.Errorf("%s %q: %d %v, want %d", c.path, c.auth, res.StatusCode, p, c.want)
		}
	}

	// More records than a body may carry: 413, none of them counted.
	many := `{"version":"4","status":"firing","alerts":[` + strings.Repeat(`{"status":"firing","labels":{"alertname":"flood"}},`, ingest.MaxRecords) + `{"status":"firing","labels":{"alertname":"flood"}}]}`
	if res, p := post(t, url, "Bearer "+key, many); res.StatusCode != 413 || !strings.HasSuffix(fmt.Sprint(p["type"]), "too_many_records") || !strings.Contains(fmt.Sprint(p["detail"]), "10000") {
		t.Errorf("too many records: %d %v, want 413 too_many_records", res.StatusCode, p)
	}
	var metrics strings.Builder
	if err := env.App.Intake.WriteMetrics(context.Background(), &metrics); err != nil || !strings.Contains(metrics.String(), `yingji_intake_requests_refused_total{reason="too_many_records"} 1`) {
		t.Errorf("the refusal is not counted: %v\n%s", err, metrics.String())
	}
	env.DB.Read(context.Background(), func(q *store.Q) (err error) { n, sum, _, err = q.AlertTotals(); return err })
	if n != 1 || sum != 2 {
		t.Fatalf("after the refused flood: alerts %d sum %d, want 1 and 2", n, sum)
	}

	env.App.Intake.SetConfig(intake.Config{MaxBody: 100})
	if res, _ := post(t, url, "Bearer "+key, wh("firing", "")); res.StatusCode != 413 {
		t.Errorf("big body: %d, want 413", res.StatusCode)
	}
	env.App.Intake.SetConfig(intake.Config{Burst: 1, Every: time.Hour})
	post(t, url, "Bearer "+key, wh("firing", ""))
	if res, _ := post(t, url, "Bearer "+key, wh("firing", "")); res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Errorf("over the rate: %d Retry-After %q, want 429 with it", res.StatusCode, res.Header.Get("Retry-After"))
	}

	// The commit queue full: 503 with Retry-After, and nothing of it counted.
	env.App.Intake.SetConfig(intake.Config{MaxQueued: 1})
	hold, held := make(chan struct{}), make(chan struct{})
	go env.DB.Write(context.Background(), func(tx *store.Tx) error { close(held); <-hold; return nil })
	<-held
	done := make(chan int)
	go func() { r, _ := post(t, url, "Bearer "+key, wh("firing", "")); done <- r.StatusCode }()
	for env.App.Intake.Queued() < 1 {
		time.Sleep(time.Millisecond)
	}
	res, p := post(t, url, "Bearer "+key, wh("firing", ""))
	if res.StatusCode != 503 || res.Header.Get("Retry-After") != "1" || p["code"] != "queue_full" {
		t.Errorf("queue full: %d %v", res.StatusCode, p)
	}
	close(hold)
	if st := <-done; st != 200 {
		t.Errorf("the queued request: %d", st)
	}
	env.DB.Read(context.Background(), func(q *store.Q) (err error) { n, sum, _, err = q.AlertTotals(); return err })
	if sum != 4 {
		t.Fatalf("signals counted %d, want 4 (two before, one under the rate, one queued)", sum)
	}
	clients["duty"].do("POST", "/api/v1/intake/sources/"+jsonNum(src["id"])+"/revoke", "", 200)
	if res, _ := post(t, url, "Bearer "+key, wh("firing", "")); res.StatusCode != 401 {
		t.Errorf("revoked key: %d", res.StatusCode)
	}
}

func jsonNum(v any) string { b, _ := json.Marshal(v); return string(b) }
