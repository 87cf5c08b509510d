package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// releasedMigrations pins, per dialect and version, the SHA-256 of the text
// a database runs. Installed databases record only the version they ran, so
// a released migration's text must never change, for either dialect: a
// fresh install would otherwise get another schema than an upgraded one.
// 001–013 are the hashes of the hand-written per-dialect files they were
// before they became one source each: the rendering is byte for byte what
// operators' databases ran. A migration newer than every pinned one may
// still change; pin it when it is released (the test prints the line).
var releasedMigrations = map[string]string{
	"sqlite/001":   "3eb97f6016548f7d02c23d7c79fd1415370342e7fed85c7c2323ebbf8eba5b42",
	"sqlite/002":   "9e52a0b327128474d9efdfc7a0af6ee145332001246c3b7d872f98bcad37e2ee",
	"sqlite/003":   "e05af4b34e46e59d37e1289cf1c45192dbe5026eb857160154332b4e5ddad355",
	"sqlite/004":   "81e2ec89ad9a26c771747dd5a1834fcd67a93a632c7ba2e430472dcdd6125184",
	"sqlite/005":   "4955fbe0df6d78a9a89f4d29047e775a2e0599d274cbee1c42284ed281201511",
	"sqlite/006":   "1262511ef01f18980969a4c3c33f85ab44a3742825a30b9c30539029c1828cd3",
	"sqlite/007":   "0412482daf9f38d4018dc47c9679cb69c458afae3c05154fb3a4665f10baa638",
	"sqlite/008":   "10bb2de2801d5ade491eca5e48cf2a563961076b2d8ba0f4e20c97b8477ea53a",
	"sqlite/011":   "517462e592802f33a469a4a5f4d759a74f915e89d44c474be6d91e1dcf1a8a4e",
	"sqlite/012":   "65cf11e3c9eb1979628e0218d4b5b6ab668442213a2261b00f8c54472faa104f",
	"sqlite/013":   "5a7bdaaa9788b28b97becfc3571b9e1ded69be30874bd442ce4fa27efe5272ea",
	"postgres/001": "ae464f6f65b3c7878e89979cd9447bbf737085cc3133206734416920964a1f1d",
	"postgres/002": "571b0f35e87e505f193c85a92d5ca4985edb799f658c77305c8dd1abcb60bc05",
	"postgres/003": "dda8214b63c138581cf84c1fd73f6fdbfe85ff3faeb0a1186c7b31a564f149cd",
	"postgres/004": "fd163d026516aac5a156412324da031da9ac9780bbd8b7c70a27f82239c7c40d",
	"postgres/005": "125b93a1dbd367747fd7e3e7a543c7ca14b4165e3f5b8d080e235b68e14b834c",
	"postgres/006": "1262511ef01f18980969a4c3c33f85ab44a3742825a30b9c30539029c1828cd3",
	"postgres/007": "b43a35d70ff17feb34a925fd9712d2864bc71fa3bd1c6bde8dc47d6945a01583",
	"postgres/008": "015f7d506458840d49de9ffda72193cfd8283541c114394ad73578771196814c",
	"postgres/011": "949b820a6cd4250dba825b881d7424cca92e19b078b5f75283d9f0af6b40b0b4",
	"postgres/012": "48d984aa0f065e95610a2d1f6dc97ceb209f5e8aa6cd08fac087c3c6a961de72",
	"postgres/013": "3a60590c8d1471f135b05ce4308fe91d26168d11cae2793cb327aab24950ba5a",
}

func TestMigrationTextUnchanged(t *testing.T) {
	for _, d := range []dialect{sqliteDialect, postgresDialect} {
		name := map[dialect]string{sqliteDialect: "sqlite", postgresDialect: "postgres"}[d]
		list, err := migrationsFor(migrations, d)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) < 11 {
			t.Fatalf("%s: %d migrations", name, len(list))
		}
		for _, m := range list {
			key := fmt.Sprintf("%s/%03d", name, m.version)
			sum := sha256.Sum256([]byte(m.body))
			got := hex.EncodeToString(sum[:])
			want, ok := releasedMigrations[key]
			switch {
			case !ok && m.version <= newestPinned():
				t.Errorf("%s (%s) has no pinned text, yet later versions do: a migration never goes in before a released one", key, m.name)
			case !ok:
				// Not released yet: it may still change. At the release, pin it.
				t.Logf("%s (%s) is not pinned yet; at the release add\n\t%q: %q,", key, m.name, key, got)
			case got != want:
				t.Errorf("%s (%s): the text a database runs changed (sha256 %s, released %s); a released migration never changes: write a new one", key, m.name, got, want)
			}
		}
	}
}

