package consoletest

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"yingji/internal/registry"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// The office's 通报 pages (issue 14) through their forms, on both
// databases: the duty officer drafts, the author may not sign, the deputy
// signs, the office previews the count before sending and sends; the
// table shows the units with their counts, filters and exports as XLSX.
func TestConsoleBulletinPages(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		env.App.Bulletins.Key = []byte("0123456789abcdef0123456789abcdef")
		base := newServer(t, env)
		county, err := env.App.Units.OrgIDByName(ctx, "青神县公安局")
		if err != nil {
			t.Fatal(err)
		}
		for i, u := range []*registry.Unit{
			{Name: "青神县人民医院", Kind: "医院", Region: "青城镇", CreditCode: registry.CreditCodeFor(1), ContactName: "王五", ContactPhone: "13800000002"},
			{Name: "青神县中医医院", Kind: "医院", Region: "汉阳镇", CreditCode: registry.CreditCodeFor(2), ContactName: "赵六", ContactEmail: "zhao@example.cn"},
			{Name: "青神县某科技有限公司", Kind: "企业", Region: "青城镇", CreditCode: registry.CreditCodeFor(3)},
		} {
			if err := env.App.Units.CreateUnit(ctx, user.System(), county, u); err != nil {
				t.Fatal(i, err)
			}
		}
		in := newIncident(t, env)
		duty, deputy := loggedIn(t, base, "duty"), loggedIn(t, base, "deputy")
		list := duty.get("/bulletins?incident=" + itoa(in.ID))
		wantStatus(t, list, http.StatusOK)
		r := duty.post("/bulletins", url.Values{"incident_id": {itoa(in.ID)}, "title": {"关于防范勒索病毒的通报"}, "body": {"近期发现勒索病毒。"},
			"actions": {"立即排查。"}, "deadline": {"2026-12-01T17:00"}, "contact": {"张值班"}, "phone": {"028-38800000"}})
		wantStatus(t, r, http.StatusSeeOther)
		page := r.Location
		if !strings.HasPrefix(page, "/bulletins/") {
			t.Fatalf("draft went to %q", page)
		}
		// The author's page offers no signing; a POST is refused with the reason.
		if strings.Contains(duty.get(page).Body, `id="bl-sign"`) {
			t.Fatal("the duty officer is offered to sign")
		}
		wantStatus(t, duty.post(page+"/sign", nil), http.StatusSeeOther)
		if body := duty.get(page).Body; !strings.Contains(body, "组长或副组长签发") {
			t.Fatal("no refusal shown")
		}
		wantStatus(t, deputy.post(page+"/sign", nil), http.StatusSeeOther)
		prev := duty.get(page + "?preview=1&kind=" + url.QueryEscape("医院"))
		wantStatus(t, prev, http.StatusOK)
		if !strings.Contains(prev.Body, "将通报2个单位，2个联系方式") {
			t.Fatalf("preview: %s", prev.Body)
		}
		wantStatus(t, duty.post(page+"/send", url.Values{"kind": {"医院"}, "expect": {"2"}}), http.StatusSeeOther)
		tab := duty.get(page)
		if !strings.Contains(tab.Body, "青神县中医医院") || strings.Contains(tab.Body, "某科技有限公司") || !strings.Contains(tab.Body, `id="bl-counts"`) {
			t.Fatalf("table:\n%s", tab.Body)
		}
		only := duty.get(page + "?region=" + url.QueryEscape("汉阳镇"))
		if strings.Contains(only.Body, "青神县人民医院") || !strings.Contains(only.Body, "共1个单位") {
			t.Fatal("region filter")
		}
		x := duty.get(page + "/export.xlsx")
		wantStatus(t, x, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Sheet1")
		if len(rows) != 3 || rows[1][0] != "青神县人民医院" || rows[1][4] != "已发送" {
			t.Fatalf("xlsx: %q", rows)
		}
		wantStatus(t, loggedIn(t, base, "xingjing").get(page), http.StatusOK) // a leading group member of the county reads it
	})
}
