package exhibits_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"yingji/internal/evidence"
	"yingji/internal/testkit"
)

// TestDraftListsEvidence (issue 13): the daily report draft lists the
// register (number, description, hash prefix, collected by; a physical
// item's seal number), leaves withdrawn items out, and its DOCX shows it.
func TestDraftListsEvidence(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		in := testkit.NewIncident(t, env, "network_attack")
		testkit.Activate(t, env, in)
		a := newItem(t, env, in.ID, evidence.File)
		f := upload(t, env, a.ID, "access.log", "203.0.113.9 GET /shell.php\n")
		disk, err := env.App.Evidence.Register(ctx, duty, in.ID, evidence.New{Kind: evidence.Physical, Description: "服务器硬盘一块",
			CollectedAt: env.Clock.Now(), CollectedBy: "赵大队长", SealNumber: "QS-FC-007"})
		must(t, err)
		gone := newItem(t, env, in.ID, evidence.LogPart)
		_, err = env.App.Evidence.Change(ctx, duty, gone.ID, evidence.Change{Action: evidence.Withdraw, Reason: "登记错误"})
		must(t, err)

		r, err := env.App.Reports.CreateReport(ctx, duty, in.ID, "daily")
		must(t, err)
		m := r.Fields.Measures
		for _, want := range []string{"固定证据2件", a.Number + " 门户网站 web 访问日志（SHA-256 " + f.SHA256[:16] + "…，提取人张值班）",
			disk.Number + " 服务器硬盘一块（封存编号QS-FC-007，提取人赵大队长）"} {
			if !strings.Contains(m, want) {
				t.Fatalf("measures lack %q:\n%s", want, m)
			}
		}
		if strings.Contains(m, gone.Number) {
			t.Fatalf("withdrawn item in the draft:\n%s", m)
		}
		doc, _, err := env.App.Reports.ReportDocument(ctx, duty, r.ID, "docx")
		must(t, err)
		zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
		must(t, err)
		for _, zf := range zr.File {
			if zf.Name == "word/document.xml" {
				rc, _ := zf.Open()
				x, _ := io.ReadAll(rc)
				if !strings.Contains(string(x), f.SHA256[:16]) || !strings.Contains(string(x), disk.Number) {
					t.Fatal("the DOCX does not list the evidence")
				}
				return
			}
		}
		t.Fatal("no word/document.xml")
	})
}
