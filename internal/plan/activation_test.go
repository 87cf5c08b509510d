package plan

import (
	"reflect"
	"strings"
	"testing"

	"yingji/plans"
)

// A category's activation rule overrides the plan's; an assignment comes
// from above; both are checked with the line of the mistake.
func TestCategoryActivationAndAssignment(t *testing.T) {
	ok := edit(t, "    daily_report: true\n", `    daily_report: true
    activation:
      roles: [leader]
      scope: same
      name: 领导小组决定启动
      inform: [approver]
    assignment:
      roles: [approver]
      scope: parent
`)
	p, err := Parse("t.yaml", []byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	r := p.ActivationRule("attack")
	if !r.ByOwnOrganisation() || !reflect.DeepEqual(r.Inform, []string{"approver"}) || !p.Category("attack").Assignment.IsSet() {
		t.Fatalf("rule %+v", r)
	}
	if r := p.ActivationRule("nope"); r.ByOwnOrganisation() || r.Roles[0] != "approver" {
		t.Fatalf("the plan's rule by default: %+v", r)
	}

	for _, tc := range []struct {
		name, old, new string
		want           []string
	}{
		{"inform with an approval from above", "    daily_report: true\n", "    daily_report: true\n    activation:\n      roles: [approver]\n      scope: parent\n      inform: [leader]\n",
			[]string{"t.yaml:44: categories[0].activation.inform: inform is for a decision taken in the incident's own organisation (scope same); a superior that approves already knows"}},
		{"unknown inform role", "    daily_report: true\n", "    daily_report: true\n    activation:\n      roles: [leader]\n      scope: same\n      inform: [city]\n",
			[]string{`t.yaml:44: categories[0].activation.inform[0]: unknown role "city" (one of leader, approver)`}},
		{"activation without roles", "    daily_report: true\n", "    daily_report: true\n    activation:\n      scope: same\n",
			[]string{"t.yaml:41: categories[0].activation.roles: at least one role must be allowed to decide"}},
		{"assignment from the same organisation", "    daily_report: true\n", "    daily_report: true\n    assignment:\n      roles: [leader]\n      scope: same\n",
			[]string{"t.yaml:43: categories[0].assignment.scope: an assignment comes from a superior organisation: scope must be parent"}},
		{"assignment misspelt", "    daily_report: true\n", "    daily_report: true\n    asignment:\n      roles: [leader]\n",
			[]string{`t.yaml:41: categories[0].asignment: unknown field (did you mean "assignment"?)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(edit(t, tc.old, tc.new)))
			if err == nil {
				t.Fatal("accepted")
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got\n%s\nwant\n%s", err, strings.Join(tc.want, "\n"))
			}
		})
	}
}

// The shipped plan as the seed writes it: 四(一)、(四) approved by the city,
// 四(二)、(三) decided by the county's 组长/副组长 with the city informed,
// 四(五) assigned by the city; termination by the city for every category.
func TestDefaultPlanActivationAuthority(t *testing.T) {
	p, err := Load(plans.FS, plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"harmful_info", "virus_outbreak"} {
		if r := p.ActivationRule(k); r.ByOwnOrganisation() || !reflect.DeepEqual(r.Roles, []string{"city_deputy"}) {
			t.Errorf("%s: %+v", k, r)
		}
	}
	for _, k := range []string{"malicious_hype", "network_attack", "assigned_task"} {
		r := p.ActivationRule(k)
		if !r.ByOwnOrganisation() || !reflect.DeepEqual(r.Roles, []string{"group_leader", "group_deputy"}) || !reflect.DeepEqual(r.Inform, []string{"city_deputy"}) {
			t.Errorf("%s: %+v", k, r)
		}
	}
	for _, c := range p.Categories {
		if c.Assignment.IsSet() != (c.Key == "assigned_task") {
			t.Errorf("%s assignment %+v", c.Key, c.Assignment)
		}
	}
	if r := p.Approvals.Termination; r.Scope != ScopeParent || !reflect.DeepEqual(r.Roles, []string{"city_deputy"}) {
		t.Errorf("termination %+v", r)
	}
}
