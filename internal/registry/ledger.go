package registry

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"yingji/internal/cleantext"
	"yingji/internal/errs"
)

// MaxRows is the most data rows one import takes (per sheet). Larger files
// are refused as a whole, before anything is written: split them.
const MaxRows = 60000

// MaxUnzipped bounds the unpacked size of an XLSX workbook (60,000 rows of
// two sheets unpack to well under 100 MiB).
const MaxUnzipped = 512 << 20

// Column is one column of a ledger: its Chinese header and the JSON field
// it fills. Required columns must be present in the header row.
type Column struct {
	Header   string
	Field    string
	Required bool
}

// UnitColumns is the shape of the 联网单位台账.
var UnitColumns = []Column{
	{"单位名称", "name", true},
	{"单位类型", "kind", true},
	{"统一社会信用代码", "credit_code", true},
	{"所属区域", "region", false},
	{"单位地址", "address", false},
	{"负责人", "responsible", false},
	{"负责人电话", "responsible_phone", false},
	{"网络安全联系人", "contact_name", false},
	{"联系电话", "contact_phone", false},
	{"电子邮箱", "contact_email", false},
	{"备注", "note", false},
}

// WebsiteColumns is the shape of the 网站及信息系统台账.
var WebsiteColumns = []Column{
	{"网站名称", "name", true},
	{"域名", "domain", true},
	{"网址", "url", false},
	{"ICP备案号", "icp", false},
	{"IP地址", "ips", false},
	{"托管服务商", "hosting", false},
	{"主办单位统一社会信用代码", "unit_code", true},
	{"主办单位名称", "unit_name", false},
	{"是否重点网站", "key_site", false},
	{"备注", "note", false},
}

// Sheet names in an XLSX ledger.
const (
	UnitSheet    = "联网单位"
	WebsiteSheet = "网站及信息系统"
)

// ignored headers: the serial-number column every ledger starts with.
var ignored = map[string]bool{"序号": true, "编号": true}

// Row is one data row: its line (1-based, counting the header) and cells by field.
type Row struct {
	Line  int
	Cells map[string]string
}

// Table is the data rows of one sheet.
type Table struct {
	Rows []Row
}

func cleanHeader(h string) string {
	h = strings.TrimPrefix(h, "\ufeff")
	h = strings.TrimSpace(h)
	h = strings.TrimPrefix(h, "*")
	h = strings.TrimSuffix(h, "*")
	h = strings.TrimSuffix(h, "（必填）")
	h = strings.TrimSuffix(h, "(必填)")
	return strings.TrimSpace(h)
}

// mapHeader matches a header row to the columns: index → field. Missing
// required columns and unknown columns are one error naming all of them.
func mapHeader(sheet string, header []string, cols []Column) ([]string, error) {
	byHeader := map[string]Column{}
	for _, c := range cols {
		byHeader[c.Header] = c
	}
	fields := make([]string, len(header))
	seen := map[string]bool{}
	var unknown, dup []string
	for i, h := range header {
		h = cleanHeader(h)
		if h == "" || ignored[h] {
			continue
		}
		c, ok := byHeader[h]
		if !ok {
			unknown = append(unknown, h)
			continue
		}
		if seen[c.Field] {
			dup = append(dup, h)
			continue
		}
		seen[c.Field] = true
		fields[i] = c.Field
	}
	var missing []string
	for _, c := range cols {
		if c.Required && !seen[c.Field] {
			missing = append(missing, c.Header)
		}
	}
	switch {
	case len(missing) > 0:
		return nil, &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.missing_columns", Args: []any{sheet, strings.Join(missing, "、")}}
	case len(unknown) > 0:
		var names []string
		for _, c := range cols {
			names = append(names, c.Header)
		}
		return nil, &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.unknown_columns", Args: []any{sheet, strings.Join(unknown, "、"), strings.Join(names, "、")}}
	case len(dup) > 0:
		return nil, &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.duplicate_columns", Args: []any{sheet, strings.Join(dup, "、")}}
	}
	return fields, nil
}

func tooMany(sheet string) error {
	return &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.too_many_rows", Args: []any{sheet, MaxRows}}
}

// addRow appends a non-blank record to t.
func (t *Table) addRow(line int, fields, rec []string) {
	cells := make(map[string]string, len(fields))
	blank := true
	for i, v := range rec {
		if i >= len(fields) || fields[i] == "" {
			continue
		}
		v = unguard(strings.TrimSpace(v))
		if v != "" {
			blank = false
		}
		cells[fields[i]] = v
	}
	if !blank {
		t.Rows = append(t.Rows, Row{Line: line, Cells: cells})
	}
}

