package app_test

import (
	"testing"

	"yingji/internal/errs"
	"yingji/internal/incidents"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// The rule "the command roles of the incident's own organisation"
// (access.Commands, core.CommandIncident) is shared by several acts. The
// city's deputy sees a county incident but does not command it: each act
// refuses him with its own key (403); another county's duty officer may not
// know the incident exists (404). Nothing is written either way.
func TestCommandRefusals(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := testkit.NewIncident(t, env, "network_attack")
		city, other := env.Users["citydeputy"], testkit.OtherCounty(t, env)
		title := "更正标题"
		acts := []struct {
			name, key string
			do        func(u *user.User) error
		}{
			{"request activation", "error.forbidden_request", func(u *user.User) error {
				_, err := env.App.Incidents.RequestActivation(ctx, u, in.ID, "请求启动预案")
				return err
			}},
			{"draft a report", "error.forbidden_report", func(u *user.User) error {
				_, err := env.App.Reports.CreateReport(ctx, u, in.ID, "daily")
				return err
			}},
			{"file the summary", "error.forbidden_request", func(u *user.User) error {
				_, err := env.App.Reports.FileSummary(ctx, u, in.ID, "总结", "处置情况")
				return err
			}},
			{"correct", "error.forbidden_correct", func(u *user.User) error {
				_, err := env.App.Incidents.CorrectIncident(ctx, u, in.ID, incidents.Correction{Title: &title, Reason: "标题有误"})
				return err
			}},
		}
		before := testkit.AuditCount(t, env)
		for _, a := range acts {
			err := a.do(city)
			if e := errs.As(err); err == nil || e.Code != errs.Forbidden || e.Key != a.key {
				t.Errorf("%s by the city's deputy: %v, want 403 %s", a.name, err, a.key)
			}
			if err := a.do(other); err == nil || errs.CodeOf(err) != errs.NotFound {
				t.Errorf("%s by another county: %v, want 404", a.name, err)
			}
		}
		if n := testkit.AuditCount(t, env); n != before {
			t.Errorf("refused acts wrote %d audit records", n-before)
		}
	})
}
