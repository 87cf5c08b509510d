// Package evpack writes and verifies the evidence export package
// ("yingji-evidence/1"): a ZIP holding manifest.json (the incident, its
// evidence items with their custody logs, every file's size, SHA-256 and
// SM3, the audit records that concern the items as stored, with their
// hashes, and the chain anchor), manifest.sig (ed25519 over the bytes of
// manifest.json), public-key.pem, README.txt (how to verify, in Chinese)
// and files/<sha256> for each file. Verify checks a package offline, with
// no database, and names every file or record that does not match.
package evpack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"yingji/internal/audit"
)

// Format is the manifest's format tag; a change of layout takes a new one.
const Format = "yingji-evidence/1"

// Names of the package's fixed entries.
const (
	NameManifest  = "manifest.json"
	NameSignature = "manifest.sig"
	NamePublicKey = "public-key.pem"
	NameReadme    = "README.txt"
	FilesDir      = "files/"
)

// MaxManifestBytes bounds what Verify reads of manifest.json.
const MaxManifestBytes = 64 << 20

// Manifest is manifest.json.
type Manifest struct {
	Format       string    `json:"format"`
	Installation string    `json:"installation"` // the installation's name, e.g. the bureau
	CreatedAt    time.Time `json:"created_at"`
	CreatedBy    string    `json:"created_by"`
	Incident     Incident  `json:"incident"`
	Items        []Item    `json:"items"`
	Files        []File    `json:"files"`
	// Audit holds the audit records that concern the items, in Seq order,
	// as stored: each with its stored hash and the previous record's hash.
	Audit []Record `json:"audit"`
	// Anchor is the chain head when the package was made; compare it with
	// an anchor kept elsewhere (yingji audit verify prints one).
	Anchor *Anchor `json:"anchor,omitempty"`
	// Timestamps are RFC 3161 tokens kept for files and for the anchor,
	// when the installation has a time-stamping authority.
	Timestamps []Timestamp `json:"timestamps,omitempty"`
}

// Timestamp is an RFC 3161 token over a digest: a file's SHA-256
// (Subject files/<sha256>), or the anchor record's hash, itself the
// SHA-256 of the record's canonical encoding (Subject "anchor").
type Timestamp struct {
	Subject string `json:"subject"`
	Token   []byte `json:"token"` // DER TimeStampToken, base64 in JSON
}

// Incident names the incident the evidence belongs to.
type Incident struct {
	Number string `json:"number"`
	Title  string `json:"title"`
}

// Item is one entry of the evidence register.
type Item struct {
	Number         string    `json:"number"` // e.g. ZJ-<incident number>-001
	Kind           string    `json:"kind"`
	Description    string    `json:"description"`
	CollectedWhere string    `json:"collected_where"`
	CollectedAt    time.Time `json:"collected_at"`
	CollectedBy    string    `json:"collected_by"`
	Witnesses      []string  `json:"witnesses,omitempty"`
	SealNumber     string    `json:"seal_number,omitempty"` // 封存编号, physical items
	Status         string    `json:"status,omitempty"`      // e.g. withdrawn, with the reason in the custody log
	Files          []string  `json:"files"`                 // SHA-256 of the item's files, each listed in Manifest.Files
	Custody        []Custody `json:"custody"`
}

// Custody is one entry of an item's custody log.
type Custody struct {
	At        time.Time `json:"at"`
	Action    string    `json:"action"` // view, download, export, transfer, seal, unseal, withdraw, ...
	Actor     string    `json:"actor"`
	Custodian string    `json:"custodian,omitempty"` // the new custodian of a transfer
	Reason    string    `json:"reason,omitempty"`
	AuditSeq  int64     `json:"audit_seq,omitempty"` // the audit record of the entry
}

// File is one file of the package.
type File struct {
	Path      string `json:"path"` // files/<sha256>
	Name      string `json:"name"` // as uploaded, for display only: never a path
	MediaType string `json:"media_type,omitempty"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	SM3       string `json:"sm3"`
}

// Record is an audit record as stored (see internal/audit.Record).
type Record struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   int64     `json:"object_id"`
	OrgID      int64     `json:"org_id"`
	Detail     string    `json:"detail"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
	Version    int       `json:"version"`
	State      string    `json:"state,omitempty"`
}

// Anchor is a chain position and hash.
type Anchor struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// FromAudit copies a stored audit record into the manifest's form.
func FromAudit(r *audit.Record) Record {
	return Record{
		Seq: r.Seq, At: r.At.UTC(), ActorID: r.ActorID, Actor: r.Actor, Action: r.Action,
		ObjectType: r.ObjectType, ObjectID: r.ObjectID, OrgID: r.OrgID, Detail: r.Detail,
		PrevHash: r.PrevHash, Hash: r.Hash, Version: r.Version, State: r.State,
	}
}

// Audit returns the record in internal/audit's form, to hash it.
func (r *Record) Audit() *audit.Record {
	return &audit.Record{
		Seq: r.Seq, At: r.At, ActorID: r.ActorID, Actor: r.Actor, Action: r.Action,
		ObjectType: r.ObjectType, ObjectID: r.ObjectID, OrgID: r.OrgID, Detail: r.Detail,
		PrevHash: r.PrevHash, Hash: r.Hash, Version: r.Version, State: r.State,
	}
}

// ParseManifest reads manifest.json strictly: a field this verifier does not
// know is refused rather than ignored, since it would be signed but unchecked.
func ParseManifest(data []byte) (*Manifest, error) {
	if len(data) > MaxManifestBytes {
		return nil, fmt.Errorf("manifest: larger than %d bytes", MaxManifestBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("manifest: data after the JSON object")
	}
	if m.Format != Format {
		return nil, fmt.Errorf("manifest: format %q, want %q", m.Format, Format)
	}
	return &m, nil
}

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Check lists what is inconsistent inside the manifest itself: file paths
// not named by their hash, malformed hashes, a file listed twice, an item
// naming a file the manifest does not list, audit records out of order.
func (m *Manifest) Check() []Problem {
	var out []Problem
	files := map[string]bool{}
	for _, f := range m.Files {
		switch {
		case !hex64.MatchString(f.SHA256) || !hex64.MatchString(f.SM3):
			out = append(out, Problem{Kind: KindManifest, Subject: f.Path, Name: f.Name, Detail: "malformed hash"})
		case f.Path != FilesDir+f.SHA256:
			out = append(out, Problem{Kind: KindManifest, Subject: f.Path, Name: f.Name, Detail: "path is not files/<sha256>"})
		case f.Size < 0:
			out = append(out, Problem{Kind: KindManifest, Subject: f.Path, Name: f.Name, Detail: "negative size"})
		case files[f.SHA256]:
			out = append(out, Problem{Kind: KindManifest, Subject: f.Path, Name: f.Name, Detail: "file listed twice"})
		}
		files[f.SHA256] = true
	}
	for _, it := range m.Items {
		for _, h := range it.Files {
			if !files[h] {
				out = append(out, Problem{Kind: KindManifest, Subject: FilesDir + h, Name: it.Number, Detail: "item names a file the manifest does not list"})
			}
		}
	}
	var last int64
	for _, r := range m.Audit {
		if r.Seq <= last {
			out = append(out, Problem{Kind: KindManifest, Seq: r.Seq, Detail: "audit records not in increasing order"})
		}
		last = max(last, r.Seq)
	}
	if a := m.Anchor; a != nil && (a.Seq < last || !hex64.MatchString(a.Hash)) {
		out = append(out, Problem{Kind: KindAnchor, Seq: a.Seq, Detail: "anchor before the last record or malformed"})
	}
	return out
}
