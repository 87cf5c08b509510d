package web_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yingji/internal/officepdf"
	"yingji/internal/testkit"
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
	a := duty.do("POST", "/api/v1/incidents/"+iid+"/activation", `{"reason":"重要会议期间网站遭篡改"}`, 201)
	chief.do("POST", "/api/v1/approvals/"+id(a["id"])+"/decision", `{"decision":"approve","opinion":"同意启动预案"}`, 200)
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

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is required here (CI=true)")
		}
		t.Skip("pdftotext not installed")
	}
	path := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(out), "\n", "")
}
