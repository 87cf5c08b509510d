package consoletest

import (
	"net/http"
	"net/url"
	"testing"

	"yingji/internal/incident"
	"yingji/internal/testkit"
)

// TestEveryFormNeedsCSRF posts every console form with a forged token, and
// without one: each is refused with 403 and nothing is written.
func TestEveryFormNeedsCSRF(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		in := activeIncident(t, env)
		v, _ := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID)
		reported := newIncident(t, env)
		a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], reported.ID, "请批准")
		if err != nil {
			t.Fatal(err)
		}
		p := "/incidents/" + itoa(in.ID)
		forms := map[string]url.Values{
			"/logout":                                {},
			"/password":                              {"old_password": {testkit.Password}, "new_password": {"new-password-1"}, "confirm_password": {"new-password-1"}},
			"/incidents":                             {"title": {"伪造"}, "category": {"network_attack"}, "level": {"3"}, "discovered_at": {"2026-11-28T08:00"}},
			p + "/activation":                        {"reason": {"伪造"}},
			p + "/termination":                       {"reason": {"伪造"}},
			p + "/notes":                             {"text": {"伪造"}},
			p + "/summary":                           {"body": {"伪造"}},
			p + "/tasks/" + itoa(v.Tasks[0].ID):      {"status": {"done"}},
			"/approvals/" + itoa(a.ID) + "/decision": {"decision": {"approve"}, "opinion": {"伪造"}},
		}
		duty, city := loggedIn(t, base, "duty"), loggedIn(t, base, "citydeputy")
		postForged(t, env, forms, func(path string) *browser {
			if path == "/approvals/"+itoa(a.ID)+"/decision" {
				return city
			}
			return duty
		})
		if st := incidentStatus(t, env, reported.ID); st != incident.ActivationRequested {
			t.Fatalf("status %s", st)
		}
		wantStatus(t, duty.get("/"), http.StatusOK) // the forged logout did not log out
	})
}

// postForged posts each form, as who(path), with a forged token and with
// none: every post is refused with 403 and no audit record is written.
func postForged(t *testing.T, env *testkit.Env, forms map[string]url.Values, who func(path string) *browser) {
	t.Helper()
	before := testkit.AuditCount(t, env)
	for path, form := range forms {
		for _, token := range []string{"forged", ""} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set("csrf", token)
			wantStatus(t, who(path).do("POST", path, f), http.StatusForbidden)
		}
	}
	if got := testkit.AuditCount(t, env); got != before {
		t.Fatalf("forged forms wrote %d audit records", got-before)
	}
}

// TestTaskPage covers the task's own page: a note, blocked with the
// reason, and back to work.
func TestTaskPage(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		in := activeIncident(t, env)
		v, _ := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID)
		task := v.Tasks[0]
		path := "/incidents/" + itoa(in.ID) + "/tasks/" + itoa(task.ID)
		duty := loggedIn(t, base, "duty")
		duty.read(path, task.Title, `name="assignee_id"`, `value="blocked"`)
		wantStatus(t, duty.post(path, url.Values{"save": {"note"}, "note": {"等待运营商回复"}}), http.StatusSeeOther)
		wantStatus(t, duty.post(path, url.Values{"status": {"blocked"}, "note": {"运营商未响应"}}), http.StatusSeeOther)
		got, _ := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID)
		if got.Tasks[0].Status != incident.TaskBlocked || got.Tasks[0].Note != "运营商未响应" {
			t.Fatalf("task %+v", got.Tasks[0])
		}
		wantBody(t, duty.get("/incidents/"+itoa(in.ID)), "备注：运营商未响应", "受阻")
		// The city deputy may read the task but is offered no form, and
		// another incident's task id is not found.
		city := loggedIn(t, base, "citydeputy")
		if r := city.get(path); r.Status != http.StatusOK || contains(r.Body, `name="assignee_id"`) {
			t.Fatalf("city deputy task page: %d", r.Status)
		}
		other := newIncident(t, env)
		wantStatus(t, duty.get("/incidents/"+itoa(other.ID)+"/tasks/"+itoa(task.ID)), http.StatusNotFound)
	})
}
