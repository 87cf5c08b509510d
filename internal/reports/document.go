package reports

import (
	"context"
	"strconv"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/officepdf"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// ReportDocument renders a report version as a DOCX or PDF file.
func (s *Service) ReportDocument(ctx context.Context, actor *user.User, id int64, format string) ([]byte, string, error) {
	if format != "docx" && format != "pdf" {
		return nil, "", errs.Field("format", "error.report_format", format)
	}
	v, err := s.GetReport(ctx, actor, id)
	if err != nil {
		return nil, "", err
	}
	// A report with a secrecy level downloads only for report.MayDownload,
	// on the audit trail, its PDF watermarked below.
	marking := v.Report.Fields.Marking()
	classified := marking.Classified()
	if classified && !report.MayDownload(v.Report, report.Reader{ID: actor.ID, Leader: actor.HasRole(report.ClassifiedReaders(v.Plan)...)}) {
		return nil, "", errs.New(errs.Forbidden, "error.report_classified", marking.SecrecyMark())
	}
	if classified {
		if err := s.DB.Write(ctx, func(tx *store.Tx) error {
			return tx.Audit(core.AuditEntry(actor, "report.download", "report", v.Report.ID, v.Incident.OrgID, map[string]any{"incident_id": v.Incident.ID, "format": format, "secrecy": marking.SecrecyMark()}))
		}); err != nil {
			return nil, "", err
		}
	}
	doc := DocumentOf(v)
	name := v.Incident.Number + "-" + v.Report.Kind + "-" + strconv.Itoa(v.Report.Seq) + "-v" + strconv.Itoa(v.Report.Version) + "." + format
	var b []byte
	if format == "docx" {
		b, err = report.DOCX(doc)
	} else {
		// Signed reports' PDFs come from LibreOffice (cached by SHA-256,
		// converted off the request path), else the pure-Go writer.
		b, err = officepdf.Shared().PDF(doc.SHA256, func() ([]byte, error) { return report.DOCX(doc) }, func() ([]byte, error) { return report.PDF(doc) })
	}
	if err == nil && classified && format == "pdf" { // the reader's account and the time across every page
		b, err = officepdf.Watermark(b, actor.Username+" "+s.Now().In(v.Plan.Location).Format("2006-01-02 15:04"))
	}
	if err != nil {
		return nil, "", errs.Wrap(err, "render "+format)
	}
	return b, name, nil
}

// DocumentOf lays a report version out as an official document.
func DocumentOf(v *ReportView) *report.Document {
	r := v.Report
	date := r.CreatedAt
	if r.SignedAt != nil {
		date = *r.SignedAt
	}
	return &report.Document{
		Issuer: v.Org.Name, DocNumber: r.DocNumber, Signer: r.Fields.Signer, Title: r.Title, Recipients: r.Recipients,
		Fields: r.Fields, Date: date.In(v.Plan.Location), Draft: r.Status != report.StatusSigned && r.Status != report.StatusSubmitted,
		SHA256: r.SHA256,
	}
}
