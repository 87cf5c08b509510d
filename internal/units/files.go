package units

import (
	"bytes"
	"context"
	"io"

	"yingji/internal/errs"
	"yingji/internal/registry"
	"yingji/internal/user"
)

// LedgerKinds are the ledgers that can be imported and exported.
var LedgerKinds = []string{"units", "websites", "contacts", "experts", "equipment"}

func badKind(kind string) error { return errs.Field("kind", "registry.bad_ledger", kind) }

// ImportFile reads a ledger of the given kind and imports it (see
// ImportLedger): the report comes back even when the error says that a row
// is wrong and nothing was written. The API, the console and the CLI all
// import through it.
func (s *Service) ImportFile(ctx context.Context, actor *user.User, org int64, name string, rd io.Reader, format registry.Format, kind string, dry bool) (*ImportReport, error) {
	one := func(sheet string, cols []registry.Column) (*registry.Table, error) {
		return registry.ReadOne(rd, format, sheet, cols)
	}
	switch kind {
	case "units", "websites":
		units, sites, err := readLedger(rd, format, kind)
		if err != nil {
			return nil, err
		}
		return s.ImportLedger(ctx, actor, org, name, units, sites, dry)
	case "contacts":
		t, err := one(registry.ContactSheet, registry.ContactColumns)
		if err != nil {
			return nil, err
		}
		return s.ImportContacts(ctx, actor, org, name, t, dry)
	case "experts":
		t, err := one(registry.ExpertSheet, registry.ExpertColumns)
		if err != nil {
			return nil, err
		}
		return s.ImportExperts(ctx, actor, org, name, t, dry)
	case "equipment":
		t, err := one(registry.EquipmentSheet, registry.EquipmentColumns)
		if err != nil {
			return nil, err
		}
		return s.ImportEquipment(ctx, actor, org, name, t, dry)
	}
	return nil, badKind(kind)
}

// ExportFile writes one organisation's ledger of the given kind. XLSX of
// units holds the units and websites sheets; every other kind is one sheet.
// It returns the Chinese base name of the file.
func ExportFile(w io.Writer, l *OrgLedgers, format registry.Format, kind string) (string, error) {
	write := func(sheet string, cols []registry.Column, n int, rec func(int) []string) error {
		if format == registry.XLSX {
			return registry.WriteSheetXLSX(w, sheet, cols, n, rec)
		}
		return registry.WriteCSV(w, cols, n, rec)
	}
	switch kind {
	case "units":
		if format == registry.XLSX {
			return "联网单位台账", registry.WriteXLSX(w, l.Units, l.Websites)
		}
		return "联网单位台账", registry.WriteUnitsCSV(w, l.Units)
	case "websites":
		if format == registry.XLSX {
			return "网站及信息系统台账", registry.WriteSheetXLSX(w, registry.WebsiteSheet, registry.WebsiteColumns, len(l.Websites), func(i int) []string {
				var b = l.Websites[i]
				return websiteCells(b)
			})
		}
		return "网站及信息系统台账", registry.WriteWebsitesCSV(w, l.Websites)
	case "contacts":
		return "联系人台账", write(registry.ContactSheet, registry.ContactColumns, len(l.Contacts), func(i int) []string {
			return registry.ContactRecord(l.Contacts[i], l.UnitCodes[l.Contacts[i].UnitID])
		})
	case "experts":
		return "专家组台账", write(registry.ExpertSheet, registry.ExpertColumns, len(l.Experts), func(i int) []string { return registry.ExpertRecord(l.Experts[i]) })
	case "equipment":
		return "应急装备和车辆台账", write(registry.EquipmentSheet, registry.EquipmentColumns, len(l.Equipment), func(i int) []string {
			return registry.EquipmentRecord(l.Equipment[i])
		})
	}
	return "", badKind(kind)
}

func websiteCells(w *registry.Website) []string { return registry.WebsiteRecord(w) }

// readLedger reads the tables of a ledger file.
func readLedger(rd io.Reader, format registry.Format, kind string) (units, sites *registry.Table, err error) {
	if format == registry.XLSX {
		return registry.ReadXLSX(rd, kind == "units", true)
	}
	if kind == "websites" {
		sites, err = registry.ReadCSV(rd, registry.WebsiteSheet, registry.WebsiteColumns)
		return nil, sites, err
	}
	units, err = registry.ReadCSV(rd, registry.UnitSheet, registry.UnitColumns)
	return units, nil, err
}

// ExportFormat is the format asked for, xlsx when none is, or the error
// naming the field.
func ExportFormat(format registry.Format) (registry.Format, error) {
	if format == "" {
		format = registry.XLSX
	}
	if format != registry.CSV && format != registry.XLSX {
		return "", errs.Field("format", "registry.bad_format", string(format))
	}
	return format, nil
}

// Export is one ledger of an organisation's registry (0: the actor's) as a
// file to download: its bytes, its file name and its content type. The API
// and the console download through it.
func (s *Service) Export(ctx context.Context, actor *user.User, org int64, format registry.Format, kind string) ([]byte, string, string, error) {
	format, err := ExportFormat(format)
	if err != nil {
		return nil, "", "", err
	}
	l, err := s.ExportAll(ctx, actor, org)
	if err != nil {
		return nil, "", "", err
	}
	var buf bytes.Buffer
	name, err := ExportFile(&buf, l, format, kind)
	if err != nil {
		return nil, "", "", err
	}
	ct := "text/csv; charset=utf-8"
	if format == registry.XLSX {
		ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return buf.Bytes(), name + "." + string(format), ct, nil
}
