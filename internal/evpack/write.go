package evpack

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"time"
)

// Write writes the package for m to w: manifest.json, its signature by key,
// the public key, README.txt, then each file of m.Files read through open
// (by SHA-256). Every entry is stored uncompressed in the one layout of
// zip.go, which Verify checks byte for byte (evidence files are mostly
// compressed already, and storing keeps export at disk speed). Each file is
// hashed while it streams; one whose bytes no longer match the manifest
// fails the export, naming it, so that a package never carries a bad file
// as good. Nothing is held in memory beyond a copy buffer.
func Write(w io.Writer, m *Manifest, open func(sha256 string) (io.ReadCloser, error), key ed25519.PrivateKey) error {
	if len(key) != ed25519.PrivateKeySize {
		return errors.New("evpack: no signing key")
	}
	mm := *m
	mm.Format = Format
	if mm.CreatedAt.IsZero() {
		mm.CreatedAt = time.Now()
	}
	mm.CreatedAt = mm.CreatedAt.UTC()
	if ps := mm.Check(); len(ps) > 0 {
		return fmt.Errorf("evpack: manifest: %s", ps[0])
	}
	data, err := json.MarshalIndent(&mm, "", "  ")
	if err != nil {
		return fmt.Errorf("evpack: %w", err)
	}
	data = append(data, '\n')
	pub, err := PublicKeyPEM(key.Public().(ed25519.PublicKey))
	if err != nil {
		return err
	}
	z := newZipOut(w, mm.CreatedAt)
	for _, e := range fixedEntries(data, ed25519.Sign(key, data), pub, readme(&mm)) {
		if err := z.put(e.name, e.body); err != nil {
			return fmt.Errorf("evpack: %w", err)
		}
	}
	buf := make([]byte, 1<<20)
	for _, f := range mm.Files {
		if err := writeFile(z, f, open, buf); err != nil {
			return err
		}
	}
	if err := z.close(); err != nil {
		return fmt.Errorf("evpack: %w", err)
	}
	return nil
}

// fixedEntries are the package's first four entries, in their order.
func fixedEntries(manifest, sig, pub, readme []byte) []fixedEntry {
	return []fixedEntry{{NameManifest, manifest}, {NameSignature, sig}, {NamePublicKey, pub}, {NameReadme, readme}}
}

func writeFile(z *zipOut, f File, open func(string) (io.ReadCloser, error), buf []byte) error {
	rc, err := open(f.SHA256)
	if err != nil {
		return fmt.Errorf("evpack: open %s (%s): %w", f.Path, f.Name, err)
	}
	defer rc.Close()
	if err := z.begin(f.Path, f.Size); err != nil {
		return fmt.Errorf("evpack: %w", err)
	}
	h := NewHasher()
	if err := copyHashed(z, rc, h, buf); err != nil {
		return fmt.Errorf("evpack: %s (%s): %w", f.Path, f.Name, err)
	}
	size, sha, sm := h.Sums()
	if size != f.Size || sha != f.SHA256 || sm != f.SM3 {
		return fmt.Errorf("evpack: stored content of %s (%s) no longer matches its hashes (size %d, SHA-256 %s, SM3 %s): not exported", f.Path, f.Name, size, sha, sm)
	}
	if err := z.end(z.crc); err != nil {
		return fmt.Errorf("evpack: %w", err)
	}
	return nil
}

// PublicKeyPEM encodes an ed25519 public key as a PKIX PEM block, the form
// openssl reads.
func PublicKeyPEM(pub ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("evpack: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// ParsePublicKey reads an ed25519 public key from a PKIX PEM block.
func ParsePublicKey(data []byte) (ed25519.PublicKey, error) {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "PUBLIC KEY" {
		return nil, errors.New("evpack: no PEM PUBLIC KEY block")
	}
	k, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("evpack: %w", err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, errors.New("evpack: the public key is not ed25519")
	}
	return pub, nil
}