// ReadCSV reads a CSV ledger (UTF-8, with or without a byte-order mark;
// comma separated, as Excel saves "CSV UTF-8").
func ReadCSV(r io.Reader, sheet string, cols []Column) (*Table, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.empty_file"}
	}
	if err != nil {
		return nil, badFile(err)
	}
	if !utf8.ValidString(strings.Join(header, "")) {
		return nil, &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.not_utf8"}
	}
	fields, err := mapHeader(sheet, append([]string(nil), header...), cols)
	if err != nil {
		return nil, err
	}
	t := &Table{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return nil, badFile(err)
		}
		t.addRow(line, fields, rec)
		if len(t.Rows) > MaxRows {
			return nil, tooMany(sheet)
		}
	}
}

func badFile(err error) error {
	return &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.bad_file", Args: []any{err.Error()}, Err: err}
}

// ReadXLSX reads the sheets of an XLSX ledger. The units sheet is the one
// named 联网单位, or the first sheet; the websites sheet (网站及信息系统) is
// optional. Either table may be nil when wantUnits/wantSites says so.
func ReadXLSX(r io.Reader, wantUnits, wantSites bool) (units, sites *Table, err error) {
	f, err := openBook(r)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	names := f.GetSheetList()
	has := func(n string) bool {
		for _, s := range names {
			if s == n {
				return true
			}
		}
		return false
	}
	unitName, siteName := "", ""
	if wantUnits {
		unitName = UnitSheet
		if !has(unitName) {
			if len(names) == 0 || has(WebsiteSheet) && len(names) == 1 {
				return nil, nil, &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.no_sheet", Args: []any{UnitSheet}}
			}
			unitName = names[0]
		}
	}
	if wantSites {
		siteName = WebsiteSheet
		if !has(siteName) {
			siteName = ""
			if !wantUnits && len(names) > 0 {
				siteName = names[0]
			}
		}
	}
	// The two sheets are parsed at once: XML decoding is most of an import's time.
	var siteErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		if siteName != "" {
			sites, siteErr = readSheet(f, siteName, WebsiteColumns)
		}
	}()
	if unitName != "" {
		units, err = readSheet(f, unitName, UnitColumns)
	}
	<-done
	if err == nil {
		err = siteErr
	}
	if err != nil {
		return nil, nil, err
	}
	return units, sites, nil
}

// openBook opens a workbook. A zip bomb must not fill the memory: the
// unpacked workbook is bounded.
// Every part is read and checked first (book.go): excelize would read a
// damaged workbook in part and say nothing.
func openBook(r io.Reader) (*excelize.File, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, badFile(err)
	}
	if err := checkBook(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return nil, badFile(err)
	}
	return f, nil
}

func newBook() *excelize.File { return excelize.NewFile() }

func noSheet(name string) error {
	return &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.no_sheet", Args: []any{name}}
}

func readSheet(f *excelize.File, name string, cols []Column) (*Table, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, badFile(err)
	}
	defer rows.Close()
	var fields []string
	t := &Table{}
	line := 0
	for rows.Next() {
		line++
		rec, err := rows.Columns()
		if err != nil {
			return nil, badFile(err)
		}
		if fields == nil {
			if len(rec) == 0 {
				continue // blank lines above the header
			}
			// A title row above the header (e.g. "青神县联网单位台账") has one cell.
			if nonEmpty(rec) == 1 && line == 1 {
				continue
			}
			if fields, err = mapHeader(name, rec, cols); err != nil {
				return nil, err
			}
			continue
		}
		t.addRow(line, fields, rec)
		if len(t.Rows) > MaxRows {
			return nil, tooMany(name)
		}
	}
	// excelize stops at some errors without saying so; those it keeps
	// (e.g. a row number past the limit) must not pass for the end.
	if err := rows.Error(); err != nil {
		return nil, &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.damaged_sheet", Args: []any{name, line + 1, err.Error()}, Err: err}
	}
	if fields == nil {
		return nil, &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.empty_file"}
	}
	return t, nil
}

func nonEmpty(rec []string) int {
	n := 0
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			n++
		}
	}
	return n
}

// header returns the Chinese header of a field.
func header(cols []Column, field string) string {
	for _, c := range cols {
		if c.Field == field {
			return c.Header
		}
	}
	return field
}

