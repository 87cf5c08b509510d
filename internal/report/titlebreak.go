package report

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Title line-breaking. GB/T 9704-2012 7.3.3 asks that a title broken over
// lines keep its words whole and its lines balanced, in a trapezoid or a
// diamond. Chinese has no spaces, so the breaks are chosen among the places
// between characters by a small rule set:
//   - 避头尾: no line starts with closing punctuation or ends with opening
//     punctuation;
//   - a parenthesised part such as （第1期） or 〔2026〕, a run of Latin
//     letters and digits (DDoS, 2026, APT29), and the words of the reports'
//     own titles (每日情况报告, 勒索病毒, …) are never split;
//   - after 的 / 关于… / 和 / 及 / 与 is a good place, a break elsewhere
//     between two Chinese characters costs a little;
//   - of the ways left, the one whose lines are most even wins, the upper
//     line the longer when two are uneven (a 正梯形).

// noLineStart are the marks that may not begin a line (避头点).
const noLineStart = "，。、；：？！）》」』”’…—％〕】〉·,.;:?!)]%"

// noLineEnd are the opening marks that may not end a line (避尾点).
const noLineEnd = "（《「『“‘〔【〈([“"

// titleWords are words of report titles that must not be split; the longest
// match wins. They come from the report kinds' titles (Title) and the
// incident categories of the plans.
var titleWords = []string{
	"每日情况报告", "情况报告", "处置工作总结", "工作总结", "首报", "续报", "终报",
	"勒索病毒", "病毒", "网络攻击", "攻击", "门户网站", "网站", "信息系统", "系统", "数据泄露", "泄露",
	"安全事件", "事件", "网络安全", "安全", "有害信息", "信息", "多家单位", "单位", "县政府", "政府",
	"公安局", "公安", "关于", "感染", "遭受", "篡改", "入侵", "瘫痪", "中断", "服务", "重要", "会议",
	"期间", "敏感时期", "活动", "突发", "处置", "工作", "报告", "总结", "情况", "每日", "县内",
}

