package exhibits

import (
	"context"
	"errors"
	"io"
	"strings"

	"yingji/internal/evidence"
	"yingji/internal/store"
	"yingji/internal/user"
)

// tailHold is how much of a file's end a checked reader keeps back until
// the whole has been hashed.
const tailHold = 64 << 10

// checkedReader re-hashes stored content while it is read and releases its
// last tailHold bytes only once size and both hashes match the register.
type checkedReader struct {
	r          io.ReadCloser
	f          *evidence.FileRef
	h          *evidence.Hasher
	buf        []byte
	start, end int
	done       bool
	err        error
	onCorrupt  func(why string) // records the finding, once
}

func newCheckedReader(r io.ReadCloser, f *evidence.FileRef) *checkedReader {
	return &checkedReader{r: r, f: f, h: evidence.NewHasher(), buf: make([]byte, 4*tailHold)}
}

func (c *checkedReader) Read(p []byte) (int, error) {
	for {
		if avail := c.end - c.start; avail > tailHold || c.done && avail > 0 && c.err == nil {
			give := avail
			if !c.done {
				give = avail - tailHold
			}
			n := copy(p, c.buf[c.start:c.start+give])
			c.start += n
			return n, nil
		}
		if c.done {
			if c.err != nil {
				return 0, c.err
			}
			return 0, io.EOF
		}
		if c.start > 0 { // keep the held tail at the front
			c.end = copy(c.buf, c.buf[c.start:c.end])
			c.start = 0
		}
		k, err := c.r.Read(c.buf[c.end:])
		c.h.Write(c.buf[c.end : c.end+k])
		c.end += k
		why := ""
		switch {
		case c.h.Digest().Size > c.f.Size:
			why = "size"
		case errors.Is(err, io.EOF):
			c.done = true
			switch d := c.h.Digest(); {
			case d.Size != c.f.Size:
				why = "size"
			case d.SHA256 != c.f.SHA256:
				why = "sha256"
			case d.SM3 != c.f.SM3:
				why = "sm3"
			}
		case err != nil:
			c.done, c.err = true, err
		}
		if why != "" {
			c.done, c.err = true, ErrCorrupt
			c.start, c.end = 0, 0 // nothing of it leaves
			if c.onCorrupt != nil {
				c.onCorrupt(why)
			}
		}
	}
}

func (c *checkedReader) Close() error { return c.r.Close() }

// FileCheck is the outcome of verifying one file.
type FileCheck struct {
	File *evidence.FileRef
	OK   bool
	Why  string // size, sha256, sm3 or missing
}

// check re-hashes one file's stored content.
func (s *Service) check(ctx context.Context, f *evidence.FileRef) FileCheck {
	r, err := s.blobs.Open(ctx, f.SHA256)
	if err != nil {
		return FileCheck{File: f, Why: "missing"}
	}
	defer r.Close()
	h := evidence.NewHasher()
	if _, err := io.Copy(h, r); err != nil {
		return FileCheck{File: f, Why: "unreadable"}
	}
	d := h.Digest()
	switch {
	case d.Size != f.Size:
		return FileCheck{File: f, Why: "size"}
	case d.SHA256 != f.SHA256:
		return FileCheck{File: f, Why: "sha256"}
	case d.SM3 != f.SM3:
		return FileCheck{File: f, Why: "sm3"}
	}
	return FileCheck{File: f, OK: true}
}

// Verify re-hashes every file of an item against the register and records
// the outcome on its custody log.
func (s *Service) Verify(ctx context.Context, actor *user.User, itemID int64) ([]FileCheck, error) {
	var it *evidence.Item
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		it, _, err = s.itemFor(q, actor, itemID)
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []FileCheck
	var bad []string
	for _, f := range it.Files {
		c := s.check(ctx, f)
		out = append(out, c)
		if !c.OK {
			bad = append(bad, f.Name+": "+c.Why)
		}
	}
	detail := "ok"
	if len(bad) > 0 {
		detail = "mismatch: " + strings.Join(bad, "; ")
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		it, in, err := s.itemFor(&tx.Q, actor, itemID)
		if err != nil {
			return err
		}
		return s.custody(tx, actor, in, it, &evidence.Custody{Action: evidence.Verify, Detail: detail})
	})
	return out, err
}

// VerifyAll re-hashes every registered file (after a restore, or from
// `yingji evidence verify-store`); it reads, records nothing and returns
// the files that fail.
func (s *Service) VerifyAll(ctx context.Context) (checked int, bad []FileCheck, err error) {
	var files []*evidence.FileRef
	err = s.DB.Read(ctx, func(q *store.Q) error {
		files, err = q.AllEvidenceFiles()
		return err
	})
	if err != nil {
		return 0, nil, err
	}
	for _, f := range files {
		if c := s.check(ctx, f); !c.OK {
			bad = append(bad, c)
		}
	}
	return len(files), bad, nil
}

// emailHeaders reads the headers of an item's .eml files, as written.
func (s *Service) emailHeaders(ctx context.Context, it *evidence.Item) map[int64]*evidence.EmailHeaders {
	out := map[int64]*evidence.EmailHeaders{}
	for _, f := range it.Files {
		if !strings.HasSuffix(strings.ToLower(f.Name), ".eml") && f.MediaType != "message/rfc822" {
			continue
		}
		r, err := s.blobs.Open(ctx, f.SHA256)
		if err != nil {
			continue
		}
		// Read whole through the hash check: headers of bytes that no
		// longer match what was collected are not shown as the email's.
		cr := newCheckedReader(r, f)
		h, err := evidence.ReadEmailHeaders(cr)
		if _, rest := io.Copy(io.Discard, cr); err == nil && rest == nil {
			out[f.ID] = h
		}
		cr.Close()
	}
	return out
}
