package app

import (
	"context"
	"crypto/ed25519"
	"io"
	"strings"

	"yingji/internal/audit"
	"yingji/internal/capture"
	"yingji/internal/evpack"
	"yingji/internal/exhibits"
)

// pageCapturer lets the evidence register record web pages with
// internal/capture (headless Chromium and Go's own fetch).
type pageCapturer struct{ c *capture.Capturer }

func (p pageCapturer) Capture(ctx context.Context, rawURL, dir string) ([]exhibits.CapturedPart, error) {
	parts, err := p.c.Capture(ctx, rawURL, dir)
	out := make([]exhibits.CapturedPart, len(parts))
	for i, x := range parts {
		out[i] = exhibits.CapturedPart{Name: x.Name, MediaType: x.MediaType, Path: x.Path, At: x.At}
	}
	return out, err
}

// packer writes the register's export as an evpack package
// (yingji-evidence/1), which `yingji evidence verify` checks offline.
type packer struct{ installation string }

func (p packer) Pack(w io.Writer, m *exhibits.Manifest, open func(string) (io.ReadCloser, error), key ed25519.PrivateKey) error {
	return evpack.Write(w, packManifest(p.installation, m), open, key)
}

// packManifest maps the register's manifest onto the package's.
func packManifest(installation string, m *exhibits.Manifest) *evpack.Manifest {
	pm := &evpack.Manifest{Installation: installation, CreatedAt: m.ExportedAt, CreatedBy: m.ExportedBy,
		Incident: evpack.Incident{Number: m.Incident.Number, Title: m.Incident.Title}}
	seen := map[string]bool{}
	for _, it := range m.Items {
		pi := evpack.Item{Number: it.Number, Kind: string(it.Kind), Description: it.Description, CollectedWhere: it.Place,
			CollectedAt: it.CollectedAt, CollectedBy: it.CollectedBy, SealNumber: it.SealNumber, Status: string(it.Status)}
		if it.Witnesses != "" {
			pi.Witnesses = strings.FieldsFunc(it.Witnesses, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' })
		}
		for _, f := range it.Files {
			pi.Files = append(pi.Files, f.SHA256)
			if !seen[f.SHA256] { // content is stored once by hash; an item may share it
				seen[f.SHA256] = true
				pm.Files = append(pm.Files, evpack.File{Path: evpack.FilesDir + f.SHA256, Name: f.Name, MediaType: f.MediaType,
					Size: f.Size, SHA256: f.SHA256, SM3: f.SM3})
			}
		}
		for _, c := range it.Custody {
			reason := c.Reason
			if c.Detail != "" {
				reason = strings.TrimSpace(reason + " " + c.Detail)
			}
			pi.Custody = append(pi.Custody, evpack.Custody{At: c.At, Action: string(c.Action), Actor: c.Actor, Reason: reason})
		}
		pm.Items = append(pm.Items, pi)
	}
	for _, r := range m.Audit {
		pm.Audit = append(pm.Audit, evpack.FromAudit(r))
	}
	if a, err := audit.ParseAnchor(m.Anchor); err == nil {
		pm.Anchor = &evpack.Anchor{Seq: a.Seq, Hash: a.Hash}
	}
	return pm
}
