package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
	"yingji/internal/user"
	"yingji/internal/web"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// client talks to a real HTTP server as one user.
type client struct {
	t     *testing.T
	base  string
	token string
}

func newServer(t *testing.T, env *testkit.Env) (string, map[string]*client) {
	srv := httptest.NewServer(web.New(env.App, nil, env.Plan.Location))
	t.Cleanup(srv.Close)
	clients := map[string]*client{}
	for name := range env.Users {
		tok, err := env.App.Accounts.IssueToken(context.Background(), user.System(), name, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		clients[name] = &client{t: t, base: srv.URL, token: tok}
	}
	return srv.URL, clients
}

// do sends a request and decodes the JSON reply into a map.
func (c *client) do(method, path, body string, wantStatus int) map[string]any {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != wantStatus {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, wantStatus, raw)
	}
	if res.StatusCode >= 400 && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		c.t.Fatalf("%s %s: error without problem+json: %s", method, path, res.Header.Get("Content-Type"))
	}
	out := map[string]any{}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return out
}

// newIncident registers 县政府网站被篡改, a network attack of level
// discovered an hour ago, as c and returns the answer.
func (c *client) newIncident(env *testkit.Env, level int) map[string]any {
	c.t.Helper()
	disc := env.Clock.Now().Add(-time.Hour).Format(time.RFC3339)
	return c.do("POST", "/api/v1/incidents", `{"title":"县政府网站被篡改","category":"network_attack","level":`+strconv.Itoa(level)+`,"discovered_at":"`+disc+`"}`, 201)
}

// activate asks, as c, for the activation of incident iid (a path id) and
// has decider approve it.
func (c *client) activate(decider *client, iid, reason string) {
	c.t.Helper()
	a := c.do("POST", "/api/v1/incidents/"+iid+"/activation", `{"reason":"`+reason+`"}`, 201)
	decider.do("POST", "/api/v1/approvals/"+id(a["id"])+"/decision", `{"decision":"approve","opinion":"同意"}`, 200)
}

