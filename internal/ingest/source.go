// Package ingest is the pure part of signals in: sources and their keys,
// and the parsers that turn what devices send (Alertmanager webhooks,
// Suricata EVE JSON, generic JSON, syslog RFC 5424 and 3164) into
// signal.Signal values. No store, no clock, no network: times come in as
// values and every parser is table-tested and fuzzed.
package ingest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"yingji/internal/signal"
)

// Source is a device or feed that sends signals with its own key.
type Source struct {
	ID        int64
	OrgID     int64
	Name      string
	Format    string
	CreatedBy int64
	CreatedAt time.Time
	RevokedAt *time.Time
	RevokedBy int64
}

// Live reports whether the source's key is still taken.
func (s *Source) Live() bool { return s.RevokedAt == nil }

// Formats a source may be created with (the monitors and the units'
// channel are yingji's own and take no key).
var Formats = []string{signal.FormatAlertmanager, signal.FormatSuricata, signal.FormatJSON, signal.FormatSyslog}

// ValidFormat reports whether f is one of Formats.
func ValidFormat(f string) bool {
	for _, v := range Formats {
		if v == f {
			return true
		}
	}
	return false
}

// NewKey returns a fresh source key (32 random bytes, base64url without
// padding, shown once) and the hash that is stored.
func NewKey() (key, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	key = base64.RawURLEncoding.EncodeToString(b)
	return key, HashKey(key)
}

// HashKey is SHA-256 in hex: the key is 256 random bits, so a slow hash
// would add nothing, and a fast one keeps every ingest request cheap.
func HashKey(key string) string {
	s := sha256.Sum256([]byte(key))
	return hex.EncodeToString(s[:])
}

// Reject is one line (1-based, for newline-delimited bodies and syslog) or
// element (0-based index, for JSON arrays) that could not be taken, and why.
type Reject struct {
	Line int    `json:"line"`
	Code string `json:"code"` // the Reason's stable code
	// Reason is the sentence, made at the edge in the reader's language
	// from ReasonKey(Code) and Args; a parser leaves it empty.
	Reason string `json:"reason"`
	Args   []any  `json:"-"`
}

// Result is what a parser made of a body: the good signals, the rejects,
// and the records it skipped on purpose (Suricata events that are not
// alerts), counted.
type Result struct {
	Signals  []signal.Signal
	Rejected []Reject
	Overflow int // rejects beyond MaxRejectsListed, counted only
	Skipped  int
}

// RejectCount is every reject, listed or not.
func (r *Result) RejectCount() int { return len(r.Rejected) + r.Overflow }

func (r *Result) reject(line int, why *Reason) {
	// A body of junk must not make an answer as large as itself (the
	// reasons' arguments are cut short where they are made).
	if len(r.Rejected) < MaxRejectsListed {
		r.Rejected = append(r.Rejected, Reject{Line: line, Code: why.Code, Args: why.Args})
	} else {
		r.Overflow++
	}
}

// MaxRejectsListed bounds the rejects an answer names one by one; the
// rest are counted in Result.Overflow.
const MaxRejectsListed = 100
