package registry

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"yingji/internal/errs"
)

// fiveUnits is an exported ledger of five units (and no websites).
func fiveUnits(t testing.TB) []byte {
	var units []*Unit
	for i := 1; i <= 5; i++ {
		units = append(units, &Unit{Name: fmt.Sprintf("单位%d", i), Kind: "企业", CreditCode: CreditCodeFor(i)})
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, units, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rezip copies a workbook, passing each part through edit; raw, when set
// for a part, writes it with those (possibly lying) sizes and checksum.
func rezip(t testing.TB, data []byte, edit func(name string, b []byte) []byte, raw func(h *zip.FileHeader)) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if raw != nil && f.Name == "xl/worksheets/sheet1.xml" {
			h := f.FileHeader
			raw(&h)
			w, err := zw.CreateRaw(&h)
			if err != nil {
				t.Fatal(err)
			}
			rc, _ := f.OpenRaw()
			io.Copy(w, rc)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if edit != nil {
			b = edit(f.Name, b)
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}

// inRow3 edits the sheet XML of the units sheet inside its row 3.
func inRow3(f func(sheet string, at int) string) func(string, []byte) []byte {
	return func(name string, b []byte) []byte {
		if name != "xl/worksheets/sheet1.xml" {
			return b
		}
		s := string(b)
		at := strings.Index(s, `<row r="3">`)
		at += strings.Index(s[at:], "</t>")
		return []byte(f(s, at))
	}
}

// A workbook damaged in the middle is refused whole, naming the sheet (and
// the row where its XML breaks): it used to give rows 1–2 and no error.
func TestXLSXDamagedInTheMiddle(t *testing.T) {
	good := fiveUnits(t)
	if u, _, err := ReadXLSX(bytes.NewReader(good), true, true); err != nil || len(u.Rows) != 5 {
		t.Fatalf("good workbook: %v", err)
	}
	cases := map[string]struct {
		data []byte
		key  string
		row  int
	}{
		"entity in row 3":           {rezip(t, good, inRow3(func(s string, at int) string { return s[:at] + "&bogus;" + s[at:] }), nil), "registry.damaged_sheet", 3},
		"tag broken in row 3":       {rezip(t, good, inRow3(func(s string, at int) string { return s[:at] + "<t" + s[at:] }), nil), "registry.damaged_sheet", 3},
		"sheet XML cut in row 3":    {rezip(t, good, inRow3(func(s string, at int) string { return s[:at] }), nil), "registry.damaged_sheet", 3},
		"sheet XML cut after row 2": {rezip(t, good, inRow3(func(s string, at int) string { return s[:strings.Index(s, `<row r="3">`)] }), nil), "registry.damaged_sheet", 3},
		"declared size too small":   {rezip(t, good, nil, func(h *zip.FileHeader) { h.UncompressedSize64 /= 2 }), "registry.damaged_sheet_part", 0},
		"declared size too large":   {rezip(t, good, nil, func(h *zip.FileHeader) { h.UncompressedSize64 *= 2 }), "registry.damaged_sheet_part", 0},
		"checksum wrong":            {rezip(t, good, nil, func(h *zip.FileHeader) { h.CRC32 ^= 1 }), "registry.damaged_sheet_part", 0},
		"zip cut short":             {good[:len(good)*2/3], "registry.bad_file", 0},
	}
	// A deflate stream cut short inside the archive, sizes left as declared.
	cut := rezip(t, good, nil, func(h *zip.FileHeader) {})
	cases["deflate stream cut"] = struct {
		data []byte
		key  string
		row  int
	}{cutDeflate(t, cut), "registry.damaged_sheet_part", 0}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			u, _, err := ReadXLSX(bytes.NewReader(c.data), true, true)
			e := errs.As(err)
			if err == nil {
				t.Fatalf("read %d rows and no error", len(u.Rows))
			}
			if e.Key != c.key || e.Code != errs.Invalid {
				t.Fatalf("err %v, want %s", err, c.key)
			}
			if c.key != "registry.bad_file" && e.Args[0] != UnitSheet {
				t.Errorf("sheet %v", e.Args[0])
			}
			if c.row != 0 && e.Args[1] != c.row {
				t.Errorf("row %v, want %d", e.Args[1], c.row)
			}
			// ReadOne (the other ledgers) shares the check.
			if _, err := ReadOne(bytes.NewReader(c.data), XLSX, UnitSheet, UnitColumns); errs.As(err).Key != c.key {
				t.Errorf("ReadOne: %v", err)
			}
		})
	}
}

