package evpack

import (
	"archive/zip"
	"testing"
	"time"
)

// sparse is a package whose file contents are holes: what zipOut wrote,
// by offset, and zeros elsewhere.
type sparse struct {
	size int64
	segs []seg
}

type seg struct {
	off  int64
	data []byte
}

func (s *sparse) Write(p []byte) (int, error) {
	s.segs = append(s.segs, seg{s.size, append([]byte(nil), p...)})
	s.size += int64(len(p))
	return len(p), nil
}

func (s *sparse) ReadAt(p []byte, off int64) (int, error) {
	clear(p)
	for _, g := range s.segs {
		if g.off < off+int64(len(p)) && off < g.off+int64(len(g.data)) {
			lo := max(g.off, off)
			hi := min(g.off+int64(len(g.data)), off+int64(len(p)))
			copy(p[lo-off:hi-off], g.data[lo-g.off:hi-g.off])
		}
	}
	n := int(max(0, min(int64(len(p)), s.size-off)))
	if n < len(p) {
		return n, errShort
	}
	return n, nil
}

var errShort = zip.ErrFormat

// TestZip64Layout: a file of 5 GiB and one after it, past 4 GiB, take the
// ZIP64 fields; Go's reader reads them back and the layout check, run over
// the same bytes, finds nothing.
func TestZip64Layout(t *testing.T) {
	at := time.Date(2026, 11, 30, 3, 4, 6, 0, time.UTC)
	s := &sparse{}
	z := newZipOut(s, at)
	body := []byte(`{"x":1}`)
	files := []File{{Path: "files/big", Size: 5 << 30}, {Path: "files/small", Size: 3}}
	crcs := map[string]uint32{"files/big": 0x1234, "files/small": 0x5678}
	if err := z.put(NameManifest, body); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := z.begin(f.Path, f.Size); err != nil {
			t.Fatal(err)
		}
		s.size += f.Size // the hole
		z.off += f.Size
		if err := z.end(crcs[f.Path]); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(s, s.size)
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 3 {
		t.Fatalf("%d entries", len(zr.File))
	}
	for i, f := range files {
		zf := zr.File[i+1]
		off, _ := zf.DataOffset()
		if zf.Name != f.Path || zf.UncompressedSize64 != uint64(f.Size) || zf.CRC32 != crcs[f.Path] || !zf.Modified.Equal(at) {
			t.Errorf("%s: %+v", f.Path, zf.FileHeader)
		}
		if i == 1 && off < 5<<30 {
			t.Errorf("small at %d", off)
		}
	}
	rep := &Report{}
	checkLayout(rep, s, s.size, &Manifest{CreatedAt: at, Files: files}, []fixedEntry{{NameManifest, body}}, crcs)
	if len(rep.Problems) != 0 {
		t.Errorf("layout:\n%s", kinds(rep))
	}
	crcs["files/small"]++
	checkLayout(rep, s, s.size, &Manifest{CreatedAt: at, Files: files}, []fixedEntry{{NameManifest, body}}, crcs)
	want(t, rep, "zip files/small: offset ")
}
