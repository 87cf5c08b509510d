package console

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"net/http"
	"time"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/warning"
	"yingji/internal/warnings"
)

// The public outputs of issue 14: the page of warnings in force, its Atom
// feed and each released message as CAP 1.2. No login, read-only, GET (and
// HEAD) only, always zh-CN, cacheable: ETag (the body's hash) and
// Last-Modified (the latest release, end or expiry), answered 304 when the
// reader has them. Templates escape every field; the feed and CAP are
// written by encoding/xml.

// publicMaxAge is how long a reader or proxy may reuse a public answer
// without asking again: a release shows within a minute.
const publicMaxAge = "public, max-age=60"

var publicPage = template.Must(template.New("public").Funcs(templateFuncs()).ParseFS(consoleFS, "templates/public_warnings.html"))

// publicItem is a warning as the public page shows it.
type publicItem struct {
	*warnings.PublicItem
	Title, Period, Released string
}

func (s *Server) publicWarnings(w http.ResponseWriter, r *http.Request) {
	pub, err := s.App.Warnings.Public(r.Context())
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	v := &view{L: i18n.ZH, Loc: warnings.Zone, Now: pub.Now, Title: i18n.T(i18n.ZH, "pw.title")}
	items := make([]publicItem, 0, len(pub.Warnings))
	for _, it := range pub.Warnings {
		items = append(items, publicItem{PublicItem: it, Title: warning.EntryTitle(it.Message),
			Period:   i18n.T(i18n.ZH, "pw.period_text", publicTime(it.Effective), publicTime(it.Expires)),
			Released: publicTime(*it.ReleasedAt)})
	}
	v.Data = map[string]any{"Items": items}
	var buf bytes.Buffer
	if err := publicPage.ExecuteTemplate(&buf, "page", v); err != nil {
		s.publicError(w, r, err)
		return
	}
	servePublic(w, r, "text/html; charset=utf-8", buf.Bytes(), pub.Changed)
}

func (s *Server) publicFeed(w http.ResponseWriter, r *http.Request) {
	pub, err := s.App.Warnings.Public(r.Context())
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	body, err := pub.Feed(i18n.T(i18n.ZH, "pw.title"), "/public/warnings.atom", "/public/warnings")
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	servePublic(w, r, "application/atom+xml; charset=utf-8", body, pub.Changed)
}

func (s *Server) publicCAP(w http.ResponseWriter, r *http.Request) {
	body, changed, err := s.App.Warnings.CAP(r.Context(), r.PathValue("uuid"))
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	servePublic(w, r, "application/cap+xml; charset=utf-8", body, changed)
}

// publicTime is a time on the public page: Beijing time, written out.
func publicTime(t time.Time) string { return t.In(warnings.Zone).Format("2006年1月2日 15:04") }

// servePublic answers a public read with its validators; ServeContent
// answers If-None-Match / If-Modified-Since with 304 and HEAD without body.
func servePublic(w http.ResponseWriter, r *http.Request, ctype string, body []byte, changed time.Time) {
	securityHeaders(w)
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	h.Set("Cache-Control", publicMaxAge)
	if !changed.IsZero() {
		changed = changed.Truncate(time.Second)
	}
	http.ServeContent(w, r, "", changed, bytes.NewReader(body))
}

// publicError answers a public read that failed: not found, or a plain
// 500 with nothing of the cause (it is logged).
func (s *Server) publicError(w http.ResponseWriter, r *http.Request, err error) {
	securityHeaders(w)
	if errs.CodeOf(err) == errs.NotFound {
		http.Error(w, i18n.T(i18n.ZH, "error.warning_not_found"), http.StatusNotFound)
		return
	}
	s.logError("public warnings", "path", r.URL.Path, "err", err)
	http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
}
