package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// StateRef names one row and the hash of its content after a change: what
// a version 2 record carries for every row its transaction wrote. Hash is
// Deleted when the change removed the row.
type StateRef struct {
	Table string
	ID    int64
	Hash  string
}

// Deleted is the hash of a row the change removed.
const Deleted = "-"

// StateTag starts every row hash; a different row encoding needs a new tag.
const StateTag = "yingji-state-v1"

// FormatState writes refs as the State text of a record: one "table id
// hash" line per row, sorted by table and id, so that the same rows always
// give the same text.
func FormatState(refs []StateRef) string {
	sort.Slice(refs, func(i, j int) bool {
		if refs[i].Table != refs[j].Table {
			return refs[i].Table < refs[j].Table
		}
		return refs[i].ID < refs[j].ID
	})
	var b strings.Builder
	for i, r := range refs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(r.Table)
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(r.ID, 10))
		b.WriteByte(' ')
		b.WriteString(r.Hash)
	}
	return b.String()
}

// EachState calls fn for every row named in a record's State text.
func EachState(state string, fn func(table string, id int64, hash string)) error {
	for len(state) > 0 {
		line := state
		if i := strings.IndexByte(state, '\n'); i >= 0 {
			line, state = state[:i], state[i+1:]
		} else {
			state = ""
		}
		table, rest, ok1 := strings.Cut(line, " ")
		idText, hash, ok2 := strings.Cut(rest, " ")
		id, err := strconv.ParseInt(idText, 10, 64)
		if !ok1 || !ok2 || err != nil || table == "" || hash == "" {
			return fmt.Errorf("audit: bad state line %q", line)
		}
		fn(table, id, hash)
	}
	return nil
}

// RowHasher hashes rows of one table. Columns are encoded sorted by name,
// each as name and typed value (NULL, integer or text), so the hash depends
// on neither the column order nor the database: SQLite and PostgreSQL both
// hand over int64 and string, and times are stored as UTC milliseconds.
type RowHasher struct {
	table string
	order []int // column indexes sorted by name
	names []string
	buf   []byte
	hx    [2 * sha256.Size]byte
	sum   [sha256.Size]byte
}

// NewRowHasher prepares hashing rows of table with the given columns, in
// the order the database returns them.
func NewRowHasher(table string, columns []string) *RowHasher {
	h := &RowHasher{table: table, names: columns, order: make([]int, len(columns))}
	for i := range h.order {
		h.order[i] = i
	}
	sort.Slice(h.order, func(a, b int) bool { return columns[h.order[a]] < columns[h.order[b]] })
	return h
}

// Hash returns the hex SHA-256 of a row's canonical encoding.
func (h *RowHasher) Hash(vals []any) (string, error) {
	sum, err := h.Sum(vals)
	if err != nil {
		return "", err
	}
	hex.Encode(h.hx[:], sum)
	return string(h.hx[:]), nil
}

// Sum returns the SHA-256 of a row's canonical encoding, valid until the
// next call. Integers, text and NULL are what the schema holds; booleans,
// floats and times are encoded so that both databases agree.
func (h *RowHasher) Sum(vals []any) ([]byte, error) {
	if len(vals) != len(h.names) {
		return nil, fmt.Errorf("audit: %d values for %d columns of %s", len(vals), len(h.names), h.table)
	}
	b := appendField(h.buf[:0], StateTag)
	b = appendField(b, h.table)
	for _, i := range h.order {
		b = appendField(b, h.names[i])
		switch v := vals[i].(type) {
		case nil:
			b = appendField(b, "n")
		case int64:
			b = appendField(b, "i")
			b = appendInt(b, v)
		case int32:
			b = appendField(b, "i")
			b = appendInt(b, int64(v))
		case int:
			b = appendField(b, "i")
			b = appendInt(b, int64(v))
		case string:
			b = appendField(b, "s")
			b = appendField(b, v)
		case []byte:
			b = appendField(b, "s")
			b = appendField(b, string(v))
		case bool: // a PostgreSQL BOOLEAN hashes like SQLite's INTEGER 0/1
			n := int64(0)
			if v {
				n = 1
			}
			b = appendField(b, "i")
			b = appendInt(b, n)
		case float64:
			b = appendField(b, "f")
			b = appendField(b, strconv.FormatFloat(v, 'g', -1, 64))
		case time.Time:
			b = appendField(b, "t")
			b = appendInt(b, v.UnixMilli())
		default:
			// The schema has only integer and text columns; a column of another
			// type added later is still hashed (by its printed value) rather
			// than failing every write to the table.
			b = appendField(b, "x")
			b = appendField(b, fmt.Sprintf("%T:%v", v, v))
		}
	}
	h.buf = b
	h.sum = sha256.Sum256(b)
	return h.sum[:], nil
}
