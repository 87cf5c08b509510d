package store_test

import (
	"errors"
	"strings"
	"testing"

	"yingji/internal/audit"
	"yingji/internal/store"
)

// release1Anchor is what `yingji audit verify` printed on the first
// release's database (testdata/release-1, made at commit a488c0a).
const release1Anchor = "139:acd075c103e959ba49f16e60e1d783ed537e1a33024cc0df0c1d5a51e1d019f1"

// The first release's database opens, migrates and gets one baseline that
// covers its rows; its version 1 records verify byte for byte (the anchor
// holds), and a row edited behind yingji's back afterwards is named.
func TestReleaseOneStateCovered(t *testing.T) {
	db, dir := store.OpenRelease1Copy(t)
	anchor, err := audit.ParseAnchor(release1Anchor)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.VerifyAudit(ctx, anchor)
	if err != nil || res.Err != nil {
		t.Fatalf("verify after upgrade: %v %v", err, res.Err)
	}
	if res.HeadSeq <= 139 || res.Rows == 0 {
		t.Fatalf("no baseline: head %d, %d rows checked", res.HeadSeq, res.Rows)
	}
	var recs []*audit.Record
	db.Read(ctx, func(q *store.Q) error { recs, err = q.AuditRecords(139, 1000); return err })
	for _, r := range recs {
		if r.Action != "audit.baseline" || r.Actor != "system" || r.Version != 2 || r.State == "" {
			t.Fatalf("record %d after the old chain: %+v", r.Seq, r)
		}
	}
	baseline := recs[0].Seq
	db.Close()

	// Opening again writes nothing more.
	db, err = store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if again, _ := db.VerifyAudit(ctx, anchor); again.HeadSeq != res.HeadSeq || again.Err != nil {
		t.Fatalf("second open: head %d→%d, %v", res.HeadSeq, again.HeadSeq, again.Err)
	}

	if err := db.Raw(ctx, `UPDATE incidents SET title = '已篡改' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	res, err = db.VerifyAudit(ctx, anchor)
	var se *audit.StateError
	if err != nil || !errors.As(res.Err, &se) || se.Count != 1 {
		t.Fatalf("tampering not named: %v %v", err, res.Err)
	}
	want := audit.RowProblem{Table: "incidents", ID: 1, Seq: baseline, Reason: audit.RowChanged}
	if se.Rows[0] != want || !strings.Contains(res.Err.Error(), "incidents 1: changed") {
		t.Fatalf("got %+v (%v), want %+v", se.Rows[0], res.Err, want)
	}
}