// withHeaders renames the problems' fields to the ledger's column headers.
func withHeaders(cols []Column, ps []Problem) []Problem {
	for i := range ps {
		ps[i].Field = header(cols, ps[i].Field)
	}
	return ps
}

// cleanCells adds a problem for each cell that is not clean text (package
// cleantext: NUL, control characters, invalid UTF-8) and drops the other
// problems of those columns, so that the row names each such column once.
func cleanCells(r Row, ps []Problem) []Problem {
	var bad []string
	for f, v := range r.Cells {
		if !cleantext.OK(v) {
			bad = append(bad, f)
		}
	}
	if len(bad) == 0 {
		return ps
	}
	sort.Strings(bad)
	out := make([]Problem, 0, len(ps)+len(bad))
	for _, p := range ps {
		if !slices.Contains(bad, p.Field) {
			out = append(out, p)
		}
	}
	for _, f := range bad {
		out = append(out, Problem{f, "registry.bad_text", nil})
	}
	return out
}

// UnitFromRow builds a unit from a ledger row and checks it; problems name
// the column header.
func UnitFromRow(r Row) (*Unit, []Problem) {
	c := r.Cells
	u := &Unit{Name: c["name"], Kind: c["kind"], CreditCode: c["credit_code"], Region: c["region"], Address: c["address"],
		Responsible: c["responsible"], ResponsiblePhone: c["responsible_phone"], ContactName: c["contact_name"],
		ContactPhone: c["contact_phone"], ContactEmail: c["contact_email"], Note: c["note"]}
	return u, withHeaders(UnitColumns, cleanCells(r, u.Check()))
}

// WebsiteFromRow builds a website from a ledger row and checks it.
func WebsiteFromRow(r Row) (*Website, []Problem) {
	c := r.Cells
	w := &Website{Name: c["name"], Domain: c["domain"], URL: c["url"], ICP: c["icp"], Hosting: c["hosting"],
		UnitCode: NormalizeCreditCode(c["unit_code"]), UnitName: c["unit_name"], Note: c["note"]}
	ps := w.Check()
	if ips, bad, ok := ParseIPs(c["ips"]); ok {
		w.IPs = ips
	} else {
		ps = append(ps, Problem{"ips", "registry.bad_ip", []any{bad}})
	}
	switch strings.TrimSpace(c["key_site"]) {
	case "", "否", "N", "n", "0", "no", "false":
	case "是", "Y", "y", "1", "yes", "true", "重点":
		w.KeySite = true
	default:
		ps = append(ps, Problem{"key_site", "registry.bad_yes_no", []any{c["key_site"]}})
	}
	if w.UnitCode == "" {
		ps = append(ps, Problem{"unit_code", "error.required", nil})
	}
	return w, withHeaders(WebsiteColumns, cleanCells(r, ps))
}

func unitRecord(u *Unit) []string {
	return []string{u.Name, u.Kind, u.CreditCode, u.Region, u.Address, u.Responsible, u.ResponsiblePhone, u.ContactName,
		u.ContactPhone, u.ContactEmail, u.Note}
}

// WebsiteRecord is the ledger cells of a website.
func WebsiteRecord(w *Website) []string { return websiteRecord(w) }

func websiteRecord(w *Website) []string {
	key := "否"
	if w.KeySite {
		key = "是"
	}
	return []string{w.Name, w.Domain, w.URL, w.ICP, JoinIPs(w.IPs), w.Hosting, w.UnitCode, w.UnitName, key, w.Note}
}

func headers(cols []Column) []string {
	out := []string{"序号"}
	for _, c := range cols {
		out = append(out, c.Header)
	}
	return out
}

// WriteUnitsCSV writes the units ledger as CSV with a byte-order mark, so
// that Excel opens it as UTF-8. Cells that a spreadsheet would run as a
// formula are prefixed with an apostrophe.
func WriteUnitsCSV(w io.Writer, units []*Unit) error {
	return writeCSV(w, headers(UnitColumns), len(units), func(i int) []string { return unitRecord(units[i]) })
}

// WriteWebsitesCSV writes the websites ledger as CSV.
func WriteWebsitesCSV(w io.Writer, sites []*Website) error {
	return writeCSV(w, headers(WebsiteColumns), len(sites), func(i int) []string { return websiteRecord(sites[i]) })
}

