package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"regexp"
	"strings"
	"time"
)

// Document is a report laid out as an official document (公文).
type Document struct {
	Issuer     string // 发文机关, e.g. 青神县公安局
	DocNumber  string // 发文字号, "" before sign-off
	Signer     string // 签发人
	Title      string
	Recipients []string // 主送机关
	Fields     Fields
	Date       time.Time // 成文日期 (the signing date), in the plan's zone
	Draft      bool      // not signed yet: marked as a draft
	SHA256     string
	Marking             // 份号, 密级和保密期限, 紧急程度
	CopyTo     []string // 抄送机关, in the 版记
	Printer    string   // 印发机关, in the 版记; "" for the issuer
	// Sections, when set, are the body instead of the report's fields'
	// sections (a 通报's 通报事项 and 工作要求, issue 14).
	Sections []Section
}

// Paragraphs returns the body paragraphs (after the title and addressees)
// with their heading level: the sections' headings are level 1 (一、); a
// line of the text that starts （一） is level 2, one that starts 1. or 1．
// level 3; everything else is body text (level 0).
func (d *Document) Paragraphs() []Para {
	var out []Para
	sections := d.Sections
	if sections == nil {
		sections = d.Fields.Sections()
	}
	for _, s := range sections {
		out = append(out, Para{Text: s.Heading, Level: 1})
		for _, line := range strings.Split(strings.TrimSpace(s.Text), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				out = append(out, Para{Text: line, Level: headingLevel(line)})
			}
		}
	}
	return out
}

// Para is one paragraph of the body.
type Para struct {
	Text  string
	Level int // 0 body text, 1 一、, 2 （一）, 3 1.
}

var (
	level2RE = regexp.MustCompile(`^（[一二三四五六七八九十]+）`)
	level3RE = regexp.MustCompile(`^[0-9]+[.．]`)
)

func headingLevel(line string) int {
	switch {
	case level2RE.MatchString(line):
		return 2
	case level3RE.MatchString(line):
		return 3
	}
	return 0
}

// HeadRun splits a level 2 or 3 heading written run-in with its text
// ("（一）现场处置。技术人员……") into the heading, up to its first full stop,
// and the text after it, which is set as body text.
func (p Para) HeadRun() (head, rest string) {
	if p.Level < 2 {
		return p.Text, ""
	}
	if i := strings.Index(p.Text, "。"); i >= 0 && i+len("。") < len(p.Text) {
		return p.Text[:i+len("。")], p.Text[i+len("。"):]
	}
	return p.Text, ""
}

// GB/T 9704-2012 geometry, in twentieths of a point (twips): A4, margins
// top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28
// characters of 3号 (16 pt) type, so a line pitch of 28.95 pt and a
// character pitch of 156 mm / 28.
const (
	pageW       = 11906 // 210 mm
	pageH       = 16838 // 297 mm
	marginTop   = 2098  // 37 mm
	marginBot   = 1984  // 35 mm
	marginLeft  = 1587  // 28 mm
	marginRight = 1474  // 26 mm
	textW       = pageW - marginLeft - marginRight
	linePitch   = 579 // 28.95 pt
	// condense narrows every character by 0.25 pt (in twips, negative):
	// 28 characters of 16 pt are 448 pt, the line 442.2 pt. A character
	// grid (docGrid linesAndChars with charSpace −847) does this in Word,
	// but LibreOffice sets a 16 pt character in two 15.8 pt cells of such a
	// grid, 15 a line; condensed spacing holds in all three.
	condense = -5
	// footerDist puts the page number's 一字线 7 mm under the type area.
	footerDist = 1361 // 24 mm
	sizeTitle  = 44   // half-points: 2号 = 22 pt
	sizeBody   = 32   // 3号 = 16 pt
	sizeSmall  = 28   // 4号 = 14 pt: page numbers, 版记
	sizeMark   = 72   // 发文机关标志, 36 pt
	// titleChars is how many 2号 characters a title line holds: 156 mm at
	// 22 pt is 20.
	titleChars = 20
	red        = "FF0000"
)

// The standard faces, named first so that a machine that has them uses them;
// altName in the font table and the fontconfig aliases (officepdf) give the
// fallbacks.
const (
	fontTitle = "方正小标宋简体"
	fontBody  = "仿宋_GB2312"
	fontHead  = "黑体"
	fontKai   = "楷体_GB2312"
	fontPage  = "宋体"
)

