package evpack

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"

	"github.com/emmansun/gmsm/sm3"
)

// Hasher computes SHA-256 and SM3 (GB/T 32905-2016) of one stream in one
// pass: each block written goes to both, on the caller's goroutine.
type Hasher struct {
	sha, sm hash.Hash
	n       int64
}

// NewHasher returns an empty Hasher.
func NewHasher() *Hasher { return &Hasher{sha: sha256.New(), sm: sm3.New()} }

// Write never fails.
func (h *Hasher) Write(p []byte) (int, error) {
	h.sha.Write(p)
	h.sm.Write(p)
	h.n += int64(len(p))
	return len(p), nil
}

// Sums returns the byte count and the lowercase hex digests so far.
func (h *Hasher) Sums() (size int64, sha256Hex, sm3Hex string) {
	return h.n, hex.EncodeToString(h.sha.Sum(nil)), hex.EncodeToString(h.sm.Sum(nil))
}

// copyHashed copies src to dst (nil: nowhere) through h with buf.
func copyHashed(dst io.Writer, src io.Reader, h *Hasher, buf []byte) error {
	w := io.Writer(h)
	if dst != nil {
		w = io.MultiWriter(dst, h)
	}
	_, err := io.CopyBuffer(w, src, buf)
	return err
}