func writeCSV(w io.Writer, head []string, n int, rec func(int) []string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.Write(head)
	for i := 0; i < n; i++ {
		r := rec(i)
		for j := range r {
			r[j] = defuse(r[j])
		}
		cw.Write(append([]string{strconv.Itoa(i + 1)}, r...))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// The formula guard. A CSV cell that a spreadsheet would run as a formula
// (=, +, -, @, tab or CR first, and not a number) is written with an
// apostrophe before it, and the import takes exactly that apostrophe off
// again, so that export → import gives back what was stored ("-测试单位"
// stays "-测试单位"). A stored value that itself starts with apostrophes
// before such a character gets one more on export, so the import's one
// strip cannot eat a real apostrophe. XLSX cells are typed text, never
// formulas, so there only that last escape is needed.

func formulaLike(s string) bool {
	return s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 && !looksNumeric(s)
}

// guarded reports whether s, after any apostrophes it starts with, is
// formula-like: the values the CSV export prefixes.
func guarded(s string) bool { return formulaLike(strings.TrimLeft(s, "'")) }

// defuse keeps a CSV cell from being read as a formula by a spreadsheet.
func defuse(s string) string {
	if guarded(s) {
		return "'" + s
	}
	return s
}

// quoteXLSX escapes, for an XLSX text cell, a value that the import would
// otherwise take an apostrophe off.
func quoteXLSX(s string) string {
	if strings.HasPrefix(s, "'") && guarded(s) {
		return "'" + s
	}
	return s
}

// unguard takes the export's apostrophe off a cell (CSV or XLSX).
func unguard(s string) string {
	if strings.HasPrefix(s, "'") && guarded(s[1:]) {
		return s[1:]
	}
	return s
}

func looksNumeric(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// WriteXLSX writes the units and websites ledgers as one workbook with two sheets.
func WriteXLSX(w io.Writer, units []*Unit, sites []*Website) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", UnitSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(WebsiteSheet); err != nil {
		return err
	}
	if err := streamSheet(f, UnitSheet, headers(UnitColumns), len(units), func(i int) []string { return unitRecord(units[i]) }); err != nil {
		return err
	}
	if err := streamSheet(f, WebsiteSheet, headers(WebsiteColumns), len(sites), func(i int) []string { return websiteRecord(sites[i]) }); err != nil {
		return err
	}
	return f.Write(w)
}

func streamSheet(f *excelize.File, name string, head []string, n int, rec func(int) []string) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	row := make([]any, len(head))
	for i, h := range head {
		row[i] = h
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		r := rec(i)
		row := make([]any, len(r)+1)
		row[0] = i + 1
		for j, v := range r {
			row[j+1] = quoteXLSX(v) // strings stay strings: credit codes and phones are text
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// Format is a ledger file format.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// FormatOf tells the format from a file name.
func FormatOf(name string) (Format, error) {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".csv"):
		return CSV, nil
	case strings.HasSuffix(n, ".xlsx"):
		return XLSX, nil
	}
	return "", &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.bad_format", Args: []any{name}, Err: fmt.Errorf("format of %s", name)}
}

// KeepAbsent copies from old the fields whose columns the ledger did not
// have, so that a file with fewer columns does not blank them.
func (u *Unit) KeepAbsent(cells map[string]string, old *Unit) {
	keep(cells, "region", &u.Region, old.Region)
	keep(cells, "address", &u.Address, old.Address)
	keep(cells, "responsible", &u.Responsible, old.Responsible)
	keep(cells, "responsible_phone", &u.ResponsiblePhone, old.ResponsiblePhone)
	keep(cells, "contact_name", &u.ContactName, old.ContactName)
	keep(cells, "contact_phone", &u.ContactPhone, old.ContactPhone)
	keep(cells, "contact_email", &u.ContactEmail, old.ContactEmail)
	keep(cells, "note", &u.Note, old.Note)
}

// KeepAbsent copies from old the fields whose columns the ledger did not have.
func (w *Website) KeepAbsent(cells map[string]string, old *Website) {
	keep(cells, "url", &w.URL, old.URL)
	keep(cells, "icp", &w.ICP, old.ICP)
	keep(cells, "ips", &w.IPs, old.IPs)
	keep(cells, "hosting", &w.Hosting, old.Hosting)
	keep(cells, "key_site", &w.KeySite, old.KeySite)
	keep(cells, "note", &w.Note, old.Note)
}

// keep sets *field to old when the ledger had no column col.
func keep[T any](cells map[string]string, col string, field *T, old T) {
	if _, ok := cells[col]; !ok {
		*field = old
	}
}
