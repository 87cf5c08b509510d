package report

import (
	"bytes"
	_ "embed"
	"strings"

	"github.com/go-pdf/fpdf"
)

// songFont is AR PL SungtiL GB (gbsn00lp.ttf from Debian's
// fonts-arphic-gbsn00lp), a Song typeface under the Arphic Public Licence
// (fonts/ARPHICPL.TXT), which allows redistribution. It is embedded so that
// the binary makes PDFs on a machine with no CJK fonts; fpdf embeds only the
// glyphs a document uses.
//
//go:embed fonts/gbsn00lp.ttf
var songFont []byte

const ptToMM = 25.4 / 72

// PDF renders the document with the same geometry as the DOCX: A4, the
// GB/T 9704 margins, 3号 body on a 28.95 pt line pitch, page numbers “— 1 —”.
func PDF(d *Document) ([]byte, error) {
	d, missing := outsideBMP(d)
	const (
		left, top, right, bottom = 28.0, 37.0, 26.0, 35.0
		textW                    = 210 - left - right
	)
	lineH := 28.95 * ptToMM
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(left, top, right)
	// No padding inside cells: text starts at the type area's edge.
	pdf.SetCellMargin(0)
	pdf.SetAutoPageBreak(true, bottom)
	pdf.AddUTF8FontFromBytes("song", "", songFont)
	pdf.SetTitle(d.Title, true)
	pdf.SetAuthor(d.Issuer, true)
	pdf.SetCreator("yingji", true)
	// Fixed dates keep the file a function of the document alone.
	pdf.SetCreationDate(d.Date)
	pdf.SetModificationDate(d.Date)
	pdf.SetFooterFunc(func() {
		n := pdf.PageNo()
		pdf.SetFont("song", "", 14)
		pdf.SetTextColor(0, 0, 0)
		pdf.SetY(297 - bottom + 7)
		s := "— " + itoa(n) + " —"
		inset := 14 * ptToMM
		if n%2 == 1 {
			pdf.SetX(left)
			pdf.CellFormat(textW-inset, 6, s, "", 0, "R", false, 0, "")
		} else {
			pdf.SetX(left + inset)
			pdf.CellFormat(textW-inset, 6, s, "", 0, "L", false, 0, "")
		}
	})
	pdf.AddPage()

	// 3号 is 16 pt; 15.75 pt lets exactly 28 characters fill the 156 mm
	// line as GB/T 9704 asks (Word gets there by compressing the grid).
	body := func(size float64) { pdf.SetFont("song", "", size); pdf.SetTextColor(0, 0, 0) }
	const bodySize = 15.75
	lines := func(text string, align string) {
		for _, l := range wrap(pdf, text, textW) {
			pdf.CellFormat(textW, lineH, l, "", 1, align, false, 0, "")
		}
	}
	body(bodySize)
	if d.Draft {
		lines("（草稿，未签发）", "L")
	}
	for _, m := range d.Fields.Marking().Marks() {
		lines(m, "L")
	}
	// 版头: issuer in red, 发文字号 and 签发人, red rule.
	pdf.SetFont("song", "", 36)
	pdf.SetTextColor(255, 0, 0)
	pdf.CellFormat(textW, 22, d.Issuer, "", 1, "C", false, 0, "")
	body(bodySize)
	num := d.DocNumber
	if num == "" {
		num = strings.Replace(DocNumber(d.Issuer, d.Date.Year(), 0), "〕0号", "〕　号", 1)
	}
	signer := d.Signer
	if signer == "" {
		signer = "　　　"
	}
	y := pdf.GetY()
	pdf.SetX(left + 16*ptToMM)
	pdf.CellFormat(textW/2, lineH, num, "", 0, "L", false, 0, "")
	pdf.SetXY(left+textW/2, y)
	pdf.CellFormat(textW/2-16*ptToMM, lineH, "签发人："+signer, "", 1, "R", false, 0, "")
	pdf.SetDrawColor(255, 0, 0)
	pdf.SetLineWidth(0.5)
	ry := pdf.GetY() + 2
	pdf.Line(left, ry, left+textW, ry)
	pdf.SetY(ry + lineH)
	// 标题
	pdf.SetFont("song", "", 22)
	for _, l := range BreakTitle(d.Title, titleChars) {
		pdf.CellFormat(textW, 35*ptToMM, l, "", 1, "C", false, 0, "")
	}
	pdf.Ln(lineH / 2)
	body(bodySize)
	if len(d.Recipients) > 0 {
		lines(strings.Join(d.Recipients, "、")+"：", "L")
	}
	for _, p := range d.Paragraphs() {
		lines("　　"+p.Text, "L")
	}
	pdf.Ln(lineH)
	pdf.SetX(left)
	pdf.CellFormat(textW-4*16*ptToMM, lineH, d.Fields.ReportingUnit, "", 1, "R", false, 0, "")
	pdf.CellFormat(textW-2*16*ptToMM, lineH, ChineseDate(d.Date), "", 1, "R", false, 0, "")
	lines("　　（联系人："+d.Fields.Contact+"，联系电话："+d.Fields.Phone+"）", "L")
	if missing > 0 {
		lines("　　（注：本文件所用字体缺"+itoa(missing)+"个字，以〓代替，以DOCX文件为准。）", "L")
	}
	if d.SHA256 != "" {
		pdf.SetFont("song", "", 8)
		pdf.CellFormat(textW, 5, "校验码（SHA-256）："+d.SHA256, "", 1, "L", false, 0, "")
	}
	// 版记: 抄送, 印发机关和印发日期 between rules, in 4号.
	printer := d.Printer
	if printer == "" {
		printer = d.Issuer
	}
	pdf.Ln(lineH / 2)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.35)
	y0 := pdf.GetY()
	pdf.Line(left, y0, left+textW, y0)
	pdf.SetFont("song", "", 14)
	inset := 14 * ptToMM
	if len(d.CopyTo) > 0 {
		pdf.SetX(left + inset)
		pdf.CellFormat(textW-2*inset, 8, "抄送："+strings.Join(d.CopyTo, "，")+"。", "", 1, "L", false, 0, "")
		pdf.SetLineWidth(0.25)
		pdf.Line(left, pdf.GetY(), left+textW, pdf.GetY())
	}
	y1 := pdf.GetY()
	pdf.SetX(left + inset)
	pdf.CellFormat(textW/2, 8, printer, "", 0, "L", false, 0, "")
	pdf.SetXY(left+textW/2, y1)
	pdf.CellFormat(textW/2-inset, 8, ChineseDate(d.Date)+"印发", "", 1, "R", false, 0, "")
	pdf.SetLineWidth(0.35)
	pdf.Line(left, pdf.GetY(), left+textW, pdf.GetY())
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// outsideBMP returns a copy of the document whose characters outside the
// Basic Multilingual Plane (CJK Extension B–H characters in names and
// places, such as 𠮷, and emoji) are replaced by 〓, the typesetter's mark
// for a missing character, and how many were: the embedded font has none of
// them, and fpdf's font map indexes by a 16-bit code (it panicked with
// "index out of range [65536]"). The PDF says so at its foot; the DOCX, and
// the PDF LibreOffice makes from it, keep the characters.
func outsideBMP(d *Document) (*Document, int) {
	n := 0
	fix := func(s string) string {
		if !strings.ContainsFunc(s, func(r rune) bool { return r > 0xFFFF }) {
			return s
		}
		return strings.Map(func(r rune) rune {
			if r > 0xFFFF {
				n++
				return '〓'
			}
			return r
		}, s)
	}
	c := *d
	for _, p := range []*string{&c.Issuer, &c.DocNumber, &c.Signer, &c.Title, &c.Printer,
		&c.Fields.TimePlace, &c.Fields.Cause, &c.Fields.Course, &c.Fields.Measures, &c.Fields.Impact, &c.Fields.Informed,
		&c.Fields.NextSteps, &c.Fields.ReportingUnit, &c.Fields.CopyNo, &c.Fields.SecrecyTerm, &c.Fields.Signer, &c.Fields.Contact, &c.Fields.Phone} {
		*p = fix(*p)
	}
	c.Sections = append([]Section(nil), d.Sections...)
	for i := range c.Sections {
		c.Sections[i].Heading, c.Sections[i].Text = fix(c.Sections[i].Heading), fix(c.Sections[i].Text)
	}
	for _, list := range []*[]string{&c.Recipients, &c.CopyTo} {
		fixed := make([]string, len(*list))
		for i, s := range *list {
			fixed[i] = fix(s)
		}
		*list = fixed
	}
	return &c, n
}

// wrap breaks text into lines no wider than w at any character (Chinese
// has no spaces to break at; fpdf's SplitText drops the character it breaks
// at). Explicit newlines are kept.
func wrap(pdf *fpdf.Fpdf, text string, w float64) []string {
	widths := map[rune]float64{}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		var line []rune
		var lw float64
		for _, r := range para {
			cw, ok := widths[r]
			if !ok {
				cw = pdf.GetStringWidth(string(r))
				widths[r] = cw
			}
			if lw+cw > w && len(line) > 0 && !strings.ContainsRune(noLineStart, r) {
				// An opening mark never ends a line (避尾): it moves down.
				var carry []rune
				if last := line[len(line)-1]; len(line) > 1 && strings.ContainsRune(noLineEnd, last) {
					line, carry = line[:len(line)-1], []rune{last}
				}
				out = append(out, string(line))
				line, lw = carry, 0
				for _, c := range carry {
					lw += widths[c]
				}
			}
			line = append(line, r)
			lw += cw
		}
		out = append(out, string(line))
	}
	return out
}
