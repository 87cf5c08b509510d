package evpack

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yingji/internal/audit"
)

// world is a package's inputs: content by SHA-256, the manifest, the key.
type world struct {
	m       *Manifest
	content map[string][]byte
	key     ed25519.PrivateKey
}

func (w *world) open(sha string) (io.ReadCloser, error) {
	b, ok := w.content[sha]
	if !ok {
		return nil, errors.New("no such content")
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func newWorld(t testing.TB) *world {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{content: map[string][]byte{}, key: key}
	at := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	m := &Manifest{
		Installation: "某县公安局网安大队", CreatedAt: at.Add(3 * time.Hour), CreatedBy: "张警官",
		Incident: Incident{Number: "2026-017", Title: "某单位门户网站被篡改"},
	}
	var files []string
	for i, body := range []string{"首页截图 PNG …", "<html>篡改后的页面</html>", strings.Repeat("日志行 access.log\n", 5000)} {
		h := NewHasher()
		h.Write([]byte(body))
		size, sha, sm := h.Sums()
		w.content[sha] = []byte(body)
		m.Files = append(m.Files, File{Path: FilesDir + sha, Name: fmt.Sprintf("文件 %d.txt", i+1), Size: size, SHA256: sha, SM3: sm})
		files = append(files, sha)
	}
	// A real chain of six records; the package holds 2, 3, 5 and 6.
	var chain []*audit.Record
	var prev *audit.Record
	for i := 1; i <= 6; i++ {
		r := &audit.Record{At: at.Add(time.Duration(i) * time.Minute), ActorID: 3, Actor: "zhang", Action: "evidence.custody",
			ObjectType: "evidence", ObjectID: int64(i%2 + 1), OrgID: 2, Detail: fmt.Sprintf(`{"n":%d}`, i), Version: 2, State: "evidence_items 1 abc\n"}
		audit.Seal(r, prev)
		chain, prev = append(chain, r), r
	}
	for _, i := range []int{1, 2, 4, 5} {
		m.Audit = append(m.Audit, FromAudit(chain[i]))
	}
	m.Anchor = &Anchor{Seq: 6, Hash: chain[5].Hash}
	m.Items = []Item{
		{Number: "ZJ-2026-017-001", Kind: "web_capture", Description: "门户网站首页", CollectedWhere: "指挥中心", CollectedAt: at, CollectedBy: "张警官",
			Files: files[:2], Custody: []Custody{{At: at, Action: "collect", Actor: "张警官", AuditSeq: 2}, {At: at.Add(time.Hour), Action: "download", Actor: "李警官", Reason: "研判", AuditSeq: 3}}},
		{Number: "ZJ-2026-017-002", Kind: "log", Description: "访问日志", CollectedWhere: "机房", CollectedAt: at, CollectedBy: "李警官",
			Witnesses: []string{"王某"}, Files: files[2:], Custody: []Custody{{At: at, Action: "collect", Actor: "李警官", AuditSeq: 5}}},
	}
	w.m = m
	return w
}

func (w *world) pack(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, w.m, w.open, w.key); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func verify(t *testing.T, pkg []byte, trusted ed25519.PublicKey) *Report {
	t.Helper()
	rep, err := Verify(bytes.NewReader(pkg), int64(len(pkg)), trusted)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// rewrite returns the package with entry name's bytes changed by edit (the
// ZIP's own checksums recomputed and its layout kept, as a careful forger
// would), or dropped when edit returns nil; extra entries are appended.
func rewrite(t *testing.T, pkg []byte, name string, edit func([]byte) []byte, extra ...string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	z := newZipOut(&out, zr.File[0].Modified)
	put := func(name string, data []byte) {
		if !strings.HasPrefix(name, FilesDir) {
			z.put(name, data)
			return
		}
		z.begin(name, int64(len(data)))
		z.Write(data)
		z.end(crc32.ChecksumIEEE(data))
	}
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == name {
			if data = edit(data); data == nil {
				continue
			}
		}
		put(f.Name, data)
	}
	for _, e := range extra {
		put(e, []byte("x"))
	}
	z.close()
	return out.Bytes()
}

func flip(at int) func([]byte) []byte {
	return func(b []byte) []byte {
		b = bytes.Clone(b)
		b[at] ^= 0x01
		return b
	}
}

func kinds(rep *Report) string {
	var s []string
	for _, p := range rep.Problems {
		s = append(s, p.String())
	}
	return strings.Join(s, "\n")
}

func want(t *testing.T, rep *Report, lines ...string) {
	t.Helper()
	got := kinds(rep)
	for _, l := range lines {
		if !strings.Contains(got, l) {
			t.Errorf("report lacks %q; it says:\n%s", l, got)
		}
	}
	if rep.OK() {
		t.Error("report OK")
	}
}

func TestGoodPackageVerifies(t *testing.T) {
	w := newWorld(t)
	pkg := w.pack(t)
	rep := verify(t, pkg, nil)
	if !rep.OK() || !rep.KeyFromPackage || rep.Files != 3 || rep.Records != 4 || rep.Bytes == 0 {
		t.Fatalf("good package: %+v\n%s", rep, kinds(rep))
	}
	rep = verify(t, pkg, w.key.Public().(ed25519.PublicKey))
	if !rep.OK() || rep.KeyFromPackage || rep.Manifest.Incident.Number != "2026-017" || len(rep.Manifest.Items[0].Custody) != 2 {
		t.Fatalf("with the trusted key: %+v\n%s", rep, kinds(rep))
	}
	// The package's layout: fixed entries first, files by hash.
	zr, _ := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if strings.Join(names[:4], " ") != "manifest.json manifest.sig public-key.pem README.txt" || names[4] != w.m.Files[0].Path {
		t.Errorf("entries %v", names)
	}
}

func TestFlippedFileBitNamed(t *testing.T) {
	w := newWorld(t)
	f := w.m.Files[1]
	// Rewritten with fresh ZIP checksums: only the hashes catch it.
	rep := verify(t, rewrite(t, w.pack(t), f.Path, flip(3)), nil)
	want(t, rep, "sha256 "+f.Path+" ("+f.Name+")", "sm3 "+f.Path+" ("+f.Name+")")
	if rep.SignatureOK != true || strings.Contains(kinds(rep), w.m.Files[0].Path) {
		t.Errorf("only the changed file is named:\n%s", kinds(rep))
	}
	// Flipped in place in the ZIP: the CRC fails too, and the hashes say so.
	pkg := w.pack(t)
	zr, _ := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	for _, zf := range zr.File {
		if zf.Name == f.Path {
			off, _ := zf.DataOffset()
			pkg[off+2] ^= 0x80
		}
	}
	want(t, verify(t, pkg, nil), "read "+f.Path, "sha256 "+f.Path, "sm3 "+f.Path)
}

func TestFlippedManifestBitNamed(t *testing.T) {
	w := newWorld(t)
	pkg := w.pack(t)
	// Flip a bit inside the incident title's ASCII neighbour so the JSON stays valid.
	rep := verify(t, rewrite(t, pkg, NameManifest, func(b []byte) []byte {
		i := bytes.Index(b, []byte(`"created_by"`))
		b = bytes.Clone(b)
		b[i+2] ^= 0x01 // "created_by" → "cseated_by": an unknown field
		return b
	}), nil)
	want(t, rep, "signature manifest.json", "manifest manifest.json")
	rep = verify(t, rewrite(t, pkg, NameManifest, func(b []byte) []byte {
		return bytes.Replace(b, []byte("ZJ-2026-017-002"), []byte("ZJ-2026-017-003"), 1)
	}), nil)
	want(t, rep, "signature manifest.json")
	if len(rep.Problems) != 1 {
		t.Errorf("a valid but changed manifest: only the signature fails:\n%s", kinds(rep))
	}
}

// resign rewrites the manifest with edit and signs it again with the
// installation's key, as someone holding the key (or the package's key
// replaced) could: the audit hashes must still catch a changed record.
func resign(t *testing.T, w *world, edit func(*Manifest)) []byte {
	t.Helper()
	pkg := w.pack(t)
	var data []byte
	pkg = rewrite(t, pkg, NameManifest, func(b []byte) []byte {
		m, err := ParseManifest(b)
		if err != nil {
			t.Fatal(err)
		}
		edit(m)
		data, _ = json.MarshalIndent(m, "", "  ")
		return data
	})
	return rewrite(t, pkg, NameSignature, func([]byte) []byte { return ed25519.Sign(w.key, data) })
}

func TestFlippedAuditRecordNamed(t *testing.T) {
	w := newWorld(t)
	// A bit of record 3's detail changed, the manifest signed again.
	rep := verify(t, resign(t, w, func(m *Manifest) { m.Audit[1].Detail = `{"n":2}` }), nil)
	want(t, rep, "audit_hash record 3")
	if !rep.SignatureOK || len(rep.Problems) != 1 {
		t.Errorf("only record 3:\n%s", kinds(rep))
	}
	// The forger also recomputes record 3's hash: its link to record 2
	// holds, but record 4 is not in the package… record 5→6 shows the rule:
	rep = verify(t, resign(t, w, func(m *Manifest) {
		r := &m.Audit[2] // record 5
		r.Detail = `{"n":0}`
		r.Hash = audit.ComputeHash(r.Audit())
	}), nil)
	want(t, rep, "audit_link record 6")
	if strings.Contains(kinds(rep), "audit_hash") {
		t.Errorf("record 5's hash was recomputed:\n%s", kinds(rep))
	}
	// The last record rewritten whole: the anchor catches it.
	rep = verify(t, resign(t, w, func(m *Manifest) {
		r := &m.Audit[3]
		r.Actor = "wang"
		r.Hash = audit.ComputeHash(r.Audit())
	}), nil)
	want(t, rep, "anchor record 6")
	// Not signed again: the signature fails too.
	pkg := rewrite(t, w.pack(t), NameManifest, func(b []byte) []byte {
		return bytes.Replace(b, []byte(`{\"n\":2}`), []byte(`{\"n\":3}`), 1)
	})
	want(t, verify(t, pkg, nil), "signature manifest.json", "audit_hash record 2")
}

func TestMissingExtraAndOtherKey(t *testing.T) {
	w := newWorld(t)
	f := w.m.Files[2]
	want(t, verify(t, rewrite(t, w.pack(t), f.Path, func([]byte) []byte { return nil }, "files/evil.exe"), nil),
		"missing "+f.Path+" ("+f.Name+")", "extra files/evil.exe")
	// An entry that would escape a directory if unpacked: named, not fatal.
	want(t, verify(t, rewrite(t, w.pack(t), "", nil, "../../etc/cron.d/x"), nil), "extra ../../etc/cron.d/x")
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	want(t, verify(t, w.pack(t), other), "signature manifest.json", "key public-key.pem")
	// The package's key swapped and the manifest signed with it: the trusted key catches it.
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	pemKey, _ := PublicKeyPEM(pub)
	pkg := rewrite(t, w.pack(t), NamePublicKey, func([]byte) []byte { return pemKey })
	pkg = rewrite(t, pkg, NameSignature, func([]byte) []byte {
		zr, _ := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
		rc, _ := zr.File[0].Open()
		data, _ := io.ReadAll(rc)
		return ed25519.Sign(key, data)
	})
	if rep := verify(t, pkg, nil); !rep.OK() || !rep.KeyFromPackage {
		t.Errorf("with its own key it verifies, and says so: %+v", rep)
	}
	want(t, verify(t, pkg, w.key.Public().(ed25519.PublicKey)), "signature manifest.json", "key public-key.pem")
	if _, err := Verify(bytes.NewReader([]byte("not a zip")), 9, nil); err == nil {
		t.Error("not a ZIP: no error")
	}
}

func TestWriteRefusesContentThatNoLongerMatches(t *testing.T) {
	w := newWorld(t)
	f := w.m.Files[0]
	w.content[f.SHA256] = append(bytes.Clone(w.content[f.SHA256]), '!')
	err := Write(io.Discard, w.m, w.open, w.key)
	if err == nil || !strings.Contains(err.Error(), f.Path) || !strings.Contains(err.Error(), f.Name) {
		t.Fatalf("err %v", err)
	}
	w = newWorld(t)
	w.m.Items[0].Files = append(w.m.Items[0].Files, strings.Repeat("ab", 32))
	if err := Write(io.Discard, w.m, w.open, w.key); err == nil {
		t.Error("an item naming an unlisted file was written")
	}
}

// TestOpenSSLVerifiesSignatureAndSM3: what README.txt tells a prosecutor to
// run works.
func TestOpenSSLVerifiesSignatureAndSM3(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl")
	}
	w := newWorld(t)
	pkg := w.pack(t)
	dir := t.TempDir()
	zr, _ := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f.Name)), 0o700)
		os.WriteFile(filepath.Join(dir, f.Name), data, 0o600)
	}
	out, err := exec.Command("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", filepath.Join(dir, NamePublicKey), "-rawin",
		"-in", filepath.Join(dir, NameManifest), "-sigfile", filepath.Join(dir, NameSignature)).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Signature Verified Successfully") {
		t.Errorf("openssl pkeyutl: %v %s", err, out)
	}
	f := w.m.Files[2]
	out, err = exec.Command("openssl", "dgst", "-sm3", filepath.Join(dir, f.Path)).CombinedOutput()
	if err != nil || !strings.Contains(string(out), f.SM3) {
		t.Errorf("openssl dgst -sm3: %v %s, want %s", err, out, f.SM3)
	}
	if r, _ := os.ReadFile(filepath.Join(dir, NameReadme)); !bytes.Contains(r, []byte("某单位门户网站被篡改")) {
		t.Errorf("README.txt:\n%s", r)
	}
}