// DOCX renders the document as a Word file, writing the OOXML by hand.
// Word rejects properties out of the schema's order, so the elements
// inside w:pPr, w:rPr and w:settings follow the order of ECMA-376.
func DOCX(d *Document) ([]byte, error) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"word/_rels/document.xml.rels", docRels},
		{"word/styles.xml", styles},
		{"word/settings.xml", settings},
		{"word/fontTable.xml", fontTable},
		{"word/footer1.xml", footer("right")},
		{"word/footer2.xml", footer("left")},
		{"docProps/core.xml", coreProps(d)},
		{"word/document.xml", documentXML(d)},
	}
	for _, f := range files {
		w, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: d.Date})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

const contentTypes = xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`

const rootRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`

const docRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>
<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>
</Relationships>`

// fontTable names, for each standard face, the common Windows name as
// altName (仿宋_GB2312 is 仿宋 on newer Windows, 楷体_GB2312 is 楷体), which
// Word and WPS try when the first is missing.
var fontTable = xmlHead + `<w:fonts ` + wNS + `>` +
	fontEntry(fontTitle, "方正小标宋_GBK", "roman") +
	fontEntry(fontBody, "仿宋", "modern") +
	fontEntry(fontHead, "SimHei", "modern") +
	fontEntry(fontKai, "楷体", "modern") +
	fontEntry(fontPage, "SimSun", "auto") +
	`</w:fonts>`

func fontEntry(name, alt, family string) string {
	return `<w:font w:name="` + name + `"><w:altName w:val="` + alt + `"/><w:charset w:val="86"/><w:family w:val="` + family + `"/><w:pitch w:val="variable"/></w:font>`
}

func rFonts(f string) string {
	return `<w:rFonts w:ascii="` + f + `" w:eastAsia="` + f + `" w:hAnsi="` + f + `" w:cs="` + f + `"/>`
}

// The default paragraph sits on the 28.95 pt grid in 3号仿宋. Headings:
// 一、 in 黑体, （一） in 楷体, 1. in 仿宋 bold (GB/T 9704 7.3.4).
var styles = xmlHead + `<w:styles ` + wNS + `>
<w:docDefaults>
<w:rPrDefault><w:rPr>` + rFonts(fontBody) + `<w:spacing w:val="` + itoa(condense) + `"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:rPr>` + rFonts(fontBody) + `<w:spacing w:val="` + itoa(condense) + `"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="700" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr>` + rFonts(fontTitle) + `<w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr>` + rFonts(fontHead) + `</w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr>` + rFonts(fontPage) + `<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
</w:styles>`

// Page numbers go right on odd pages and left on even ones (GB/T 9704 7.5).
const settings = xmlHead + `<w:settings ` + wNS + `>
<w:defaultTabStop w:val="420"/>
<w:evenAndOddHeaders/>
<w:characterSpacingControl w:val="compressPunctuation"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
</w:settings>`

// footer is the page number “— 1 —” in 4号 type, one character in from the edge.
func footer(side string) string {
	ind := `<w:ind w:right="280"/>`
	if side == "left" {
		ind = `<w:ind w:left="280"/>`
	}
	return xmlHead + `<w:ftr ` + wNS + `><w:p><w:pPr><w:pStyle w:val="Footer"/>` + ind + `<w:jc w:val="` + side + `"/></w:pPr>` +
		`<w:r><w:t xml:space="preserve">— </w:t></w:r>` +
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
		`<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`
}

func coreProps(d *Document) string {
	return xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(d.Title) + `</dc:title><dc:creator>` + esc(d.Issuer) + `</dc:creator>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + d.Date.UTC().Format("2006-01-02T15:04:05Z") + `</dcterms:created>` +
		`</cp:coreProperties>`
}

type runStyle struct {
	font  string
	bold  bool
	size  int
	color string
}

