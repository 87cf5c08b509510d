package exhibits

import (
	"context"
	"net/url"
	"os"
	"strings"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/evidence"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Capture records a web page as one evidence item of kind web page
// capture, on a user's request with a stated reason. Only a page named in
// the incident (its title or description, or a website attached to it) or
// in the registry of the incident's organisation is captured: yingji looks
// at registered systems, nothing else (MISSION.md).
func (s *Service) Capture(ctx context.Context, actor *user.User, incidentID int64, rawURL, reason string) (*evidence.Item, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	if err := core.CheckText("reason", reason, true, 500); err != nil {
		return nil, err
	}
	if err := core.CheckText("url", rawURL, true, 2000); err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" || u.User != nil {
		return nil, errs.Field("url", "evidence.bad_url")
	}
	// Checked before Chromium is started.
	var in *incident.Incident
	err = s.DB.Read(ctx, func(q *store.Q) error {
		in, _, err = s.IncidentFor(q, actor, incidentID)
		if err != nil {
			return err
		}
		if err := mayAdd(actor, in); err != nil {
			return err
		}
		if s.Capturer == nil {
			return errs.New(errs.Conflict, "evidence.capture_unavailable")
		}
		return s.named(q, in, u)
	})
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(s.TempDir, "capture-")
	if err != nil {
		return nil, errs.Wrap(err, "capture dir")
	}
	defer os.RemoveAll(dir)
	parts, err := s.Capturer.Capture(ctx, u.String(), dir)
	if err != nil {
		return nil, &errs.Error{Code: errs.Conflict, Field: "url", Key: "evidence.capture_failed", Args: []any{u.Host}, Err: err}
	}
	// Each part is stored as it was written, before anything is registered.
	files := make([]*evidence.FileRef, 0, len(parts))
	for _, p := range parts {
		f, err := os.Open(p.Path)
		if err != nil {
			return nil, errs.Wrap(err, "capture part")
		}
		d, err := s.blobs.Put(ctx, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		at := p.At.UTC()
		files = append(files, &evidence.FileRef{Name: cleanName(p.Name), MediaType: cleanMediaType(p.MediaType, p.Name),
			Size: d.Size, SHA256: d.SHA256, SM3: d.SM3, CapturedAt: &at, AddedBy: actor.ID})
	}
	var it *evidence.Item
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		in, _, err := s.IncidentFor(&tx.Q, actor, incidentID)
		if err != nil {
			return err
		}
		name := actor.DisplayName
		if name == "" {
			name = actor.Username
		}
		it, err = s.addItem(tx, actor, in, evidence.New{Kind: evidence.WebPage, Description: "网页固定：" + u.String() + "（" + reason + "）",
			CollectedAt: tx.Now, CollectedBy: name, Place: u.Host}, u.String())
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := s.registerFile(tx, actor, in, it, f); err != nil {
				return err
			}
			it.Files = append(it.Files, f)
		}
		return nil
	})
	return it, err
}

// named checks that the page is the incident's or a registered website's.
func (s *Service) named(q *store.Q, in *incident.Incident, u *url.URL) error {
	host := strings.ToLower(u.Hostname())
	text := strings.ToLower(in.Title + " " + in.Description)
	if strings.Contains(text, strings.ToLower(u.String())) || strings.Contains(text, host) {
		return nil
	}
	sites, err := q.WebsitesOfOrg(in.OrgID)
	if err != nil {
		return err
	}
	for _, w := range sites {
		if d := strings.ToLower(strings.TrimSpace(w.Domain)); d != "" && (host == d || strings.HasSuffix(host, "."+d)) {
			return nil
		}
		if wu, err := url.Parse(w.URL); err == nil && w.URL != "" && strings.EqualFold(wu.Hostname(), host) {
			return nil
		}
	}
	return errs.Field("url", "evidence.url_not_named", host)
}
