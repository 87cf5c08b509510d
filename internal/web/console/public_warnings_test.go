package console_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"yingji/internal/testkit"
	"yingji/internal/warning"
	"yingji/internal/warnings"
	"yingji/internal/web"
)

func get(t *testing.T, url string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

// atomDoc is RFC 4287's must-haves, read with encoding/xml beside gofeed.
type atomDoc struct {
	ID      string `xml:"id"`
	Title   string `xml:"title"`
	Updated string `xml:"updated"`
	Author  string `xml:"author>name"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Summary string `xml:"summary"`
		Author  string `xml:"author>name"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Type string `xml:"type,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func feedOf(t *testing.T, base string) (*gofeed.Feed, atomDoc) {
	t.Helper()
	res, body := get(t, base+"/public/warnings.atom", nil)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, body)
	}
	if f.FeedType != "atom" {
		t.Fatalf("feed type %q", f.FeedType)
	}
	var a atomDoc
	if err := xml.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	// RFC 4287 4.1.1: a feed has exactly one id, title, updated, and an
	// author unless every entry has one; a self link is recommended.
	if a.ID != warning.FeedID || a.Title == "" || a.Author == "" {
		t.Fatalf("feed must-haves: %+v", a)
	}
	if _, err := time.Parse(time.RFC3339, a.Updated); err != nil || !strings.HasSuffix(a.Updated, "+08:00") {
		t.Fatalf("feed updated %q", a.Updated)
	}
	for _, e := range a.Entries {
		// 4.1.2: id, title, updated; a summary since there is no content; an
		// alternate link.
		if !strings.HasPrefix(e.ID, "urn:uuid:") || e.Title == "" || e.Summary == "" || e.Author == "" || len(e.Links) == 0 || e.Links[0].Rel != "alternate" {
			t.Fatalf("entry must-haves: %+v", e)
		}
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Fatalf("entry updated %q", e.Updated)
		}
	}
	return f, a
}

// TestPublicWarnings is the public side of issue 14 through a real server
// on both databases: no login; only released, unexpired warnings, escaped;
// ETag / Last-Modified / Cache-Control with 304s; the Atom feed parsed by
// gofeed with a stable entry id across an update; CAP per message,
// validated by xmllint; after the cancellation the page is empty.
func TestPublicWarnings(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		srv := httptest.NewServer(web.New(env.App, nil, env.Plan.Location))
		defer srv.Close()
		duty, chief := env.Users["duty"], env.Users["chief"]
		in := testkit.NewIncident(t, env, "virus_outbreak")
		testkit.Activate(t, env, in)

		res, body := get(t, srv.URL+"/public/warnings", nil)
		if res.StatusCode != 200 || !strings.Contains(body, "目前没有有效的预警信息") {
			t.Fatalf("empty page: %d %s", res.StatusCode, body)
		}
		_, f := feedOf(t, srv.URL)
		if len(f.Entries) != 0 {
			t.Fatal("entries in an empty feed")
		}

		now := env.Clock.Now()
		m, err := env.App.Warnings.Draft(ctx, duty, warnings.Input{IncidentID: in.ID, Level: "yellow", Headline: `勒索病毒<script>alert(1)</script>&传播`,
			Description: "多家单位感染\n请注意", Instruction: "及时打补丁", Area: "青神县", Effective: now, Expires: now.Add(48 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Warnings.Draft(ctx, duty, warnings.Input{Level: "red", Headline: "草稿不公开", Description: "x", Instruction: "x", Area: "x", Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Warnings.Approve(ctx, chief, m.ID, ""); err != nil {
			t.Fatal(err)
		}
		env.Clock.Add(time.Minute)
		if m, err = env.App.Warnings.Release(ctx, duty, m.ID); err != nil {
			t.Fatal(err)
		}

		res, body = get(t, srv.URL+"/public/warnings", nil)
		if res.StatusCode != 200 || !strings.Contains(body, "黄色预警") || strings.Contains(body, "草稿不公开") {
			t.Fatalf("page: %d\n%s", res.StatusCode, body)
		}
		if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;&amp;传播") {
			t.Fatalf("not escaped:\n%s", body)
		}
		etag, lm := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
		if etag == "" || lm == "" || !strings.Contains(res.Header.Get("Cache-Control"), "public") || strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("cache headers: %v", res.Header)
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Fatal("no CSP on the public page")
		}
		if r2, _ := get(t, srv.URL+"/public/warnings", map[string]string{"If-None-Match": etag}); r2.StatusCode != http.StatusNotModified {
			t.Fatalf("If-None-Match: %d", r2.StatusCode)
		}
		if r2, _ := get(t, srv.URL+"/public/warnings", map[string]string{"If-Modified-Since": lm}); r2.StatusCode != http.StatusNotModified {
			t.Fatalf("If-Modified-Since: %d", r2.StatusCode)
		}
		// Read-only: a POST is no public route (the console sends it to login).
		if r2, err := testkit.NoFollow.Post(srv.URL+"/public/warnings", "text/plain", strings.NewReader("x")); err != nil || r2.StatusCode/100 == 2 || r2.Header.Get("ETag") != "" {
			t.Fatalf("POST public page: %v %v", r2, err)
		}

		feed, _ := feedOf(t, srv.URL)
		if len(feed.Items) != 1 || feed.Items[0].GUID != "urn:uuid:"+m.ThreadUUID || !strings.HasPrefix(feed.Items[0].Title, "【黄色预警】") {
			t.Fatalf("feed entries %+v", feed.Items)
		}
		firstUpdated := feed.Items[0].Updated

		res, body = get(t, srv.URL+warnings.CAPPath(m.UUID), nil)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/cap+xml") || res.Header.Get("ETag") == "" {
			t.Fatalf("cap: %d %v", res.StatusCode, res.Header)
		}
		xsdValidate(t, body)
		if r2, _ := get(t, srv.URL+"/public/warnings/00000000-0000-4000-8000-000000000000/cap", nil); r2.StatusCode != 404 {
			t.Fatalf("unknown cap: %d", r2.StatusCode)
		}
		if r2, _ := get(t, srv.URL+"/public/warnings/..%2f..%2fetc/cap", nil); r2.StatusCode != 404 {
			t.Fatalf("odd id: %d", r2.StatusCode)
		}

		// An update: the same feed entry, a later updated; the page shows it.
		env.Clock.Add(time.Hour)
		up, err := env.App.Warnings.Revise(ctx, duty, m.ID, "update", warnings.Input{Level: "orange", Description: "范围扩大"})
		if err != nil {
			t.Fatal(err)
		}
		testkit.ReleaseWarning(t, env, up.ID)
		res, body = get(t, srv.URL+"/public/warnings", map[string]string{"If-None-Match": etag})
		if res.StatusCode != 200 || !strings.Contains(body, "橙色预警") || strings.Contains(body, "黄色预警") || !strings.Contains(body, "（已更新）") {
			t.Fatalf("after update: %d\n%s", res.StatusCode, body)
		}
		feed, _ = feedOf(t, srv.URL)
		if len(feed.Items) != 1 || feed.Items[0].GUID != "urn:uuid:"+m.ThreadUUID || feed.Items[0].Updated == firstUpdated {
			t.Fatalf("feed after update %+v", feed.Items)
		}
		_, body = get(t, srv.URL+warnings.CAPPath(up.UUID), nil)
		xsdValidate(t, body)

		// The cancellation: gone from the page; the feed says 解除.
		c, err := env.App.Warnings.Revise(ctx, duty, up.ID, "cancel", warnings.Input{Description: "已控制"})
		if err != nil {
			t.Fatal(err)
		}
		testkit.ReleaseWarning(t, env, c.ID)
		_, body = get(t, srv.URL+"/public/warnings", nil)
		if strings.Contains(body, "橙色预警") || !strings.Contains(body, "目前没有有效的预警信息") {
			t.Fatalf("cancelled warning shown:\n%s", body)
		}
		feed, _ = feedOf(t, srv.URL)
		if len(feed.Items) != 1 || !strings.Contains(feed.Items[0].Title, "解除") {
			t.Fatalf("feed after cancel %+v", feed.Items)
		}
		_, body = get(t, srv.URL+warnings.CAPPath(c.UUID), nil)
		xsdValidate(t, body)
	})
}

func xsdValidate(t *testing.T, doc string) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		return // internal/warning's TestCAPValidatesAgainstXSD requires it in CI
	}
	f := filepath.Join(t.TempDir(), "cap.xml")
	os.WriteFile(f, []byte(doc), 0o600)
	if out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", "../../warning/testdata/CAP-v1.2.xsd", f).CombinedOutput(); err != nil {
		t.Fatalf("CAP invalid: %v\n%s\n%s", err, out, doc)
	}
}
