package audit

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"
)

var base = time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC)

// buildChain returns n sealed records with varied contents.
func buildChain(n int) []Record {
	rs := make([]Record, n)
	for i := range rs {
		rs[i] = Record{
			At:         base.Add(time.Duration(i) * 1500 * time.Millisecond),
			ActorID:    int64(i % 7),
			Actor:      "user" + strconv.Itoa(i%7),
			Action:     "incident.update",
			ObjectType: "incident",
			ObjectID:   int64(1000 + i/10),
			OrgID:      int64(1 + i%3),
			Detail:     `{"field":"level","from":"III","to":"II","n":` + strconv.Itoa(i) + `}`,
		}
		var prev *Record
		if i > 0 {
			prev = &rs[i-1]
		}
		Seal(&rs[i], prev)
	}
	return rs
}

// verify feeds rs to a fresh Verifier and returns the first error, and
// the Finish error against the given head.
func verify(rs []Record, headSeq int64, headHash string) (*Verifier, error) {
	var v Verifier
	for i := range rs {
		if err := v.Add(&rs[i]); err != nil {
			return &v, err
		}
	}
	return &v, v.Finish(headSeq, headHash)
}

func wantBreak(t *testing.T, err error, seq int64, reason string) {
	t.Helper()
	var be *BreakError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want *BreakError at %d (%s)", err, seq, reason)
	}
	if be.Seq != seq || be.Reason != reason {
		t.Fatalf("break at %d (%s), want at %d (%s)", be.Seq, be.Reason, seq, reason)
	}
}

