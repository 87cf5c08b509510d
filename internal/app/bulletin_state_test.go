package app_test

import (
	"strings"
	"testing"
	"time"

	"yingji/internal/bulletin"
	"yingji/internal/bulletins"
	"yingji/internal/testkit"
)

// bulletinState writes issue 14's covered rows as people would: a saved
// list, a 通报 about the incident drafted, signed, sent to the unit, signed
// for and answered from the unit's link.
func bulletinState(t *testing.T, env *testkit.Env, incidentID, unitID int64) {
	t.Helper()
	svc := env.App.Bulletins
	svc.Key = []byte("state-test-link-secret")
	if _, err := svc.SaveList(ctx, env.Users["duty"], "医院", []int64{unitID}); err != nil {
		t.Fatal(err)
	}
	b, err := svc.Draft(ctx, env.Users["duty"], bulletin.Input{IncidentID: incidentID, Title: "关于网站被篡改的通报", Body: "县教育局网站首页被篡改。",
		Actions: "排查本单位网站。", Deadline: env.Clock.Now().Add(24 * time.Hour), Contact: "张值班", Phone: "028-38800000"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Sign(ctx, env.Users["chief"], b.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Send(ctx, env.Users["duty"], b.ID, bulletin.Selector{UnitIDs: []int64{unitID}}, bulletins.Expect{Units: 1}); err != nil {
		t.Fatal(err)
	}
	tab, err := svc.Table(ctx, env.Users["duty"], b.ID, bulletin.TableFilter{})
	if err != nil || len(tab.Rows) != 1 {
		t.Fatalf("table: %v", err)
	}
	tok := bulletin.Token(svc.Key, tab.Rows[0])
	if err := svc.Receive(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := svc.Answer(ctx, tok, bulletin.Reply{Answer: bulletin.Checked, Notes: "已排查", Attachments: []bulletin.Attachment{{Name: "记录.pdf", SHA256: strings.Repeat("0a", 32)}}}); err != nil {
		t.Fatal(err)
	}
}

// Issue 14's covered tables in the tamper test's tables (state_test.go).
func init() {
	tamperColumn["bulletins"] = "title = title || '#'"
	tamperColumn["bulletin_recipients"] = "notes = notes || '#'"
	tamperColumn["bulletin_lists"] = "name = name || '#'"
	copyOverride["bulletin_recipients"] = map[string]string{"unit_id": "unit_id + 1000000"}
	copyOverride["bulletin_lists"] = map[string]string{"name": "name || 'x'"}
}
