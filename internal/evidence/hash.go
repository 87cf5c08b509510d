package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"

	"github.com/emmansun/gmsm/sm3"
)

// Digest is what the register records of a file's content.
type Digest struct {
	Size   int64
	SHA256 string
	SM3    string // GB/T 32905-2016, the hash Chinese forensic practice expects
}

// Hasher computes SHA-256 and SM3 of what is written to it in one pass, so
// that an upload is read once however large.
type Hasher struct {
	sha, sm hash.Hash
	w       io.Writer
	n       int64
}

// NewHasher returns an empty Hasher.
func NewHasher() *Hasher {
	h := &Hasher{sha: sha256.New(), sm: sm3.New()}
	h.w = io.MultiWriter(h.sha, h.sm)
	return h
}

func (h *Hasher) Write(p []byte) (int, error) {
	n, err := h.w.Write(p)
	h.n += int64(n)
	return n, err
}

// Digest returns the size and hashes of everything written so far.
func (h *Hasher) Digest() Digest {
	return Digest{Size: h.n, SHA256: hex.EncodeToString(h.sha.Sum(nil)), SM3: hex.EncodeToString(h.sm.Sum(nil))}
}

// ValidSHA256 reports whether s is a lower-case hex SHA-256, the only form
// a content name takes (it becomes part of a path in the file store).
func ValidSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
