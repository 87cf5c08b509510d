package audit

import (
	"fmt"
	"strconv"
	"strings"
)

// Reasons a row differs from the chain, as found in RowProblem.Reason.
const (
	RowChanged    = "changed"    // content differs from its last covering record
	RowUncovered  = "uncovered"  // no audit record covers the row (written behind yingji's back)
	RowMissing    = "missing"    // covered, but the row is gone (deleted behind yingji's back)
	RowReappeared = "reappeared" // the last covering record says deleted, yet the row exists
)

// RowProblem is one row that differs from what the audit chain says.
type RowProblem struct {
	Table  string
	ID     int64
	Seq    int64 // the audit record that last covered the row; 0 if none
	Reason string
}

func (p RowProblem) String() string {
	s := p.Table + " " + strconv.FormatInt(p.ID, 10) + ": " + p.Reason
	if p.Seq > 0 {
		s += " (last covered by audit record " + strconv.FormatInt(p.Seq, 10) + ")"
	}
	return s
}

// StateError reports rows that differ from the audit chain. Rows holds the
// first of them (the store keeps a bounded number); Count is how many
// there are.
type StateError struct {
	Count int
	Rows  []RowProblem
}

func (e *StateError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d rows differ from the audit chain", e.Count)
	for i, p := range e.Rows {
		if i == 5 {
			b.WriteString("; …")
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}
