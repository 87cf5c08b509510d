package app_test

import (
	"archive/zip"
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yingji/internal/evidence"
	"yingji/internal/evpack"
	"yingji/internal/exhibits"
	"yingji/internal/testkit"
)

// The evidence register's export, through the packer internal/app wires,
// is a package `yingji evidence verify` accepts offline (no database); a
// file changed inside it, or a bit flipped in the ZIP, is caught and named.
func TestEvidencePackageVerifiesOffline(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		env.App.Evidence.KeyFile = filepath.Join(t.TempDir(), "evidence.key")
		in := testkit.NewIncident(t, env, "network_attack")
		it, err := env.App.Evidence.Register(ctx, duty, in.ID, evidence.New{Kind: evidence.File, Description: "门户网站访问日志",
			Place: "县政府信息中心机房", CollectedAt: env.Clock.Now().Add(-5 * time.Minute), CollectedBy: "张值班", Witnesses: "刘工、王工"})
		if err != nil {
			t.Fatal(err)
		}
		for name, body := range map[string]string{"访问日志.log": "203.0.113.9 GET /shell.php 200\n", "index.html": "<html>网站已被黑</html>"} {
			if _, err := env.App.Evidence.AddFile(ctx, duty, it.ID, exhibits.Upload{Name: name, Size: int64(len(body)), Body: strings.NewReader(body)}); err != nil {
				t.Fatal(err)
			}
		}
		var pkg bytes.Buffer
		if _, err := env.App.Evidence.Export(ctx, duty, in.ID, "移送检察院", &pkg); err != nil {
			t.Fatal(err)
		}
		rep, err := evpack.Verify(bytes.NewReader(pkg.Bytes()), int64(pkg.Len()), nil)
		if err != nil || !rep.OK() || rep.Files != 2 || rep.Records == 0 || !rep.SignatureOK {
			t.Fatalf("a fresh package: %+v %v", rep, err)
		}
		m := rep.Manifest
		if len(m.Items) != 1 || m.Items[0].Number == "" || len(m.Items[0].Witnesses) != 2 || m.Anchor == nil || len(m.Items[0].Custody) == 0 {
			t.Fatalf("manifest %+v", m)
		}

		// A file's content changed and the ZIP rebuilt (its CRCs good):
		// named by its path and display name.
		zr, err := zip.NewReader(bytes.NewReader(pkg.Bytes()), int64(pkg.Len()))
		if err != nil {
			t.Fatal(err)
		}
		var forged bytes.Buffer
		zw := zip.NewWriter(&forged)
		changed := ""
		for _, f := range zr.File {
			r, _ := f.Open()
			data, _ := io.ReadAll(r)
			if strings.HasPrefix(f.Name, "files/") && changed == "" {
				data[0] ^= 1
				changed = f.Name
			}
			w, _ := zw.Create(f.Name)
			w.Write(data)
		}
		zw.Close()
		rep, err = evpack.Verify(bytes.NewReader(forged.Bytes()), int64(forged.Len()), nil)
		if err != nil || rep.OK() {
			t.Fatalf("a changed file passed: %+v %v", rep, err)
		}
		named := false
		for _, p := range rep.Problems {
			named = named || (p.Subject == changed && p.Name != "")
		}
		if !named {
			t.Fatalf("problems %v do not name %s", rep.Problems, changed)
		}

		// One bit flipped anywhere in the middle of the package.
		flipped := bytes.Clone(pkg.Bytes())
		flipped[len(flipped)/2] ^= 0x10
		if rep, err := evpack.Verify(bytes.NewReader(flipped), int64(len(flipped)), nil); err == nil && rep.OK() {
			t.Fatal("a flipped bit passed")
		}
	})
}
