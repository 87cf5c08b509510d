package evpack

import (
	"encoding/hex"
	"net/http/httptest"
	"testing"

	"yingji/internal/tsa"
	"yingji/internal/tsa/tsatest"
)

// TestTimestampsKeptAndChecked: RFC 3161 tokens over a file's SHA-256 and
// over the anchor travel in the manifest; Verify checks each covers its
// subject and names the TSA; a token moved to another subject is named.
func TestTimestampsKeptAndChecked(t *testing.T) {
	a := tsatest.New(t)
	srv := httptest.NewServer(a)
	defer srv.Close()
	c := &tsa.Client{URL: srv.URL, Roots: a.Pool}
	w := newWorld(t)
	stamp := func(hexDigest string) []byte {
		d, _ := hex.DecodeString(hexDigest)
		tok, err := c.Stamp(t.Context(), d)
		if err != nil {
			t.Fatal(err)
		}
		return tok.DER
	}
	f := w.m.Files[0]
	w.m.Timestamps = []Timestamp{{Subject: f.Path, Token: stamp(f.SHA256)}, {Subject: "anchor", Token: stamp(w.m.Anchor.Hash)}}
	rep := verify(t, w.pack(t), nil)
	if !rep.OK() || len(rep.Timestamps) != 2 || rep.Timestamps[1].Subject != "anchor" || !rep.Timestamps[0].GenTime.Equal(a.Now) ||
		rep.Timestamps[0].TSA != "CN=测试 TSA" {
		t.Fatalf("%+v\n%s", rep, kinds(rep))
	}
	w.m.Timestamps[1].Subject = w.m.Files[1].Path // the anchor's token shown as a file's
	want(t, verify(t, w.pack(t), nil), "timestamp "+w.m.Files[1].Path+": tsa: the token covers another digest")
}
