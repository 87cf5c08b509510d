package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
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
}

// Paragraphs returns the body paragraphs (after the title and addressees),
// each with whether it is a first-level heading.
func (d *Document) Paragraphs() []Para {
	var out []Para
	for _, s := range d.Fields.Sections() {
		out = append(out, Para{Text: s.Heading, Heading: true})
		for _, line := range strings.Split(strings.TrimSpace(s.Text), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				out = append(out, Para{Text: line})
			}
		}
	}
	return out
}

// Para is one paragraph of the body.
type Para struct {
	Text    string
	Heading bool
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
	linePitch   = 579   // 28.95 pt
	// charSpace is the grid's deviation from the 16 pt font size per
	// character, in 1/4096 pt: (156 mm / 28 − 16 pt) × 4096.
	charSpace = -847
	sizeTitle = 44 // half-points: 2号 = 22 pt
	sizeBody  = 32 // 3号 = 16 pt
	sizePage  = 28 // 4号 = 14 pt, page numbers
	fontTitle = "方正小标宋简体"
	fontBody  = "仿宋_GB2312"
	fontHead  = "黑体"
	fontPage  = "宋体"
	red       = "FF0000"
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
</Relationships>`

// The default paragraph sits on the 28.95 pt grid in 3号仿宋.
var styles = xmlHead + `<w:styles ` + wNS + `>
<w:docDefaults>
<w:rPrDefault><w:rPr><w:rFonts w:ascii="` + fontBody + `" w:eastAsia="` + fontBody + `" w:hAnsi="` + fontBody + `" w:cs="` + fontBody + `"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:line="700" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="` + fontTitle + `" w:eastAsia="` + fontTitle + `" w:hAnsi="` + fontTitle + `"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="` + fontHead + `" w:eastAsia="` + fontHead + `" w:hAnsi="` + fontHead + `"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:rFonts w:ascii="` + fontPage + `" w:eastAsia="` + fontPage + `" w:hAnsi="` + fontPage + `"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
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
	size  int
	color string
}

func run(text string, st runStyle) string {
	var b strings.Builder
	b.WriteString(`<w:r>`)
	if st.font != "" || st.size != 0 || st.color != "" {
		b.WriteString(`<w:rPr>`)
		if st.font != "" {
			b.WriteString(`<w:rFonts w:ascii="` + st.font + `" w:eastAsia="` + st.font + `" w:hAnsi="` + st.font + `"/>`)
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

func documentXML(d *Document) string {
	var b strings.Builder
	b.WriteString(xmlHead + `<w:document ` + wNS + `><w:body>`)
	// 版头: the issuer's mark in red, the 发文字号 and 签发人 on one line
	// (a report to a superior carries the signer), then the red rule.
	if d.Draft {
		b.WriteString(para(`<w:jc w:val="left"/>`, run("（草稿，未签发）", runStyle{font: fontHead})))
	}
	b.WriteString(empty())
	b.WriteString(para(`<w:spacing w:line="1200" w:lineRule="exact"/><w:jc w:val="center"/>`,
		run(d.Issuer, runStyle{font: fontTitle, size: 72, color: red})))
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
	// A right tab at the text edge puts 签发人 flush right, one character in.
	b.WriteString(para(`<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="8" w:color="`+red+`"/></w:pBdr>`+
		`<w:tabs><w:tab w:val="right" w:pos="8525"/></w:tabs><w:ind w:left="320"/>`,
		run(num, runStyle{})+`<w:r><w:tab/></w:r>`+run("签发人：", runStyle{})+run(signer, runStyle{font: "楷体_GB2312"})))
	b.WriteString(empty())
	// 标题 and 主送机关.
	b.WriteString(para(`<w:pStyle w:val="Title"/>`, run(d.Title, runStyle{})))
	b.WriteString(empty())
	if len(d.Recipients) > 0 {
		b.WriteString(para(`<w:jc w:val="left"/>`, run(strings.Join(d.Recipients, "、")+"：", runStyle{})))
	}
	for _, p := range d.Paragraphs() {
		if p.Heading {
			b.WriteString(para(`<w:pStyle w:val="Heading1"/>`, run(p.Text, runStyle{})))
		} else {
			b.WriteString(para(`<w:pStyle w:val="BodyText"/>`, run(p.Text, runStyle{})))
		}
	}
	// 发文机关署名 and 成文日期, right-aligned four characters in; then the
	// 附注 with the contact person and telephone.
	b.WriteString(empty())
	b.WriteString(empty())
	b.WriteString(para(`<w:ind w:right="1280"/><w:jc w:val="right"/>`, run(d.Fields.ReportingUnit, runStyle{})))
	b.WriteString(para(`<w:ind w:right="640"/><w:jc w:val="right"/>`, run(ChineseDate(d.Date), runStyle{})))
	b.WriteString(para(`<w:ind w:firstLineChars="200" w:firstLine="640"/>`,
		run("（联系人："+d.Fields.Contact+"，联系电话："+d.Fields.Phone+"）", runStyle{})))
	if d.SHA256 != "" {
		b.WriteString(para(`<w:jc w:val="left"/>`, run("校验码（SHA-256）："+d.SHA256, runStyle{size: 18})))
	}
	b.WriteString(`<w:sectPr><w:footerReference w:type="default" r:id="rId3"/><w:footerReference w:type="even" r:id="rId4"/>` +
		`<w:pgSz w:w="` + itoa(pageW) + `" w:h="` + itoa(pageH) + `"/>` +
		`<w:pgMar w:top="` + itoa(marginTop) + `" w:right="` + itoa(marginRight) + `" w:bottom="` + itoa(marginBot) + `" w:left="` + itoa(marginLeft) +
		`" w:header="851" w:footer="992" w:gutter="0"/>` +
		`<w:docGrid w:type="linesAndChars" w:linePitch="` + itoa(linePitch) + `" w:charSpace="` + itoa(charSpace) + `"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}
