package exhibits

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	"yingji/internal/audit"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/evidence"
	"yingji/internal/store"
	"yingji/internal/user"
)

// ManifestFormat names this manifest's layout.
const ManifestFormat = "yingji-evidence-manifest/1"

// Manifest is what an evidence package says about itself: the incident,
// every item with its files (both hashes) and custody log, the audit
// records concerning the items as stored (with their hashes) and the
// chain's head when the package was made. The packer signs it.
type Manifest struct {
	Format     string          `json:"format"`
	Incident   ManifestInc     `json:"incident"`
	ExportedAt time.Time       `json:"exported_at"`
	ExportedBy string          `json:"exported_by"`
	Items      []ManifestItem  `json:"items"`
	Audit      []*audit.Record `json:"audit"`
	Anchor     string          `json:"anchor"` // seq:hash of the chain head
}

// ManifestInc names the incident.
type ManifestInc struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
	Title  string `json:"title"`
}

// ManifestItem is one item in a package.
type ManifestItem struct {
	Number      string            `json:"number"`
	ID          int64             `json:"id"`
	Kind        evidence.Kind     `json:"kind"`
	Description string            `json:"description"`
	Place       string            `json:"place"`
	CollectedAt time.Time         `json:"collected_at"`
	CollectedBy string            `json:"collected_by"`
	Witnesses   string            `json:"witnesses"`
	SealNumber  string            `json:"seal_number"`
	SourceURL   string            `json:"source_url,omitempty"`
	Status      evidence.Status   `json:"status"`
	Reason      string            `json:"reason,omitempty"`
	Files       []ManifestFile    `json:"files"`
	Custody     []ManifestCustody `json:"custody"`
}

// ManifestCustody is one row of an item's custody log.
type ManifestCustody struct {
	ID       int64           `json:"id"`
	FileID   int64           `json:"file_id,omitempty"`
	Action   evidence.Action `json:"action"`
	ActorID  int64           `json:"actor_id"`
	Actor    string          `json:"actor"`
	At       time.Time       `json:"at"`
	Reason   string          `json:"reason,omitempty"`
	ToUserID int64           `json:"to_user_id,omitempty"`
	Detail   string          `json:"detail,omitempty"`
}

// ManifestFile is one file: the package holds its content at Path.
type ManifestFile struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	MediaType  string     `json:"media_type"`
	Size       int64      `json:"size"`
	SHA256     string     `json:"sha256"`
	SM3        string     `json:"sm3"`
	CapturedAt *time.Time `json:"captured_at,omitempty"`
	Path       string     `json:"path"` // files/<sha256>
}

