package reports

import (
	"context"
	"strconv"

	"yingji/internal/errs"
	"yingji/internal/report"
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
	doc := DocumentOf(v)
	name := v.Incident.Number + "-" + v.Report.Kind + "-" + strconv.Itoa(v.Report.Seq) + "-v" + strconv.Itoa(v.Report.Version) + "." + format
	var b []byte
	if format == "docx" {
		b, err = report.DOCX(doc)
	} else {
		b, err = report.PDF(doc)
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