// cutDeflate zeroes the second half of the sheet's compressed data in place,
// so that the archive's directory is intact but the stream is not.
func cutDeflate(t testing.TB, data []byte) []byte {
	data = bytes.Clone(data)
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		off, err := f.DataOffset()
		if err != nil {
			t.Fatal(err)
		}
		n := int64(f.CompressedSize64)
		for i := off + n/2; i < off+n; i++ {
			data[i] = 0xff
		}
		return data
	}
	t.Fatal("no sheet")
	return nil
}

// A CSV broken in the middle is refused whole; a cell that is not clean
// text makes its row wrong, naming the column.
func TestCSVBrokenInTheMiddle(t *testing.T) {
	head := "单位名称,单位类型,统一社会信用代码,备注\n"
	row := func(i int, name string) string { return name + ",企业," + CreditCodeFor(i) + ",\n" }
	if _, err := ReadCSV(strings.NewReader(head+row(1, "甲")+"乙\"x,企业,"+CreditCodeFor(2)+",\n"+row(3, "丙")), UnitSheet, UnitColumns); errs.As(err).Key != "registry.bad_file" {
		t.Fatalf("bad quote: %v", err)
	}
	for name, cell := range map[string]string{"NUL": "乙\x00", "invalid UTF-8": "乙\xff\xfe", "control": "乙\x1b[31m"} {
		tab, err := ReadCSV(strings.NewReader(head+row(1, "甲")+row(2, cell)+row(3, "丙")), UnitSheet, UnitColumns)
		if err != nil || len(tab.Rows) != 3 {
			t.Fatalf("%s: %v", name, err)
		}
		_, ps := UnitFromRow(tab.Rows[1])
		if len(ps) != 1 || ps[0].Field != "单位名称" || ps[0].Key != "registry.bad_text" {
			t.Errorf("%s: problems %v", name, ps)
		}
		if _, ps := UnitFromRow(tab.Rows[0]); len(ps) != 0 {
			t.Errorf("%s: good row %v", name, ps)
		}
	}
	// A GBK file is named as such, with a message in the catalogue.
	gbk := []byte("\xb5\xa5\xce\xbb\xc3\xfb\xb3\xc6,\xb5\xa5\xce\xbb\xc0\xe0\xd0\xcd\n")
	if _, err := ReadCSV(bytes.NewReader(gbk), UnitSheet, UnitColumns); errs.As(err).Key != "registry.not_utf8" {
		t.Fatalf("gbk: %v", err)
	}
}

// Export then import gives back what was stored: the formula guard's
// apostrophe is taken off again (it used to be stored: -测试单位 came back
// as '-测试单位), and a value that itself begins with apostrophes keeps them.
func TestFormulaGuardRoundTrip(t *testing.T) {
	names := []string{"=1+1", "+测试单位", "-测试单位", "@SUM(A1)", "'-测试单位", "''=x", "'普通", "'", "-5", "+86", "普通单位", "a=b"}
	var units []*Unit
	for i, n := range names {
		units = append(units, &Unit{Name: n, Kind: "企业", CreditCode: CreditCodeFor(i + 1), Note: n})
	}
	var csvBuf, xlsxBuf bytes.Buffer
	if err := WriteUnitsCSV(&csvBuf, units); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csvBuf.String(), ",'-测试单位,") || !strings.Contains(csvBuf.String(), ",'=1+1,") {
		t.Fatalf("CSV not guarded:\n%s", csvBuf.String())
	}
	if err := WriteXLSX(&xlsxBuf, units, nil); err != nil {
		t.Fatal(err)
	}
	fromCSV, err := ReadCSV(bytes.NewReader(csvBuf.Bytes()), UnitSheet, UnitColumns)
	if err != nil {
		t.Fatal(err)
	}
	fromXLSX, _, err := ReadXLSX(bytes.NewReader(xlsxBuf.Bytes()), true, false)
	if err != nil {
		t.Fatal(err)
	}
	for format, tab := range map[string]*Table{"csv": fromCSV, "xlsx": fromXLSX} {
		for i, r := range tab.Rows {
			u, _ := UnitFromRow(r)
			if u.Name != names[i] || u.Note != names[i] {
				t.Errorf("%s: %q came back as %q / %q", format, names[i], u.Name, u.Note)
			}
		}
	}
}

