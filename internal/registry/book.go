package registry

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"yingji/internal/errs"
)

// checkBook reads every part of a workbook once, to the end, before
// excelize is given it. excelize ignores the read errors of a zip entry
// (bad CRC, a declared size that lies, a cut-off deflate stream) and stops
// quietly where a sheet's XML breaks, returning the rows before the break
// as if they were all: an import then wrote rows 1–2 of 5 and called that
// success. Here any of these refuses the whole file, naming the sheet and,
// for broken XML, the row where it broke.
func checkBook(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return badFile(err)
	}
	var total uint64
	for _, f := range zr.File {
		// Declared sizes bound what is read: archive/zip refuses an entry
		// that unpacks to more than it declares.
		if total += f.UncompressedSize64; total > MaxUnzipped {
			return badFile(fmt.Errorf("unpacked size over %d bytes", MaxUnzipped))
		}
	}
	sheets := sheetNames(zr)
	// The parts are checked side by side (the sheets are most of the work);
	// the first damaged part in archive order is the one reported.
	errsOf := make([]error, len(zr.File))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(zr.File)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errsOf[i] = checkOne(zr.File[i], sheets)
			}
		}()
	}
	for i := range zr.File {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errsOf {
		if err != nil {
			return err
		}
	}
	return nil
}

func checkOne(f *zip.File, sheets map[string]string) error {
	name := strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/")
	sheet, isSheet := sheets[strings.ToLower(name)]
	err := checkPart(f, isSheet || strings.EqualFold(name, "xl/sharedStrings.xml"))
	if err == nil {
		return nil
	}
	var bx *brokenXML
	switch {
	case errors.As(err, &bx) && isSheet:
		return &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.damaged_sheet", Args: []any{sheet, bx.row, bx.err.Error()}, Err: err}
	case isSheet:
		return &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.damaged_sheet_part", Args: []any{sheet, err.Error()}, Err: err}
	}
	return &errs.Error{Code: errs.Invalid, Field: "file", Key: "registry.damaged_part", Args: []any{name, err.Error()}, Err: err}
}

// brokenXML is a sheet whose XML breaks; row is the sheet row being read
// (1-based, as the spreadsheet numbers it).
type brokenXML struct {
	row int
	err error
}

func (b *brokenXML) Error() string { return fmt.Sprintf("row %d: %v", b.row, b.err) }

// checkPart reads one zip entry to its end (so that its size and CRC are
// checked) and, for the XML a ledger is read from, parses it strictly.
func checkPart(f *zip.File, parse bool) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if !parse {
		_, err = io.Copy(io.Discard, rc)
		return err
	}
	er := &errReader{r: rc}
	d := xml.NewDecoder(er)
	last, cur, inRow := 0, 0, false
	// RawToken skips namespace translation (a third of the time); the
	// nesting it does not check is checked here.
	var open []xml.Name
	for {
		tok, err := d.RawToken()
		if err == io.EOF && len(open) > 0 {
			err = io.ErrUnexpectedEOF
		}
		if err == io.EOF {
			// The reader may stop at the root's end before the entry's end:
			// the rest must still be read for the CRC to be checked.
			_, err = io.Copy(io.Discard, rc)
			return err
		}
		if er.err != nil {
			return er.err // the zip entry, not its XML, is damaged
		}
		if err != nil {
			row := last + 1
			if inRow {
				row = cur
			}
			return &brokenXML{row: row, err: err}
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != t.Name {
				row := last + 1
				if inRow {
					row = cur
				}
				return &brokenXML{row: row, err: fmt.Errorf("element </%s> closes nothing open", t.Name.Local)}
			}
			open = open[:len(open)-1]
		}
		switch t := tok.(type) {
		case xml.StartElement:
			open = append(open, t.Name)
			if t.Name.Local == "row" {
				cur, inRow = last+1, true
				for _, a := range t.Attr {
					if a.Name.Local == "r" {
						if n, err := strconv.Atoi(a.Value); err == nil && n > 0 {
							cur = n
						}
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "row" {
				last, inRow = cur, false
			}
		}
	}
}

// sheetNames maps the lower-cased part name of each worksheet to the
// sheet's name, from xl/workbook.xml and its relationships. A workbook
// whose map cannot be read gets part names instead: the check still runs.
func sheetNames(zr *zip.Reader) map[string]string {
	out := map[string]string{}
	for _, f := range zr.File {
		n := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if strings.HasPrefix(n, "xl/worksheets/") && strings.HasSuffix(n, ".xml") {
			out[n] = path.Base(f.Name)
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if readXML(zr, "xl/workbook.xml", &wb) != nil || readXML(zr, "xl/_rels/workbook.xml.rels", &rels) != nil {
		return out
	}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rels {
			if r.ID != s.RID {
				continue
			}
			t := strings.ReplaceAll(r.Target, "\\", "/")
			if strings.HasPrefix(t, "/") {
				t = strings.TrimPrefix(t, "/")
			} else {
				t = path.Join("xl", t)
			}
			if _, ok := out[strings.ToLower(t)]; ok {
				out[strings.ToLower(t)] = s.Name
			}
		}
	}
	return out
}

func readXML(zr *zip.Reader, name string, v any) error {
	for _, f := range zr.File {
		if !strings.EqualFold(strings.ReplaceAll(f.Name, "\\", "/"), name) {
			continue
		}
		if f.UncompressedSize64 > 16<<20 {
			return errors.New("too large")
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		return xml.NewDecoder(rc).Decode(v)
	}
	return errors.New("missing")
}

// errReader remembers the error of the reader under an XML decoder, which
// the decoder reports as if the XML were at fault.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}
