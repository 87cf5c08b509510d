package evpack

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"yingji/internal/audit"
	"yingji/internal/tsa"
)

// Kinds of Problem.
const (
	KindSignature = "signature"  // manifest.sig does not verify manifest.json under the key
	KindKey       = "key"        // the package's key is not the trusted one, or unreadable
	KindManifest  = "manifest"   // manifest.json unreadable or inconsistent
	KindMissing   = "missing"    // an entry the manifest lists is not in the ZIP
	KindExtra     = "extra"      // an entry in the ZIP the manifest does not list
	KindDuplicate = "duplicate"  // two ZIP entries of one name
	KindSize      = "size"       // a file's size differs
	KindSHA256    = "sha256"     // a file's SHA-256 differs
	KindSM3       = "sm3"        // a file's SM3 differs
	KindRead      = "read"       // the ZIP entry cannot be read whole (its CRC fails, ...)
	KindAuditHash = "audit_hash" // an audit record's recomputed hash differs from its stored hash
	KindAuditLink = "audit_link" // a record's previous hash is not the stored hash of the record before it
	KindAnchor    = "anchor"     // the anchor contradicts the records
	KindTimestamp = "timestamp"  // a time-stamp token does not verify or covers another digest
	KindZip       = "zip"        // the ZIP's bytes (headers, directory, README.txt) are not as Write writes them
)

// Problem is one thing in the package that does not match.
type Problem struct {
	Kind    string
	Subject string // the ZIP entry, e.g. files/<sha256> or manifest.json; "" for an audit record
	Name    string // the file's display name, or the item's number
	Seq     int64  // the audit record, for the audit kinds
	Detail  string // what was found, e.g. the recomputed hash
}

func (p Problem) String() string {
	s := p.Kind
	if p.Subject != "" {
		s += " " + p.Subject
	}
	if p.Name != "" {
		s += " (" + p.Name + ")"
	}
	if p.Seq != 0 {
		s += " record " + strconv.FormatInt(p.Seq, 10)
	}
	if p.Detail != "" {
		s += ": " + p.Detail
	}
	return s
}

// Report is the outcome of Verify.
type Report struct {
	Manifest *Manifest // nil when manifest.json could not be read
	// KeySHA256 is the SHA-256 of the public key the signature was checked
	// with; KeyFromPackage says it is the package's own key (no trusted key
	// was given), which proves the package unchanged since it was signed,
	// not who signed it.
	KeySHA256      string
	KeyFromPackage bool
	SignatureOK    bool
	Files          int   // files checked
	Bytes          int64 // bytes of files read
	Records        int   // audit records checked
	// Timestamps lists the RFC 3161 tokens whose signature verifies and
	// that cover their subject's digest. Whether their TSA is trusted is
	// for the reader: each names its signer.
	Timestamps []StampResult
	Problems   []Problem
}

// StampResult is a checked time-stamp token.
type StampResult struct {
	Subject string
	GenTime time.Time
	TSA     string // the signer's subject
	Issuer  string // and its issuer
}

// OK says nothing in the package failed to match.
func (r *Report) OK() bool { return len(r.Problems) == 0 && r.SignatureOK }

func (r *Report) add(p Problem) { r.Problems = append(r.Problems, p) }

// Verify checks the package in r offline: the signature of manifest.json
// (under trusted, or when trusted is nil under the package's own key, and
// the report says so), every file's size, SHA-256 and SM3 read as a stream,
// every audit record's hash recomputed with internal/audit and the links
// between consecutive records, and the anchor; and every other byte of the
// ZIP (headers, directory, README.txt, the key's PEM) against the layout
// Write produces (checkLayout). It goes on past problems to name them all.
// The error is for bytes that do not even start like a ZIP.
func Verify(r io.ReaderAt, size int64, trusted ed25519.PublicKey) (*Report, error) {
	zr, err := zip.NewReader(r, size)
	// An entry named like "../x" is only read here, never written out: it
	// is named as not listed, below, rather than ending the check.
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		// A package Write made, damaged: named, not an error.
		var head [4]byte
		if n, _ := r.ReadAt(head[:], 0); n == 4 && string(head[:]) == "PK\x03\x04" {
			return &Report{Problems: []Problem{{Kind: KindZip, Subject: "zip structure", Detail: "the central directory cannot be read: " + err.Error()}}}, nil
		}
		return nil, fmt.Errorf("evpack: not a ZIP package: %w", err)
	}
	rep := &Report{}
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		if entries[f.Name] != nil {
			rep.add(Problem{Kind: KindDuplicate, Subject: f.Name})
			continue
		}
		entries[f.Name] = f
	}
	data, err := readEntry(entries[NameManifest], MaxManifestBytes)
	if err != nil {
		rep.add(Problem{Kind: KindManifest, Subject: NameManifest, Detail: err.Error()})
		return rep, nil
	}
	sig, err := readEntry(entries[NameSignature], 1024)
	if err != nil {
		rep.add(Problem{Kind: KindSignature, Subject: NameSignature, Detail: err.Error()})
	}
	key := trusted
	pemData, err := readEntry(entries[NamePublicKey], 16<<10)
	if err != nil {
		rep.add(Problem{Kind: KindKey, Subject: NamePublicKey, Detail: err.Error()})
	} else if inside, err := ParsePublicKey(pemData); err != nil {
		rep.add(Problem{Kind: KindKey, Subject: NamePublicKey, Detail: err.Error()})
	} else if key == nil {
		key, rep.KeyFromPackage = inside, true
	} else if !bytes.Equal(inside, trusted) {
		rep.add(Problem{Kind: KindKey, Subject: NamePublicKey, Detail: "the package carries another key than the trusted one"})
	}
	if key != nil {
		sum := sha256.Sum256(key)
		rep.KeySHA256 = hex.EncodeToString(sum[:])
		rep.SignatureOK = len(sig) == ed25519.SignatureSize && ed25519.Verify(key, data, sig)
		if !rep.SignatureOK && sig != nil {
			rep.add(Problem{Kind: KindSignature, Subject: NameManifest, Detail: "the signature does not verify: manifest.json was changed or signed by another key"})
		}
	}
	m, err := ParseManifest(data)
	if err != nil {
		rep.add(Problem{Kind: KindManifest, Subject: NameManifest, Detail: err.Error()})
		return rep, nil
	}
	rep.Manifest = m
	rep.Problems = append(rep.Problems, m.Check()...)

	listed := map[string]bool{NameManifest: true, NameSignature: true, NamePublicKey: true, NameReadme: true}
	buf := make([]byte, 1<<20)
	for _, f := range m.Files {
		listed[f.Path] = true
		checkFile(rep, entries[f.Path], f, buf)
	}
	for _, f := range zr.File {
		if !listed[f.Name] {
			rep.add(Problem{Kind: KindExtra, Subject: f.Name})
			listed[f.Name] = true
		}
	}
	crcs := map[string]uint32{}
	for name, f := range entries {
		crcs[name] = f.CRC32
	}
	// The key and README.txt as Write would write them: a PEM that parses
	// to the same key, or any other README, is a change all the same.
	if inside, err := ParsePublicKey(pemData); err == nil {
		pemData, _ = PublicKeyPEM(inside)
	}
	checkLayout(rep, r, size, m, fixedEntries(data, sig, pemData, readme(m)), crcs)
	checkAudit(rep, m)
	checkStamps(rep, m)
	return rep, nil
}