func TestChainVerifies(t *testing.T) {
	rs := buildChain(50)
	last := rs[len(rs)-1]
	v, err := verify(rs, last.Seq, last.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if v.Count() != 50 {
		t.Errorf("Count = %d, want 50", v.Count())
	}
	if s, h := v.Head(); s != 50 || h != last.Hash {
		t.Errorf("Head = %d %s, want 50 %s", s, h, last.Hash)
	}
	for i, r := range rs {
		if r.Seq != int64(i+1) {
			t.Fatalf("record %d has Seq %d", i, r.Seq)
		}
	}
	if rs[0].PrevHash != "" || rs[1].PrevHash != rs[0].Hash {
		t.Error("records not linked")
	}
	if _, err := verify(rs, -1, ""); err != nil {
		t.Errorf("skipped head check: %v", err)
	}
}

func TestEmptyChain(t *testing.T) {
	var v Verifier
	if err := v.Finish(0, ""); err != nil {
		t.Errorf("empty log with empty head: %v", err)
	}
	var w Verifier
	wantBreak(t, w.Finish(1, "ab"), 1, ReasonHead)
}

func TestAlteredFieldDetected(t *testing.T) {
	fields := []struct {
		name   string
		alter  func(r *Record)
		reason string
	}{
		{"Seq up", func(r *Record) { r.Seq++ }, ReasonGap},
		{"Seq down", func(r *Record) { r.Seq-- }, ReasonOrder},
		{"At", func(r *Record) { r.At = r.At.Add(time.Millisecond) }, ReasonHash},
		{"ActorID", func(r *Record) { r.ActorID++ }, ReasonHash},
		{"Actor", func(r *Record) { r.Actor += "x" }, ReasonHash},
		{"Action", func(r *Record) { r.Action = "incident.delete" }, ReasonHash},
		{"ObjectType", func(r *Record) { r.ObjectType = "task" }, ReasonHash},
		{"ObjectID", func(r *Record) { r.ObjectID = -r.ObjectID }, ReasonHash},
		{"OrgID", func(r *Record) { r.OrgID += 100 }, ReasonHash},
		{"Detail", func(r *Record) { r.Detail = r.Detail[:len(r.Detail)-1] + " }" }, ReasonHash},
		{"Detail emptied", func(r *Record) { r.Detail = "" }, ReasonHash},
		{"PrevHash", func(r *Record) { r.PrevHash = "00" + r.PrevHash[min(2, len(r.PrevHash)):] }, ReasonPrevHash},
		{"Hash", func(r *Record) { r.Hash = "00" + r.Hash[2:] }, ReasonHash},
		{"Hash upper-cased", func(r *Record) { r.Hash = "ABCDEF" + r.Hash[6:] }, ReasonHash},
	}
	const n = 20
	for _, f := range fields {
		for _, k := range []int64{1, 2, 10, n} {
			t.Run(fmt.Sprintf("%s/record %d", f.name, k), func(t *testing.T) {
				rs := buildChain(n)
				f.alter(&rs[k-1])
				v, err := verify(rs, n, rs[n-1].Hash)
				wantBreak(t, err, k, f.reason)
				if v.Count() != k-1 {
					t.Errorf("Count = %d, want %d", v.Count(), k-1)
				}
			})
		}
	}
}

// The same instant in another zone, or finer than a millisecond, is not a
// change: the store keeps UTC milliseconds.
func TestAtRepresentationNotAChange(t *testing.T) {
	rs := buildChain(3)
	rs[1].At = rs[1].At.In(time.FixedZone("CST", 8*3600))
	rs[2].At = rs[2].At.Add(999 * time.Microsecond)
	if _, err := verify(rs, 3, rs[2].Hash); err != nil {
		t.Fatal(err)
	}
}

func TestDeletedMiddle(t *testing.T) {
	rs := buildChain(10)
	cut := append(append([]Record{}, rs[:4]...), rs[5:]...) // drop Seq 5
	_, err := verify(cut, 10, rs[9].Hash)
	wantBreak(t, err, 5, ReasonGap)
}

func TestDeletedGenesis(t *testing.T) {
	rs := buildChain(5)
	_, err := verify(rs[1:], 5, rs[4].Hash)
	wantBreak(t, err, 1, ReasonGap)
}

func TestDeletedTail(t *testing.T) {
	rs := buildChain(10)
	v, err := verify(rs[:9], 10, rs[9].Hash)
	wantBreak(t, err, 10, ReasonHead)
	if v.Count() != 9 {
		t.Errorf("Count = %d, want 9", v.Count())
	}
	// Deleting the tail and rolling back the head by seq only.
	_, err = verify(rs[:9], 9, rs[9].Hash)
	wantBreak(t, err, 9, ReasonHead)
	// More records than the head admits: appended bypassing the head.
	_, err = verify(rs, 9, rs[8].Hash)
	wantBreak(t, err, 10, ReasonHead)
}

// Deleting a record and re-sealing everything after it yields a
// consistent chain; only the head catches it.
func TestResealedAfterDeletion(t *testing.T) {
	rs := buildChain(10)
	forged := append(append([]Record{}, rs[:4]...), rs[5:]...)
	for i := 4; i < len(forged); i++ {
		forged[i].Seq = 0
		Seal(&forged[i], &forged[i-1])
	}
	_, err := verify(forged, 10, rs[9].Hash)
	wantBreak(t, err, 10, ReasonHead)
}

func TestReordered(t *testing.T) {
	rs := buildChain(10)
	rs[2], rs[3] = rs[3], rs[2]
	_, err := verify(rs, 10, rs[9].Hash)
	wantBreak(t, err, 3, ReasonGap)

	// Renumbered and rehashed, but the links give it away.
	rs = buildChain(10)
	rs[2], rs[3] = rs[3], rs[2]
	rs[2].Seq, rs[3].Seq = 3, 4
	rs[2].Hash, rs[3].Hash = ComputeHash(&rs[2]), ComputeHash(&rs[3])
	_, err = verify(rs, 10, rs[9].Hash)
	wantBreak(t, err, 3, ReasonPrevHash)
}

func TestDuplicated(t *testing.T) {
	rs := buildChain(5)
	dup := append(append([]Record{}, rs[:3]...), rs[2:]...)
	_, err := verify(dup, 5, rs[4].Hash)
	wantBreak(t, err, 4, ReasonOrder)
}

func TestGenesisWithPrevHash(t *testing.T) {
	rs := buildChain(3)
	rs[0].PrevHash = rs[2].Hash
	rs[0].Hash = ComputeHash(&rs[0]) // self-consistent, still relinked
	_, err := verify(rs, 3, rs[2].Hash)
	wantBreak(t, err, 1, ReasonPrevHash)
}

func TestErrorSticks(t *testing.T) {
	rs := buildChain(5)
	rs[1].Detail = "{}"
	var v Verifier
	if err := v.Add(&rs[0]); err != nil {
		t.Fatal(err)
	}
	first := v.Add(&rs[1])
	wantBreak(t, first, 2, ReasonHash)
	good := buildChain(5)
	if err := v.Add(&good[1]); err != first {
		t.Errorf("after break Add = %v, want the first error", err)
	}
	if err := v.Finish(-1, ""); err != first {
		t.Errorf("Finish = %v, want the first error", err)
	}
	if s, h := v.Head(); s != 1 || h != rs[0].Hash {
		t.Errorf("Head = %d %s, want last good record", s, h)
	}
}

func TestBreakErrorMessage(t *testing.T) {
	err := error(&BreakError{Seq: 42, Reason: ReasonHash})
	if got, want := err.Error(), "audit chain broken at record 42: hash mismatch (record altered)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSeal(t *testing.T) {
	zone := time.FixedZone("CST", 8*3600)
	g := Record{At: time.Date(2026, 5, 10, 17, 0, 0, 123456789, zone), Actor: "system", Action: "incident.create"}
	Seal(&g, nil)
	if g.Seq != 1 || g.PrevHash != "" || g.Hash != ComputeHash(&g) || len(g.Hash) != 64 {
		t.Fatalf("genesis = %+v", g)
	}
	if want := time.Date(2026, 5, 10, 9, 0, 0, 123000000, time.UTC); g.At != want {
		t.Errorf("At = %v, want %v", g.At, want)
	}
	r := Record{Seq: 2, Actor: "a", Action: "task.assign"}
	Seal(&r, &g)
	if r.Seq != 2 || r.PrevHash != g.Hash {
		t.Fatalf("second = %+v", r)
	}
	defer func() {
		if recover() == nil {
			t.Error("Seal with a conflicting Seq did not panic")
		}
	}()
	Seal(&Record{Seq: 2}, &r)
}

// The encoding is stored forever in the hashes: freeze it.
func TestCanonicalGolden(t *testing.T) {
	r := Record{
		Seq: 42, At: time.UnixMilli(1778403600123), ActorID: 7, Actor: "张三",
		Action: "approval.decide", ObjectType: "approval", ObjectID: -3, OrgID: 0,
		Detail: `{"ok":true}`, PrevHash: "ab", Hash: "ignored",
	}
	want := "15:yingji-audit-v1" + "2:42" + "13:1778403600123" + "1:7" + "6:张三" +
		"15:approval.decide" + "8:approval" + "2:-3" + "1:0" + `11:{"ok":true}` + "2:ab"
	if got := string(Canonical(nil, &r)); got != want {
		t.Fatalf("Canonical =\n%q\nwant\n%q", got, want)
	}
	if got, want := ComputeHash(&r), "1cd44f6bc540fdbc29defbe3b8fdc85acc1be69bed00b50401af0c9492c3cd60"; got != want {
		t.Errorf("ComputeHash = %s, want %s", got, want)
	}
	if got := Canonical([]byte("prefix"), &r); string(got) != "prefix"+want {
		t.Errorf("Canonical does not append to dst: %q", got)
	}
}

// decode parses a canonical encoding back into a record; that it always
// succeeds and round-trips is what makes Canonical injective.
func decode(b []byte) (Record, error) {
	next := func() (string, error) {
		i := bytes.IndexByte(b, ':')
		if i < 1 {
			return "", errors.New("no length")
		}
		n, err := strconv.Atoi(string(b[:i]))
		if err != nil || n < 0 || n > len(b)-i-1 || strconv.Itoa(n) != string(b[:i]) {
			return "", fmt.Errorf("bad length %q", b[:i])
		}
		s := string(b[i+1 : i+1+n])
		b = b[i+1+n:]
		return s, nil
	}
	var strs [11]string
	for i := range strs {
		s, err := next()
		if err != nil {
			return Record{}, err
		}
		strs[i] = s
	}
	if len(b) != 0 {
		return Record{}, errors.New("trailing bytes")
	}
	if strs[0] != Version {
		return Record{}, errors.New("bad version")
	}
	var ints [5]int64
	for j, idx := range []int{1, 2, 3, 7, 8} {
		v, err := strconv.ParseInt(strs[idx], 10, 64)
		if err != nil || strconv.FormatInt(v, 10) != strs[idx] {
			return Record{}, fmt.Errorf("bad int %q", strs[idx])
		}
		ints[j] = v
	}
	return Record{
		Seq: ints[0], At: time.UnixMilli(ints[1]).UTC(), ActorID: ints[2], Actor: strs[4],
		Action: strs[5], ObjectType: strs[6], ObjectID: ints[3], OrgID: ints[4],
		Detail: strs[9], PrevHash: strs[10],
	}, nil
}

func roundTrips(t *testing.T, r Record) []byte {
	t.Helper()
	enc := Canonical(nil, &r)
	got, err := decode(enc)
	if err != nil {
		t.Fatalf("decode(%q): %v", enc, err)
	}
	r.Hash = ""
	r.At = time.UnixMilli(r.At.UnixMilli()).UTC()
	if got != r {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, r)
	}
	return enc
}

