package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"yingji/internal/i18n"
	"yingji/internal/report"
	"yingji/internal/reports"
)

const reportUsage = `Usage:
  yingji report list INCIDENT_ID CRED                 the incident's reports and deadlines
  yingji report draft INCIDENT_ID --kind daily CRED   draft from the record (initial|followup|daily|final|summary)
  yingji report show REPORT_ID CRED                   fields, sources, sign-off and submissions
  yingji report sign REPORT_ID CRED                   签发 (leader or deputy who wrote none of the text)
  yingji report submit REPORT_ID CRED                 submit a signed report to the plan's recipients
  yingji report document REPORT_ID --format docx|pdf [--out FILE] CRED
  yingji report timeliness [--from 2026-11-01] [--to 2026-12-01] [--org ID] CRED
CRED is the acting person's credential: --token TOKEN (or $YINGJI_TOKEN, from
yingji user token), or --as USER with the password typed at the terminal
(or read from standard input with --password-stdin).
All take --data DIR or --db URL.
`

func reportCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "help" {
		fmt.Fprint(os.Stderr, reportUsage)
		return exitError(2)
	}
	fs := newFlagSet("report " + args[0])
	var d dbFlags
	d.register(fs)
	var cred credFlags
	cred.register(fs, true)
	kind := fs.String("kind", "", "report kind: initial, followup, daily, final or summary")
	format := fs.String("format", "docx", "document format: docx or pdf")
	out := fs.String("out", "", "file to write the document to (default: its own name in the current directory)")
	from := fs.String("from", "", "start of the period (YYYY-MM-DD or RFC 3339)")
	to := fs.String("to", "", "end of the period (YYYY-MM-DD or RFC 3339)")
	org := fs.Int64("org", 0, "organisation id (default: the user's own)")
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return exitError(2)
	}
	needID := func() (int64, error) {
		if len(pos) != 1 {
			return 0, fmt.Errorf("usage: yingji report %s ID --token TOKEN | --as USER", args[0])
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id <= 0 {
			return 0, fmt.Errorf("invalid id %q", pos[0])
		}
		return id, nil
	}
	a, p, err := d.open(ctx, quietLog())
	if err != nil {
		return err
	}
	defer a.Core.DB.Close()
	// Reports are drafted, signed and read as a person, who proves it.
	actor, err := cred.person(ctx, a)
	if err != nil {
		return err
	}
	loc := p.Location
	switch args[0] {
	case "list":
		id, err := needID()
		if err != nil {
			return err
		}
		v, err := a.Incidents.GetIncident(ctx, actor, id)
		if err != nil {
			return err
		}
		list, err := a.Reports.ListReports(ctx, actor, id)
		if err != nil {
			return err
		}
		fmt.Printf("%s %s\n", v.Incident.Number, v.Incident.Title)
		if v.LateRegistration {
			fmt.Printf("  【%s】%s\n", i18n.T(i18n.ZH, "incident.late_registration"), i18n.T(i18n.ZH, "incident.late_registration_t", i18n.Duration(i18n.ZH, v.RegistrationDelay)))
		}
		for _, dl := range v.Deadlines {
			fmt.Printf("  时限 %s %s  %s\n", pad(i18n.T(i18n.ZH, "deadline."+dl.Kind), 12), dl.Due.In(loc).Format("2006-01-02 15:04"), i18n.T(i18n.ZH, "deadline.state."+string(dl.State)))
		}
		for _, r := range list {
			printReportLine(r, loc)
		}
		return nil
	case "draft":
		id, err := needID()
		if err != nil {
			return err
		}
		r, err := a.Reports.CreateReport(ctx, actor, id, *kind)
		if err != nil {
			return err
		}
		fmt.Printf("已起草报告 %d：%s（依据时间线记录 %d 条）\n", r.ID, r.Title, len(r.Sources))
		return nil
	case "show":
		id, err := needID()
		if err != nil {
			return err
		}
		v, err := a.Reports.GetReport(ctx, actor, id)
		if err != nil {
			return err
		}
		r := v.Report
		fmt.Printf("%s\n报告 %d  %s  第%d版  状态：%s\n", r.Title, r.ID, i18n.T(i18n.ZH, "report.kind."+r.Kind), r.Version, i18n.T(i18n.ZH, "report.status."+r.Status))
		if r.DueAt != nil {
			fmt.Printf("报送时限：%s\n", r.DueAt.In(loc).Format("2006-01-02 15:04"))
		}
		if r.DocNumber != "" {
			fmt.Printf("发文字号：%s  签发人：%s  签发时间：%s\n", r.DocNumber, r.Fields.Signer, r.SignedAt.In(loc).Format("2006-01-02 15:04:05"))
		}
		for _, s := range v.Submissions {
			fmt.Printf("已报送：%s  %s\n", s.RecipientName, s.SubmittedAt.In(loc).Format("2006-01-02 15:04:05"))
		}
		if r.SHA256 != "" {
			fmt.Printf("SHA-256：%s\n", r.SHA256)
		}
		fmt.Printf("依据时间线记录：%d 条\n\n%s", len(r.Sources), r.Body)
		return nil
	case "sign", "submit":
		id, err := needID()
		if err != nil {
			return err
		}
		var r *report.Report
		if args[0] == "sign" {
			r, err = a.Reports.SignReport(ctx, actor, id)
		} else {
			r, err = a.Reports.SubmitReport(ctx, actor, id)
		}
		if err != nil {
			return err
		}
		printReportLine(r, loc)
		return nil
	case "document":
		id, err := needID()
		if err != nil {
			return err
		}
		b, name, err := a.Reports.ReportDocument(ctx, actor, id, *format)
		if err != nil {
			return err
		}
		if *out != "" {
			name = *out
		}
		if err := os.WriteFile(name, b, 0o644); err != nil {
			return err
		}
		fmt.Printf("已生成 %s（%d 字节）\n", name, len(b))
		return nil
	case "timeliness":
		f := reports.TimelinessFilter{OrgID: *org}
		for _, v := range []struct {
			s string
			t *time.Time
		}{{*from, &f.From}, {*to, &f.To}} {
			if v.s == "" {
				continue
			}
			t, err := time.ParseInLocation("2006-01-02", v.s, loc)
			if err != nil {
				if t, err = time.Parse(time.RFC3339, v.s); err != nil {
					return fmt.Errorf("invalid date %q (want YYYY-MM-DD or RFC 3339)", v.s)
				}
			}
			*v.t = t
		}
		t, err := a.Reports.Timeliness(ctx, actor, f)
		if err != nil {
			return err
		}
		fmt.Printf("报送及时性 %s 至 %s\n", t.From.In(loc).Format("2006-01-02 15:04"), t.To.In(loc).Format("2006-01-02 15:04"))
		fmt.Printf("%s %s %s %s %s %s\n", pad("单位", 16), lpad("按时", 6), lpad("迟报", 6), lpad("漏报", 6), lpad("未到期", 6), lpad("最长迟报", 10))
		for _, o := range t.Orgs {
			fmt.Printf("%s %6d %6d %6d %6d %10s\n", pad(o.Org.Name, 16), o.OnTime, o.Late, o.Missing, o.Pending, o.LateMax.Round(time.Second))
		}
		for _, row := range t.Rows {
			o := row.Obligation
			line := fmt.Sprintf("  %s %s %s 时限 %s  %s", row.Org.Name, row.Incident.Number, pad(i18n.T(i18n.ZH, "deadline."+o.Kind), 12),
				o.Due.In(loc).Format("2006-01-02 15:04"), i18n.T(i18n.ZH, "deadline.state."+string(o.State)))
			if o.Late > 0 {
				line += "（" + o.Late.Round(time.Second).String() + "）"
			}
			fmt.Println(line)
		}
		return nil
	}
	fmt.Fprint(os.Stderr, reportUsage)
	return exitError(2)
}

