package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"yingji/internal/app"
	"yingji/internal/i18n"
	"yingji/internal/plan"
	"yingji/internal/registry"
	"yingji/internal/rota"
	"yingji/internal/units"
	"yingji/internal/user"
)

const registryUsage = `Usage:
  yingji registry import units FILE [--dry-run] [--org NAME] --system|CRED [--data DIR | --db URL]
        FILE is .xlsx (sheet 联网单位, optional sheet 网站及信息系统) or .csv (联网单位台账).
        Prints the row-by-row report; exits 1 and writes nothing when any row is wrong.
  yingji registry import websites|contacts|experts|equipment FILE [--dry-run] [--org NAME] [...]
  yingji registry export units FILE [--org NAME] [...]     .xlsx (units and websites sheets) or .csv
  yingji registry export websites|contacts|experts|equipment FILE [--org NAME] [...]
Each runs as the system actor (--system, for maintenance) or as a person with
his credential (CRED: --token TOKEN or $YINGJI_TOKEN, or --as USER with his
password at the terminal or with --password-stdin); the audit record says which.
`

const dutyUsage = `Usage:
  yingji duty now [--org NAME] [--json] [--data DIR | --db URL]   who is on duty now (exit 3: nobody)
  yingji duty schedule [--days 14] [--org NAME] [...]             the roster from today, gaps flagged
`

// orgFlag resolves --org (default: the organisation the default plan names).
func orgFlag(ctx context.Context, a *app.App, p *plan.Plan, name string) (int64, error) {
	if name == "" {
		name = p.Org
	}
	return a.Units.OrgIDByName(ctx, name)
}

func registryCmd(ctx context.Context, args []string) error {
	if len(args) < 2 || (args[0] != "import" && args[0] != "export") || !slices.Contains(units.LedgerKinds, args[1]) {
		fmt.Fprint(os.Stderr, registryUsage)
		return exitError(2)
	}
	fs := newFlagSet("registry " + args[0])
	var d dbFlags
	d.register(fs)
	dry := fs.Bool("dry-run", false, "only print the report; write nothing")
	org := fs.String("org", "", "organisation name (default: the plan's organisation)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	var cred credFlags
	cred.register(fs, true)
	pos, err := parseInterspersed(fs, args[2:])
	if err != nil {
		return exitError(2)
	}
	if len(pos) != 1 {
		fmt.Fprint(os.Stderr, registryUsage)
		return exitError(2)
	}
	file, kind := pos[0], args[1]
	format, err := registry.FormatOf(file)
	if err != nil {
		return err
	}
	a, p, err := d.open(ctx, quietLog())
	if err != nil {
		return err
	}
	defer a.Core.DB.Close()
	// Ledgers are imported and exported as a person (with his credential)
	// or, on purpose, as the system actor.
	var actor *user.User
	switch {
	case cred.system:
		actor, err = user.System(), cred.maintenance(a)
	case cred.given():
		actor, err = cred.person(ctx, a)
	default:
		err = errors.New("--system (the system actor, for maintenance) or a person's credential (--token TOKEN or $YINGJI_TOKEN, or --as USER with his password) is required")
	}
	if err != nil {
		return err
	}
	orgID, err := orgFlag(ctx, a, p, *org)
	if err != nil {
		return err
	}
	if *org == "" && !actor.IsSystem() {
		orgID = actor.OrgID
	}
	if args[0] == "export" {
		return exportLedger(ctx, a, actor, orgID, file, format, kind)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	t0 := time.Now()
	rep, err := a.Units.ImportFile(ctx, actor, orgID, file, f, format, kind, *dry)
	if rep == nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(units.ImportReportJSON(rep, i18n.ZH))
	} else {
		printReport(rep)
	}
	switch {
	case err != nil:
		fmt.Fprintln(os.Stderr, "yingji:", describe(err))
		return exitError(1)
	case *dry:
		fmt.Printf("试运行（--dry-run）：未写入任何数据。新增 %d，变更 %d，无变化 %d。\n", rep.New, rep.Changed, rep.Unchanged)
	default:
		fmt.Printf("已导入：新增 %d，变更 %d，无变化 %d（用时 %v）。\n", rep.New, rep.Changed, rep.Unchanged, time.Since(t0).Round(time.Millisecond))
	}
	return nil
}

func printReport(rep *units.ImportReport) {
	for _, r := range rep.Rows {
		fmt.Printf("%s 第%d行\t%s\t%s\t%s", r.Sheet, r.Line, i18n.T(i18n.ZH, "registry.row."+r.Status), r.Key, r.Name)
		for _, p := range r.Problems {
			fmt.Printf("\n\t[%s] %s", p.Field, i18n.T(i18n.ZH, p.Key, p.Args...))
		}
		fmt.Println()
	}
	fmt.Printf("合计：新增 %d，变更 %d，无变化 %d，有误 %d。\n", rep.New, rep.Changed, rep.Unchanged, rep.Wrong)
}

func exportLedger(ctx context.Context, a *app.App, actor *user.User, orgID int64, file string, format registry.Format, kind string) error {
	l, err := a.Units.ExportAll(ctx, actor, orgID)
	if err != nil {
		return err
	}
	tmp := file + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = units.ExportFile(f, l, format, kind)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, file)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Printf("已导出 %s：联网单位 %d 个，网站及信息系统 %d 个，联系人 %d 人，专家 %d 人，装备 %d 件。\n", file, len(l.Units), len(l.Websites),
		len(l.Contacts), len(l.Experts), len(l.Equipment))
	return nil
}