func TestCanonicalInjective(t *testing.T) {
	pairs := []struct {
		name string
		a, b Record
	}{
		{"Action/ObjectType boundary", Record{Action: "a", ObjectType: "bc"}, Record{Action: "ab", ObjectType: "c"}},
		{"empty shifts", Record{Actor: "", Action: "x"}, Record{Actor: "x", Action: ""}},
		{"ObjectID/OrgID digits", Record{ObjectID: 12, OrgID: 3}, Record{ObjectID: 1, OrgID: 23}},
		{"sign", Record{ObjectID: -1}, Record{ObjectID: 1}},
		{"Detail holding an encoded field", Record{Detail: `x2:ab`}, Record{Detail: "x", PrevHash: "ab"}},
		{"Detail holding separators", Record{Detail: "1:a:", PrevHash: ""}, Record{Detail: "1:a", PrevHash: ":"}},
		{"Detail with NUL and newline", Record{Detail: "a\x00b"}, Record{Detail: "a\nb"}},
		{"Actor vs ActorID", Record{ActorID: 1, Actor: ""}, Record{ActorID: 0, Actor: "1"}},
		{"Seq vs At", Record{Seq: 1, At: time.UnixMilli(23)}, Record{Seq: 12, At: time.UnixMilli(3)}},
		{"PrevHash only", Record{PrevHash: ""}, Record{PrevHash: "0"}},
	}
	for _, p := range pairs {
		ea, eb := roundTrips(t, p.a), roundTrips(t, p.b)
		if bytes.Equal(ea, eb) {
			t.Errorf("%s: same encoding %q", p.name, ea)
		}
		if ComputeHash(&p.a) == ComputeHash(&p.b) {
			t.Errorf("%s: same hash", p.name)
		}
	}
}

