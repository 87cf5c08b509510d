package units_test

import (
	"fmt"
	"strings"
	"testing"

	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/registry"
	"yingji/internal/testkit"
)

// TestSubstringSearch (issue 11 gap 9): search finds what people type —
// "测试单位0137" in "青神县测试单位0137", a phone number's tail, a domain's
// middle — by default, through the index, with the short-query fallback;
// match=prefix keeps the first release's behaviour; incidents by number,
// title and description.
func TestSubstringSearch(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, city := env.Users["duty"], env.Users["citydeputy"]
		var rows strings.Builder
		rows.WriteString(testkit.UnitsHead)
		for i := 1; i <= 300; i++ {
			fmt.Fprintf(&rows, "%d,青神县测试单位%04d,企业,%s,青神县,,张三,,联系人%d,138%08d,,\n", i, i, registry.CreditCodeFor(i), i, 20260000+i)
		}
		if _, err := env.App.Units.ImportLedger(ctx, duty, 0, "t.csv", testkit.CSVTable(t, rows.String()), nil, false); err != nil {
			t.Fatal(err)
		}
		byName := func(q string, prefix bool) []string {
			t.Helper()
			got, err := env.App.Units.ListUnits(ctx, city, registry.Filter{Q: q, Prefix: prefix, Limit: 50}, 0)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, u := range got {
				out = append(out, u.Name)
			}
			return out
		}
		for q, want := range map[string]string{
			"测试单位0137": "青神县测试单位0137", "单位0137": "青神县测试单位0137", "20260137": "青神县测试单位0137", // a phone's tail
			"联系人137": "青神县测试单位0137", registry.CreditCodeFor(137)[4:]: "青神县测试单位0137",
		} {
			if got := byName(q, false); len(got) != 1 || got[0] != want {
				t.Errorf("search %q: %v, want [%s]", q, got, want)
			}
		}
		if got := byName("测试单位0137", true); len(got) != 0 {
			t.Errorf("match=prefix found a substring: %v", got)
		}
		if got := byName("青神县测试单位0137", true); len(got) != 1 {
			t.Errorf("match=prefix lost the prefix: %v", got)
		}
		// Short queries (no index): 2 and 1 characters still find.
		if got := byName("37", false); len(got) == 0 || len(got) > 50 {
			t.Errorf("two characters: %d", len(got))
		}
		if got := byName("县", false); len(got) != 50 {
			t.Errorf("one character: %d", len(got))
		}
		// The index follows updates and deletions.
		all, _ := env.App.Units.ListUnits(ctx, duty, registry.Filter{Q: "测试单位0042"}, 0)
		if len(all) != 1 {
			t.Fatalf("0042: %v", all)
		}
		renamed := *all[0]
		renamed.Name = "青神县改名单位甲"
		if err := env.App.Units.UpdateUnit(ctx, duty, renamed.ID, &renamed); err != nil {
			t.Fatal(err)
		}
		if got := byName("测试单位0042", false); len(got) != 0 {
			t.Errorf("old name still found: %v", got)
		}
		if got := byName("改名单位", false); len(got) != 1 {
			t.Errorf("new name not found: %v", got)
		}
		if err := env.App.Units.DeleteUnit(ctx, duty, renamed.ID); err != nil {
			t.Fatal(err)
		}
		if got := byName("改名单位", false); len(got) != 0 {
			t.Errorf("deleted unit found: %v", got)
		}
		// Through the websites.
		u, _ := env.App.Units.ListUnits(ctx, duty, registry.Filter{Q: "测试单位0200"}, 0)
		if err := env.App.Units.SaveWebsite(ctx, duty, 0, &registry.Website{UnitID: u[0].ID, Name: "门户", Domain: "www.qsjyj-portal.cn"}); err != nil {
			t.Fatal(err)
		}
		if got := byName("jyj-port", false); len(got) != 1 || got[0] != "青神县测试单位0200" {
			t.Errorf("domain middle: %v", got)
		}

		// Incidents: number, title, description.
		a := testkit.NewIncident(t, env, "network_attack") // 县政府门户网站遭受DDoS攻击 / 访问中断约20分钟
		b, err := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: "县教育局网站首页被篡改", Category: "network_attack", Level: 4,
			DiscoveredAt: env.Clock.Now(), Description: "首页出现违法信息"})
		if err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int64{"门户网站": a.ID, "ddos": a.ID, "中断约20": a.ID, "首页被篡": b.ID, "违法信息": b.ID,
			strings.ToLower(b.Number): b.ID, "篡改": b.ID} {
			got, err := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{Text: q})
			if err != nil || len(got) != 1 || got[0].ID != want {
				t.Errorf("incident search %q: %v %v", q, got, err)
			}
		}
		if got, _ := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{Text: "网站"}); len(got) != 2 {
			t.Errorf("incident search 网站: %d", len(got))
		}
	})
}
