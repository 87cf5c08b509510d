package bulletins

import (
	"context"
	"strconv"

	"yingji/internal/bulletin"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Document lays a 通报 out as an official document with the reports'
// renderer (GB/T 9704-2012): 发文字号, title, 主送 各有关单位, the 通报事项,
// the 工作要求 and the 反馈时限, the issuing office, contact and phone.
func Document(b *bulletin.Bulletin, issuer string) *report.Document {
	date := b.CreatedAt
	if b.SignedAt != nil {
		date = *b.SignedAt
	}
	l := i18n.ZH
	return &report.Document{
		Issuer: issuer, DocNumber: b.DocNumber, Signer: b.SignerName, Title: b.Title,
		Recipients: []string{i18n.T(l, "bl.doc_to")},
		Fields:     report.Fields{ReportingUnit: issuer, Signer: b.SignerName, Contact: b.Contact, Phone: b.Phone},
		Date:       date.In(bulletin.Zone), Draft: b.Status == bulletin.Draft,
		Sections: []report.Section{
			{Key: "body", Heading: i18n.T(l, "bl.doc_body"), Text: b.Body},
			{Key: "actions", Heading: i18n.T(l, "bl.doc_actions"), Text: b.Actions},
			{Key: "deadline", Heading: i18n.T(l, "bl.doc_deadline"), Text: i18n.T(l, "bl.doc_deadline_text", b.Deadline.In(bulletin.Zone).Format("2006年1月2日15时04分"))},
		},
	}
}

// Render renders a 通报 as DOCX or PDF.
func (s *Service) Render(ctx context.Context, actor *user.User, id int64, format string) ([]byte, string, error) {
	if format != "docx" && format != "pdf" {
		return nil, "", errs.Field("format", "error.report_format", format)
	}
	var doc *report.Document
	var b *bulletin.Bulletin
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if b, _, err = s.load(q, actor, id); err != nil {
			return err
		}
		org, err := q.Org(b.OrgID)
		if err != nil {
			return err
		}
		doc = Document(b, org.Name)
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	var out []byte
	if format == "docx" {
		out, err = report.DOCX(doc)
	} else {
		out, err = report.PDF(doc)
	}
	if err != nil {
		return nil, "", errs.Wrap(err, "render "+format)
	}
	return out, "bulletin-" + strconv.FormatInt(b.ID, 10) + "." + format, nil
}
