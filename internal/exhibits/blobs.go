package exhibits

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"time"

	"yingji/internal/errs"
	"yingji/internal/evidence"
	"yingji/internal/store"
)

// Stored is what a Put wrote: the content's size and hashes.
type Stored = evidence.Digest

// FileBlobs keeps content as files named by hash: Dir/<aa>/<sha256>. A file
// is written to a temporary name in Dir, synced and renamed, so that a name
// only ever holds complete content.
type FileBlobs struct{ Dir string }

// Path is where content of the hash lives (a hash checked as hex: no name
// given by a person is ever part of a path).
func (b *FileBlobs) Path(sha256 string) (string, error) {
	if !evidence.ValidSHA256(sha256) {
		return "", errs.New(errs.Invalid, "evidence.bad_hash")
	}
	return filepath.Join(b.Dir, sha256[:2], sha256), nil
}

// Put implements Blobs.
func (b *FileBlobs) Put(ctx context.Context, r io.Reader) (Stored, error) {
	if err := os.MkdirAll(b.Dir, 0o700); err != nil {
		return Stored{}, errs.Wrap(err, "evidence dir")
	}
	var rnd [12]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(b.Dir, "tmp-"+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return Stored{}, errs.Wrap(err, "evidence temp file")
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h := evidence.NewHasher()
	if _, err := io.Copy(io.MultiWriter(f, h), ctxReader{ctx, r}); err != nil {
		return Stored{}, err
	}
	if err := f.Sync(); err != nil {
		return Stored{}, errs.Wrap(err, "sync evidence")
	}
	if err := f.Close(); err != nil {
		return Stored{}, errs.Wrap(err, "close evidence")
	}
	d := h.Digest()
	final, _ := b.Path(d.SHA256)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return Stored{}, errs.Wrap(err, "evidence dir")
	}
	if _, err := os.Stat(final); err == nil {
		// Stored before. Its bytes are checked on every download and by
		// Verify; a copy that went bad is not silently replaced here.
		os.Remove(tmp)
		done = true
		return d, nil
	}
	if err := os.Rename(tmp, final); err != nil {
		return Stored{}, errs.Wrap(err, "store evidence")
	}
	done = true
	if dir, err := os.Open(filepath.Dir(final)); err == nil {
		dir.Sync() // the rename itself survives a crash
		dir.Close()
	}
	return d, nil
}

// Open implements Blobs.
func (b *FileBlobs) Open(_ context.Context, sha256 string) (io.ReadCloser, error) {
	p, err := b.Path(sha256)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		return nil, errs.New(errs.NotFound, "evidence.content_missing")
	}
	return f, errs.Wrap(err, "open evidence")
}

// pgBlobs keeps content in PostgreSQL (evidence_chunks).
type pgBlobs struct{ db *store.DB }

func (b pgBlobs) Put(ctx context.Context, r io.Reader) (Stored, error) {
	w, err := b.db.NewBlobWriter(ctx)
	if err != nil {
		return Stored{}, err
	}
	h := evidence.NewHasher()
	if _, err := io.Copy(io.MultiWriter(w, h), ctxReader{ctx, r}); err != nil {
		w.Abort()
		return Stored{}, err
	}
	d := h.Digest()
	return d, w.Commit(d.SHA256, d.SM3, d.Size)
}

func (b pgBlobs) Open(ctx context.Context, sha256 string) (io.ReadCloser, error) {
	return b.db.OpenBlob(ctx, sha256)
}

// ctxReader stops a copy when the request ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Sweep removes temporary files older than age that uploads cut off by a
// crash left in Dir (an upload ended any other way removes its own). They
// were never registered; serve sweeps at start.
func (b *FileBlobs) Sweep(age time.Duration, now time.Time) (int, error) {
	tmps, err := filepath.Glob(filepath.Join(b.Dir, "tmp-*"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range tmps {
		if st, err := os.Stat(p); err == nil && now.Sub(st.ModTime()) > age && os.Remove(p) == nil {
			n++
		}
	}
	return n, nil
}

// SweepTemp is Sweep of the file store, for a day-old leftover (SQLite
// mode; PostgreSQL rolls an interrupted upload back).
func (s *Service) SweepTemp() (int, error) {
	fb, ok := s.blobs.(*FileBlobs)
	if !ok {
		return 0, nil
	}
	return fb.Sweep(24*time.Hour, time.Now())
}
