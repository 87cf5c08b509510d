package audit

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ReasonAnchor: the chain no longer holds a record an auditor wrote down.
// The chain alone cannot catch someone who rewrites every record after a
// change and the head too; a (seq, hash) kept outside the database can.
const ReasonAnchor = "anchor mismatch (chain rewritten since the anchor was taken)"

// Anchor is a record's position and hash, kept outside the database (printed
// by `yingji audit verify`, written into a report, a notebook, a ticket).
type Anchor struct {
	Seq  int64
	Hash string
}

func (a Anchor) String() string { return fmt.Sprintf("%d:%s", a.Seq, a.Hash) }

var hexHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ParseAnchor reads "SEQ:HASH".
func ParseAnchor(s string) (Anchor, error) {
	seq, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	if !ok || err != nil || n < 1 || !hexHash.MatchString(hash) {
		return Anchor{}, fmt.Errorf("anchor %q: want SEQ:HASH, e.g. 21:7ba904…(64 hex digits)", s)
	}
	return Anchor{Seq: n, Hash: hash}, nil
}

// CheckAnchors reports the first anchor that the record r contradicts.
func CheckAnchors(r *Record, anchors []Anchor) error {
	for _, a := range anchors {
		if a.Seq == r.Seq && a.Hash != r.Hash {
			return &BreakError{Seq: r.Seq, Reason: ReasonAnchor}
		}
	}
	return nil
}

// MissingAnchor reports an anchor beyond the end of the chain (the tail that
// held it is gone).
func MissingAnchor(anchors []Anchor, lastSeq int64) error {
	for _, a := range anchors {
		if a.Seq > lastSeq {
			return &BreakError{Seq: a.Seq, Reason: ReasonAnchor}
		}
	}
	return nil
}
