package api_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// renameFirst deletes the units sheet so that the websites sheet, with its
// website columns, is the one read as units.
func renameFirst(t *testing.T, b []byte) []byte {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.DeleteSheet("联网单位"); err != nil {
		t.Fatal(err)
	}
	f.SetSheetName("网站及信息系统", "Sheet1")
	var out bytes.Buffer
	f.Write(&out)
	return out.Bytes()
}
