// Package audit implements a tamper-evident audit log: each record carries
// the SHA-256 of its predecessor, so altering, deleting, reordering or
// relinking records breaks the chain, and a separately stored head (last
// seq and hash) exposes a deleted tail.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// Record is one audit entry. Seq starts at 1 and is contiguous.
type Record struct {
	Seq        int64
	At         time.Time // stored as UTC milliseconds; hashed as UnixMilli
	ActorID    int64     // 0 for the system
	Actor      string    // username or "system"
	Action     string    // e.g. "incident.create", "approval.decide"
	ObjectType string    // "incident", "approval", "task", ...
	ObjectID   int64
	OrgID      int64
	Detail     string // JSON text, hashed byte for byte as given
	PrevHash   string // hex SHA-256 of the previous record; "" for Seq 1
	Hash       string // hex SHA-256 of Canonical(r), which includes PrevHash
	// Version selects the canonical encoding: 0 or 1 for the first
	// release's records (no state), 2 for records that also carry State.
	Version int
	// State lists the rows the change left behind, as FormatState writes
	// it; hashed as part of a version 2 record, so the chain covers it.
	State string
}

// Version is the tag that starts every canonical encoding; changing the
// encoding requires a new tag so old chains stay verifiable.
const Version = "yingji-audit-v1"

// VersionState tags version 2 records: the version 1 fields, then State.
const VersionState = "yingji-audit-v2"

// Canonical appends to dst a deterministic encoding of every field of r
// except Hash. Each field, starting with the Version tag, is written as
// decimal byte length, ':', bytes, in a fixed order; since every field is
// self-delimiting, the encoding can be parsed back uniquely, so different
// records never share an encoding.
func Canonical(dst []byte, r *Record) []byte {
	tag := Version
	if r.Version == 2 {
		tag = VersionState
	}
	dst = appendField(dst, tag)
	dst = appendInt(dst, r.Seq)
	dst = appendInt(dst, r.At.UnixMilli())
	dst = appendInt(dst, r.ActorID)
	dst = appendField(dst, r.Actor)
	dst = appendField(dst, r.Action)
	dst = appendField(dst, r.ObjectType)
	dst = appendInt(dst, r.ObjectID)
	dst = appendInt(dst, r.OrgID)
	dst = appendField(dst, r.Detail)
	dst = appendField(dst, r.PrevHash)
	if r.Version == 2 {
		dst = appendField(dst, r.State)
	}
	return dst
}

func appendField(dst []byte, s string) []byte {
	dst = strconv.AppendInt(dst, int64(len(s)), 10)
	dst = append(dst, ':')
	return append(dst, s...)
}

func appendInt(dst []byte, v int64) []byte {
	var b [20]byte // fits any int64 in decimal, sign included
	n := strconv.AppendInt(b[:0], v, 10)
	dst = strconv.AppendInt(dst, int64(len(n)), 10)
	dst = append(dst, ':')
	return append(dst, n...)
}

// ComputeHash returns the lowercase hex SHA-256 of Canonical(r).
func ComputeHash(r *Record) string {
	var buf [256]byte // typical records fit: no heap allocation for the encoding
	var hx [2 * sha256.Size]byte
	sum := sha256.Sum256(Canonical(buf[:0], r))
	hex.Encode(hx[:], sum[:])
	return string(hx[:])
}

// Seal links r after prev (nil for the genesis record): it sets Seq (a
// non-zero Seq must already be prev.Seq+1), PrevHash and Hash, and
// truncates At to UTC milliseconds so r equals what the store reads back.
// A Seq that disagrees with prev means two writers raced for the chain
// head, which must never be written, so Seal panics.
func Seal(r *Record, prev *Record) {
	seq, prevHash := int64(1), ""
	if prev != nil {
		seq, prevHash = prev.Seq+1, prev.Hash
	}
	if r.Seq != 0 && r.Seq != seq {
		panic(fmt.Sprintf("audit: Seal of record %d after record %d", r.Seq, seq-1))
	}
	r.Seq = seq
	r.PrevHash = prevHash
	r.At = time.UnixMilli(r.At.UnixMilli()).UTC()
	r.Hash = ComputeHash(r)
}

// Reasons a chain is broken, as found in BreakError.Reason.
const (
	ReasonGap      = "gap in sequence (record deleted)"
	ReasonOrder    = "sequence out of order (record moved or duplicated)"
	ReasonHash     = "hash mismatch (record altered)"
	ReasonPrevHash = "previous-hash mismatch (chain relinked)"
	ReasonHead     = "head mismatch (tail deleted or head altered)"
)

// BreakError reports the first place the chain is broken. Seq is the
// position where the break was found: the sequence number the next record
// should have had, or for a head mismatch the first record where the
// stream and the head disagree.
type BreakError struct {
	Seq    int64
	Reason string
}

func (e *BreakError) Error() string {
	return "audit chain broken at record " + strconv.FormatInt(e.Seq, 10) + ": " + e.Reason
}

// Verifier checks a stream of records fed in Seq order, starting at the
// genesis record. The zero value is ready to use. The first problem is
// returned as a *BreakError and every later call returns it again.
type Verifier struct {
	seq  int64
	hash string
	err  error
	buf  []byte // reused encoding buffer: verification allocates nothing per record
	hx   [2 * sha256.Size]byte
}

// Add checks r against the chain so far.
func (v *Verifier) Add(r *Record) error {
	if v.err != nil {
		return v.err
	}
	want := v.seq + 1
	switch {
	case r.Seq > want:
		return v.fail(want, ReasonGap)
	case r.Seq < want:
		return v.fail(want, ReasonOrder)
	case r.PrevHash != v.hash:
		return v.fail(want, ReasonPrevHash)
	case r.Version < 0 || r.Version > 2 || (r.Version < 2 && r.State != ""):
		// Only version 2 hashes State; anything else would be an unhashed field.
		return v.fail(want, ReasonHash)
	}
	v.buf = Canonical(v.buf[:0], r)
	sum := sha256.Sum256(v.buf)
	hex.Encode(v.hx[:], sum[:])
	if string(v.hx[:]) != r.Hash {
		return v.fail(want, ReasonHash)
	}
	v.seq, v.hash = r.Seq, r.Hash
	return nil
}

func (v *Verifier) fail(seq int64, reason string) error {
	v.err = &BreakError{Seq: seq, Reason: reason}
	return v.err
}

// Count returns how many records verified so far. Since the chain starts
// at 1 and is contiguous, it equals the last good Seq.
func (v *Verifier) Count() int64 { return v.seq }

// Head returns the Seq and Hash of the last good record (0, "" if none).
func (v *Verifier) Head() (seq int64, hash string) { return v.seq, v.hash }

// Finish checks that the stream ended at the expected head, kept apart
// from the records so that deleting the tail is detected. An empty log has
// head (0, ""). Pass expectSeq = -1 to skip the check.
func (v *Verifier) Finish(expectSeq int64, expectHash string) error {
	if v.err != nil || expectSeq < 0 {
		return v.err
	}
	switch {
	case v.seq != expectSeq:
		return v.fail(min(v.seq, expectSeq)+1, ReasonHead)
	case v.hash != expectHash:
		return v.fail(v.seq, ReasonHead)
	}
	return nil
}
