// Package exhibits is the use cases of an incident's evidence register
// (issue 13): registering items, uploading their files (streamed, hashed
// with SHA-256 and SM3 in one pass, stored once by hash), the chain of
// custody (view, download, export, transfer, seal, unseal, withdraw, each a
// custody row and an audit record), the capture of a web page, the export
// of a signed package and the verification of stored content. The rules are
// the pure package evidence; need-to-know is core.IncidentFor.
package exhibits

import (
	"context"
	"crypto/ed25519"
	"io"
	"sync"
	"time"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/store"
)

// DefaultMaxUpload is the size limit of one file when the operator sets
// none (yingji serve --evidence-max-bytes).
const DefaultMaxUpload int64 = 4 << 30

// PageCapturer records a web page (the capture helper's internal/capture,
// wired in internal/app).
type PageCapturer interface {
	// Capture writes the page's parts into dir and returns them in order.
	Capture(ctx context.Context, rawURL, dir string) ([]CapturedPart, error)
}

// CapturedPart is one file a capture wrote: screenshot, HTML, headers,
// certificate chain, DNS answers.
type CapturedPart struct {
	Name, MediaType, Path string
	At                    time.Time
}

// Packer writes an evidence package (the capture helper's internal/evpack,
// adapted in internal/app): the manifest, the files opened by hash, signed
// with key.
type Packer interface {
	Pack(w io.Writer, m *Manifest, open func(sha256 string) (io.ReadCloser, error), key ed25519.PrivateKey) error
}

// Service is the evidence use cases.
type Service struct {
	*core.Core
	blobs Blobs
	// MaxUpload bounds one file's size (bytes); the operator sets it.
	MaxUpload int64
	// Capturer records web pages; nil until wired (capture is then refused).
	Capturer PageCapturer
	// Packer writes export packages; nil until wired (export is then refused).
	Packer Packer
	// KeyFile is the installation's ed25519 signing key (created on first
	// use, mode 0600); empty means evidence.key in the data directory.
	KeyFile string
	// TempDir is where captures write their parts before they are stored.
	TempDir string
	// MaxUploads bounds the uploads running at once (default 8): in
	// PostgreSQL mode each holds a connection of the shared pool until its
	// last byte, and a few slow ones must not stall everyone else's work.
	MaxUploads  int
	uploadsOnce sync.Once
	uploads     chan struct{}
}

// uploadSlot takes one of the MaxUploads slots, or refuses at once.
func (s *Service) uploadSlot() (release func(), err error) {
	s.uploadsOnce.Do(func() {
		n := s.MaxUploads
		if n <= 0 {
			n = 8
		}
		s.uploads = make(chan struct{}, n)
	})
	select {
	case s.uploads <- struct{}{}:
		return func() { <-s.uploads }, nil
	default:
		return nil, errs.New(errs.Conflict, "evidence.busy", cap(s.uploads))
	}
}

// New returns the evidence use cases over c, storing content where the
// database's mode says (Blobs).
func New(c *core.Core) *Service {
	return &Service{Core: c, blobs: BlobsFor(c.DB), MaxUpload: DefaultMaxUpload}
}

// Blobs is where content lives: files in SQLite mode, PostgreSQL rows in
// PostgreSQL mode (see docs/evidence.md for why).
type Blobs interface {
	// Put stores what r yields, hashing it in the same pass, and returns
	// its digest; nothing is kept unless all of r was read and stored.
	Put(ctx context.Context, r io.Reader) (Stored, error)
	// Open reads stored content.
	Open(ctx context.Context, sha256 string) (io.ReadCloser, error)
}

// BlobsFor picks the content store of db's mode.
func BlobsFor(db *store.DB) Blobs {
	if db.Postgres() {
		return pgBlobs{db}
	}
	return &FileBlobs{Dir: db.DataDir() + "/files"}
}
