package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/app"
	"yingji/internal/audit"
	"yingji/internal/i18n"
	"yingji/internal/plan"
	"yingji/internal/user"
	"yingji/plans"
)

func planCmd(ctx context.Context, args []string) error {
	fs, d, err := subFlags("plan", args)
	if err != nil {
		return err
	}
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return exitError(2)
	}
	read := func() (string, []byte, error) {
		if len(pos) == 0 {
			b, err := plans.FS.ReadFile(plans.Default)
			return "plans/" + plans.Default, b, err
		}
		b, err := os.ReadFile(pos[0])
		return pos[0], b, err
	}
	// parse reads the plan; what is wrong with it goes to stderr.
	parse := func() (string, *plan.Plan, error) {
		name, data, err := read()
		if err != nil {
			return "", nil, err
		}
		p, err := plan.Parse(name, data)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return "", nil, exitError(1)
		}
		return name, p, nil
	}
	switch args[0] {
	case "check":
		if len(pos) != 1 {
			return fmt.Errorf("usage: yingji plan check FILE")
		}
		name, p, err := parse()
		if err != nil {
			return err
		}
		fmt.Printf("%s: 预案有效 (valid): %s %s，%d 个事件类别\n", name, p.Title, p.Version, len(p.Categories))
		return nil
	case "show":
		_, p, err := parse()
		if err != nil {
			return err
		}
		showPlan(p)
		return nil
	case "load":
		if len(pos) != 1 {
			return fmt.Errorf("usage: yingji plan load FILE")
		}
		name, data, err := read()
		if err != nil {
			return err
		}
		a, _, err := d.open(ctx, quietLog())
		if err != nil {
			return err
		}
		defer a.Core.DB.Close()
		row, created, err := a.Plans.InstallPlan(ctx, user.System(), name, data)
		if err != nil {
			return err
		}
		if created {
			fmt.Printf("已存入预案 %s 版本 %s (id %d)\n", row.Key, row.Version, row.ID)
		} else {
			fmt.Printf("预案 %s 版本 %s 已存在，内容相同 (id %d)\n", row.Key, row.Version, row.ID)
		}
		return nil
	}
	return fmt.Errorf("unknown plan command %q", args[0])
}

func showPlan(p *plan.Plan) {
	fmt.Printf("%s\n版本 %s · %s · 时区 %s\n\n", p.Title, p.Version, p.Org, p.TimeZone)
	fmt.Printf("领导小组：%s（办公室设在%s）\n", p.LeadingGroup.Name, deptName(p, p.LeadingGroup.Office))
	fmt.Printf("启动审批：%s；终止审批：%s\n", p.Approvals.Activation.Name, p.Approvals.Termination.Name)
	var rec []string
	for _, r := range p.Reports.Recipients {
		rec = append(rec, r.Name)
	}
	fmt.Printf("每日情况报告：每日 %s 前报送%s；处置工作总结：终止后%s内\n\n", p.Reports.Daily.At, strings.Join(rec, "、"), i18n.Duration(i18n.ZH, p.Reports.Summary.Within))
	for i, c := range p.Categories {
		fmt.Printf("（%d）%s [%s %s]\n", i+1, c.Name, c.GBClass, plan.GBClassName(c.GBClass))
		for _, ph := range c.Phases {
			fmt.Printf("    %s\n", ph.Name)
			for _, t := range ph.Tasks {
				due := ""
				if t.Due > 0 {
					due = "（启动后" + i18n.Duration(i18n.ZH, t.Due) + "内）"
				}
				fmt.Printf("      - %s · %s%s\n", t.Title, deptName(p, t.Department), due)
			}
		}
	}
}

func deptName(p *plan.Plan, key string) string {
	if d := p.Department(key); d != nil {
		return d.Name
	}
	return key
}

func userCmd(ctx context.Context, args []string) error {
	fs, d, err := subFlags("user", args)
	if err != nil {
		return err
	}
	org := fs.String("org", "", "organisation name, e.g. 青神县公安局")
	username := fs.String("username", "", "login name")
	name := fs.String("name", "", "display name")
	dept := fs.String("department", "", "department key from the plan, e.g. wangjian")
	roles := fs.String("roles", "", "comma-separated role keys, e.g. duty_officer")
	tokenName := fs.String("token-name", "cli", "a label for the token")
	expires := fs.String("expires", "90d", "how long the token is valid: 90d, 12h … (at most 366d)")
	pos, a, err := d.parseOpen(ctx, fs, args[1:])
	if err != nil {
		return err
	}
	defer a.Core.DB.Close()
	switch args[0] {
	case "disable", "enable", "unlock", "roles":
		return userAdminCmd(ctx, a, args[0], pos, *roles)
	case "add":
		pw := os.Getenv("YINGJI_PASSWORD")
		generated := pw == ""
		if generated {
			pw = user.NewPassword()
		}
		var rl []string
		if *roles != "" {
			rl = strings.Split(*roles, ",")
		}
		u, err := a.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: *org, Department: *dept, Username: *username, DisplayName: *name, Roles: rl, Password: pw})
		if err != nil {
			return err
		}
		fmt.Printf("已创建用户 %s (id %d)\n", u.Username, u.ID)
		if generated {
			fmt.Printf("初始密码 (password): %s\n", pw)
		}
		return nil
	case "token":
		return tokenCmd(ctx, a, pos, *tokenName, *expires)
	case "totp-reset":
		if len(pos) != 1 {
			return fmt.Errorf("usage: yingji user totp-reset USERNAME")
		}
		if err := a.Accounts.ResetTOTP(ctx, user.System(), pos[0]); err != nil {
			return err
		}
		fmt.Printf("已重置 %s 的双因素认证，下次登录时重新绑定。Two-factor reset: %s enrols again at the next login.\n", pos[0], pos[0])
		return nil
	case "list":
		users, err := a.Accounts.ListUsers(ctx)
		if err != nil {
			return err
		}
		orgs, err := a.Accounts.Orgs(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			state := ""
			if u.Disabled {
				state = "\t已停用 (disabled)"
			}
			fmt.Printf("%-12s %s\t%s\t%s\t%s%s\n", u.Username, u.DisplayName, orgs[u.OrgID], u.Department, strings.Join(u.Roles, ","), state)
		}
		return nil
	}
	return fmt.Errorf("unknown user command %q", args[0])
}

func auditCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("usage: yingji audit verify [--deep] [--anchor SEQ:HASH]… [--data DIR | --db URL]")
	}
	fs := newFlagSet("audit verify")
	var d dbFlags
	d.register(fs)
	var anchors []audit.Anchor
	// The rows are always recomputed (it costs about as much as the chain);
	// --deep lists every differing row kept instead of the first ten.
	deep := fs.Bool("deep", false, "list every row that differs from the chain (up to 100), not only the first 10")
	fs.Func("anchor", "a SEQ:HASH printed by an earlier verify; the chain must still hold it (repeatable)", func(s string) error {
		a, err := audit.ParseAnchor(s)
		anchors = append(anchors, a)
		return err
	})
	if err := fs.Parse(args[1:]); err != nil {
		return exitError(2)
	}
	a, _, err := d.open(ctx, quietLog())
	if err != nil {
		return err
	}
	defer a.Core.DB.Close()
	res, err := a.AuditLog.VerifyAudit(ctx, anchors...)
	if err != nil {
		return err
	}
	var se *audit.StateError
	if errors.As(res.Err, &se) {
		fmt.Printf("%s\n", i18n.T(i18n.ZH, "audit.state_bad", se.Count, res.Rows, res.Records))
		for i, p := range se.Rows {
			if i == 10 && !*deep {
				fmt.Println(i18n.T(i18n.ZH, "audit.state_more", se.Count-i))
				break
			}
			fmt.Println("  " + stateProblemText(p))
		}
		return exitError(1)
	}
	if res.Err != nil {
		fmt.Printf("审计链已被破坏 (audit chain BROKEN): %v\n共检查 %d 条记录\n", res.Err, res.Records)
		return exitError(1)
	}
	fmt.Printf("审计链完整 (audit chain intact): %d 条记录，链头 %d %s\n", res.Records, res.HeadSeq, res.Head)
	fmt.Println(i18n.T(i18n.ZH, "audit.state_ok", res.Rows))
	if res.HeadSeq > 0 {
		// Kept outside the database, this anchor catches even a rewrite of the whole chain and its head.
		fmt.Printf("锚点 (anchor, keep it elsewhere; later: yingji audit verify --anchor %d:%s)\n", res.HeadSeq, res.Head)
	}
	return nil
}

// tokenCmd issues (token USERNAME), lists (token list USERNAME) or revokes
// (token revoke ID) API tokens. Which one is told by the number of words,
// so that a user named "list" still gets a token.
func tokenCmd(ctx context.Context, a *app.App, pos []string, name, expires string) error {
	switch {
	case len(pos) == 1:
		ttl, err := parseDays(expires)
		if err != nil {
			return fmt.Errorf("--expires: %v", err)
		}
		tok, err := a.Accounts.IssueToken(ctx, user.System(), pos[0], name, ttl)
		if err != nil {
			return err
		}
		fmt.Println(tok)
		return nil
	case len(pos) == 2 && pos[0] == "list":
		toks, err := a.Accounts.Tokens(ctx, user.System(), pos[1])
		if err != nil {
			return err
		}
		loc := time.Local
		f := func(t *time.Time) string {
			if t == nil {
				return "-"
			}
			return t.In(loc).Format("2006-01-02 15:04")
		}
		fmt.Printf("%-6s %-16s %-16s %-16s %-16s %s\n", "ID", "NAME", "CREATED", "EXPIRES", "LAST USED", "REVOKED")
		for _, t := range toks {
			fmt.Printf("%-6d %-16s %-16s %-16s %-16s %s\n", t.ID, t.Name, f(&t.CreatedAt), f(&t.ExpiresAt), f(t.LastUsedAt), f(t.RevokedAt))
		}
		return nil
	case len(pos) == 2 && pos[0] == "revoke":
		id, err := strconv.ParseInt(pos[1], 10, 64)
		if err != nil {
			return fmt.Errorf("usage: yingji user token revoke ID")
		}
		t, err := a.Accounts.RevokeToken(ctx, user.System(), id)
		if err != nil {
			return err
		}
		fmt.Printf("已吊销令牌 %d (%s)。Token %d revoked.\n", t.ID, t.Name, t.ID)
		return nil
	}
	return fmt.Errorf("usage: yingji user token USERNAME [--expires 90d] | token list USERNAME | token revoke ID")
}

// parseDays reads a Go duration, or a number of days as "90d".
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		d, err := strconv.Atoi(n)
		if err != nil || d <= 0 {
			return 0, fmt.Errorf("bad number of days %q", s)
		}
		return time.Duration(d) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// stateProblemText says which row differs from the audit chain and how.
func stateProblemText(p audit.RowProblem) string {
	s := i18n.T(i18n.ZH, "audit.row."+p.Reason, p.Table, p.ID)
	if p.Seq > 0 {
		s += i18n.T(i18n.ZH, "audit.row.last", p.Seq)
	}
	return s
}
