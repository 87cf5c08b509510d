package reports_test

import (
	"strings"
	"testing"
	"time"
	"yingji/internal/errs"
	"yingji/internal/incidents"
	"yingji/internal/report"
	"yingji/internal/reports"
	"yingji/internal/testkit"
)

const secret = "已通过技术侦查手段锁定攻击者所用服务器"

// TestInternalNoteStaysOut: an internal note is in the timeline, marked, and
// in no report kind's draft nor its document; an ordinary note is.
func TestInternalNoteStaysOut(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, city := env.Users["duty"], env.Users["citydeputy"]
		in := testkit.NewIncident(t, env, "network_attack")
		testkit.Activate(t, env, in)
		e, err := env.App.Incidents.AddNoteWith(ctx, duty, in.ID, incidents.Note{Text: secret, Internal: true})
		if err != nil || !e.InternalNote() {
			t.Fatalf("internal note: %+v %v", e, err)
		}
		if _, err := env.App.Incidents.AddNote(ctx, duty, in.ID, "已恢复网站访问"); err != nil {
			t.Fatal(err)
		}
		tl, err := env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var marked bool
		for _, x := range tl {
			marked = marked || x.InternalNote() && x.Data["text"] == secret
		}
		if !marked {
			t.Fatal("the internal note is not in the timeline as internal")
		}
		check := func(r *report.Report) {
			t.Helper()
			if strings.Contains(r.Body, "技术侦查") || strings.Contains(r.Fields.Course, "技术侦查") || slicesContains(r.Sources, e.ID) {
				t.Errorf("%s draft carries the internal note: %s", r.Kind, r.Fields.Course)
			}
			if !strings.Contains(r.Body, "已恢复网站访问") {
				t.Errorf("%s draft lacks the ordinary note: %s", r.Kind, r.Fields.Course)
			}
			docx, _, err := env.App.Reports.ReportDocument(ctx, duty, r.ID, "docx")
			if err != nil {
				t.Fatal(err)
			}
			if x := testkit.DocxText(t, docx); strings.Contains(x, "技术侦查") || !strings.Contains(x, "已恢复网站访问") {
				t.Errorf("%s docx: internal note present or ordinary note missing", r.Kind)
			}
			v, err := env.App.Reports.GetReport(ctx, duty, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			// The PDF is laid out from the same document (its text is
			// subset-font glyphs, not searchable bytes).
			if d := reports.DocumentOf(v); strings.Contains(d.Fields.Body(), "技术侦查") {
				t.Errorf("%s pdf document carries the internal note", r.Kind)
			}
			if _, _, err := env.App.Reports.ReportDocument(ctx, duty, r.ID, "pdf"); err != nil {
				t.Fatal(err)
			}
		}
		for _, kind := range []string{report.Initial, report.Followup, report.Daily, report.Final} {
			r, err := env.App.Reports.CreateReport(ctx, duty, in.ID, kind)
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			check(r)
		}
		testkit.CloseOpenTasks(t, env, duty, in.ID, "本次事件不涉及")
		a, err := env.App.Incidents.RequestTermination(ctx, duty, in.ID, "已控制")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
			t.Fatal(err)
		}
		env.Clock.Add(time.Minute)
		r, err := env.App.Reports.CreateReport(ctx, duty, in.ID, report.Summary)
		if err != nil {
			t.Fatal(err)
		}
		check(r)
	})
}

func slicesContains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestEditorMayNotSign: finding 11. The chief rewrites the duty officer's
// draft and may then not sign it; the deputy, who did not edit, may.
func TestEditorMayNotSign(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, chief, deputy := env.Users["duty"], env.Users["chief"], env.Users["deputy"]
		in := testkit.NewIncident(t, env, "network_attack")
		r, err := env.App.Reports.CreateReport(ctx, duty, in.ID, report.Initial)
		if err != nil {
			t.Fatal(err)
		}
		course := "领导改写的经过。"
		if _, err := env.App.Reports.EditReport(ctx, chief, r.ID, reports.ReportPatch{Fields: map[string]string{"course": course}}); err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Reports.SignReport(ctx, chief, r.ID)
		testkit.WantCode(t, err, errs.Forbidden)
		if inbox, _ := env.App.Reports.SignoffInbox(ctx, chief); len(inbox) != 0 {
			t.Fatalf("the editor is offered the sign-off: %v", inbox)
		}
		s, err := env.App.Reports.SignReport(ctx, deputy, r.ID)
		if err != nil || s.Status != report.StatusSigned || s.Fields.Course != course {
			t.Fatalf("deputy signs: %v %v", s, err)
		}
		// A correction carries the text of the version it corrects: its
		// editors may not sign the correction either.
		if _, err := env.App.Reports.SubmitReport(ctx, duty, r.ID); err != nil {
			t.Fatal(err)
		}
		c, err := env.App.Reports.CorrectReport(ctx, duty, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Reports.SignReport(ctx, chief, c.ID)
		testkit.WantCode(t, err, errs.Forbidden)
	})
}
