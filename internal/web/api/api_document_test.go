package api_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"yingji/internal/officepdf"
	"yingji/internal/testkit"
	"yingji/internal/testkit/pdftext"
)

// issue 15: a report whose title carries a character outside the BMP (𠮷, in
// people's names) and an emoji downloads as a PDF (it crashed the server);
// once signed, the PDF comes from LibreOffice, converted in the background
// and cached by the report's SHA-256, and keeps those characters.
func TestAPIReportPDFOutsideBMP(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	t.Setenv("YINGJI_PDF_OFFICE", "1")
	t.Setenv("YINGJI_PDF_CACHE", t.TempDir())
	_, c := newServer(t, env)
	duty, chief := c["duty"], c["chief"]
	disc := env.Clock.Now().Add(-time.Hour).Format(time.RFC3339)
	in := duty.do("POST", "/api/v1/incidents", `{"title":"𠮷某反映县政府网站被篡改🙂","category":"network_attack","level":2,"discovered_at":"`+disc+`","description":"首页被植入非法内容"}`, 201)
	iid := id(in["id"])
	duty.activate(chief, iid, "重要会议期间网站遭篡改")
	r := duty.do("POST", "/api/v1/incidents/"+iid+"/reports", `{"kind":"daily"}`, 201)
	rid := id(r["id"])
	// The draft: the pure-Go PDF, with 〓 for what its font lacks.
	draft, ct := duty.get("/api/v1/reports/"+rid+"/document?format=pdf", 200)
	if ct != "application/pdf" {
		t.Fatalf("content type %s", ct)
	}
	if text := pdfText(t, draft); !strings.Contains(text, "〓某反映县政府网站被篡改〓") {
		t.Fatalf("draft PDF text:\n%s", text)
	}
	duty.do("POST", "/api/v1/reports/"+rid+"/signoff-request", "", 200)
	s := chief.do("POST", "/api/v1/reports/"+rid+"/signoff", "", 200)
	sha := s["sha256"].(string)
	duty.get("/api/v1/reports/"+rid+"/document?format=pdf", 200)
	if officepdf.Binary() == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("LibreOffice (soffice) is required here (CI=true)")
		}
		t.Skip("soffice not installed")
	}
	conv := officepdf.Shared()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, ok := conv.Cached(sha); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("LibreOffice never converted the signed report")
		}
		time.Sleep(200 * time.Millisecond)
	}
	signed, _ := duty.get("/api/v1/reports/"+rid+"/document?format=pdf", 200)
	text := pdfText(t, signed)
	// 𠮷 itself, not 〓: the PDF is LibreOffice's.
	if !strings.Contains(text, "𠮷某反映县政府网站被篡改") {
		t.Fatalf("signed PDF (LibreOffice) text:\n%s", text)
	}
}

func pdfRaw(t *testing.T, pdf []byte) string { return pdftext.Text(t, pdf, "-raw") }

func pdfText(t *testing.T, pdf []byte) string {
	return strings.ReplaceAll(pdftext.Text(t, pdf, "-enc", "UTF-8"), "\n", "")
}

// issue 15: the marking (份号, 密级和保密期限, 紧急程度) is set per report like
// its other fields, a bad value names its field and changes nothing, and the
// DOCX and the console show it.
func TestAPIReportMarking(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	_, c := newServer(t, env)
	duty, chief := c["duty"], c["chief"]
	disc := env.Clock.Now().Add(-time.Hour).Format(time.RFC3339)
	in := duty.do("POST", "/api/v1/incidents", `{"title":"县公安局内网终端感染木马","category":"network_attack","level":2,"discovered_at":"`+disc+`","description":"内网终端外联异常"}`, 201)
	iid := id(in["id"])
	duty.activate(chief, iid, "内网安全")
	r := duty.do("POST", "/api/v1/incidents/"+iid+"/reports", `{"kind":"initial"}`, 201)
	rid := id(r["id"])
	for _, bad := range []struct{ body, field string }{
		{`{"fields":{"secrecy":"内部"}}`, "fields.secrecy"},
		{`{"fields":{"urgency":"急"}}`, "fields.urgency"},
		{`{"fields":{"copy_no":"12"}}`, "fields.copy_no"},
		{`{"fields":{"secrecy_term":"一年"}}`, "fields.secrecy_term"},
	} {
		if p := duty.do("PATCH", "/api/v1/reports/"+rid, bad.body, 400); p["field"] != bad.field {
			t.Errorf("%s: %v", bad.body, p)
		}
	}
	p := duty.do("PATCH", "/api/v1/reports/"+rid, `{"fields":{"copy_no":"000012","secrecy":"秘密","secrecy_term":"1年","urgency":"特急"}}`, 200)
	f := p["fields"].(map[string]any)
	if f["secrecy"] != "秘密" || f["secrecy_term"] != "1年" || f["urgency"] != "特急" || f["copy_no"] != "000012" {
		t.Fatalf("fields %v", f)
	}
	before := testkit.AuditCount(t, env)
	docx, _ := duty.get("/api/v1/reports/"+rid+"/document?format=docx", 200)
	text := testkit.DocxText(t, docx)
	for _, want := range []string{"000012", "秘密★1年", "特急"} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX lacks %s", want)
		}
	}
	// Marked 秘密: the author and the leaders take copies, the PDF carries the
	// reader's account and the time, and each download is audited; a member
	// of the leading group who wrote none of it is refused.
	pdf, _ := duty.get("/api/v1/reports/"+rid+"/document?format=pdf", 200)
	if flat := strings.Join(strings.Fields(pdfRaw(t, pdf)), ""); !strings.Contains(flat, "duty"+env.Clock.Now().In(env.Plan.Location).Format("2006-01-0215:04")) {
		t.Errorf("no watermark in:\n%s", flat)
	}
	chief.get("/api/v1/reports/"+rid+"/document?format=docx", 200)
	if p := c["xingjing"].do("GET", "/api/v1/reports/"+rid+"/document?format=pdf", "", 403); !strings.Contains(p["detail"].(string), "秘密★1年") {
		t.Errorf("refusal %v", p)
	}
	if n := testkit.AuditCount(t, env) - before; n != 3 { // the DOCX above, the PDF, the chief's DOCX
		t.Errorf("%d downloads audited, want 3", n)
	}
	base := duty.base
	page := consolePage(t, base, testkit.ConsoleLogin(t, base, "duty", testkit.Password), "/reports/"+rid)
	if !strings.Contains(page, `id="report-marks"`) || !strings.Contains(page, "<strong>秘密★1年</strong>") || !strings.Contains(page, "<strong>特急</strong>") {
		t.Errorf("console page lacks the marking")
	}
}
