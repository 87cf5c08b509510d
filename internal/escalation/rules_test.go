package escalation

import (
	"reflect"
	"testing"
	"time"

	"yingji/internal/event"
	"yingji/internal/plan"
)

var (
	t0    = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	rules = plan.Escalation{
		RollCall:  plan.RollCallEscalation{ResendAfter: 10 * time.Minute, Resend: "sms", TellAfter: 20 * time.Minute, Tell: plan.DutyLeader},
		Approvals: plan.ApprovalEscalation{RemindAfter: 15 * time.Minute, EscalateAfter: 30 * time.Minute, NextUp: []plan.NextUp{{Role: "group_leader", Tell: []string{"city_deputy"}, Scope: plan.ScopeParent}}},
		Tasks:     plan.TaskEscalation{After: 30 * time.Minute},
	}
	world = &World{Parent: map[int64]int64{2: 1}, People: map[int64]*Person{
		10: {ID: 10, Name: "李局长", OrgID: 2, Roles: []string{"group_leader"}},
		11: {ID: 11, Name: "赵大队长", OrgID: 2, Department: "xingjing", Roles: []string{"group_member"}},
		12: {ID: 12, Name: "刑警甲", OrgID: 2, Department: "xingjing"},
		20: {ID: 20, Name: "市局副局长", OrgID: 1, Roles: []string{"city_deputy"}},
		21: {ID: 21, Name: "县值班领导", OrgID: 2},
	}}
)

func sample() *Incident {
	return &Incident{ID: 7, OrgID: 2, Number: "QS-2026-007", Title: "网站被篡改", Rules: rules, DutyLeader: 21,
		Missing: []Missing{{ID: 1, UserID: 10, Name: "李局长", OpenedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)},
			{ID: 2, UserID: 11, Name: "赵大队长", OpenedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}},
		Asks:  []Ask{{Kind: event.KindApproval, ID: 5, Title: "启动", RequestedAt: t0, Deciders: []int64{10}}},
		Tasks: []Task{{ID: 9, Title: "收集证据", Department: "xingjing", DueAt: t0}},
	}
}

type got struct {
	Rule string
	Keys []string
	To   []int64
}

func summary(as []Action) []got {
	out := []got{}
	for _, a := range as {
		out = append(out, got{a.Rule, a.Keys, a.To})
	}
	return out
}

// Due, table-driven: what is sent at each moment, and nothing twice.
func TestDue(t *testing.T) {
	ms0 := ms(t0)
	cases := []struct {
		name string
		at   time.Duration
		edit func(*Incident)
		done []string
		want []got
	}{
		{"nothing before 10 minutes", 9 * time.Minute, nil, nil, []got{}},
		{"10 minutes: SMS again to both", 10 * time.Minute, nil, nil,
			[]got{{RuleResend, []string{"rc-resend-1", "rc-resend-2"}, []int64{10, 11}}}},
		{"resent before: nothing", 12 * time.Minute, nil, []string{"rc-resend-1", "rc-resend-2"}, []got{}},
		{"one resent, a late page is resent alone", 12 * time.Minute, nil, []string{"rc-resend-1"},
			[]got{{RuleResend, []string{"rc-resend-2"}, []int64{11}}}},
		{"15 minutes: approval reminded", 15 * time.Minute, nil, []string{"rc-resend-1", "rc-resend-2"},
			[]got{{RuleRemind, []string{"ap-remind-approval-5-" + ms0}, []int64{10}}}},
		{"20 minutes: duty leader told", 20 * time.Minute, nil, []string{"rc-resend-1", "rc-resend-2", "ap-remind-approval-5-" + ms0},
			[]got{{RuleMissing, []string{"rc-missing-7"}, []int64{21}}}},
		{"no duty leader on duty: nobody to tell, nothing claimed", 20 * time.Minute, func(in *Incident) { in.DutyLeader = 0 },
			[]string{"rc-resend-1", "rc-resend-2", "ap-remind-approval-5-" + ms0}, []got{}},
		{"30 minutes: city deputy for the county chief; overdue task to 刑警", 30 * time.Minute, nil,
			[]string{"rc-resend-1", "rc-resend-2", "rc-missing-7", "ap-remind-approval-5-" + ms0},
			[]got{{RuleNextUp, []string{"ap-up-approval-5-" + ms0}, []int64{20}}, {RuleOverdue, []string{"task-overdue-9-" + ms0}, []int64{11, 12}}}},
		{"after downtime the remind is superseded by the escalation", 40 * time.Minute, func(in *Incident) { in.Missing = nil; in.Tasks = nil }, nil,
			[]got{{RuleNextUp, []string{"ap-up-approval-5-" + ms0}, []int64{20}}}},
		{"all confirmed: no roll-call escalation", 25 * time.Minute, func(in *Incident) { in.Missing = nil; in.Asks = nil; in.Tasks = nil }, nil, []got{}},
		{"expired links are not resent", 25 * time.Hour, func(in *Incident) { in.Asks = nil; in.Tasks = nil }, []string{"rc-missing-7"}, []got{}},
		{"a re-requested approval starts again", 16 * time.Minute, func(in *Incident) {
			in.Missing, in.Tasks = nil, nil
			in.Asks[0].RequestedAt = t0.Add(time.Minute)
		}, []string{"ap-remind-approval-5-" + ms0}, []got{{RuleRemind, []string{"ap-remind-approval-5-" + ms(t0.Add(time.Minute))}, []int64{10}}}},
		{"a deputy's approval: no next-up rule for his role", 31 * time.Minute, func(in *Incident) {
			in.Missing, in.Tasks = nil, nil
			in.Asks[0].Deciders = []int64{11}
		}, nil, []got{}},
		{"no escalation section: nothing", 48 * time.Hour, func(in *Incident) { in.Rules = plan.Escalation{} }, nil, []got{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := sample()
			if c.edit != nil {
				c.edit(in)
			}
			done := map[string]bool{}
			for _, k := range c.done {
				done[k] = true
			}
			if g := summary(Due(t0.Add(c.at), in, world, done)); !reflect.DeepEqual(g, c.want) {
				t.Fatalf("got %+v\nwant %+v", g, c.want)
			}
		})
	}
}

// The resend carries the rows whose links go again; the tell names who is
// missing.
func TestDueCarriesNames(t *testing.T) {
	in := sample()
	as := Due(t0.Add(20*time.Minute), in, world, map[string]bool{"ap-remind-approval-5-" + ms(t0): true})
	if len(as) != 2 || len(as[0].Rows) != 2 || as[0].Channel != "sms" || as[1].Data["names"] != "李局长、赵大队长" || as[1].Args["missing"] != "李局长、赵大队长" {
		t.Fatalf("%+v", as)
	}
}
