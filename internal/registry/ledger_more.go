package registry

import (
	"io"
	"strings"
)

// ContactColumns is the shape of the 联系人台账.
var ContactColumns = []Column{
	{"姓名", "name", true},
	{"职务", "role", false},
	{"联系电话", "phone", true},
	{"电子邮箱", "email", false},
	{"所属单位统一社会信用代码", "unit_code", false},
	{"备注", "note", false},
}

// ExpertColumns is the shape of the 专家组台账.
var ExpertColumns = []Column{
	{"姓名", "name", true},
	{"工作单位", "unit", false},
	{"专业领域", "expertise", true},
	{"联系电话", "phone", true},
	{"电子邮箱", "email", false},
	{"是否可参与处置", "available", false},
	{"备注", "note", false},
}

// EquipmentColumns is the shape of the 应急装备和车辆台账.
var EquipmentColumns = []Column{
	{"名称", "name", true},
	{"类别", "kind", true},
	{"状态", "status", true},
	{"存放地点", "location", false},
	{"保管人", "custodian", false},
	{"联系电话", "phone", false},
	{"备注", "note", false},
}

// Sheet names of the other ledgers.
const (
	ContactSheet   = "联系人"
	ExpertSheet    = "专家组"
	EquipmentSheet = "应急装备和车辆"
)

func yesNo(v string, def bool) (bool, bool) {
	switch strings.TrimSpace(v) {
	case "":
		return def, true
	case "否", "N", "n", "0", "no", "false":
		return false, true
	case "是", "Y", "y", "1", "yes", "true":
		return true, true
	}
	return false, false
}

func yn(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// ContactFromRow builds a contact (UnitCode in Note's place is resolved by the caller).
func ContactFromRow(r Row) (*Contact, string, []Problem) {
	c := r.Cells
	x := &Contact{Name: c["name"], Role: c["role"], Phone: c["phone"], Email: c["email"], Note: c["note"]}
	code := NormalizeCreditCode(c["unit_code"])
	ps := x.Check()
	if code != "" && !ValidCreditCode(code) {
		ps = append(ps, Problem{"unit_code", "registry.bad_credit_code", []any{code}})
	}
	return x, code, withHeaders(ContactColumns, cleanCells(r, ps))
}

// ExpertFromRow builds an expert.
func ExpertFromRow(r Row) (*Expert, []Problem) {
	c := r.Cells
	x := &Expert{Name: c["name"], Unit: c["unit"], Expertise: c["expertise"], Phone: c["phone"], Email: c["email"], Note: c["note"]}
	ps := x.Check()
	var ok bool
	if x.Available, ok = yesNo(c["available"], true); !ok {
		ps = append(ps, Problem{"available", "registry.bad_yes_no", []any{c["available"]}})
	}
	return x, withHeaders(ExpertColumns, cleanCells(r, ps))
}

// EquipmentFromRow builds an item of equipment.
func EquipmentFromRow(r Row) (*Equipment, []Problem) {
	c := r.Cells
	x := &Equipment{Name: c["name"], Kind: c["kind"], Status: c["status"], Location: c["location"], Custodian: c["custodian"], Phone: c["phone"], Note: c["note"]}
	return x, withHeaders(EquipmentColumns, cleanCells(r, x.Check()))
}

// ContactRecord, ExpertRecord and EquipmentRecord are the ledger cells of a row.
func ContactRecord(x *Contact, unitCode string) []string {
	return []string{x.Name, x.Role, x.Phone, x.Email, unitCode, x.Note}
}

func ExpertRecord(x *Expert) []string {
	return []string{x.Name, x.Unit, x.Expertise, x.Phone, x.Email, yn(x.Available), x.Note}
}

func EquipmentRecord(x *Equipment) []string {
	return []string{x.Name, x.Kind, x.Status, x.Location, x.Custodian, x.Phone, x.Note}
}

// WriteCSV writes any ledger as CSV (with a byte-order mark and formula cells defused).
func WriteCSV(w io.Writer, cols []Column, n int, rec func(int) []string) error {
	return writeCSV(w, headers(cols), n, rec)
}

// WriteSheetXLSX writes one ledger as a one-sheet workbook.
func WriteSheetXLSX(w io.Writer, sheet string, cols []Column, n int, rec func(int) []string) error {
	f := newBook()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := streamSheet(f, sheet, headers(cols), n, rec); err != nil {
		return err
	}
	return f.Write(w)
}

// ReadOne reads a one-sheet ledger (CSV, or the named or first sheet of an XLSX).
func ReadOne(r io.Reader, format Format, sheet string, cols []Column) (*Table, error) {
	if format == CSV {
		return ReadCSV(r, sheet, cols)
	}
	f, err := openBook(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	name := sheet
	names := f.GetSheetList()
	found := false
	for _, n := range names {
		found = found || n == sheet
	}
	if !found {
		if len(names) == 0 {
			return nil, noSheet(sheet)
		}
		name = names[0]
	}
	return readSheet(f, name, cols)
}
