package audit

import (
	"errors"
	"testing"
)

// The state of a version 2 record is hashed: changing it, or passing a
// version 2 record off as version 1, breaks the chain.
func TestStateIsChained(t *testing.T) {
	rs := buildChain(3)
	rs[1].Version, rs[1].State = 2, FormatState([]StateRef{{"timeline", 9, "ab"}, {"incidents", 1, Deleted}})
	rs[1].PrevHash, rs[1].Hash = "", ""
	Seal(&rs[1], &rs[0])
	rs[2].PrevHash, rs[2].Hash = "", ""
	Seal(&rs[2], &rs[1])
	if rs[1].State != "incidents 1 -\ntimeline 9 ab" {
		t.Fatalf("state %q", rs[1].State)
	}
	verify := func(rs []Record) error {
		var v Verifier
		for i := range rs {
			if err := v.Add(&rs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if err := verify(rs); err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(r *Record){
		"state edited":  func(r *Record) { r.State = "incidents 1 -\ntimeline 9 ac" },
		"state dropped": func(r *Record) { r.State = "" },
		"downgraded":    func(r *Record) { r.Version = 1 },
		"unknown":       func(r *Record) { r.Version = 3 },
	} {
		c := append([]Record(nil), rs...)
		mut(&c[1])
		var be *BreakError
		if err := verify(c); !errors.As(err, &be) || be.Seq != 2 {
			t.Errorf("%s: %v", name, err)
		}
	}
	var seen []StateRef
	if err := EachState(rs[1].State, func(table string, id int64, hash string) { seen = append(seen, StateRef{table, id, hash}) }); err != nil || len(seen) != 2 || seen[1] != (StateRef{"timeline", 9, "ab"}) {
		t.Fatalf("%v %v", seen, err)
	}
	if err := EachState("incidents x ab", func(string, int64, string) {}); err == nil {
		t.Fatal("bad line accepted")
	}
}

// Row hashes depend on names and typed values, not on column order, and
// tell apart NULL, ”, 0 and '0'.
func TestRowHash(t *testing.T) {
	h1 := NewRowHasher("incidents", []string{"id", "title", "closed_at"})
	h2 := NewRowHasher("incidents", []string{"closed_at", "id", "title"})
	a, err := h1.Hash([]any{int64(1), "标题", nil})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := h2.Hash([]any{nil, int64(1), []byte("标题")}); a != b {
		t.Fatal("column order or bytes/string changed the hash")
	}
	seen := map[string]bool{a: true}
	for _, vals := range [][]any{{int64(1), "标题", int64(0)}, {int64(1), "标题", ""}, {int64(1), "标题", "0"}, {"1", "标题", nil}, {int64(2), "标题", nil}} {
		h, err := h1.Hash(vals)
		if err != nil || seen[h] {
			t.Fatalf("%v: %s %v", vals, h, err)
		}
		seen[h] = true
	}
	if other, _ := NewRowHasher("tasks", []string{"id", "title", "closed_at"}).Hash([]any{int64(1), "标题", nil}); other == a {
		t.Fatal("table not hashed")
	}
	// A PostgreSQL BOOLEAN hashes like SQLite's 0/1; other types still hash.
	if x, _ := h1.Hash([]any{int64(1), "标题", true}); x != mustHash(t, h1, []any{int64(1), "标题", int64(1)}) {
		t.Fatal("true differs from 1")
	}
	if x := mustHash(t, h1, []any{int64(1), "标题", 1.5}); x == mustHash(t, h1, []any{int64(1), "标题", 2.5}) {
		t.Fatal("floats not told apart")
	}
	if x := mustHash(t, h1, []any{int64(1), "标题", struct{ A int }{1}}); x == mustHash(t, h1, []any{int64(1), "标题", struct{ A int }{2}}) {
		t.Fatal("unknown types not told apart")
	}
}

func mustHash(t *testing.T, h *RowHasher, vals []any) string {
	t.Helper()
	s, err := h.Hash(vals)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
