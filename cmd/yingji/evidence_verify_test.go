package main

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yingji/internal/evpack"
)

// TestEvidenceVerify runs `yingji evidence verify` on a package as a
// prosecutor would: no database, exit 0 when it matches, 1 naming the file
// when one byte changed, 2 on a usage error.
func TestEvidenceVerify(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	body := []byte("篡改页面截图")
	h := evpack.NewHasher()
	h.Write(body)
	size, sha, sm := h.Sums()
	m := &evpack.Manifest{
		Installation: "某县公安局", CreatedAt: time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC), CreatedBy: "张警官",
		Incident: evpack.Incident{Number: "2026-017", Title: "网站被篡改"},
		Items:    []evpack.Item{{Number: "ZJ-2026-017-001", Kind: "file", Files: []string{sha}}},
		Files:    []evpack.File{{Path: "files/" + sha, Name: "截图.png", Size: size, SHA256: sha, SM3: sm}},
	}
	var buf bytes.Buffer
	if err := evpack.Write(&buf, m, func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }, key); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.zip")
	os.WriteFile(good, buf.Bytes(), 0o600)
	pemKey, _ := evpack.PublicKeyPEM(pub)
	keyFile := filepath.Join(dir, "key.pem")
	os.WriteFile(keyFile, pemKey, 0o600)

	out, code := run(t, nil, "evidence", "verify", good, "--key", keyFile)
	if code != 0 || !strings.Contains(out, "校验通过") || !strings.Contains(out, "可信公钥") || !strings.Contains(out, "2026-11-30 10:00:00") {
		t.Errorf("good package with the key: exit %d\n%s", code, out)
	}
	out, code = run(t, nil, "evidence", "verify", good)
	if code != 0 || !strings.Contains(out, "未指定可信公钥") {
		t.Errorf("good package without a key: exit %d\n%s", code, out)
	}

	good0 := bytes.Clone(buf.Bytes())
	bad := buf.Bytes()
	zr, _ := zip.NewReader(bytes.NewReader(bad), int64(len(bad)))
	for _, f := range zr.File {
		if f.Name == "files/"+sha {
			off, _ := f.DataOffset()
			bad[off] ^= 0x04
		}
	}
	badPath := filepath.Join(dir, "bad.zip")
	os.WriteFile(badPath, bad, 0o600)
	out, code = run(t, nil, "evidence", "verify", badPath, "--key", keyFile)
	if code != 1 || !strings.Contains(out, "校验未通过") || !strings.Contains(out, "SHA-256 不符：files/"+sha+"（截图.png）") || !strings.Contains(out, "SM3 不符") {
		t.Errorf("flipped file: exit %d\n%s", code, out)
	}
	// A bit of README.txt, covered by no hash: named with its offset.
	bad = bytes.Clone(good0)
	for _, f := range zr.File {
		if f.Name == evpack.NameReadme {
			off, _ := f.DataOffset()
			bad[off+5] ^= 0x01
		}
	}
	os.WriteFile(badPath, bad, 0o600)
	if out, code = run(t, nil, "evidence", "verify", badPath, "--key", keyFile); code != 1 || !strings.Contains(out, "压缩包内容与导出时的格式不符（README.txt）：offset ") {
		t.Errorf("flipped README: exit %d\n%s", code, out)
	}
	if _, code = run(t, nil, "evidence", "verify"); code != 2 {
		t.Errorf("no file: exit %d", code)
	}
	if out, code = run(t, nil, "evidence", "verify", keyFile); code != 1 || !strings.Contains(out, "无法读取证据包") {
		t.Errorf("not a package: exit %d\n%s", code, out)
	}
}
