package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"yingji/internal/officepdf"
)

// requireTool finds a program the layout tests run; under CI=true a missing
// one fails the test instead of skipping it, as YINGJI_REQUIRE_PG does for
// PostgreSQL: CI installs LibreOffice and poppler-utils (.ci/run).
func requireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" || os.Getenv("YINGJI_REQUIRE_OFFICE") == "1" {
			t.Fatalf("%s is required here (CI=true): install libreoffice-writer-nogui and poppler-utils", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// GB/T 9704-2012 in PDF points.
const (
	mm         = 72 / 25.4
	typeTop    = 37 * mm         // 天头
	typeLeft   = 28 * mm         // 订口
	typeRight  = (28 + 156) * mm // 版心 156 mm wide
	typeBottom = (37 + 225) * mm // and 225 mm high
	pitchLine  = 28.95           // 225 mm / 22 lines… as Word and WPS round it
	// officeGlyphAbove is how far under the top of an exact 28.95 pt
	// line LibreOffice puts the box pdftotext reports for a 16 pt glyph
	// (its ascent and descent, 20.8 pt in Noto CJK): measured, 6.5 pt.
	// goGlyphAbove is the same for the pure-Go PDF's cells and font.
	officeGlyphAbove = 6.5
	goGlyphAbove     = 5.4
	bodyPerLine      = 28
	bodyPerPage      = 22
)

type bboxWord struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

type bboxPage struct {
	Width  float64    `xml:"width,attr"`
	Height float64    `xml:"height,attr"`
	Words  []bboxWord `xml:"word"`
}

// textLine is the words of one page sharing a baseline.
type textLine struct {
	page                   int
	xMin, yMin, xMax, yMax float64
	text                   string
}

func (l textLine) height() float64 { return l.yMax - l.yMin }

// readLines runs pdftotext -bbox on a PDF and groups its words into lines.
func readLines(t testing.TB, pdf []byte) (pages []bboxPage, lines [][]textLine) {
	t.Helper()
	tool := requireTool(t, "pdftotext")
	dir := t.TempDir()
	in := filepath.Join(dir, "d.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-bbox", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Pages []bboxPage `xml:"body>doc>page"`
	}
	dec := xml.NewDecoder(strings.NewReader(string(out)))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	for i, p := range doc.Pages {
		ws := append([]bboxWord(nil), p.Words...)
		sort.SliceStable(ws, func(a, b int) bool {
			if math.Abs(ws[a].YMax-ws[b].YMax) > 3 {
				return ws[a].YMax < ws[b].YMax
			}
			return ws[a].XMin < ws[b].XMin
		})
		var ls []textLine
		for _, w := range ws {
			n := len(ls)
			if n > 0 && math.Abs(ls[n-1].yMax-w.YMax) <= 3 {
				l := &ls[n-1]
				l.xMin, l.xMax = math.Min(l.xMin, w.XMin), math.Max(l.xMax, w.XMax)
				l.yMin = math.Min(l.yMin, w.YMin)
				l.text += w.Text
				continue
			}
			ls = append(ls, textLine{page: i + 1, xMin: w.XMin, yMin: w.YMin, xMax: w.XMax, yMax: w.YMax, text: w.Text})
		}
		lines = append(lines, ls)
	}
	return doc.Pages, lines
}

var pageNumberRE = regexp.MustCompile(`^—(\d+)—$`)

// layout is what the GB/T 9704 measurements found in one PDF.
type layout struct {
	Pages       int
	PerLine     []int     // characters on each full body line
	PerPage     []int     // body lines on each full page (not the last)
	Pitch       float64   // mean distance between body baselines
	Left, Right float64   // extreme x of body text, mm
	Top, Bottom float64   // first glyph top, last glyph bottom on full pages, mm
	NumberText  []string  // page-number text per page
	NumberX     []float64 // page-number outer edge: xMax on odd pages, xMin on even, mm
	NumberTop   []float64 // page-number glyph top, mm
	Problems    []string
}

func (l *layout) bad(format string, args ...any) {
	l.Problems = append(l.Problems, fmt.Sprintf(format, args...))
}

func wide(r rune) bool { return r >= 0x2E80 }

// measure reads the body grid off a PDF rendered from a Document. Body
// lines are those in 3号 type (glyph boxes 18–22 pt high in the fonts used).
func measure(t testing.TB, pdf []byte, glyphAbove float64) layout {
	t.Helper()
	pages, lines := readLines(t, pdf)
	var m layout
	m.Pages = len(pages)
	m.Left, m.Right, m.Top, m.Bottom = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	var pitchSum float64
	var pitchN int
	ended := false
	for i, ls := range lines {
		pageNo := i + 1
		var body []textLine
		found := false
		for _, l := range ls {
			if mt := pageNumberRE.FindStringSubmatch(strings.ReplaceAll(l.text, " ", "")); mt != nil && l.yMin > typeBottom {
				found = true
				m.NumberText = append(m.NumberText, "— "+mt[1]+" —")
				if mt[1] != fmt.Sprint(pageNo) {
					m.bad("page %d numbered %s", pageNo, mt[1])
				}
				if pageNo%2 == 1 {
					m.NumberX = append(m.NumberX, l.xMax/mm)
				} else {
					m.NumberX = append(m.NumberX, l.xMin/mm)
				}
				m.NumberTop = append(m.NumberTop, l.yMin/mm)
				continue
			}
			if h := l.height(); h >= 15 && h <= 24 && l.yMin < typeBottom+2 {
				body = append(body, l)
			}
		}
		if !found {
			m.bad("page %d has no page number", pageNo)
		}
		// Full pages hold body text only: after the first page (版头,
		// title) and before the one that carries the signature and the
		// 附注 (联系人), which ends the body.
		end := false
		for _, l := range ls {
			end = end || strings.Contains(l.text, "联系人")
		}
		full := pageNo > 1 && !ended && !end
		ended = ended || end
		if full {
			m.PerPage = append(m.PerPage, len(body))
		}
		for j, l := range body {
			m.Left = math.Min(m.Left, l.xMin/mm)
			// A closing mark may hang into the margin (标点悬挂) in the
			// pure-Go PDF: such a line's end is not the type area's.
			if !strings.ContainsRune(noLineStart, lastRune(l.text)) {
				m.Right = math.Max(m.Right, l.xMax/mm)
			}
			if full {
				// pdftotext gives the glyph box, which the renderer sets
				// glyphAbove under the top of a 28.95 pt line; the line's
				// box is what the margins are measured to.
				m.Top = math.Min(m.Top, (l.yMin-glyphAbove)/mm)
				m.Bottom = math.Max(m.Bottom, (l.yMin-glyphAbove+pitchLine)/mm)
			}
			if j > 0 && full {
				pitchSum += l.yMax - body[j-1].yMax
				pitchN++
			}
			// A full line: starts at the left edge, ends at the right one,
			// and holds only full-width characters (Latin letters and
			// digits take less than a cell).
			allWide := true
			n := 0
			for _, r := range l.text {
				allWide = allWide && wide(r)
				n++
			}
			if allWide && math.Abs(l.xMin-typeLeft) < 2 && l.xMax > typeRight-16 {
				m.PerLine = append(m.PerLine, n)
			}
		}
	}
	if pitchN > 0 {
		m.Pitch = pitchSum / float64(pitchN)
	}
	return m
}

// check holds a measured layout to GB/T 9704-2012.
func (m *layout) check() {
	if m.Pages < 3 {
		m.bad("only %d pages: the sample must fill at least one full page", m.Pages)
	}
	if len(m.PerLine) < 10 {
		m.bad("only %d full body lines found", len(m.PerLine))
	}
	for _, n := range m.PerLine {
		if n < bodyPerLine-1 || n > bodyPerLine+1 {
			m.bad("a full line holds %d characters, not %d±1", n, bodyPerLine)
			break
		}
	}
	for i, n := range m.PerPage {
		if n != bodyPerPage {
			m.bad("full page %d holds %d body lines, not %d", i+2, n, bodyPerPage)
		}
	}
	if math.Abs(m.Pitch-pitchLine) > 0.3 {
		m.bad("line pitch %.2f pt, not %.2f", m.Pitch, pitchLine)
	}
	near := func(what string, got, want float64) {
		if math.Abs(got-want) > 1 {
			m.bad("%s at %.1f mm, not %.1f±1", what, got, want)
		}
	}
	near("body text's left edge", m.Left, 28)
	near("body text's right edge", m.Right, 184)
	// The type area's top and bottom are the first line's top and the last
	// line's bottom (Top, Bottom: see measure).
	near("type area's top (first line's top)", m.Top, 37)
	near("type area's bottom (last line's bottom)", m.Bottom, 37+225)
	for i, x := range m.NumberX {
		// One 4号 character (14 pt = 4.9 mm) in from the type area's side.
		if i%2 == 0 {
			near(fmt.Sprintf("page %d number's right end", i+1), x, 184-4.9)
		} else {
			near(fmt.Sprintf("page %d number's left end", i+1), x, 28+4.9)
		}
	}
	for i, y := range m.NumberTop {
		// The number's dashes are 7 mm under the type area; its glyph top
		// a little above them.
		if y < 37+225 || y > 37+225+10 {
			m.bad("page %d number's top at %.1f mm, not just under the type area", i+1, y)
		}
	}
}

// longDocument fills several pages: the body must show full lines and
// full pages to be measured.
func longDocument(kind string) *Document {
	d := sampleDocument()
	d.Title = Title(kind, 3, "县内多家单位感染勒索病毒")
	d.Fields.CopyNo, d.Fields.Secrecy, d.Fields.SecrecyTerm, d.Fields.Urgency = "000012", "秘密", "1年", "特急"
	d.CopyTo = []string{"县委办公室", "县政府办公室", "县委网信办"}
	d.Printer = "青神县公安局办公室"
	d.Fields.Measures = "（一）现场处置。网安大队民警会同县委网信办技术人员赶赴现场，断开受感染主机网络，提取勒索程序样本。\n1．固定证据。对受感染主机逐台制作镜像，登记在案。\n（二）通报预警。向全县重点单位发出预警通报，督促排查远程桌面弱口令。"
	d.Fields.Course = strings.Repeat("经现场勘验，受感染主机均为对外开放远程桌面服务的办公电脑，攻击者利用弱口令登录后投放勒索程序，加密共享目录中的业务文件，并留下勒索信要求以虚拟货币支付赎金。", 12) +
		"\n" + d.Fields.Course
	return d
}

// Every kind of report's DOCX, opened in LibreOffice, holds the GB/T 9704
// grid: 28 characters a line, 22 lines a page, the margins, and the page
// numbers on the outer side.
func TestDOCXLayoutInLibreOffice(t *testing.T) {
	requireTool(t, "soffice")
	requireTool(t, "pdftotext")
	conv := officepdf.New(t.TempDir())
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) {
			b, err := DOCX(longDocument(kind))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			pdf, err := conv.Convert(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			if dir := os.Getenv("YINGJI_LAYOUT_OUT"); dir != "" {
				os.WriteFile(filepath.Join(dir, kind+"-docx.pdf"), pdf, 0o644)
				os.WriteFile(filepath.Join(dir, kind+".docx"), b, 0o644)
			}
			validatePDF(t, pdf)
			m := measure(t, pdf, officeGlyphAbove)
			m.check()
			t.Logf("%s: %d pages, chars/line %v, lines/page %v, pitch %.2f pt, left %.1f right %.1f top %.1f bottom %.1f mm, numbers %q at %.1f mm (top %.1f)",
				kind, m.Pages, uniq(m.PerLine), m.PerPage, m.Pitch, m.Left, m.Right, m.Top, m.Bottom, m.NumberText, m.NumberX, m.NumberTop)
			for _, p := range m.Problems {
				t.Error(p)
			}
		})
	}
}

