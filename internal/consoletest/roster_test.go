package consoletest

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"yingji/internal/store"
	"yingji/internal/testkit"
)

func shiftCount(t testing.TB, env *testkit.Env) int {
	t.Helper()
	var n int
	loc := env.Plan.Location
	if err := env.DB.Read(ctx, func(q *store.Q) error {
		l, err := q.ShiftsBetween(env.Users["duty"].OrgID, time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Date(2027, 12, 1, 0, 0, 0, 0, loc))
		n = len(l)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// Roster management on /duty: a rotation, a single shift and its deletion,
// a swap requested by the duty officer and decided by the duty leader, a
// sensitive period declared and withdrawn; refusals write nothing.
func TestConsoleRoster(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		u := env.Users
		base := newServer(t, env)
		chief := loggedIn(t, base, "chief")
		duty := loggedIn(t, base, "duty")
		member := loggedIn(t, base, "xingjing")
		r := chief.get("/duty")
		wantBody(t, r, "排班管理", "按轮值生成排班", "宣布重要时期", `name="leaders"`)
		rot := url.Values{"kind": {"24h"}, "first": {"2026-11-28"}, "days": {"3"}, "day_start": {"08:00"},
			"leaders": {itoa(u["chief"].ID), itoa(u["deputy"].ID)}, "officers": {itoa(u["duty"].ID)}, "back": {"/duty"}}
		// A group member may not arrange duty: 403, nothing written.
		wantStatus(t, member.post("/duty/rotations", rot), 403)
		if strings.Contains(member.get("/duty").Body, "按轮值生成排班") {
			t.Fatal("member sees the rotation form")
		}
		// Forged CSRF token: 403, nothing written.
		f := url.Values{}
		for k, v := range rot {
			if k != "csrf" {
				f[k] = v
			}
		}
		f.Set("csrf", "forged")
		wantStatus(t, chief.post("/duty/rotations", f), 403)
		// Bad input: the field is named, nothing written.
		f.Del("csrf")
		f.Set("days", "0")
		r = chief.post("/duty/rotations", f)
		wantStatus(t, r, 400)
		wantBody(t, r, `id="err-days"`, `aria-describedby="err-days"`, `value="0"`, `<option value="`+itoa(u["deputy"].ID)+`" selected>`)
		f.Del("csrf")
		f.Set("days", "3")
		f.Del("officers")
		wantBody(t, chief.post("/duty/rotations", f), `id="err-officers"`)
		f.Del("csrf")
		if n := shiftCount(t, env); n != 0 {
			t.Fatalf("refused requests wrote %d shifts", n)
		}
		rot.Del("csrf") // the member's
		wantStatus(t, chief.post("/duty/rotations", rot), 303)
		r = chief.get("/duty")
		wantBody(t, r, "轮值排班已生成。", "李局长")
		if n := shiftCount(t, env); n != 3 {
			t.Fatalf("rotation made %d shifts, want 3", n)
		}
		// Overlapping single shift: conflict shown; then a free one, deleted again.
		wantStatus(t, chief.post("/duty/shifts", url.Values{"kind": {"special"}, "starts_at": {"2026-11-28T10:00"}, "ends_at": {"2026-11-28T12:00"},
			"leader_id": {itoa(u["chief"].ID)}, "officer_ids": {itoa(u["duty"].ID)}, "back": {"/duty"}}), 303)
		wantBody(t, chief.get("/duty"), "开始时间")
		wantStatus(t, chief.post("/duty/shifts", url.Values{"kind": {"special"}, "starts_at": {"2026-12-05T10:00"}, "ends_at": {"2026-12-05T12:00"},
			"leader_id": {itoa(u["chief"].ID)}, "officer_ids": {itoa(u["duty"].ID)}, "back": {"/duty"}}), 303)
		if n := shiftCount(t, env); n != 4 {
			t.Fatalf("%d shifts, want 4", n)
		}
		r = chief.get("/duty")
		wantBody(t, r, "班次已新增。")
		ids := regexpAll(r.Body, `action="/duty/shifts/(\d+)/delete"`)
		wantStatus(t, member.post("/duty/shifts/"+ids[0]+"/delete", url.Values{"back": {"/duty"}}), 403)
		wantStatus(t, chief.post("/duty/shifts/"+ids[len(ids)-1]+"/delete", url.Values{"back": {"/duty"}}), 303)
		if n := shiftCount(t, env); n != 3 {
			t.Fatalf("%d shifts after delete, want 3", n)
		}
		// The duty officer asks for a swap on tomorrow's shift; he cannot approve it himself.
		r = duty.get("/duty")
		shift := regexpAll(r.Body, `<option value="(\d+)">全天班`)
		wantStatus(t, duty.post("/duty/changes", url.Values{"shift_id": {shift[1]}, "role": {"officer"}, "from_user_id": {itoa(u["duty"].ID)},
			"to_user_id": {itoa(u["xingjing"].ID)}, "reason": {"家中有事"}, "back": {"/duty"}}), 303)
		r = duty.get("/duty")
		wantBody(t, r, "调班申请已提交", "待审批的调班申请", "家中有事")
		if strings.Contains(r.Body, `/decide"`) {
			t.Fatal("duty officer sees the decide form")
		}
		r = chief.get("/duty")
		ch := regexpFind(r.Body, `action="/duty/changes/(\d+)/decide"`)
		wantStatus(t, duty.post("/duty/changes/"+ch+"/decide", url.Values{"decision": {"approve"}, "back": {"/duty"}}), 403)
		wantStatus(t, chief.post("/duty/changes/"+ch+"/decide", url.Values{"decision": {"approve"}, "back": {"/duty"}}), 303)
		r = chief.get("/duty")
		wantBody(t, r, "已批准调班。")
		if strings.Contains(r.Body, "待审批的调班申请") {
			t.Fatal("change still pending")
		}
		// A sensitive period in force: the banner on /duty and on the command post.
		wantStatus(t, member.post("/duty/periods", url.Values{"name": {"x"}, "starts_at": {"2026-11-28T00:00"}, "ends_at": {"2026-11-30T00:00"}}), 403)
		wantStatus(t, chief.post("/duty/periods", url.Values{"name": {"县两会"}, "level": {"一级"}, "starts_at": {"2026-11-28T00:00"},
			"ends_at": {"2026-11-30T00:00"}, "min_leaders": {"1"}, "min_officers": {"2"}, "back": {"/duty"}}), 303)
		wantBody(t, chief.get("/duty"), "重要时期已宣布")
		wantBody(t, duty.get("/duty"), "县两会", "banner-heightened")
		wantBody(t, duty.get("/"), "县两会")
		p := regexpFind(chief.get("/duty").Body, `action="/duty/periods/(\d+)/delete"`)
		wantStatus(t, chief.post("/duty/periods/"+p+"/delete", url.Values{"back": {"/duty"}}), 303)
		wantBody(t, chief.get("/duty"), "重要时期已撤销。", "当前无重要时期。")
		// In English.
		chief.get("/lang?to=en")
		chief.read("/duty", "Duty log", "Roster management", "Create a rotation", "Swap or override")
	})
}

func regexpAll(body, re string) []string {
	var out []string
	for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}
