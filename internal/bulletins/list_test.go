package bulletins_test

import (
	"context"
	"testing"
	"time"

	"yingji/internal/bulletin"
	"yingji/internal/testkit"
)

// The office's list of 通报 keeps need-to-know: a 通报 about an incident
// shows only to those who may know the incident (found by review: the list
// once gave a 交警 officer with no part in it the title and body).
func TestListKeepsNeedToKnow(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		duty := env.Users["duty"]
		in := testkit.NewIncident(t, env, "harmful_info")
		input := bulletin.Input{Title: "关于某事件的通报", Body: "情况。", Actions: "排查。", Deadline: env.Clock.Now().Add(24 * time.Hour), Contact: "张值班", Phone: "028-38800001"}
		with := input
		with.IncidentID = in.ID
		if _, err := env.App.Bulletins.Draft(ctx, duty, with); err != nil {
			t.Fatal(err)
		}
		input.Title = "关于防范漏洞的通报"
		if _, err := env.App.Bulletins.Draft(ctx, duty, input); err != nil {
			t.Fatal(err)
		}
		jj := testkit.Officer(t, env, "jj", "jiaojing")
		for who, want := range map[string]int{"duty": 2, "jj": 1} {
			u := duty
			if who == "jj" {
				u = jj
			}
			list, err := env.App.Bulletins.List(ctx, u, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != want {
				t.Fatalf("%s sees %d 通报, want %d", who, len(list), want)
			}
		}
	})
}
