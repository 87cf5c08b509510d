package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"yingji/internal/testkit/pdftext"
)

var sh = mustLoc("Asia/Shanghai")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func sampleDocument() *Document {
	f := Fields{
		TimePlace:     "2026年11月28日8时50分，青神县公安局辖区发生敏感时期和重要会议、活动期间网络攻击（网络攻击事件，Ⅲ级）。",
		Cause:         "县政府门户网站遭受DDoS攻击，访问中断约20分钟。",
		Course:        strings.Repeat("2026年11月28日9时20分，张值班记录：已联系网站管理员，启用流量清洗。\n", 30),
		Measures:      "按照预案共部署处置任务12项，已完成5项。",
		Impact:        "事件仍在处置中。",
		Informed:      "已报市委、市政府和上级公安机关。",
		NextSteps:     "继续落实处置任务。<特殊字符&>",
		ReportingUnit: "青神县公安局", Signer: "李局长", Contact: "张值班", Phone: "028-38812345",
	}
	return &Document{Issuer: "青神县公安局", DocNumber: "青公网安〔2026〕3号", Signer: "李局长",
		Title: "县政府门户网站遭受DDoS攻击每日情况报告（第1期）", Recipients: []string{"市委", "市政府", "上级公安机关"},
		Fields: f, Date: time.Date(2026, 11, 28, 15, 30, 0, 0, sh), SHA256: strings.Repeat("ab", 32)}
}

// The DOCX unzips, every XML part is well-formed, and the body holds the
// title, the document number, the date and the GB/T 9704 geometry.
func TestDOCX(t *testing.T) {
	b, err := DOCX(sampleDocument())
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = string(data)
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
		}
	}
	doc := parts["word/document.xml"]
	var text strings.Builder
	dec := xml.NewDecoder(strings.NewReader(doc))
	inT := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case xml.StartElement:
			inT = v.Name.Local == "t"
		case xml.EndElement:
			inT = false
		case xml.CharData:
			if inT {
				text.Write(v)
			}
		}
	}
	for _, want := range []string{"县政府门户网站遭受DDoS攻击每日情况报告（第1期）", "青公网安〔2026〕3号", "签发人：", "李局长",
		"2026年11月28日", "市委、市政府、上级公安机关：", "一、事件发生时间、地点", "七、下一步工作及需要支援的事项", "<特殊字符&>", "联系电话：028-38812345"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("document text lacks %q", want)
		}
	}
	for _, want := range []string{`w:w="11906" w:h="16838"`, `w:top="2098"`, `w:bottom="1984"`, `w:left="1587"`, `w:right="1474"`,
		`w:linePitch="579"`, fontTitle, fontBody} {
		if !strings.Contains(doc+parts["word/styles.xml"], want) {
			t.Errorf("document lacks %s", want)
		}
	}
	if !strings.Contains(parts["word/footer1.xml"], "PAGE") || !strings.Contains(parts["word/footer1.xml"], "— ") {
		t.Errorf("footer %s", parts["word/footer1.xml"])
	}
	if _, ok := parts["[Content_Types].xml"]; !ok {
		t.Error("no content types")
	}
}

// The PDF's extracted text holds the Chinese title: the font is embedded.
func TestPDF(t *testing.T) {
	b, err := PDF(sampleDocument())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if !bytes.Contains(b, []byte("FontFile2")) {
		t.Error("no embedded TrueType font")
	}
	text := pdftext.Text(t, b, "-enc", "UTF-8")
	for _, want := range []string{"每日情况报告", "青神县公安局", "青公网安〔2026〕3号", "— 1 —", "— 2 —"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}

// The benchmarks render longDocument: 6 pages in LibreOffice, 5 in the
// pure-Go PDF.
func BenchmarkDOCX(b *testing.B) {
	d := longDocument(Daily)
	for b.Loop() {
		if _, err := DOCX(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPDF(b *testing.B) {
	d := longDocument(Daily)
	for b.Loop() {
		if _, err := PDF(d); err != nil {
			b.Fatal(err)
		}
	}
}

// Characters outside the BMP (a CJK Extension B character in a name, an
// emoji) do not crash the pure-Go PDF: they print as 〓 with a note, and the
// DOCX keeps them.
func TestPDFOutsideBMP(t *testing.T) {
	d := sampleDocument()
	d.Title = "关于𠮷某某反映网站被篡改🙂的首报"
	d.Fields.Contact = "𠮷祥"
	b, err := PDF(d)
	if err != nil {
		t.Fatal(err)
	}
	requireTool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "r.pdf")
	os.WriteFile(path, b, 0o600)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"〓某某反映网站被篡改〓的首报", "缺3个字，以〓代替"} {
		if !strings.Contains(strings.ReplaceAll(string(out), "\n", ""), want) {
			t.Errorf("PDF lacks %q:\n%s", want, out)
		}
	}
	x, err := DOCX(d)
	if err != nil {
		t.Fatal(err)
	}
	z, _ := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			doc, _ := io.ReadAll(rc)
			if !bytes.Contains(doc, []byte("𠮷")) || !bytes.Contains(doc, []byte("🙂")) {
				t.Error("DOCX lost the characters outside the BMP")
			}
		}
	}
}