// checkStamps checks each token's signature and that it covers the digest
// of its subject as the manifest states it.
func checkStamps(rep *Report, m *Manifest) {
	digests := map[string]string{}
	for _, f := range m.Files {
		digests[f.Path] = f.SHA256
	}
	if m.Anchor != nil {
		digests["anchor"] = m.Anchor.Hash
	}
	for _, ts := range m.Timestamps {
		d, err := hex.DecodeString(digests[ts.Subject])
		if err != nil || len(d) != sha256.Size {
			rep.add(Problem{Kind: KindTimestamp, Subject: ts.Subject, Detail: "no such subject"})
			continue
		}
		tok, err := tsa.Check(ts.Token, d)
		if err != nil {
			rep.add(Problem{Kind: KindTimestamp, Subject: ts.Subject, Detail: err.Error()})
			continue
		}
		rep.Timestamps = append(rep.Timestamps, StampResult{Subject: ts.Subject, GenTime: tok.GenTime, TSA: tok.Signer.Subject.String(), Issuer: tok.Signer.Issuer.String()})
	}
}

func readEntry(f *zip.File, limit int64) ([]byte, error) {
	if f == nil {
		return nil, errors.New("missing")
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = fmt.Errorf("larger than %d bytes", limit)
	}
	return data, err
}

func checkFile(rep *Report, zf *zip.File, f File, buf []byte) {
	p := Problem{Subject: f.Path, Name: f.Name}
	if zf == nil {
		p.Kind = KindMissing
		rep.add(p)
		return
	}
	rep.Files++
	rc, err := zf.Open()
	if err != nil {
		p.Kind, p.Detail = KindRead, err.Error()
		rep.add(p)
		return
	}
	defer rc.Close()
	h := NewHasher()
	// A CRC failure comes at the end, after every byte was hashed: the
	// hash comparison below still says what changed.
	readErr := copyHashed(nil, rc, h, buf)
	size, sha, sm := h.Sums()
	rep.Bytes += size
	if readErr != nil {
		p.Kind, p.Detail = KindRead, readErr.Error()
		rep.add(p)
	}
	if size != f.Size {
		p.Kind, p.Detail = KindSize, fmt.Sprintf("%d bytes, manifest says %d", size, f.Size)
		rep.add(p)
	}
	if sha != f.SHA256 {
		p.Kind, p.Detail = KindSHA256, sha
		rep.add(p)
	}
	if sm != f.SM3 {
		p.Kind, p.Detail = KindSM3, sm
		rep.add(p)
	}
}

// checkAudit recomputes each record's hash and checks the link from each
// record to the one before it where both are in the package. Records that
// are not consecutive cannot be linked here; the anchor, compared with one
// kept outside, ties them to the chain.
func checkAudit(rep *Report, m *Manifest) {
	var prev *Record
	for i := range m.Audit {
		r := &m.Audit[i]
		rep.Records++
		if got := audit.ComputeHash(r.Audit()); got != r.Hash || r.Version < 0 || r.Version > 2 || (r.Version < 2 && r.State != "") {
			rep.add(Problem{Kind: KindAuditHash, Seq: r.Seq, Detail: got})
		}
		switch {
		case r.Seq == 1 && r.PrevHash != "":
			rep.add(Problem{Kind: KindAuditLink, Seq: r.Seq, Detail: "the first record names a previous one"})
		case prev != nil && r.Seq == prev.Seq+1 && r.PrevHash != prev.Hash:
			rep.add(Problem{Kind: KindAuditLink, Seq: r.Seq, Detail: "previous hash " + r.PrevHash + " is not record " + strconv.FormatInt(prev.Seq, 10) + "'s " + prev.Hash})
		}
		if a := m.Anchor; a != nil && a.Seq == r.Seq && a.Hash != r.Hash {
			rep.add(Problem{Kind: KindAnchor, Seq: r.Seq, Detail: "the anchor's hash is not the record's"})
		}
		prev = r
	}
}