// TestSM3KnownAnswer: the SM3 in use gives GB/T 32905-2016's example
// digest for "abc".
func TestSM3KnownAnswer(t *testing.T) {
	h := NewHasher()
	h.Write([]byte("abc"))
	_, sha, sm := h.Sums()
	if sm != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" ||
		sha != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("sums %s %s", sha, sm)
	}
}

// TestEveryBitFlipNamed flips, one at a time, a bit of every byte of a
// small package (two bit positions each): headers, directory, README.txt,
// key, signature, manifest and content alike. Each must fail Verify with a
// problem that names where.
func TestEveryBitFlipNamed(t *testing.T) {
	w := newWorld(t)
	w.m.Files = w.m.Files[:1]
	w.m.Items = w.m.Items[:1]
	w.m.Items[0].Files = w.m.Items[0].Files[:1]
	pkg := w.pack(t)
	if rep := verify(t, pkg, nil); !rep.OK() {
		t.Fatalf("good package:\n%s", kinds(rep))
	}
	zr, _ := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if len(zr.File) != 5 {
		t.Fatalf("%d entries", len(zr.File))
	}
	trusted := w.key.Public().(ed25519.PublicKey)
	seen := map[string]bool{}
	for i := range pkg {
		for _, bit := range []byte{0x10, 0x01} {
			pkg[i] ^= bit
			// Under the package's own key and under the trusted one.
			for _, key := range []ed25519.PublicKey{nil, trusted}[bit&1:][:1] {
				rep, err := Verify(bytes.NewReader(pkg), int64(len(pkg)), key)
				switch {
				case err != nil:
					t.Errorf("byte %d ^%#x: %v", i, bit, err)
				case rep.OK():
					t.Errorf("byte %d ^%#x: verifies", i, bit)
				default:
					named := false
					for _, p := range rep.Problems {
						named = named || p.Seq != 0 || (p.Subject != "" && (p.Kind != KindZip || strings.Contains(p.Detail, "offset") || strings.Contains(p.Detail, "central directory")))
						seen[p.Kind] = true
					}
					if !named {
						t.Errorf("byte %d ^%#x: nothing named:\n%s", i, bit, kinds(rep))
					}
				}
			}
			pkg[i] ^= bit
		}
	}
	t.Logf("%d bytes, problem kinds seen: %v", len(pkg), seen)
	// Where README.txt, not signed, and a local header, not read by
	// archive/zip, are named.
	var readmeAt int64
	for _, f := range zr.File {
		if f.Name == NameReadme {
			readmeAt, _ = f.DataOffset()
		}
	}
	for at, line := range map[int64]string{
		readmeAt + 7:         fmt.Sprintf("zip README.txt: offset %d: the content is not as written", readmeAt+7),
		10:                   "zip manifest.json: offset 10: the local header is not as written",
		int64(len(pkg) - 14): fmt.Sprintf("zip zip structure: offset %d: the end of central directory is not as written", len(pkg)-14),
	} {
		pkg[at] ^= 0x01
		want(t, verify(t, pkg, trusted), line)
		pkg[at] ^= 0x01
	}
	want(t, verify(t, append(bytes.Clone(pkg), 0), nil), fmt.Sprintf("zip zip structure: offset %d: 1 bytes after the end", len(pkg)))
}