func dutyCmd(ctx context.Context, args []string) error {
	if len(args) < 1 || args[0] != "now" && args[0] != "schedule" {
		fmt.Fprint(os.Stderr, dutyUsage)
		return exitError(2)
	}
	fs := newFlagSet("duty " + args[0])
	var d dbFlags
	d.register(fs)
	org := fs.String("org", "", "organisation name (default: the plan's organisation)")
	asJSON := fs.Bool("json", false, "print JSON as GET /api/v1/duty/now does")
	days := fs.Int("days", 14, "schedule: number of days from today")
	if pos, err := parseInterspersed(fs, args[1:]); err != nil || len(pos) != 0 {
		return exitError(2)
	}
	a, p, err := d.open(ctx, quietLog())
	if err != nil {
		return err
	}
	defer a.Core.DB.Close()
	orgID, err := orgFlag(ctx, a, p, *org)
	if err != nil {
		return err
	}
	if args[0] == "schedule" {
		return printSchedule(ctx, a.Rota, p.Location, orgID, *days)
	}
	v, err := a.Rota.DutyNow(ctx, user.System(), orgID)
	if err != nil {
		return err
	}
	loc := p.Location
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(rota.NowJSON(v, loc, i18n.ZH))
	}
	f := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") }
	fmt.Printf("当前时间：%s（%s）\n", f(v.At), loc)
	if v.Heightened {
		var names []string
		for _, pd := range v.Periods {
			names = append(names, pd.Name+" "+pd.Level)
		}
		fmt.Printf("【敏感时期】%s：值班领导不少于 %d 人，值班员不少于 %d 人。\n", strings.Join(names, "、"), v.Required.Leaders, v.Required.Officers)
	}
	show := func(label string, sv *rota.ShiftView) {
		if sv == nil {
			fmt.Printf("%s：无\n", label)
			return
		}
		leader := "（未排）"
		if sv.Leader != nil {
			leader = sv.Leader.DisplayName + " " + sv.Leader.Phone
		}
		var offs []string
		for _, o := range sv.Officers {
			offs = append(offs, strings.TrimSpace(o.DisplayName+" "+o.Phone))
		}
		if len(offs) == 0 {
			offs = []string{"（未排）"}
		}
		fmt.Printf("%s：%s 至 %s（%s）\n  值班领导：%s\n  值班员：%s\n", label, f(sv.Shift.Start), f(sv.Shift.End),
			i18n.T(i18n.ZH, "duty.kind."+string(sv.Shift.Kind)), leader, strings.Join(offs, "、"))
		if sv.Short {
			fmt.Println("  ！人员不足")
		}
	}
	if v.Current == nil {
		fmt.Println("！当前无人值班（排班空档）。")
	}
	show("本班", v.Current)
	show("下一班", v.Next)
	if v.Current == nil {
		return exitError(3) // nobody on duty: scripts can alert on it
	}
	return nil
}

func printSchedule(ctx context.Context, svc *rota.Service, loc *time.Location, orgID int64, days int) error {
	now := svc.Now().In(loc)
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	sc, err := svc.DutySchedule(ctx, user.System(), orgID, from, from.AddDate(0, 0, days))
	if err != nil {
		return err
	}
	f := func(t time.Time) string { return t.In(loc).Format("01-02 15:04") }
	for _, pd := range sc.Periods {
		fmt.Printf("【敏感时期】%s %s：%s 至 %s，值班领导不少于 %d 人，值班员不少于 %d 人\n", pd.Name, pd.Level, f(pd.Start), f(pd.End), pd.MinLeaders, pd.MinOfficers)
	}
	type line struct {
		at   time.Time
		text string
	}
	var lines []line
	for _, v := range sc.Shifts {
		leader := "（未排）"
		if v.Leader != nil {
			leader = v.Leader.DisplayName
		}
		var offs []string
		for _, o := range v.Officers {
			offs = append(offs, o.DisplayName)
		}
		flag := ""
		if v.Short {
			flag = "  ！人员不足"
		}
		lines = append(lines, line{v.Shift.Start, fmt.Sprintf("%s 至 %s  %s  值班领导：%s  值班员：%s%s", f(v.Shift.Start), f(v.Shift.End),
			i18n.T(i18n.ZH, "duty.kind."+string(v.Shift.Kind)), leader, strings.Join(offs, "、"), flag)})
	}
	for _, g := range sc.Gaps {
		lines = append(lines, line{g.Start, fmt.Sprintf("%s 至 %s  ！无人值班（空档）", f(g.Start), f(g.End))})
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i].at.Before(lines[j].at) })
	for _, l := range lines {
		fmt.Println(l.text)
	}
	if len(sc.Gaps) > 0 {
		return exitError(3)
	}
	return nil
}
