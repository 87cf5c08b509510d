package registry

import (
	"bytes"
	"testing"
	"yingji/internal/errs"

	"github.com/xuri/excelize/v2"
)

func mustXLSX(t testing.TB, rows [][]string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
		}
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A workbook of a hundred thousand rows is refused as a whole, naming the limit.
func TestXLSXHundredThousandRows(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large workbook")
	}
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", UnitSheet)
	sw, _ := f.NewStreamWriter(UnitSheet)
	sw.SetRow("A1", []any{"单位名称", "单位类型", "统一社会信用代码"})
	for i := 2; i <= 100_001; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{"单位", "企业", CreditCodeFor(i)})
	}
	sw.Flush()
	var buf bytes.Buffer
	f.Write(&buf)
	_, _, err := ReadXLSX(bytes.NewReader(buf.Bytes()), true, true)
	if e := errs.As(err); e.Key != "registry.too_many_rows" || e.Args[1] != MaxRows {
		t.Fatalf("err %v", err)
	}
}