func printReportLine(r *report.Report, loc *time.Location) {
	var extra []string
	if r.DueAt != nil {
		extra = append(extra, "时限 "+r.DueAt.In(loc).Format("01-02 15:04"))
	}
	if r.SubmittedAt != nil {
		extra = append(extra, "报送 "+r.SubmittedAt.In(loc).Format("01-02 15:04:05"))
	}
	if r.Supersedes != 0 {
		extra = append(extra, "更正报告 "+strconv.FormatInt(r.Supersedes, 10))
	}
	fmt.Printf("  报告 %-5d 第%d版 %s %s  %s\n", r.ID, r.Version, pad(i18n.T(i18n.ZH, "report.status."+r.Status), 8), r.Title, strings.Join(extra, "，"))
}

// pad and lpad fill s with spaces to w terminal columns, a Chinese
// character taking two: fmt's %-12s counts runes, so columns of Chinese
// labels (首报, 每日情况报告) did not line up.
func pad(s string, w int) string { return s + strings.Repeat(" ", max(0, w-columns(s))) }

func lpad(s string, w int) string { return strings.Repeat(" ", max(0, w-columns(s))) + s }

func columns(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) ||
			(r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) ||
			(r >= 0xffe0 && r <= 0xffe6) || r >= 0x20000):
			n += 2
		default:
			n++
		}
	}
	return n
}
