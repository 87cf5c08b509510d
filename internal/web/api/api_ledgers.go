package api

import (
	"bytes"
	"io"
	"net/http"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/registry"
	"yingji/internal/units"
	"yingji/internal/user"
	"yingji/internal/web/httpx"
)

// apiImport takes the ledger file as the request body: ?format=xlsx|csv,
// ?kind=units|websites|contacts|experts|equipment (an XLSX of units may also
// hold the websites sheet), ?dry_run=true to only get the report.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	v := r.URL.Query()
	format, kind := registry.Format(v.Get("format")), v.Get("kind")
	if format != registry.CSV && format != registry.XLSX {
		return errs.Field("format", "registry.bad_format", v.Get("format"))
	}
	if kind == "" {
		kind = "units"
	}
	extendBodyDeadline(w, importReadWindow)
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxImportBytes))
	if err != nil {
		return bodyError(err)
	}
	rep, err := s.App.Units.ImportFile(r.Context(), u, 0, "upload."+string(format), bytes.NewReader(data), format, kind, v.Get("dry_run") == "true" || v.Get("dry_run") == "1")
	if rep == nil {
		return err
	}
	st := http.StatusOK
	if err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			return err
		}
		st = http.StatusUnprocessableEntity
	}
	body := units.ImportReportJSON(rep, lang(r))
	if err != nil {
		e := errs.As(err)
		body["error"] = map[string]any{"code": string(e.Code), "message_key": e.Key, "detail": i18n.T(lang(r), e.Key, e.Args...)}
	}
	writeJSON(w, st, body)
	return nil
}

func (s *Server) apiExport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	v := r.URL.Query()
	kind := v.Get("kind")
	if kind == "" {
		kind = "units"
	}
	format, err := units.ExportFormat(registry.Format(v.Get("format")))
	if err != nil {
		return err
	}
	org, err := queryOrg(r)
	if err != nil {
		return err
	}
	b, name, ct, err := s.App.Units.Export(r.Context(), u, org, format, kind)
	if err != nil {
		return err
	}
	httpx.WriteLedger(w, b, name, ct)
	return nil
}
