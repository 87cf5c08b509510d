package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Parse parses and validates a plan file. name is used in error messages
// ("plans/x.yaml:12: ..."). Problems are returned together as Errors; the
// plan is nil whenever the error is not.
func Parse(name string, data []byte) (*Plan, error) {
	d := &decoder{file: name, lines: map[string]int{}, bad: map[string]bool{}}
	root := d.document(data)
	if root == nil {
		return nil, d.errs.sorted()
	}
	p := &Plan{}
	d.lines[""] = root.Line
	d.decode(root, reflect.ValueOf(p).Elem(), "")
	(&validator{decoder: d, p: p}).validate()
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	p.Source = bytes.Clone(data)
	return p, nil
}

// decoder turns the YAML node tree into a Plan by reflection over the yaml
// struct tags. It is strict where yaml.Unmarshal is lenient: unknown and
// repeated fields are errors, and every error carries the node's line.
type decoder struct {
	file  string
	errs  Errors
	lines map[string]int  // field path → line of its key (or list item)
	bad   map[string]bool // paths already reported as undecodable
}

func (d *decoder) errorf(line int, field, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: max(line, 1), Field: field, Msg: fmt.Sprintf(format, args...)})
}

// fail reports a value that could not be decoded and marks its path so that
// validation does not also call it missing.
func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.bad[path] = true
	d.errorf(n.Line, path, format, args...)
}

// document returns the root mapping of the single YAML document in data, or
// nil after recording why there is none.
func (d *decoder) document(data []byte) *yaml.Node {
	if len(bytes.TrimSpace(data)) == 0 {
		d.errorf(1, "", "empty file")
		return nil
	}
	if line, msg := checkText(data); msg != "" {
		d.errorf(line, "", "%s", msg)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := decodeNode(dec, &doc); errors.Is(err, io.EOF) {
		d.errorf(1, "", "empty file")
		return nil
	} else if err != nil {
		d.syntaxError(data, err)
		return nil
	}
	var extra yaml.Node
	if err := decodeNode(dec, &extra); err != nil && !errors.Is(err, io.EOF) {
		d.syntaxError(data, err)
		return nil
	} else if err == nil {
		d.errorf(extra.Line, "", "only one YAML document is allowed")
		return nil
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		d.errorf(1, "", "empty file")
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		d.errorf(root.Line, "", "a plan must be a mapping of fields (key: value)")
		return nil
	}
	return root
}

// decodeNode guards against panics inside the YAML library, which has had
// them on malformed input before (CVE-2022-28948); a bad file must never take
// the process down.
func decodeNode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: internal error: %v", r)
		}
	}()
	return dec.Decode(n)
}

var (
	yamlLineRe   = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlAnchorRe = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// parserProblems are the yaml library's parser (not scanner) errors. Their
// "line N" is the 0-based line of the enclosing collection or offending
// token, one less than what an editor shows.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// syntaxError records a YAML library error with an editor line number.
func (d *decoder) syntaxError(data []byte, err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1 // the library omits the line when it is the first
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if parserProblems[msg] {
			line = firstFailingLine(data, line+1)
		}
	} else if m := yamlAnchorRe.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(data, []byte("*"+m[1])); i >= 0 {
			line = lineAt(data, i)
		}
	}
	// End-of-stream errors point one past the last line.
	line = min(line, lineAt(data, len(data)-1))
	d.errorf(line, "", "YAML syntax error: %s", msg)
}

// maxReparse bounds the work firstFailingLine may do on a large broken file.
const maxReparse = 4 << 20

// firstFailingLine narrows a parser error down from the line the library
// names, which for a broken block is the block's first line, to the first
// line at which a prefix of the file stops parsing: where the author went
// wrong.
func firstFailingLine(data []byte, from int) int {
	budget := maxReparse
	for line, end := 1, 0; end < len(data) && budget > 0; line++ {
		end = nextLine(data, end)
		if line < from {
			continue
		}
		budget -= end
		if parses(data[:end]) != nil {
			return line
		}
	}
	return from
}

// parses reports the first syntax error in any document of data.
func parses(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := decodeNode(dec, &n); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// checkText rejects input the YAML library would refuse without saying where:
// invalid UTF-8 and control characters.
func checkText(data []byte) (int, string) {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return lineAt(data, i), "file is not valid UTF-8"
		case !printable(r):
			return lineAt(data, i), fmt.Sprintf("control character %U is not allowed", r)
		}
		i += size
	}
	return 0, ""
}

// printable is YAML's allowed character set (YAML 1.2 §5.1).
func printable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7E:
		return true
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// lineAt is the 1-based line of byte offset off.
func lineAt(data []byte, off int) int {
	line := 1
	for i := nextLine(data, 0); i <= off && i < len(data); i = nextLine(data, i) {
		line++
	}
	return line
}

