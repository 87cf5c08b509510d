package exhibits

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"yingji/internal/evidence"
	"yingji/internal/store"
)

// Backup of SQLite mode (yingji backup --to DIR). The database is copied
// first, as one moment (VACUUM INTO), then the content files it names:
// content is named by hash and never changes, so a file the copy names is
// exactly the one stored, and files added after the copy are not needed
// by it. Each file is re-hashed as it is copied: a backup never carries
// bad content silently. The signing key goes along (mode 0600).

// BackupReport says what a backup wrote.
type BackupReport struct {
	Files int
	Bytes int64
}

// Backup writes DIR/yingji.db, DIR/files/… and DIR/evidence.key.
func Backup(ctx context.Context, db *store.DB, keyFile, to string) (*BackupReport, error) {
	if err := os.MkdirAll(to, 0o700); err != nil {
		return nil, err
	}
	dbCopy := filepath.Join(to, "yingji.db")
	if _, err := os.Stat(dbCopy); err == nil {
		return nil, fmt.Errorf("%s exists: back up into an empty directory", dbCopy)
	}
	if err := db.BackupInto(ctx, dbCopy); err != nil {
		return nil, err
	}
	copyDB, err := store.Open(ctx, "", to)
	if err != nil {
		return nil, err
	}
	defer copyDB.Close()
	var blobs []string
	err = copyDB.Read(ctx, func(q *store.Q) error {
		blobs, err = q.EvidenceBlobs()
		return err
	})
	if err != nil {
		return nil, err
	}
	src := &FileBlobs{Dir: filepath.Join(db.DataDir(), "files")}
	dst := &FileBlobs{Dir: filepath.Join(to, "files")}
	rep := &BackupReport{}
	for _, sha := range blobs {
		r, err := src.Open(ctx, sha)
		if err != nil {
			return nil, fmt.Errorf("content %s: %w", sha, err)
		}
		d, err := dst.Put(ctx, r)
		r.Close()
		if err != nil {
			return nil, err
		}
		if d.SHA256 != sha {
			return nil, fmt.Errorf("content %s no longer matches its name (reads as %s): run yingji evidence check", sha, d.SHA256)
		}
		rep.Files++
		rep.Bytes += d.Size
	}
	if keyFile == "" {
		keyFile = filepath.Join(db.DataDir(), "evidence.key")
	}
	if err := copyFile(keyFile, filepath.Join(to, "evidence.key")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return rep, nil
}

// Restore copies a backup into an empty data directory; open it afterwards
// and run VerifyAll (yingji restore does both).
func Restore(from, data string) error {
	if _, err := os.Stat(filepath.Join(data, "yingji.db")); err == nil {
		return fmt.Errorf("%s already holds a database: restore into an empty data directory", data)
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(from, "yingji.db"), filepath.Join(data, "yingji.db")); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(from, "evidence.key"), filepath.Join(data, "evidence.key")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return filepath.WalkDir(filepath.Join(from, "files"), func(p string, d os.DirEntry, err error) error {
		if errors.Is(err, os.ErrNotExist) && p == filepath.Join(from, "files") {
			return filepath.SkipDir // no evidence content
		}
		if err != nil || d.IsDir() {
			return err
		}
		if !evidence.ValidSHA256(d.Name()) {
			return nil
		}
		return copyFile(p, filepath.Join(data, "files", d.Name()[:2], d.Name()))
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