func run(text string, st runStyle) string {
	var b strings.Builder
	b.WriteString(`<w:r>`)
	if st.font != "" || st.bold || st.size != 0 || st.color != "" {
		b.WriteString(`<w:rPr>`)
		if st.font != "" {
			b.WriteString(rFonts(st.font))
		}
		if st.bold {
			b.WriteString(`<w:b/><w:bCs/>`)
		}
		if st.color != "" {
			b.WriteString(`<w:color w:val="` + st.color + `"/>`)
		}
		if st.size != 0 {
			sz := itoa(st.size)
			b.WriteString(`<w:sz w:val="` + sz + `"/><w:szCs w:val="` + sz + `"/>`)
		}
		b.WriteString(`</w:rPr>`)
	}
	b.WriteString(`<w:t xml:space="preserve">` + esc(text) + `</w:t></w:r>`)
	return b.String()
}

func para(pPr, runs string) string { return `<w:p><w:pPr>` + pPr + `</w:pPr>` + runs + `</w:p>` }

func empty() string { return `<w:p/>` }

// signatureIndent is how many characters the 发文机关署名 stands in from the
// right: the 成文日期 under it stands two in, its first character two to the
// right of the name's (GB/T 9704 7.3.5.2, a document without a seal).
func signatureIndent(name, date string) int {
	n := int(4 + textWidth(date) - textWidth(name) + 0.5)
	if n < 2 {
		n = 2
	}
	return n
}