func newestPinned() int {
	n := 0
	for k := range releasedMigrations {
		var v int
		fmt.Sscanf(k[strings.IndexByte(k, '/')+1:], "%d", &v)
		n = max(n, v)
	}
	return n
}

// Every version exists for both dialects.
func TestMigrationVersionsPaired(t *testing.T) {
	lite, err := migrationsFor(migrations, sqliteDialect)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrationsFor(migrations, postgresDialect)
	if err != nil {
		t.Fatal(err)
	}
	versions := func(list []migration) string {
		var b strings.Builder
		for _, m := range list {
			fmt.Fprintf(&b, "%d ", m.version)
		}
		return b.String()
	}
	if a, b := versions(lite), versions(pg); a != b {
		t.Errorf("sqlite has versions %s, postgres %s", a, b)
	}
}

func TestRenderMigration(t *testing.T) {
	src := "-- INTEGER is BIGINT there\n" +
		"CREATE TABLE t (\n" +
		"  id  INTEGER PRIMARY KEY,\n" +
		"  own {{INTEGER|BIGINT}} PRIMARY KEY,\n" +
		"  k   TEXT{{| COLLATE \"C\"}} NOT NULL\n" +
		");\n" +
		"--@sqlite CREATE VIRTUAL TABLE t_fts USING fts5(k);\n" +
		"--@postgres CREATE INDEX t_k ON t (k);\n" +
		"--@postgres\n"
	want := map[dialect]string{
		sqliteDialect: "-- INTEGER is BIGINT there\nCREATE TABLE t (\n  id  INTEGER PRIMARY KEY,\n  own INTEGER PRIMARY KEY,\n  k   TEXT NOT NULL\n);\n" +
			"CREATE VIRTUAL TABLE t_fts USING fts5(k);\n",
		postgresDialect: "-- BIGINT is BIGINT there\nCREATE TABLE t (\n  id  BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n  own BIGINT PRIMARY KEY,\n  k   TEXT COLLATE \"C\" NOT NULL\n);\n" +
			"CREATE INDEX t_k ON t (k);\n\n",
	}
	for d, w := range want {
		got, err := renderMigration(src, d)
		if err != nil || got != w {
			t.Errorf("dialect %d:\n%s\nwant\n%s(%v)", d, got, w, err)
		}
	}
	for _, bad := range []string{"a {{b}}\n", "a {{b|c\n", "--@sqliteX\n"} {
		if _, err := renderMigration(bad, sqliteDialect); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	// A version given both as one source and as a pair is refused.
	fsys := fstest.MapFS{
		"migrations/001_a.sql":        {Data: []byte("SELECT 1;")},
		"migrations/sqlite/001_a.sql": {Data: []byte("SELECT 1;")},
	}
	if _, err := migrationsFor(fsys, sqliteDialect); err == nil {
		t.Error("a version given twice was accepted")
	}
}

// A source without marks is the SQLite text itself, and rendering never
// fails on one.
func FuzzRenderMigration(f *testing.F) {
	f.Add("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT{{| COLLATE \"C\"}});\n--@postgres SELECT 1;\n")
	f.Fuzz(func(t *testing.T, src string) {
		for _, d := range []dialect{sqliteDialect, postgresDialect} {
			got, err := renderMigration(src, d)
			plain := !strings.Contains(src, "{{") && !strings.Contains(src, "--@")
			if plain && (err != nil || d == sqliteDialect && got != src) {
				t.Fatalf("plain source changed: %q -> %q, %v", src, got, err)
			}
		}
	})
}
