package monitor

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// blocks are the elements that start a new line of text: the page's
// visible text, a line per block, is what the baseline holds, so that a
// change of markup alone (an attribute, a tracking script) is not a change.
var blocks = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "br": true, "dd": true, "div": true, "dl": true,
	"dt": true, "fieldset": true, "figcaption": true, "figure": true, "footer": true, "form": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "header": true, "hr": true, "li": true, "main": true, "nav": true,
	"ol": true, "p": true, "pre": true, "section": true, "table": true, "td": true, "th": true, "title": true, "tr": true, "ul": true,
}

// skipped elements hold no visible text.
var skipped = map[string]bool{"script": true, "style": true, "noscript": true, "template": true}

// space separates words: white space, control characters and bytes that
// are not UTF-8 (which would not survive a text column).
func space(r rune) bool { return unicode.IsSpace(r) || r == utf8.RuneError || unicode.IsControl(r) }

// Normalise turns a page into its visible text: one line per block, spaces
// collapsed, empty lines dropped, at most MaxText bytes.
func Normalise(page []byte) string {
	z := html.NewTokenizer(bytes.NewReader(page))
	var out strings.Builder
	var line strings.Builder
	flush := func() {
		l := strings.Join(strings.FieldsFunc(line.String(), space), " ")
		line.Reset()
		if l != "" && out.Len()+len(l)+1 <= MaxText {
			out.WriteString(l)
			out.WriteByte('\n')
		}
	}
	skip := ""
	for {
		switch z.Next() {
		case html.ErrorToken:
			flush()
			return out.String()
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			n := string(name)
			if skip == "" && skipped[n] {
				skip = n
			}
			if blocks[n] {
				flush()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			n := string(name)
			if n == skip {
				skip = ""
			}
			if blocks[n] {
				flush()
			}
		case html.TextToken:
			if skip != "" {
				continue
			}
			if line.Len() < MaxText {
				line.Write(z.Text())
			}
		}
	}
}

// DiffSize is how much a page's text differs from the baseline, by lines.
type DiffSize struct {
	LinesAdded, LinesRemoved int
	BytesAdded, BytesRemoved int
}

// BytesChanged is the bytes of the lines added and removed.
func (d DiffSize) BytesChanged() int { return d.BytesAdded + d.BytesRemoved }

// maxCells bounds the line diff's table; larger texts are compared as
// multisets of lines (order changes are then not counted).
const maxCells = 4_000_000

// Diff measures the line difference between two texts: the lines of b not
// in a longest common subsequence are added, those of a removed.
func Diff(a, b string) DiffSize {
	la, lb := lines(a), lines(b)
	// Common head and tail cost nothing.
	for len(la) > 0 && len(lb) > 0 && la[0] == lb[0] {
		la, lb = la[1:], lb[1:]
	}
	for len(la) > 0 && len(lb) > 0 && la[len(la)-1] == lb[len(lb)-1] {
		la, lb = la[:len(la)-1], lb[:len(lb)-1]
	}
	var keepA, keepB []bool
	if len(la)*len(lb) <= maxCells {
		keepA, keepB = lcs(la, lb)
	} else {
		keepA, keepB = multiset(la, lb)
	}
	var d DiffSize
	for i, k := range keepA {
		if !k {
			d.LinesRemoved++
			d.BytesRemoved += len(la[i]) + 1
		}
	}
	for i, k := range keepB {
		if !k {
			d.LinesAdded++
			d.BytesAdded += len(lb[i]) + 1
		}
	}
	return d
}

func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// lcs marks the lines of a longest common subsequence (dynamic programming
// over the lines left once head and tail are taken off).
func lcs(a, b []string) ([]bool, []bool) {
	n, m := len(a), len(b)
	t := make([]int32, (n+1)*(m+1))
	at := func(i, j int) *int32 { return &t[i*(m+1)+j] }
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				*at(i, j) = *at(i+1, j+1) + 1
			case *at(i+1, j) >= *at(i, j+1):
				*at(i, j) = *at(i+1, j)
			default:
				*at(i, j) = *at(i, j+1)
			}
		}
	}
	ka, kb := make([]bool, n), make([]bool, m)
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			ka[i], kb[j] = true, true
			i++
			j++
		case *at(i+1, j) >= *at(i, j+1):
			i++
		default:
			j++
		}
	}
	return ka, kb
}

func multiset(a, b []string) ([]bool, []bool) {
	count := map[string]int{}
	for _, l := range a {
		count[l]++
	}
	kb := make([]bool, len(b))
	for j, l := range b {
		if count[l] > 0 {
			count[l]--
			kb[j] = true
		}
	}
	ka := make([]bool, len(a))
	for i := len(a) - 1; i >= 0; i-- {
		if count[a[i]] > 0 {
			count[a[i]]--
		} else {
			ka[i] = true
		}
	}
	return ka, kb
}