func uniq(xs []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Ints(out)
	return out
}

// validatePDF runs pdfcpu's validator (relaxed mode, as its CLI defaults)
// over a PDF.
func validatePDF(t testing.TB, pdf []byte) {
	t.Helper()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	if err := api.Validate(bytes.NewReader(pdf), conf); err != nil {
		t.Errorf("pdfcpu validate: %v", err)
	}
}

// The pure-Go PDF of every kind holds the same grid, measured the same way.
func TestPDFLayout(t *testing.T) {
	requireTool(t, "pdftotext")
	for _, kind := range Kinds {
		b, err := PDF(longDocument(kind))
		if err != nil {
			t.Fatal(err)
		}
		m := measure(t, b, goGlyphAbove)
		m.check()
		t.Logf("%s: %d pages, chars/line %v, lines/page %v, pitch %.2f pt, left %.1f right %.1f top %.1f bottom %.1f mm, numbers at %.1f mm (top %.1f)",
			kind, m.Pages, uniq(m.PerLine), m.PerPage, m.Pitch, m.Left, m.Right, m.Top, m.Bottom, m.NumberX, m.NumberTop)
		for _, p := range m.Problems {
			t.Errorf("%s: %s", kind, p)
		}
	}
}

// The pure-Go PDF of every kind passes pdfcpu's validator, and so does one
// with characters outside the BMP.
func TestPDFValid(t *testing.T) {
	for _, kind := range Kinds {
		b, err := PDF(longDocument(kind))
		if err != nil {
			t.Fatal(err)
		}
		validatePDF(t, b)
		if dir := os.Getenv("YINGJI_LAYOUT_OUT"); dir != "" {
			os.WriteFile(filepath.Join(dir, kind+"-go.pdf"), b, 0o644)
		}
	}
	d := longDocument(Daily)
	d.Title = "𠮷某反映网站被篡改🙂每日情况报告（第1期）"
	b, err := PDF(d)
	if err != nil {
		t.Fatal(err)
	}
	validatePDF(t, b)
}

// BenchmarkLibreOffice is one DOCX → PDF conversion by soffice (a fresh
// process each time, the profile kept), what the background conversion of a
// signed report costs.
func BenchmarkLibreOffice(b *testing.B) {
	requireTool(b, "soffice")
	doc, err := DOCX(longDocument(Daily))
	if err != nil {
		b.Fatal(err)
	}
	conv := officepdf.New(b.TempDir())
	if _, err := conv.Convert(context.Background(), doc); err != nil { // the profile's first start
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := conv.Convert(context.Background(), doc); err != nil {
			b.Fatal(err)
		}
	}
}
