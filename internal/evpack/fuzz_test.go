package evpack

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzParseManifest: manifest.json comes from whoever handed over the
// package. Any bytes give an error or a manifest whose checks run, and a
// manifest read once reads back the same after writing.
func FuzzParseManifest(f *testing.F) {
	w := newWorld(f)
	good, _ := json.Marshal(w.m)
	f.Add(good)
	f.Add([]byte(`{"format":"yingji-evidence/1"}`))
	f.Add([]byte(`{"format":"yingji-evidence/1","files":[{"path":"files/x","sha256":"x","sm3":"y","size":-1}],"audit":[{"seq":2},{"seq":1}],"anchor":{"seq":0,"hash":""}}`))
	f.Add([]byte(`{"format":"yingji-evidence/1","unknown":1}`))
	f.Add([]byte(`{"format":"yingji-evidence/1"} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			return
		}
		m.Check()
		rep := &Report{}
		checkAudit(rep, m)
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := ParseManifest(out)
		if err != nil {
			t.Fatalf("a parsed manifest does not parse back: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(normal(m), normal(m2)) {
			t.Fatalf("round trip differs:\n%s", out)
		}
	})
}

// normal re-encodes for comparison (times compare by instant, nil and empty lists alike).
func normal(m *Manifest) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// FuzzVerify: the whole package comes from whoever handed it over. Any
// bytes give an error (not a ZIP) or a report; a report of changed bytes
// is never OK.
func FuzzVerify(f *testing.F) {
	w := newWorld(f)
	w.m.Files, w.m.Items = w.m.Files[:1], w.m.Items[:1]
	w.m.Items[0].Files = w.m.Items[0].Files[:1]
	// One key in every fuzz worker, so that each makes the same package.
	w.key = ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	good := w.pack(f)
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Verify(bytes.NewReader(data), int64(len(data)), nil)
		if err == nil && rep.OK() && !bytes.Equal(data, good) {
			t.Errorf("changed package verifies:\n%s", kinds(rep))
		}
	})
}