// consolePage reads a console page at path with the session that login
// (testkit.ConsoleLogin's answer) carries.
func consolePage(t *testing.T, base string, login *http.Response, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	for _, c := range login.Cookies() {
		req.AddCookie(c)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// id renders a JSON number as a path segment.
func id(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestAPILifecycle(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty, city := c["duty"], c["citydeputy"]
		disc := env.Clock.Now().Add(-time.Hour).Format(time.RFC3339)
		in := duty.do("POST", "/api/v1/incidents", `{"title":"县政府网站被篡改","category":"harmful_info","level":2,"discovered_at":"`+disc+`","discovery_method":"群众举报","description":"首页被植入非法内容"}`, 201)
		iid := id(in["id"])
		if in["number"] != "QS-2026-001" || in["status"] != "reported" || in["color"] != "orange" {
			t.Fatalf("created %v", in)
		}
		a := duty.do("POST", "/api/v1/incidents/"+iid+"/activation", `{"reason":"重要会议期间网站遭篡改"}`, 201)
		aid := id(a["id"])
		if a["status"] != "pending" {
			t.Fatalf("approval %v", a)
		}
		duty.do("POST", "/api/v1/approvals/"+aid+"/decision", `{"decision":"approve","opinion":"同意"}`, 403)
		c["chief"].do("POST", "/api/v1/approvals/"+aid+"/decision", `{"decision":"approve","opinion":"同意"}`, 403)
		inbox := city.do("GET", "/api/v1/approvals", "", 200)
		if len(inbox["items"].([]any)) != 1 {
			t.Fatalf("city inbox %v", inbox)
		}
		city.do("POST", "/api/v1/approvals/"+aid+"/decision", `{"decision":"approve","opinion":"同意启动预案"}`, 200)
		city.do("POST", "/api/v1/approvals/"+aid+"/decision", `{"decision":"reject","opinion":"再议"}`, 409)

		got := duty.do("GET", "/api/v1/incidents/"+iid, "", 200)
		if got["status"] != "active" {
			t.Fatalf("status %v", got["status"])
		}
		tasks := got["tasks"].([]any)
		if len(tasks) == 0 {
			t.Fatal("no tasks")
		}
		// The network-attack category has no daily report in the seed; the deadline list says so by its absence.
		for _, d := range got["deadlines"].([]any) {
			due := d.(map[string]any)["due"].(string)
			if !strings.HasSuffix(due, "+08:00") {
				t.Fatalf("due %s not in +08:00", due)
			}
		}
		task := tasks[0].(map[string]any)
		tid := id(task["id"])
		duty.do("PATCH", "/api/v1/incidents/"+iid+"/tasks/"+tid, `{"status":"doing","note":"已联系网站管理员"}`, 200)
		done := duty.do("PATCH", "/api/v1/incidents/"+iid+"/tasks/"+tid, `{"status":"done"}`, 200)
		if done["status"] != "done" {
			t.Fatalf("task %v", done)
		}
		hist := duty.do("GET", "/api/v1/incidents/"+iid+"/tasks/"+tid+"/history", "", 200)["items"].([]any)
		if len(hist) != 2 || !strings.Contains(hist[0].(map[string]any)["text"].(string), "已联系网站管理员") {
			t.Fatalf("task history %v", hist)
		}
		duty.do("POST", "/api/v1/incidents/"+iid+"/notes", `{"text":"网站已恢复访问"}`, 201)
		// Issue 11: termination waits until every task before it is done or
		// 不适用 with a reason; the reporting tasks after it wait for it.
		duty.do("POST", "/api/v1/incidents/"+iid+"/termination", `{"reason":"已恢复，漏洞已修补"}`, 409)
		var after []string
		for _, x := range duty.do("GET", "/api/v1/incidents/"+iid, "", 200)["tasks"].([]any) {
			tk := x.(map[string]any)
			path := "/api/v1/incidents/" + iid + "/tasks/" + id(tk["id"])
			if tk["after_termination"] == true {
				after = append(after, path)
				duty.do("PATCH", path, `{"status":"done"}`, 409)
				continue
			}
			if tk["status"] != "done" {
				duty.do("PATCH", path, `{"status":"na"}`, 400)
				if na := duty.do("PATCH", path, `{"status":"na","reason":"本次事件未涉及"}`, 200); na["na_reason"] != "本次事件未涉及" {
					t.Fatalf("na task %v", na)
				}
			}
		}
		if len(after) != 3 { // 报告市委、市政府; 报告上级公安机关; 一周内上报处置工作总结
			t.Fatalf("%d tasks after termination, want 3", len(after))
		}
		term := duty.do("POST", "/api/v1/incidents/"+iid+"/termination", `{"reason":"已恢复，漏洞已修补"}`, 201)
		city.do("POST", "/api/v1/approvals/"+id(term["id"])+"/decision", `{"decision":"approve","opinion":"同意终止"}`, 200)
		duty.do("PATCH", after[0], `{"status":"done","note":"已报告市委、市政府"}`, 200)
		got = duty.do("GET", "/api/v1/incidents/"+iid, "", 200)
		// After termination: the 首报 (from discovery), the 终报 and the summary.
		dl := got["deadlines"].([]any)
		if got["status"] != "terminated" || len(dl) != 3 || dl[0].(map[string]any)["kind"] != "initial_report" ||
			dl[1].(map[string]any)["kind"] != "final_report" || dl[2].(map[string]any)["kind"] != "summary" {
			t.Fatalf("after termination %v %v", got["status"], dl)
		}
		// The summary shortcut drafts and sends for sign-off; the leader signs; submitting it closes the incident.
		sum := duty.do("POST", "/api/v1/incidents/"+iid+"/summary", `{"body":"处置工作总结……"}`, 201)
		c["chief"].do("POST", "/api/v1/reports/"+id(sum["id"])+"/signoff", "", 200)
		duty.do("POST", "/api/v1/reports/"+id(sum["id"])+"/submit", "", 200)
		got = duty.do("GET", "/api/v1/incidents/"+iid, "", 200)
		if got["status"] != "closed" {
			t.Fatalf("status %v", got["status"])
		}
		page := duty.do("GET", "/api/v1/incidents/"+iid+"/timeline?limit=4", "", 200)
		if len(page["items"].([]any)) != 4 || page["next_after"] == nil {
			t.Fatalf("timeline page %v", page)
		}
		rest := duty.do("GET", "/api/v1/incidents/"+iid+"/timeline?after="+id(page["next_after"]), "", 200)
		if rest["next_after"] != nil || len(rest["items"].([]any)) < 5 {
			t.Fatalf("timeline rest %v", rest)
		}
		duty.do("GET", "/api/v1/incidents/"+iid+"/timeline?limit=0", "", 400)
		tl := duty.do("GET", "/api/v1/incidents/"+iid+"/timeline", "", 200)
		items := tl["items"].([]any)
		if len(items) < 9 || !strings.Contains(items[0].(map[string]any)["text"].(string), "登记事件") {
			t.Fatalf("timeline %v", items)
		}
		v := duty.do("GET", "/api/v1/audit/verify", "", 200)
		if v["ok"] != true {
			t.Fatalf("verify %v", v)
		}
		anchor := id(v["head_seq"]) + ":" + v["head_hash"].(string)
		if v := duty.do("GET", "/api/v1/audit/verify?anchor="+anchor, "", 200); v["ok"] != true {
			t.Fatalf("verify with anchor %v", v)
		}
		wrong := id(v["head_seq"]) + ":" + strings.Repeat("0", 64)
		if v := duty.do("GET", "/api/v1/audit/verify?anchor="+wrong, "", 200); v["ok"] != false {
			t.Fatalf("a wrong anchor passed: %v", v)
		}
		duty.do("GET", "/api/v1/audit/verify?anchor=nonsense", "", 400)
		duty.do("GET", "/api/v1/audit/records", "", 403)
		c["admin"].do("GET", "/api/v1/audit/records", "", 403) // the system administrator does not read audit (三员分立)
		recs := c["auditor"].do("GET", "/api/v1/audit/records?limit=2", "", 200)
		if items := recs["items"].([]any); len(items) != 2 || recs["next_after"] == nil || items[0].(map[string]any)["prev_hash"] != "" {
			t.Fatalf("audit records %v", recs)
		}
		list := city.do("GET", "/api/v1/incidents?status=closed&limit=10", "", 200)
		if len(list["items"].([]any)) != 1 {
			t.Fatalf("city list %v", list)
		}
	})
}

func TestAPIProblems(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base, c := newServer(t, env)
	duty := c["duty"]
	now := env.Clock.Now().Format(time.RFC3339)
	cases := []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"malformed json", "POST", "/api/v1/incidents", `{"title":`, 400, "invalid", "body"},
		{"trailing brace", "POST", "/api/v1/incidents", `{"title":"x"}}`, 400, "invalid", "body"},
		{"two documents", "POST", "/api/v1/incidents", `{"title":"x"} {}`, 400, "invalid", "body"},
		{"wrong type", "POST", "/api/v1/incidents", `{"title":"x","level":"high"}`, 400, "invalid", "level"},
		{"unknown field", "POST", "/api/v1/incidents", `{"title":"x","colour":"red"}`, 400, "invalid", "colour"},
		{"unknown category", "POST", "/api/v1/incidents", `{"title":"x","category":"ufo","level":2,"discovered_at":"` + now + `"}`, 400, "invalid", "category"},
		{"level out of range", "POST", "/api/v1/incidents", `{"title":"x","category":"network_attack","level":7,"discovered_at":"` + now + `"}`, 400, "invalid", "level"},
		{"bad time", "POST", "/api/v1/incidents", `{"title":"x","category":"network_attack","level":2,"discovered_at":"yesterday"}`, 400, "invalid", "discovered_at"},
		{"bad id", "GET", "/api/v1/incidents/abc", "", 400, "invalid", "id"},
		{"missing incident", "GET", "/api/v1/incidents/999", "", 404, "not_found", ""},
		{"bad decision", "POST", "/api/v1/approvals/1/decision", `{"decision":"maybe","opinion":"x"}`, 400, "invalid", "decision"},
		{"unknown route", "GET", "/api/v1/nothing", "", 404, "not_found", ""},
		{"bad list filter", "GET", "/api/v1/incidents?status=bogus", "", 400, "invalid", "status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := duty.do(tc.method, tc.path, tc.body, tc.status)
			if p["code"] != tc.code || (tc.field != "" && p["field"] != tc.field) || p["detail"] == "" {
				t.Fatalf("problem %v", p)
			}
		})
	}
	// Nothing was written by any of them.
	if l := duty.do("GET", "/api/v1/incidents", "", 200); len(l["items"].([]any)) != 0 {
		t.Fatalf("bad input created incidents: %v", l)
	}
	// A transition not allowed from the current status, and a task of another incident.
	in := duty.do("POST", "/api/v1/incidents", `{"title":"x","category":"virus_outbreak","level":4,"discovered_at":"`+now+`"}`, 201)
	p := duty.do("POST", "/api/v1/incidents/"+id(in["id"])+"/termination", `{"reason":"x"}`, 409)
	if !strings.Contains(p["detail"].(string), "不能执行") {
		t.Fatalf("detail %v", p["detail"])
	}
	duty.do("PATCH", "/api/v1/incidents/"+id(in["id"])+"/tasks/1", `{"status":"done"}`, 404)
	duty.do("POST", "/api/v1/incidents/"+id(in["id"])+"/activation", `{"reason":""}`, 400)

	// No token, a bad token; English on request.
	anon := &client{t: t, base: base}
	anon.do("GET", "/api/v1/incidents", "", 401)
	bad := &client{t: t, base: base, token: "yj_nope"}
	bad.do("GET", "/api/v1/incidents", "", 401)
	req, _ := http.NewRequest("GET", base+"/api/v1/incidents/999", nil)
	req.Header.Set("Authorization", "Bearer "+duty.token)
	req.Header.Set("Accept-Language", "en-US,en;q=0.9")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var pe map[string]any
	json.NewDecoder(res.Body).Decode(&pe)
	res.Body.Close()
	if pe["detail"] != "No such incident, or you may not see it." {
		t.Fatalf("english detail %v", pe["detail"])
	}
	// Health and the OpenAPI document need no token.
	for _, path := range []string{"/healthz", "/api/openapi.json"} {
		res, err := http.Get(base + path)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("%s: %v %v", path, res.StatusCode, err)
		}
		var doc map[string]any
		if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		res.Body.Close()
	}
}

// Every API route is in the OpenAPI document, with its method.
func TestOpenAPICoversRoutes(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	srv := web.New(env.App, nil, env.Plan.Location)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi.json", nil))
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	for _, p := range srv.APIPatterns() {
		method, path, _ := strings.Cut(p, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("%s is not in openapi.json", p)
		}
	}
}