// nextLine returns the offset just past the line break at or after off, or
// len(data). Breaks are counted the way the YAML library counts them (CR LF,
// CR, LF, NEL, LS, PS) so that our line numbers agree with its node lines.
func nextLine(data []byte, off int) int {
	for i := off; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch r {
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				return i + 2
			}
			return i + 1
		case '\n', 0x85, 0x2028, 0x2029:
			return i + size
		}
		i += size
	}
	return len(data)
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

var durationType = reflect.TypeFor[time.Duration]()

// decode stores node n into v. A null value leaves v at its zero value, so
// "field:" with nothing after it reads as an absent field.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		// Aliases would let a small file expand into a huge plan.
		d.fail(n, path, "YAML anchors and aliases are not supported")
		return
	}
	if isNull(n) {
		return
	}
	switch {
	case v.Type() == durationType:
		s, ok := d.scalar(n, path, "a duration such as 30m, 2h or 7d")
		if !ok {
			return
		}
		dur, err := ParseDuration(s)
		switch {
		case err != nil:
			d.fail(n, path, "%v", err)
		case dur < 0:
			d.fail(n, path, "duration %q must not be negative", s)
		default:
			v.SetInt(int64(dur))
		}
	case v.Kind() == reflect.String:
		if s, ok := d.scalar(n, path, "a string"); ok {
			v.SetString(s)
		}
	case v.Kind() == reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			d.fail(n, path, "must be true or false")
			return
		}
		v.SetBool(strings.EqualFold(n.Value, "true"))
	case v.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "must be a list")
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			ip := path + "[" + strconv.Itoa(i) + "]"
			d.lines[ip] = item.Line
			d.decode(item, s.Index(i), ip)
		}
		v.Set(s)
	case v.Kind() == reflect.Struct:
		d.decodeStruct(n, v, path)
	default:
		d.fail(n, path, "field type %s is not supported", v.Type())
	}
}

// scalar returns the text of a scalar node. Tags are ignored on purpose:
// version: 2026.1 is a float to YAML but a string to us.
func (d *decoder) scalar(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "must be %s, not a %s", want, kindName(n.Kind))
		return "", false
	}
	return n.Value, true
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	return "value"
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "must be a mapping (key: value), not a %s", kindName(n.Kind))
		return
	}
	names, index := fieldsOf(v.Type())
	seen := map[string]int{}
	var guessed []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k.Line, path, "field names must be plain strings")
			continue
		}
		fp := join(path, k.Value)
		if first, dup := seen[k.Value]; dup {
			d.errorf(k.Line, fp, "duplicate field (first at line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		f, ok := index[k.Value]
		if !ok {
			msg := "unknown field"
			if s := suggest(k.Value, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
				guessed = append(guessed, s)
			}
			d.errorf(k.Line, fp, "%s", msg)
			continue
		}
		d.lines[fp] = k.Line
		d.decode(val, v.Field(f), fp)
	}
	// A misspelt field is one mistake: do not also report the field it
	// was meant to be as missing.
	for _, s := range guessed {
		if _, ok := seen[s]; !ok {
			d.bad[join(path, s)] = true
		}
	}
}

// fieldsOf lists the YAML names of t's fields and maps them to field indexes.
func fieldsOf(t reflect.Type) ([]string, map[string]int) {
	var names []string
	index := map[string]int{}
	for i := range t.NumField() {
		name := t.Field(i).Tag.Get("yaml")
		if name == "" || name == "-" {
			continue
		}
		names = append(names, name)
		index[name] = i
	}
	return names, index
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// suggest returns the known name closest to a misspelt one, "" if none is
// close enough to be a likely typo.
func suggest(name string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if dist := editDistance(name, k); dist < bestDist && dist < len(k) {
			best, bestDist = k, dist
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 64 // not a typo; keep the cost bounded
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

var daysRe = regexp.MustCompile(`^(-?)(\d+)d(.*)$`)

// maxDays keeps Nd within time.Duration's range (about 292 years).
const maxDays = 106751

// ParseDuration parses a Go duration ("30m", "2h30m") or a whole number of
// days optionally followed by one ("7d", "1d12h"), since plans speak of days
// and weeks.
func ParseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("invalid duration %q: use a Go duration such as 30m or 2h, or days such as 7d", s)
	m := daysRe.FindStringSubmatch(s)
	if m == nil {
		dur, err := time.ParseDuration(s)
		if err != nil {
			return 0, bad
		}
		return dur, nil
	}
	days, err := strconv.Atoi(m[2])
	if err != nil || days > maxDays {
		return 0, fmt.Errorf("invalid duration %q: at most %d days", s, maxDays)
	}
	dur := time.Duration(days) * 24 * time.Hour
	if rest := m[3]; rest != "" {
		if rest[0] == '-' || rest[0] == '+' {
			return 0, bad
		}
		extra, err := time.ParseDuration(rest)
		if err != nil {
			return 0, bad
		}
		if dur+extra < dur {
			return 0, bad
		}
		dur += extra
	}
	if m[1] == "-" {
		dur = -dur
	}
	return dur, nil
}
