package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"time"

	"yingji/internal/evpack"
	"yingji/internal/i18n"
)

// evidenceVerify: `yingji evidence verify FILE [--key PUB]` checks an
// exported evidence package offline (no database): exit 0 when everything
// matches, 1 on any problem, 2 on a usage error.
func evidenceVerify(_ context.Context, args []string) error {
	fs := newFlagSet("evidence verify")
	keyPath := fs.String("key", "", "the exporting installation's public key (PEM), obtained separately; without it the package's own key is used")
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 {
		fmt.Fprintln(os.Stderr, i18n.T(i18n.ZH, "evpack.usage"))
		return exitError(2)
	}
	var trusted ed25519.PublicKey
	if *keyPath != "" {
		data, err := os.ReadFile(*keyPath)
		if err == nil {
			trusted, err = evpack.ParsePublicKey(data)
		}
		if err != nil {
			fmt.Println(i18n.T(i18n.ZH, "evpack.bad_key", *keyPath, err.Error()))
			return exitError(2)
		}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		fmt.Println(i18n.T(i18n.ZH, "evpack.not_package", err.Error()))
		return exitError(1)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	rep, err := evpack.Verify(f, fi.Size(), trusted)
	if err != nil {
		fmt.Println(i18n.T(i18n.ZH, "evpack.not_package", err.Error()))
		return exitError(1)
	}
	printEvidenceReport(rep)
	if !rep.OK() {
		return exitError(1)
	}
	return nil
}

func printEvidenceReport(rep *evpack.Report) {
	if m := rep.Manifest; m != nil {
		fmt.Println(i18n.T(i18n.ZH, "evpack.summary", m.Incident.Number, m.Incident.Title, m.Installation, m.CreatedBy,
			m.CreatedAt.In(shanghai()).Format("2006-01-02 15:04:05"), len(m.Items), len(m.Files), len(m.Audit)))
	}
	if rep.KeySHA256 != "" {
		if rep.KeyFromPackage {
			fmt.Println(i18n.T(i18n.ZH, "evpack.key_package", rep.KeySHA256))
		} else {
			fmt.Println(i18n.T(i18n.ZH, "evpack.key_trusted", rep.KeySHA256))
		}
	}
	if m := rep.Manifest; m != nil && m.Anchor != nil {
		fmt.Println(i18n.T(i18n.ZH, "evpack.anchor", m.Anchor.Seq, m.Anchor.Hash))
	}
	for _, ts := range rep.Timestamps {
		fmt.Println(i18n.T(i18n.ZH, "evpack.timestamp", ts.Subject, ts.GenTime.In(shanghai()).Format("2006-01-02 15:04:05.000"), ts.TSA, ts.Issuer))
	}
	if rep.OK() {
		fmt.Println(i18n.T(i18n.ZH, "evpack.ok", rep.Files, float64(rep.Bytes)/1e6, rep.Records))
		return
	}
	fmt.Println(i18n.T(i18n.ZH, "evpack.bad", len(rep.Problems), rep.Files, rep.Records))
	for _, p := range rep.Problems {
		fmt.Println("  " + i18n.T(i18n.ZH, problemKey(p.Kind), p.Subject, p.Name, p.Seq, p.Detail))
	}
}

// problemKey names each kind's message literally, so the catalogue test
// sees every key.
func problemKey(kind string) string {
	switch kind {
	case evpack.KindSignature:
		return "evpack.problem.signature"
	case evpack.KindKey:
		return "evpack.problem.key"
	case evpack.KindMissing:
		return "evpack.problem.missing"
	case evpack.KindExtra:
		return "evpack.problem.extra"
	case evpack.KindDuplicate:
		return "evpack.problem.duplicate"
	case evpack.KindSize:
		return "evpack.problem.size"
	case evpack.KindSHA256:
		return "evpack.problem.sha256"
	case evpack.KindSM3:
		return "evpack.problem.sm3"
	case evpack.KindRead:
		return "evpack.problem.read"
	case evpack.KindAuditHash:
		return "evpack.problem.audit_hash"
	case evpack.KindAuditLink:
		return "evpack.problem.audit_link"
	case evpack.KindAnchor:
		return "evpack.problem.anchor"
	case evpack.KindTimestamp:
		return "evpack.problem.timestamp"
	case evpack.KindZip:
		return "evpack.problem.zip"
	}
	return "evpack.problem.manifest"
}

// shanghai is the zone times are shown in (Asia/Shanghai; UTC+8 without tzdata).
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}
