package web

import (
	"context"
	"io"

	"yingji/internal/i18n"
	"yingji/internal/registry"
	"yingji/internal/service"
	"yingji/internal/user"
	"yingji/internal/web/api"
	"yingji/internal/web/ledger"
)

// The ledger files for the CLI (`yingji registry import|export`), until the
// registry's use cases own them (issue 8).

// LedgerKinds are the ledgers that can be imported and exported.
var LedgerKinds = ledger.LedgerKinds

// ImportFile reads a ledger of the given kind and imports it (ledger.ImportFile).
func ImportFile(ctx context.Context, svc *service.Service, actor *user.User, org int64, name string, rd io.Reader, format registry.Format, kind string, dry bool) (*service.ImportReport, error) {
	return ledger.ImportFile(ctx, svc, actor, org, name, rd, format, kind, dry)
}

// ExportFile writes one organisation's ledger of the given kind (ledger.ExportFile).
func ExportFile(w io.Writer, l *service.OrgLedgers, format registry.Format, kind string) (string, error) {
	return ledger.ExportFile(w, l, format, kind)
}

// ImportReportJSON is an import's report as the API answers it.
func ImportReportJSON(rep *service.ImportReport, l i18n.Lang) map[string]any {
	return api.ImportReportJSON(rep, l)
}
