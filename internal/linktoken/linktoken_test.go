package linktoken

import "testing"

// Tokens already sent must keep working: the format is pinned by a known
// answer (the roll-call's format before this package existed).
func TestMakeParseCheck(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	// Known answers, computed by the roll-call's and the 通报's own code
	// before they shared this package: links in people's phones keep working.
	tok := Make(key, "rollcall", 71, 3, 9, 1764300000000)
	if tok != "1z.jQBal4HZGu7J4s3B" {
		t.Fatalf("roll-call token %q", tok)
	}
	if b := Make(key, "bulletin", 5, 2, 7, 1764300000000); b != "5.g2vzNZYufY-wnF2t" {
		t.Fatalf("通报 token %q", b)
	}
	id, sig, ok := Parse(tok)
	if !ok || id != 71 || !Check(key, sig, "rollcall", 71, 3, 9, 1764300000000) {
		t.Fatalf("parse %d %q %v", id, sig, ok)
	}
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"another purpose", Check(key, sig, "bulletin", 71, 3, 9, 1764300000000)},
		{"another fact", Check(key, sig, "rollcall", 71, 3, 9, 1764300000001)},
		{"no key", Check(nil, sig, "rollcall", 71, 3, 9, 1764300000000)},
	} {
		if c.ok {
			t.Errorf("%s: accepted", c.name)
		}
	}
	for _, bad := range []string{"", "1z", ".abcdefghijklmnop", "1z.short", "zzzzzzzzzzzzz.abcdefghijklmnop", "-1.abcdefghijklmnop"} {
		if _, _, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) ok", bad)
		}
	}
}

// FuzzParse: any text parses or not without panicking, and what parses
// names a positive id and a whole signature (the roll-call's and the 通报's
// links both come through here).
func FuzzParse(f *testing.F) {
	f.Add("1z.abcdefghijklmnop")
	f.Add("..")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		id, sig, ok := Parse(tok)
		if ok && (id <= 0 || len(sig) != 16) {
			t.Fatalf("%q: %d %q", tok, id, sig)
		}
	})
}