// Export writes an incident's evidence package to w: every item exported
// gets a custody row first (one transaction), then the manifest is read
// and the packer writes and signs it. Withdrawn items go in, marked.
func (s *Service) Export(ctx context.Context, actor *user.User, incidentID int64, reason string, w io.Writer) (*Manifest, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	if err := checkReason(reason); err != nil {
		return nil, err
	}
	var m *Manifest
	var key ed25519.PrivateKey
	exported := map[int64]bool{} // the items whose export the custody log records
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, _, err := s.IncidentFor(&tx.Q, actor, incidentID)
		if err != nil {
			return err
		}
		if err := mayAdd(actor, in); err != nil {
			return err
		}
		if s.Packer == nil {
			return errs.New(errs.Conflict, "evidence.export_unavailable")
		}
		if key, err = s.SigningKey(); err != nil {
			return err
		}
		items, err := tx.EvidenceItems(in.ID)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return errs.New(errs.Conflict, "evidence.nothing_to_export")
		}
		for _, it := range items {
			if err := s.custody(tx, actor, in, it, &evidence.Custody{Action: evidence.Export, Reason: reason}); err != nil {
				return err
			}
			exported[it.ID] = true
		}
		m = &Manifest{Format: ManifestFormat, Incident: ManifestInc{ID: in.ID, Number: in.Number, Title: in.Title},
			ExportedAt: tx.Now, ExportedBy: actor.Username}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.DB.Read(ctx, func(q *store.Q) error {
		items, err := q.EvidenceItems(incidentID)
		if err != nil {
			return err
		}
		var ids []int64
		for _, it := range items {
			if !exported[it.ID] { // registered since: its log has no export row
				continue
			}
			mi := ManifestItem{Number: it.Number, ID: it.ID, Kind: it.Kind, Description: it.Description, Place: it.Place,
				CollectedAt: it.CollectedAt, CollectedBy: it.CollectedBy, Witnesses: it.Witnesses, SealNumber: it.SealNumber,
				SourceURL: it.SourceURL, Status: it.Status, Reason: it.Reason}
			for _, f := range it.Files {
				mi.Files = append(mi.Files, ManifestFile{ID: f.ID, Name: f.Name, MediaType: f.MediaType, Size: f.Size,
					SHA256: f.SHA256, SM3: f.SM3, CapturedAt: f.CapturedAt, Path: "files/" + f.SHA256})
			}
			log, err := q.Custody(it.ID)
			if err != nil {
				return err
			}
			for _, c := range log {
				mi.Custody = append(mi.Custody, ManifestCustody{ID: c.ID, FileID: c.FileID, Action: c.Action, ActorID: c.ActorID,
					Actor: c.Actor, At: c.At, Reason: c.Reason, ToUserID: c.ToUserID, Detail: c.Detail})
			}
			m.Items = append(m.Items, mi)
			ids = append(ids, it.ID)
		}
		if m.Audit, err = q.EvidenceAudit(ids); err != nil {
			return err
		}
		a, err := q.AuditAnchor()
		m.Anchor = a.String()
		return err
	})
	if err != nil {
		return nil, err
	}
	open := func(sha256 string) (io.ReadCloser, error) {
		// Read as a download is: bytes that no longer match fail the export.
		for _, it := range m.Items {
			for _, f := range it.Files {
				if f.SHA256 == sha256 {
					r, err := s.blobs.Open(ctx, sha256)
					if err != nil {
						return nil, err
					}
					cr := newCheckedReader(r, &evidence.FileRef{Size: f.Size, SHA256: f.SHA256, SM3: f.SM3})
					itemID, fileID := it.ID, f.ID
					cr.onCorrupt = func(why string) { // as on a download: the finding is recorded
						if err := s.Corrupt(context.WithoutCancel(ctx), itemID, fileID, why); err != nil {
							s.Log.Error("evidence: recording a mismatch", "item", itemID, "file", fileID, "err", err)
						}
					}
					return cr, nil
				}
			}
		}
		return nil, errs.New(errs.NotFound, "evidence.content_missing")
	}
	return m, s.Packer.Pack(w, m, open, key)
}

func checkReason(reason string) error {
	if err := core.CheckText("reason", reason, true, 500); err != nil {
		return err
	}
	return nil
}

// SigningKey reads the installation's ed25519 key, creating it (mode 0600)
// on first use. Every node of a PostgreSQL installation is given the same
// file (--evidence-key), so that all its packages carry one key.
func (s *Service) SigningKey() (ed25519.PrivateKey, error) {
	path := s.KeyFile
	if path == "" {
		dir := s.DB.DataDir()
		if dir == "" {
			return nil, errs.New(errs.Conflict, "evidence.no_key")
		}
		path = filepath.Join(dir, "evidence.key")
	}
	return LoadOrCreateKey(path)
}

// LoadOrCreateKey reads a PEM (PKCS #8) ed25519 key, creating one if the
// file does not exist.
func LoadOrCreateKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		_, k, _ := ed25519.GenerateKey(rand.Reader)
		der, _ := x509.MarshalPKCS8PrivateKey(k)
		// Written whole to a temporary file, then linked into place: a
		// reader never sees a half-written key, and a crash leaves none.
		f, err := os.CreateTemp(filepath.Dir(path), ".evidence-key-*")
		if err != nil {
			return nil, errs.Wrap(err, "create evidence key")
		}
		defer os.Remove(f.Name())
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, errs.Wrap(err, "create evidence key")
		}
		err = pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, errs.Wrap(err, "write evidence key")
		}
		if err := os.Link(f.Name(), path); errors.Is(err, os.ErrExist) { // another node or request made it first
			return LoadOrCreateKey(path)
		} else if err != nil {
			return nil, errs.Wrap(err, "create evidence key")
		}
		return k, nil
	}
	if err != nil {
		return nil, errs.Wrap(err, "read evidence key")
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, errs.Wrap(errors.New("no PEM block"), "evidence key "+path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, errs.Wrap(err, "evidence key "+path)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, errs.Wrap(errors.New("not an ed25519 key"), "evidence key "+path)
	}
	return ek, nil
}
