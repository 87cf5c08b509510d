package report

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Real titles, as the reports' Title makes them from incident titles.
func TestBreakTitle(t *testing.T) {
	for _, c := range []struct {
		title string
		want  []string
	}{
		{"县政府门户网站遭受DDoS攻击的首报", []string{"县政府门户网站遭受DDoS攻击的首报"}},
		{"县内多家单位感染勒索病毒每日情况报告（第1期）", []string{"县内多家单位感染勒索病毒", "每日情况报告（第1期）"}},
		{"县内多家单位感染勒索病毒每日情况报告（第12期）", []string{"县内多家单位感染勒索病毒", "每日情况报告（第12期）"}},
		{"关于县政府门户网站遭受DDoS攻击的续报（续报二）", []string{"关于县政府门户网站遭受", "DDoS攻击的续报（续报二）"}},
		{"关于敏感时期和重要会议、活动期间县教育局信息系统遭受APT29网络攻击的终报", []string{"关于敏感时期和重要会议、活动期间", "县教育局信息系统遭受APT29网络攻击的终报"}},
		{"县人民医院HIS系统数据泄露处置工作总结", []string{"县人民医院HIS系统数据泄露处置工作总结"}},
		// DDoS攻击 is one word: not 遭受DDoS / 攻击每日情况报告.
		{"县政府门户网站遭受DDoS攻击每日情况报告（第1期）", []string{"县政府门户网站遭受DDoS攻击", "每日情况报告（第1期）"}},
	} {
		got := BreakTitle(c.title, titleChars)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s:\n got %q\nwant %q", c.title, got, c.want)
		}
	}
}

// Whatever the title, the lines put it back together, none is wider than the
// line, none starts with a closing mark or ends with an opening one, and no
// parenthesised part is split.
func FuzzBreakTitle(f *testing.F) {
	for _, s := range []string{"县内多家单位感染勒索病毒每日情况报告（第1期）", "（（（（", "a（b）c", "𠮷𠮷🙂每日情况报告（第1期）"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n") || len(s) > 400 {
			return
		}
		lines := BreakTitle(s, titleChars)
		if strings.Join(lines, "") != strings.TrimSpace(s) {
			t.Fatalf("%q broke into %q", s, lines)
		}
		for i, l := range lines {
			if textWidth(l) > titleChars && len(titleUnits(l)) > 1 {
				t.Errorf("line %q is wider than %d characters", l, titleChars)
			}
			if i > 0 && strings.ContainsRune(noLineStart, firstRune(l)) {
				t.Errorf("line %q starts with a closing mark", l)
			}
		}
	})
}