func documentXML(d *Document) string {
	var b strings.Builder
	b.WriteString(xmlHead + `<w:document ` + wNS + `><w:body>`)
	// 版头. The marks go flush left at the top, one a line: 份号, then
	// 密级和保密期限, then 紧急程度, in 3号黑体 (7.2.1–7.2.3).
	lines := 0
	left := `<w:jc w:val="left"/>`
	if d.Draft {
		b.WriteString(para(left, run("（草稿，未签发）", runStyle{font: fontHead})))
		lines++
	}
	for _, m := range d.Fields.Marking().Marks() {
		b.WriteString(para(left, run(m, runStyle{font: fontHead})))
		lines++
	}
	// The issuer's mark stands about 35 mm under the top of the type area
	// (7.2.4): the marks above take its first lines.
	for ; lines < 3; lines++ {
		b.WriteString(empty())
	}
	b.WriteString(para(`<w:snapToGrid w:val="0"/><w:spacing w:line="1200" w:lineRule="exact"/><w:jc w:val="center"/>`,
		run(d.Issuer, runStyle{font: fontTitle, size: sizeMark, color: red})))
	b.WriteString(empty())
	num := d.DocNumber
	if num == "" {
		num = DocNumber(d.Issuer, d.Date.Year(), 0)
		num = strings.Replace(num, "〕0号", "〕　号", 1)
	}
	signer := d.Signer
	if signer == "" {
		signer = "　　　"
	}
	// 上行文: 发文字号 one character in from the left, 签发人 (in 仿宋, the
	// name in 楷体) one in from the right (7.2.5–7.2.6); the red rule, as
	// wide as the type area, 4 mm under them. Leading and trailing spaces,
	// not indents, keep the rule full width.
	b.WriteString(para(`<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4" w:color="`+red+`"/></w:pBdr>`+
		`<w:tabs><w:tab w:val="right" w:pos="`+itoa(textW)+`"/></w:tabs><w:jc w:val="left"/>`,
		run("　"+num, runStyle{})+`<w:r><w:tab/></w:r>`+run("签发人：", runStyle{})+run(signer, runStyle{font: fontKai})+run("　", runStyle{})))
	b.WriteString(empty())
	// 标题, broken by BreakTitle, and 主送机关.
	var title strings.Builder
	for i, l := range BreakTitle(d.Title, titleChars) {
		if i > 0 {
			title.WriteString(`<w:r><w:br/></w:r>`)
		}
		title.WriteString(run(l, runStyle{}))
	}
	b.WriteString(para(`<w:pStyle w:val="Title"/>`, title.String()))
	b.WriteString(empty())
	if len(d.Recipients) > 0 {
		b.WriteString(para(left, run(strings.Join(d.Recipients, "、")+"：", runStyle{})))
	}
	for _, p := range d.Paragraphs() {
		switch p.Level {
		case 1:
			b.WriteString(para(`<w:pStyle w:val="Heading1"/>`, run(p.Text, runStyle{})))
		case 2, 3:
			head, rest := p.HeadRun()
			st := runStyle{font: fontKai}
			if p.Level == 3 {
				st = runStyle{bold: true}
			}
			r := run(head, st)
			if rest != "" {
				r += run(rest, runStyle{})
			}
			b.WriteString(para(`<w:pStyle w:val="Heading`+itoa(p.Level)+`"/>`, r))
		default:
			b.WriteString(para(`<w:pStyle w:val="BodyText"/>`, run(p.Text, runStyle{})))
		}
	}
	// 发文机关署名 and 成文日期; then the 附注 with the contact person and
	// telephone, two characters in.
	date := ChineseDate(d.Date)
	b.WriteString(empty())
	b.WriteString(para(`<w:ind w:right="`+itoa(320*signatureIndent(d.Fields.ReportingUnit, date))+`"/><w:jc w:val="right"/>`, run(d.Fields.ReportingUnit, runStyle{})))
	b.WriteString(para(`<w:ind w:right="640"/><w:jc w:val="right"/>`, run(date, runStyle{})))
	b.WriteString(para(`<w:ind w:firstLineChars="200" w:firstLine="640"/>`,
		run("（联系人："+d.Fields.Contact+"，联系电话："+d.Fields.Phone+"）", runStyle{})))
	if d.SHA256 != "" {
		b.WriteString(para(left, run("校验码（SHA-256）："+d.SHA256, runStyle{size: 18})))
	}
	b.WriteString(banji(d, date))
	b.WriteString(`<w:sectPr><w:footerReference w:type="default" r:id="rId3"/><w:footerReference w:type="even" r:id="rId4"/>` +
		`<w:pgSz w:w="` + itoa(pageW) + `" w:h="` + itoa(pageH) + `"/>` +
		`<w:pgMar w:top="` + itoa(marginTop) + `" w:right="` + itoa(marginRight) + `" w:bottom="` + itoa(marginBot) + `" w:left="` + itoa(marginLeft) +
		`" w:header="851" w:footer="` + itoa(footerDist) + `" w:gutter="0"/>` +
		`<w:docGrid w:type="lines" w:linePitch="` + itoa(linePitch) + `"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

// banji is the 版记 (7.4): 抄送机关 and 印发机关和印发日期 in 4号仿宋, one
// character in from each side, between a heavy first and last rule with a
// thin one between them. It follows the body, its lines kept together: the
// standard puts it at the foot of the last (even) page, which a flowing DOCX
// cannot promise in every office suite (LibreOffice set a frame anchored to
// the bottom of the type area right after the text instead).
func banji(d *Document, date string) string {
	// keepNext holds the 版记's lines together on one page.
	keep := `<w:keepNext/>`
	small := runStyle{size: sizeSmall}
	printer := d.Printer
	if printer == "" {
		printer = d.Issuer
	}
	heavy := `w:val="single" w:sz="8" w:space="1" w:color="000000"`
	thin := `w:val="single" w:sz="4" w:space="1" w:color="000000"`
	common := `<w:snapToGrid w:val="0"/><w:spacing w:line="440" w:lineRule="exact"/>`
	var b strings.Builder
	b.WriteString(para(keep, ""))
	if len(d.CopyTo) > 0 {
		b.WriteString(para(keep+`<w:pBdr><w:top `+heavy+`/><w:bottom `+thin+`/></w:pBdr>`+common+`<w:jc w:val="left"/>`,
			run("　抄送："+strings.Join(d.CopyTo, "，")+"。", small)))
		b.WriteString(para(keep+`<w:pBdr><w:bottom `+heavy+`/></w:pBdr><w:tabs><w:tab w:val="right" w:pos="`+itoa(textW)+`"/></w:tabs>`+common+`<w:jc w:val="left"/>`,
			run("　"+printer, small)+`<w:r><w:tab/></w:r>`+run(date+"印发　", small)))
	} else {
		b.WriteString(para(keep+`<w:pBdr><w:top `+heavy+`/><w:bottom `+heavy+`/></w:pBdr><w:tabs><w:tab w:val="right" w:pos="`+itoa(textW)+`"/></w:tabs>`+common+`<w:jc w:val="left"/>`,
			run("　"+printer, small)+`<w:r><w:tab/></w:r>`+run(date+"印发　", small)))
	}
	return b.String()
}
