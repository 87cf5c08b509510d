package auditlog_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/audit"
	"yingji/internal/auditlog"
	"yingji/internal/errs"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

func records(t *testing.T, env *testkit.Env, who *user.User, f audit.Filter) *auditlog.Page {
	t.Helper()
	if f.Limit == 0 {
		f.Limit = audit.MaxPage
	}
	f.Newest = true
	p, err := env.App.AuditLog.Records(ctx, who, f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func actions(p *auditlog.Page) []string {
	var out []string
	for _, r := range p.Records {
		out = append(out, r.Action)
	}
	return out
}

// The auditor's questions, answered by the filters: who approved the
// activation of this incident and when (its records include the approval's
// and the tasks'), what did duty do (and nobody else), on which days.
func TestRecordsFilters(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		auditor := env.Users["auditor"]
		in := testkit.NewIncident(t, env, "network_attack")
		testkit.Activate(t, env, in)
		other := testkit.NewIncident(t, env, "network_attack")
		if _, err := env.App.Incidents.AddNote(ctx, env.Users["duty"], other.ID, "另一事件的续报"); err != nil {
			t.Fatal(err)
		}

		byNumber := records(t, env, auditor, audit.Filter{IncidentRef: in.Number})
		got := actions(byNumber)
		for _, want := range []string{"incident.create", "approval.request", "approval.decide", "task.create_from_plan"} {
			if !slices.Contains(got, want) {
				t.Errorf("the incident's records lack %s: %v", want, got)
			}
		}
		for _, r := range byNumber.Records {
			if r.ObjectType == "incident" && r.ObjectID != in.ID {
				t.Errorf("record %d of incident %d in %s's records", r.Seq, r.ObjectID, in.Number)
			}
		}
		if byID := records(t, env, auditor, audit.Filter{IncidentRef: itoa(in.ID)}); len(byID.Records) != len(byNumber.Records) {
			t.Errorf("by id %d records, by number %d", len(byID.Records), len(byNumber.Records))
		}
		if byNumber.Numbers[in.ID] != in.Number {
			t.Errorf("the page names the incident %q", byNumber.Numbers[in.ID])
		}

		decided := records(t, env, auditor, audit.Filter{IncidentRef: in.Number, Action: "approval.decide"})
		if len(decided.Records) != 1 || decided.Records[0].Actor == "" || decided.Records[0].Actor == "duty" {
			t.Fatalf("who approved: %+v", decided.Records)
		}

		duty := records(t, env, auditor, audit.Filter{Actor: "duty"})
		if len(duty.Records) == 0 {
			t.Fatal("no records of duty")
		}
		for _, r := range duty.Records {
			if r.Actor != "duty" {
				t.Errorf("record %d of %s among duty's", r.Seq, r.Actor)
			}
		}
		for i := 1; i < len(duty.Records); i++ {
			if duty.Records[i].Seq >= duty.Records[i-1].Seq {
				t.Fatalf("not newest first: %d after %d", duty.Records[i].Seq, duty.Records[i-1].Seq)
			}
		}

		now := env.App.Core.Now()
		today := records(t, env, auditor, audit.Filter{From: now.Add(-time.Hour), To: now.Add(time.Hour)})
		if len(today.Records) == 0 {
			t.Fatal("nothing in the hour around now")
		}
		if past := records(t, env, auditor, audit.Filter{To: now.AddDate(0, 0, -2)}); len(past.Records) != 0 {
			t.Errorf("%d records before the world began", len(past.Records))
		}
	})
}

// Paging by seq: the pages of a filter, read back with Before, are the
// filter's records once each, in order; the last page says so.
func TestRecordsPaging(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := testkit.NewIncident(t, env, "network_attack")
		for range 7 {
			if _, err := env.App.Incidents.AddNote(ctx, env.Users["duty"], in.ID, "续报"); err != nil {
				t.Fatal(err)
			}
		}
		all := records(t, env, env.Users["auditor"], audit.Filter{Action: "incident.note"})
		if len(all.Records) != 7 || all.Next != 0 {
			t.Fatalf("%d notes, next %d", len(all.Records), all.Next)
		}
		var seen []int64
		f := audit.Filter{Action: "incident.note", Limit: 3}
		for pages := 0; ; pages++ {
			p := records(t, env, env.Users["auditor"], f)
			for _, r := range p.Records {
				seen = append(seen, r.Seq)
			}
			if p.Next == 0 {
				break
			}
			if pages > 5 {
				t.Fatal("paging does not end")
			}
			f.Before = p.Next
		}
		var want []int64
		for _, r := range all.Records {
			want = append(want, r.Seq)
		}
		if !slices.Equal(seen, want) {
			t.Fatalf("pages %v, all %v", seen, want)
		}
	})
}

// Scope unchanged: a county's audit administrator sees his county's
// records, not the city's (its logins, its accounts, its plan install),
// and cannot even name the city's incidents; someone without the role is
// refused.
func TestRecordsScope(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		county, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "青神县公安局", Username: "qsauditor",
			DisplayName: "县审计员", Roles: []string{user.RoleAuditAdmin}, Password: testkit.Password})
		if err != nil {
			t.Fatal(err)
		}
		in := testkit.NewIncident(t, env, "network_attack")
		city := env.Users["auditor"].OrgID
		mine := records(t, env, county, audit.Filter{})
		if len(mine.Records) == 0 {
			t.Fatal("the county auditor sees nothing")
		}
		for _, r := range mine.Records {
			if r.OrgID == city || r.OrgID == 0 {
				t.Errorf("county auditor sees record %d (%s) of org %d", r.Seq, r.Action, r.OrgID)
			}
		}
		if got := records(t, env, county, audit.Filter{IncidentRef: in.Number}); len(got.Records) == 0 {
			t.Error("the county auditor cannot find his county's incident")
		}
		all := records(t, env, env.Users["auditor"], audit.Filter{})
		var cityOwn int
		for _, r := range all.Records {
			if r.OrgID == city || r.OrgID == 0 {
				cityOwn++
			}
		}
		if cityOwn == 0 {
			t.Fatal("the city auditor sees no city records: the scope test proves nothing")
		}

		_, err = env.App.AuditLog.Records(ctx, env.Users["duty"], audit.Filter{Limit: 10})
		testkit.WantCode(t, err, errs.Forbidden)
		_, err = env.App.AuditLog.Check(ctx, env.Users["duty"])
		testkit.WantCode(t, err, errs.Forbidden)
		_, err = env.App.AuditLog.Records(ctx, county, audit.Filter{IncidentRef: "QS-2099-999", Limit: 10})
		testkit.WantField(t, err, "incident")
	})
}

// A city incident's number typed by a county auditor is the same error as
// a number that does not exist.
func TestRecordsIncidentOutsideScope(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		dl, err := env.App.Accounts.CreateOrg(ctx, user.System(), accounts.NewOrg{Name: "丹棱县公安局", Code: "DL", ParentID: env.Users["citydeputy"].OrgID})
		if err != nil {
			t.Fatal(err)
		}
		dlAuditor, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: dl.Name, Username: "dlauditor",
			DisplayName: "丹棱审计员", Roles: []string{user.RoleAuditAdmin}, Password: testkit.Password})
		if err != nil {
			t.Fatal(err)
		}
		in := testkit.NewIncident(t, env, "network_attack") // 青神's
		_, err = env.App.AuditLog.Records(ctx, dlAuditor, audit.Filter{IncidentRef: in.Number, Limit: 10})
		testkit.WantField(t, err, "incident")
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
