package console

import (
	"crypto/subtle"
	"net/http"
	"time"

	"yingji/internal/errs"
	"yingji/internal/evidence"
	"yingji/internal/exhibits"
	"yingji/internal/i18n"
	"yingji/internal/web/httpx"
)

// The evidence register's pages (issue 13): the register of an incident
// with its forms (register, drag-and-drop upload with progress, capture,
// export) and an item's page with its files, custody log and actions.

func evidenceURL(id int64) string { return "/evidence/" + itoa64(id) }

func (s *Server) evidencePage(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	reg, err := s.App.Evidence.Items(r.Context(), c.u, id)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "evidence.register")+" · "+reg.Incident.Number, "incidents")
	p.Data = map[string]any{"Reg": reg, "URL": incidentURL(id), "Kinds": evidence.Kinds,
		"Now": s.App.Core.Now().In(s.loc()).Format(formTime), "Max": s.App.Evidence.MaxUpload}
	s.render(w, http.StatusOK, "evidence", p)
	return nil
}

func (s *Server) registerEvidence(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	n := evidence.New{Kind: evidence.Kind(r.PostFormValue("kind")), Description: r.PostFormValue("description"), Place: r.PostFormValue("place"),
		CollectedBy: r.PostFormValue("collected_by"), Witnesses: r.PostFormValue("witnesses"), SealNumber: r.PostFormValue("seal_number")}
	if v := r.PostFormValue("collected_at"); v != "" {
		t, perr := time.ParseInLocation(formTime, v, s.loc())
		if perr != nil {
			return done(w, r, c, incidentURL(id)+"/evidence", errs.Field("collected_at", "error.bad_time"), "")
		}
		n.CollectedAt = t
	}
	it, err := s.App.Evidence.Register(r.Context(), c.u, id, n)
	if err != nil {
		return done(w, r, c, incidentURL(id)+"/evidence", err, "")
	}
	return back(w, r, incidentURL(id)+"/evidence#item-"+itoa64(it.ID), "ok", i18n.T(c.l, "console.evidence_registered", it.Number))
}

func (s *Server) captureEvidence(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	it, err := s.App.Evidence.Capture(r.Context(), c.u, id, r.PostFormValue("url"), r.PostFormValue("reason"))
	if err != nil {
		return done(w, r, c, incidentURL(id)+"/evidence", err, "")
	}
	return back(w, r, evidenceURL(it.ID), "ok", i18n.T(c.l, "console.evidence_registered", it.Number))
}

func (s *Server) exportEvidence(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(httpx.EvidenceWindow))
	zw := &httpx.LazyAttachment{W: w, Name: "evidence-" + itoa64(id) + ".zip"}
	if _, err := s.App.Evidence.Export(r.Context(), c.u, id, r.PostFormValue("reason"), zw); err != nil {
		if zw.Started {
			panic(http.ErrAbortHandler)
		}
		return done(w, r, c, incidentURL(id)+"/evidence", err, "")
	}
	return nil
}

func (s *Server) evidenceItemPage(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	v, err := s.App.Evidence.Item(r.Context(), c.u, id)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, v.Item.Number, "incidents")
	p.Data = map[string]any{"V": v, "URL": evidenceURL(id), "Incident": incidentURL(v.Item.IncidentID)}
	s.render(w, http.StatusOK, "evidence_item", p)
	return nil
}

func (s *Server) evidenceCustody(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	to, _ := parseID(r.PostFormValue("to_user_id"))
	act := evidence.Action(r.PostFormValue("action"))
	_, err = s.App.Evidence.Change(r.Context(), c.u, id, evidence.Change{Action: act, Reason: r.PostFormValue("reason"),
		ToUserID: to, SealNumber: r.PostFormValue("seal_number")})
	return done(w, r, c, evidenceURL(id), err, i18n.T(c.l, "evidence.action."+string(act)))
}

func (s *Server) verifyEvidence(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	checks, err := s.App.Evidence.Verify(r.Context(), c.u, id)
	if err != nil {
		return err
	}
	for _, ch := range checks {
		if !ch.OK {
			return back(w, r, evidenceURL(id), "error", i18n.T(c.l, "console.evidence_verify_bad", ch.File.Name, ch.Why))
		}
	}
	return back(w, r, evidenceURL(id), "ok", i18n.T(c.l, "console.evidence_verify_ok", len(checks)))
}

func (s *Server) downloadEvidence(w http.ResponseWriter, r *http.Request, c *req) error {
	id, fid, err := idAnd(r, "fileId")
	if err != nil {
		return err
	}
	f, body, err := s.App.Evidence.Download(r.Context(), c.u, id, fid)
	if err != nil {
		return err
	}
	defer body.Close()
	return httpx.SendChecked(w, f.Name, f.Size, body, exhibits.ErrCorrupt, nil)
}

// uploadEvidence takes one file as the raw body of a script's request
// (evidence.js): ?name=, Content-Type, Content-Length, the session's CSRF
// token in X-CSRF-Token. It is not a page: the console's form limit and
// form parsing do not apply, the body streams into the store. It answers
// JSON for the script.
func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	l := consoleLang(r)
	fail := func(st int, key string, args ...any) {
		w.Header().Set("Connection", "close")
		httpx.WriteJSON(w, st, map[string]string{"error": i18n.T(l, key, args...)})
	}
	ck, _ := r.Cookie(sessionCookie)
	if ck == nil {
		fail(http.StatusUnauthorized, "error.session_expired")
		return
	}
	sess, err := s.App.Accounts.Visit(r.Context(), ck.Value)
	if err != nil || sess.Stage != "" {
		fail(http.StatusUnauthorized, "error.session_expired")
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-CSRF-Token")), []byte(sess.CSRF)) != 1 {
		fail(http.StatusForbidden, "error.csrf")
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		fail(http.StatusNotFound, "error.page_not_found")
		return
	}
	if max := s.App.Evidence.MaxUpload; r.ContentLength > max {
		fail(http.StatusRequestEntityTooLarge, "evidence.too_large", max>>20)
		return
	}
	httpx.ExtendBodyDeadline(w, httpx.EvidenceWindow)
	f, err := s.App.Evidence.AddFile(r.Context(), sess.User, id, exhibits.Upload{Name: r.URL.Query().Get("name"),
		MediaType: r.Header.Get("Content-Type"), Size: r.ContentLength, Body: r.Body})
	if err != nil {
		e := errs.As(err)
		st := status[e.Code]
		if exhibits.IsTooLarge(err) {
			st = http.StatusRequestEntityTooLarge
		}
		if e.Code == errs.Internal {
			s.logError("evidence upload", "err", err)
		}
		fail(st, e.Key, e.Args...)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"id": f.ID, "name": f.Name, "size": f.Size, "sha256": f.SHA256, "sm3": f.SM3})
}