func TestVerifyAllocationFree(t *testing.T) {
	rs := buildChain(1000)
	var v Verifier
	i := 0
	allocs := testing.AllocsPerRun(len(rs)-1, func() {
		if err := v.Add(&rs[i]); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs > 0 {
		t.Errorf("Verifier.Add allocates %.1f times per record", allocs)
	}
}

func FuzzCanonical(f *testing.F) {
	f.Add(int64(1), int64(1778403600123), int64(0), "system", "incident.create", "incident", int64(1), int64(1), `{"a":1}`, "", `{"a":2}`)
	f.Add(int64(2), int64(-1), int64(-5), "a", "bc", "", int64(0), int64(0), "3:abc", "ff", "3:abd")
	f.Fuzz(func(t *testing.T, seq, ms, actorID int64, actor, action, objType string, objID, orgID int64, detail, prev, detail2 string) {
		r := Record{
			Seq: seq, At: time.UnixMilli(ms), ActorID: actorID, Actor: actor, Action: action,
			ObjectType: objType, ObjectID: objID, OrgID: orgID, Detail: detail, PrevHash: prev,
		}
		roundTrips(t, r)
		h := ComputeHash(&r)
		if h2 := ComputeHash(&r); h2 != h {
			t.Fatalf("ComputeHash not deterministic: %s vs %s", h, h2)
		}
		cp := r
		cp.At = cp.At.In(time.FixedZone("X", 5*3600))
		cp.Hash = h
		if ComputeHash(&cp) != h {
			t.Fatal("hash depends on At's zone or on Hash")
		}
		var v Verifier
		s := r
		s.Seq, s.PrevHash, s.Hash = 1, "", ""
		s.Hash = ComputeHash(&s)
		if err := v.Add(&s); err != nil {
			t.Fatalf("self-hashed genesis rejected: %v", err)
		}
		d := r
		d.Detail = detail2
		if hd := ComputeHash(&d); (detail != detail2) != (hd != h) {
			t.Fatalf("Detail %q vs %q: hashes %s vs %s", detail, detail2, h, hd)
		}
	})
}
