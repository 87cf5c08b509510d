package exhibits

import (
	"context"
	"errors"
	"io"
	"mime"
	"path"
	"strings"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/evidence"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Upload is a file arriving for an item.
type Upload struct {
	Name      string // as the sender named it: shown, never a path
	MediaType string
	// Size is the length the sender declared (Content-Length), or -1.
	// A declared size over the limit is refused before anything is read.
	Size int64
	Body io.Reader
}

// TooLarge is the error of a file over the limit; the web answers 413.
func TooLarge(max int64) error {
	return &errs.Error{Code: errs.Invalid, Field: "file", Key: "evidence.too_large", Args: []any{max >> 20}}
}

// IsTooLarge reports whether err is TooLarge.
func IsTooLarge(err error) bool {
	e := errs.As(err)
	return e != nil && e.Key == "evidence.too_large"
}

// limitReader counts what it passes and fails once past max, so that an
// upload whose length was not declared (or was declared falsely) stops at
// the limit instead of filling the disk.
type limitReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if int64(len(p)) > l.max-l.n+1 {
		p = p[:l.max-l.n+1]
	}
	k, err := l.r.Read(p)
	l.n += int64(k)
	if l.n > l.max {
		return k, TooLarge(l.max)
	}
	return k, err
}

// cleanName is the name kept for display, as sent but trimmed (slashes,
// dots and markup included: it is never a path, and pages escape it); a
// name that is nothing is "file".
func cleanName(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return "file"
	}
	return name
}

func cleanMediaType(mt, name string) string {
	if t, _, err := mime.ParseMediaType(mt); err == nil && t != "" && t != "application/octet-stream" {
		return t
	}
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(name))); t != "" {
		t, _, _ = mime.ParseMediaType(t)
		return t
	}
	return "application/octet-stream"
}

// AddFile stores a file on an item: the content is streamed into storage
// while SHA-256 and SM3 are computed, then registered in one transaction.
// A failure before the registration leaves nothing registered.
func (s *Service) AddFile(ctx context.Context, actor *user.User, itemID int64, up Upload) (*evidence.FileRef, error) {
	up.Name = cleanName(up.Name)
	if err := core.CheckText("name", up.Name, true, 255); err != nil {
		return nil, err
	}
	if up.Size > s.MaxUpload {
		return nil, TooLarge(s.MaxUpload)
	}
	// Checked before the body is read: nobody uploads a gigabyte to be told
	// at the end that the item is sealed.
	err := s.DB.Read(ctx, func(q *store.Q) error {
		it, in, err := s.itemFor(q, actor, itemID)
		if err != nil {
			return err
		}
		if err := mayAdd(actor, in); err != nil {
			return err
		}
		_, err = evidence.Allow(*it, evidence.Change{Action: evidence.AddFile})
		return err
	})
	if err != nil {
		return nil, err
	}
	release, err := s.uploadSlot()
	if err != nil {
		return nil, err
	}
	d, err := s.blobs.Put(ctx, &limitReader{r: up.Body, max: s.MaxUpload})
	release()
	if err != nil {
		if IsTooLarge(err) || errs.As(err) != nil && errs.CodeOf(err) != errs.Internal {
			return nil, err
		}
		return nil, &errs.Error{Code: errs.Invalid, Field: "file", Key: "error.body_incomplete", Err: err}
	}
	f := &evidence.FileRef{ItemID: itemID, Name: up.Name, MediaType: cleanMediaType(up.MediaType, up.Name), Size: d.Size,
		SHA256: d.SHA256, SM3: d.SM3, AddedBy: actor.ID}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		it, in, err := s.itemFor(&tx.Q, actor, itemID)
		if err != nil {
			return err
		}
		if _, err := evidence.Allow(*it, evidence.Change{Action: evidence.AddFile}); err != nil {
			return err
		}
		return s.registerFile(tx, actor, in, it, f)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (s *Service) registerFile(tx *store.Tx, actor *user.User, in *incident.Incident, it *evidence.Item, f *evidence.FileRef) error {
	f.ItemID = it.ID
	if err := tx.AddEvidenceFile(f); err != nil {
		return err
	}
	return s.custody(tx, actor, in, it, &evidence.Custody{Action: evidence.AddFile, FileID: f.ID,
		Detail: "sha256:" + f.SHA256 + " sm3:" + f.SM3})
}

// ErrCorrupt is what reading stored content reports when its bytes no
// longer match the register.
var ErrCorrupt = errors.New("stored evidence does not match its recorded hash")

// Download opens a file of an item to send; the download is on the custody
// log before a byte leaves. The reader re-hashes while it is read and holds
// the last block back until the hashes match: content that no longer
// matches fails with ErrCorrupt before its end is sent, so it is never
// served as good (and Corrupt records the finding).
func (s *Service) Download(ctx context.Context, actor *user.User, itemID, fileID int64) (*evidence.FileRef, io.ReadCloser, error) {
	var f *evidence.FileRef
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		it, in, err := s.itemFor(&tx.Q, actor, itemID)
		if err != nil {
			return err
		}
		if f, err = tx.EvidenceFile(itemID, fileID); err != nil {
			return err
		}
		return s.custody(tx, actor, in, it, &evidence.Custody{Action: evidence.Download, FileID: f.ID})
	})
	if err != nil {
		return nil, nil, err
	}
	r, err := s.blobs.Open(ctx, f.SHA256)
	if err != nil {
		return nil, nil, err
	}
	cr := newCheckedReader(r, f)
	cr.onCorrupt = func(why string) {
		// Recorded even when the requester has gone: the finding matters more.
		if err := s.Corrupt(context.WithoutCancel(ctx), itemID, f.ID, why); err != nil {
			s.Log.Error("evidence: recording a mismatch", "item", itemID, "file", f.ID, "err", err)
		}
	}
	return f, cr, nil
}

// Corrupt records that a file's stored bytes were found not to match (on
// a download): a verify custody row and audit record, as the system.
func (s *Service) Corrupt(ctx context.Context, itemID, fileID int64, why string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		it, err := tx.EvidenceItem(itemID)
		if err != nil {
			return err
		}
		in, err := tx.Incident(it.IncidentID)
		if err != nil {
			return err
		}
		return s.custody(tx, user.System(), in, it, &evidence.Custody{Action: evidence.Verify, FileID: fileID, Detail: "mismatch: " + why})
	})
}
