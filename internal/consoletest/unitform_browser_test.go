package consoletest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/testkit"
	"yingji/internal/unitreport"
)

// TestBrowserUnitFormNamesEveryError: on a 390 px phone, the unit's form
// filled as a newcomer did (系统 filled, a 2020 time, phone "abc", 事件情况
// and 联系人 empty, a file picked) comes back with every error at once, each
// right after its field and all in the summary at the top in the form's
// order, with what was typed (and the file's hash) kept and nothing
// written; fixed, it is taken. Both databases. The refused page is saved
// as unitform-errors-phone.png under YINGJI_SCREENSHOTS_DIR (or the test's
// temporary directory).
func TestBrowserUnitFormNamesEveryError(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		duty := env.Users["duty"]
		_, tok := hospitalLink(t, env)
		file := filepath.Join(t.TempDir(), "日志.txt")
		os.WriteFile(file, []byte("2026-11-28 08:29 异常登录 203.0.113.9\n"), 0o644)
		b := chromium(t)
		run(t, b, "open link", phoneScreen.emulate(), chromedp.Navigate(base+"/u/"+tok),
			chromedp.WaitVisible(chromedp.CSS("#unit-form")))
		run(t, b, "fill badly",
			chromedp.SendKeys(chromedp.CSS("#u-system"), "HIS系统"),
			chromedp.SetValue(chromedp.CSS("#u-when"), "2020-01-01T08:00"),
			chromedp.SendKeys(chromedp.CSS("#u-phone"), "abc"),
			chromedp.SetUploadFiles(chromedp.CSS("#u-files"), []string{file}),
			chromedp.WaitVisible(chromedp.CSS("#u-hashes li")),
			chromedp.Click(chromedp.CSS("#u-submit")),
			chromedp.WaitVisible(chromedp.CSS("#u-errors")),
		)
		// Each error right after its own field, and marked on it.
		next := value(t, b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#unit-form .err')).map(function (p) {
			var f = p.previousElementSibling;
			return f.id + '|' + f.getAttribute('aria-invalid') + '|' + f.getAttribute('aria-describedby') + '|' + p.id + '|' + p.textContent; })`))
		want := []string{"u-when|true|err-happened_at|err-happened_at|", "u-what|true|err-what|err-what|此项必填",
			"u-name|true|err-contact_name|err-contact_name|此项必填", "u-phone|true|err-contact_phone|err-contact_phone|abc"}
		if len(next) != len(want) {
			t.Fatalf("errors next to fields: %q", next)
		}
		for i, w := range want {
			if !strings.HasPrefix(next[i], w[:strings.LastIndex(w, "|")+1]) || !strings.Contains(next[i], w[strings.LastIndex(w, "|")+1:]) {
				t.Errorf("error %d: %q, want %q", i, next[i], w)
			}
		}
		summary := value(t, b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#u-errors li a')).map(function (a) { return a.getAttribute('href') + ' ' + a.textContent; })`))
		if strings.Join(summary, "\n") != "#u-when 发生时间：不能晚于现在，也不能早于一年前。\n#u-what 事件情况：此项必填。\n#u-name 联系人姓名：此项必填。\n#u-phone 联系电话："+
			value(t, b, chromedp.Text(chromedp.CSS("#err-contact_phone"))) {
			t.Errorf("summary: %q", summary)
		}
		// What was typed is kept, the picked file's hash too.
		kept := value(t, b, chromedp.Evaluate[[]string](`['u-system', 'u-when', 'u-phone', 'u-what', 'u-name'].map(function (id) { return document.getElementById(id).value; })
			.concat([String(document.getElementById('u-attachments').value.split(' ').length), String(document.querySelectorAll('#u-hashes li').length)])`))
		if strings.Join(kept, "|") != "HIS系统|2020-01-01T08:00|abc|||3|1" {
			t.Errorf("kept: %q", kept)
		}
		if w := value(t, b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
			t.Errorf("the refused form is %d px wide on a 390 px screen", w)
		}
		dir := os.Getenv("YINGJI_SCREENSHOTS_DIR")
		if dir == "" {
			dir = t.TempDir()
		}
		os.WriteFile(filepath.Join(dir, "unitform-errors-phone.png"), value(t, b, chromedp.FullScreenshot(100)), 0o644)
		// Nothing was written.
		if rs, err := env.App.UnitReports.Reports(ctx, duty); err != nil || len(rs) != 0 {
			t.Fatalf("a refused form wrote a report: %v %d", err, len(rs))
		}
		if o, err := env.App.UnitReports.Open(ctx, tok); err != nil || o.State != unitreport.LinkOpen {
			t.Fatalf("a refused form used the link: %v", err)
		}
		// Fixed, it is taken (the kept file hash with it).
		run(t, b, "fix",
			chromedp.SetValue(chromedp.CSS("#u-when"), "2026-11-28T08:30"),
			chromedp.SendKeys(chromedp.CSS("#u-what"), "HIS系统出现异常登录"),
			chromedp.SendKeys(chromedp.CSS("#u-name"), "王五"),
			chromedp.SetValue(chromedp.CSS("#u-phone"), "13800000005"),
			chromedp.Click(chromedp.CSS("#u-submit")),
			chromedp.WaitVisible(chromedp.CSS("#receipt")),
		)
		rs, err := env.App.UnitReports.Reports(ctx, duty)
		if err != nil || len(rs) != 1 || rs[0].System != "HIS系统" || len(rs[0].Attachments) != 1 || rs[0].Attachments[0].Name != "日志.txt" {
			t.Fatalf("the fixed report: %v %+v", err, rs)
		}
	})
}