// The guard and its removal are inverse on every string.
func FuzzFormulaGuard(f *testing.F) {
	for _, s := range []string{"=1", "'=1", "''@x", "-5", "'", "", "\t=x", "'\r", "普通"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := unguard(defuse(s)); got != s {
			t.Fatalf("CSV: %q → %q → %q", s, defuse(s), got)
		}
		if got := unguard(quoteXLSX(s)); got != s {
			t.Fatalf("XLSX: %q → %q → %q", s, quoteXLSX(s), got)
		}
		if formulaLike(defuse(s)) {
			t.Fatalf("%q still runs as a formula", defuse(s))
		}
	})
}

// Reading an XLSX ledger never panics (a panic in the sheet goroutine
// would take the server down) and answers either tables or an Invalid error.
func FuzzReadXLSX(f *testing.F) {
	good := fiveUnits(f)
	f.Add(good)
	f.Add(rezip(f, good, inRow3(func(s string, at int) string { return s[:at] + "&bogus;" + s[at:] }), nil))
	f.Add(good[:len(good)/2])
	var both bytes.Buffer
	WriteXLSX(&both, []*Unit{{Name: "'-x", Kind: "企业", CreditCode: CreditCodeFor(1)}}, []*Website{{Name: "网", Domain: "a.cn", UnitCode: CreditCodeFor(1)}})
	f.Add(both.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		units, sites, err := ReadXLSX(bytes.NewReader(data), true, true)
		if err != nil {
			if errs.As(err).Code != errs.Invalid {
				t.Fatalf("error of the wrong kind: %v", err)
			}
			return
		}
		for _, tab := range []*Table{units, sites} {
			if tab != nil && len(tab.Rows) > MaxRows {
				t.Fatalf("%d rows", len(tab.Rows))
			}
		}
	})
}

// An XLSX cell can carry a NUL or an escape character as _x0000_ / _x001B_:
// the row is wrong, naming the column.
func TestXLSXCellControlCharacters(t *testing.T) {
	book := mustXLSX(t, [][]string{{"单位名称", "单位类型", "统一社会信用代码", "备注"}, {"甲", "企业", CreditCodeFor(1), "NOTE1"}, {"乙", "企业", CreditCodeFor(2), "NOTE2"}})
	book = rezip(t, book, func(name string, b []byte) []byte {
		b = bytes.ReplaceAll(b, []byte("NOTE1"), []byte("正常"))
		return bytes.ReplaceAll(b, []byte("NOTE2"), []byte("a_x0000_b_x001B_"))
	}, nil)
	u, _, err := ReadXLSX(bytes.NewReader(book), true, false)
	if err != nil || len(u.Rows) != 2 {
		t.Fatal(err)
	}
	if _, ps := UnitFromRow(u.Rows[0]); len(ps) != 0 {
		t.Fatalf("clean row: %v", ps)
	}
	if _, ps := UnitFromRow(u.Rows[1]); len(ps) != 1 || ps[0].Field != "备注" || ps[0].Key != "registry.bad_text" {
		t.Fatalf("row with NUL: %v", ps)
	}
}