// titleUnits cuts a title into pieces that may not be split.
func titleUnits(title string) []string {
	rs := []rune(title)
	var out []string
	for i := 0; i < len(rs); {
		r := rs[i]
		// A parenthesised part, to its matching closing mark.
		if close, ok := pairs[r]; ok {
			if j := indexRune(rs, close, i+1); j > 0 && j-i < 16 {
				out = append(out, string(rs[i:j+1]))
				i = j + 1
				continue
			}
		}
		if latin(r) {
			j := i
			for j < len(rs) && (latin(rs[j]) || (rs[j] == ' ' && j+1 < len(rs) && latin(rs[j+1]))) {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
			continue
		}
		best := 1
		for _, w := range titleWords {
			n := len([]rune(w))
			if n > best && i+n <= len(rs) && string(rs[i:i+n]) == w {
				best = n
			}
		}
		out = append(out, string(rs[i:i+best]))
		i += best
	}
	// A run of Latin letters and digits names the kind of the word after it
	// (DDoS攻击, HIS系统, APT29网络攻击): the two are one word and stay on one
	// line. Only a known word binds, not a lone character such as 的.
	for i := 0; i+1 < len(out); i++ {
		if latin(firstRune(out[i])) && latin(lastRune(out[i])) && utf8.RuneCountInString(out[i+1]) > 1 && !latin(firstRune(out[i+1])) &&
			!strings.ContainsRune(noLineStart+noLineEnd, firstRune(out[i+1])) {
			out[i] += out[i+1]
			out = append(out[:i+1], out[i+2:]...)
		}
	}
	// Punctuation that may not start a line joins the unit before it, and
	// an opening mark the unit after it.
	var merged []string
	for i := 0; i < len(out); i++ {
		u := out[i]
		if len(merged) > 0 && strings.ContainsRune(noLineStart, firstRune(u)) {
			merged[len(merged)-1] += u
			continue
		}
		for i+1 < len(out) && strings.ContainsRune(noLineEnd, lastRune(u)) {
			i++
			u += out[i]
		}
		merged = append(merged, u)
	}
	return merged
}

var pairs = map[rune]rune{'（': '）', '(': ')', '〔': '〕', '《': '》', '“': '”', '【': '】', '「': '」'}

func indexRune(rs []rune, r rune, from int) int {
	for j := from; j < len(rs); j++ {
		if rs[j] == r {
			return j
		}
	}
	return -1
}

func latin(r rune) bool {
	return r < 0x2E80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.')
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func lastRune(s string) rune {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1]
}

// textWidth is a string's width in full-width characters: Latin letters,
// digits and spaces take about half a cell.
func textWidth(s string) float64 { return float64(cells(s)) / cellsPerChar }

// cells is a string's width in twentieths of a full-width character. Widths
// are summed and compared as integers: float sums of 0.55 drift, and a line
// of exactly max characters then measured a hair wider than max.
func cells(s string) int {
	var w int
	for _, r := range s {
		if r < 0x2E80 && r != '“' && r != '”' && r != '‘' && r != '’' && r != '—' && r != '…' {
			w += 11
		} else {
			w += cellsPerChar
		}
	}
	return w
}

const cellsPerChar = 20

// goodBreakAfter are units after which a title reads well broken.
var goodBreakAfter = map[string]bool{"的": true, "关于": true, "和": true, "及": true, "与": true, "、": true}

// goodBreakBefore are units that start a phrase: a place or body's name.
var goodBreakBefore = map[string]bool{"县": true, "市": true, "省": true, "关于": true, "县政府": true, "县内": true}

// BreakTitle breaks a title into lines of at most max full-width characters,
// keeping words and parenthesised parts whole and the lines balanced. A title
// that fits stays one line.
func BreakTitle(title string, max float64) []string {
	title = strings.TrimSpace(title)
	limit := int(math.Floor(max*cellsPerChar + 1e-9))
	if cells(title) <= limit || max <= 0 {
		return []string{title}
	}
	units := titleUnits(title)
	n := len(units)
	widths := make([]int, n+1) // widths[i] = cells of units[:i]
	for i, u := range units {
		widths[i+1] = widths[i] + cells(u)
	}
	lines := (widths[n] + limit - 1) / limit
	var bestCuts []int
	// A dynamic programme over (units placed, lines used); one more line
	// is allowed when no way fits (a unit too long to share a line).
	for k := lines; k < lines+3 && bestCuts == nil; k++ {
		bestCuts = cutTitle(units, widths, k, limit)
	}
	if bestCuts == nil { // a single unit wider than the line: split it anyway
		return hardWrap(title, limit)
	}
	var out []string
	from := 0
	for _, to := range bestCuts {
		out = append(out, strings.Join(units[from:to], ""))
		from = to
	}
	return out
}

// cutTitle finds the cheapest way to cut units into k lines no wider than
// max, as the ends of the lines; nil if there is none. A line costs its
// squared distance from the mean width, plus a little for breaking in a weak
// place, plus a little more when the lower of two lines is the longer (倒梯形).
func cutTitle(units []string, widths []int, k int, limit int) []int {
	n := len(units)
	mean := float64(widths[n]) / float64(k) / cellsPerChar
	inf := math.Inf(1)
	best := make([][]float64, k+1) // best[j][i]: cheapest j lines ending at unit i
	from := make([][]int, k+1)
	for j := range best {
		best[j] = make([]float64, n+1)
		from[j] = make([]int, n+1)
		for i := range best[j] {
			best[j][i] = inf
		}
	}
	best[0][0] = 0
	for j := 1; j <= k; j++ {
		for i := 1; i <= n; i++ {
			for s := i - 1; s >= 0; s-- {
				if widths[i]-widths[s] > limit {
					break
				}
				w := float64(widths[i]-widths[s]) / cellsPerChar
				if math.IsInf(best[j-1][s], 1) {
					continue
				}
				c := best[j-1][s] + 0.5*(w-mean)*(w-mean)
				if k == 2 && j == 2 && widths[i]-widths[s] > widths[s] {
					c++
				}
				if i < n && !goodBreakAfter[units[i-1]] && !goodBreakBefore[units[i]] {
					c += 1.5
					if len([]rune(units[i-1])) == 1 && len([]rune(units[i])) == 1 {
						c += 4 // between two single characters: likely inside a word
					}
				}
				if c < best[j][i] {
					best[j][i], from[j][i] = c, s
				}
			}
		}
	}
	if math.IsInf(best[k][n], 1) {
		return nil
	}
	cuts := make([]int, k)
	for j, i := k, n; j > 0; j-- {
		cuts[j-1] = i
		i = from[j][i]
	}
	return cuts
}

func hardWrap(s string, limit int) []string {
	var out []string
	var line []rune
	w := 0
	for _, r := range s {
		cw := cells(string(r))
		if w+cw > limit && len(line) > 0 {
			// 避头: a mark that may not start a line takes the characters
			// before it along (a line can always lose one) rather than hang
			// past the margin; only a line of nothing but such marks hangs.
			keep := len(line)
			if strings.ContainsRune(noLineStart, r) {
				for keep > 0 && strings.ContainsRune(noLineStart, line[keep-1]) {
					keep--
				}
				keep-- // the character the marks follow goes too
			}
			if keep > 0 {
				out = append(out, string(line[:keep]))
				line = append([]rune(nil), line[keep:]...)
				w = cells(string(line))
			}
		}
		line = append(line, r)
		w += cw
	}
	return append(out, string(line))
}
