package consoletest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"yingji/internal/evidence"
	"yingji/internal/exhibits"
	"yingji/internal/testkit"
)

// TestEvidencePages (issue 13): the item page shows an .eml file's recorded
// headers as written (Subject decoded), a file name with markup is escaped,
// a console download is an attachment, the upload endpoint wants the
// session's CSRF token, and an outsider gets 404.
func TestEvidencePages(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	duty := env.Users["duty"]
	in := newIncident(t, env)
	it, err := env.App.Evidence.Register(ctx, duty, in.ID, evidence.New{Kind: evidence.Email, Description: "钓鱼邮件", CollectedAt: env.Clock.Now(), CollectedBy: "张值班"})
	if err != nil {
		t.Fatal(err)
	}
	eml := "Received: from [198.51.100.7] by mx.example.cn; Mon, 30 Nov 2026 08:59:58 +0800\r\nDate: Mon, 30 Nov 2026 08:59:57 +0800\r\n" +
		"From: a@example.cn\r\nTo: b@gov.cn\r\nSubject: =?UTF-8?B?5Lit5aWW6YCa55+l?=\r\nMessage-ID: <x1@example.cn>\r\n\r\nbody\r\n"
	f, err := env.App.Evidence.AddFile(ctx, duty, it.ID, exhibits.Upload{Name: "<b>邮件</b>.eml", Size: -1, Body: strings.NewReader(eml)})
	if err != nil {
		t.Fatal(err)
	}
	b := loggedIn(t, base, "duty")
	r := b.read("/evidence/"+itoa(it.ID), "中奖通知", "&lt;x1@example.cn&gt;", "from [198.51.100.7] by mx.example.cn", "&lt;b&gt;邮件&lt;/b&gt;.eml", f.SHA256, f.SM3)
	if strings.Contains(r.Body, "<b>邮件</b>") {
		t.Fatal("a file name was not escaped")
	}
	r = b.get("/evidence/" + itoa(it.ID) + "/files/" + itoa(f.ID))
	wantStatus(t, r, http.StatusOK)
	if r.Body != eml {
		t.Fatalf("download %q", r.Body)
	}
	wantStatus(t, b.get("/incidents/"+itoa(in.ID)+"/evidence"), http.StatusOK)

	// The script's upload without the token is refused; nothing is added.
	res, err := b.c.Post(base+"/evidence/"+itoa(it.ID)+"/files?name="+url.QueryEscape("x.txt"), "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("upload without CSRF: %d", res.StatusCode)
	}
	testkit.OtherCounty(t, env)
	other := loggedIn(t, base, "dpduty")
	wantStatus(t, other.get("/evidence/"+itoa(it.ID)), http.StatusNotFound)
	wantStatus(t, other.get("/incidents/"+itoa(in.ID)+"/evidence"), http.StatusNotFound)
}
