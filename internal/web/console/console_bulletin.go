package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"yingji/internal/bulletin"
	"yingji/internal/bulletins"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/registry"
)

// The office's 通报 pages (issue 14): the list and the draft form, one 通报
// with its signing, recipient selection (preview before sending) and the
// tracking table, and the table's XLSX export.

func (s *Server) bulletinsPage(w http.ResponseWriter, r *http.Request, c *req) error {
	var incidentID int64
	if v := r.URL.Query().Get("incident"); v != "" {
		id, ok := parseID(v)
		if !ok {
			return errs.New(errs.NotFound, "error.page_not_found")
		}
		incidentID = id
	}
	list, err := s.App.Bulletins.List(r.Context(), c.u, incidentID)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "bl.title"), "bulletins")
	p.Data = map[string]any{"List": list, "IncidentID": incidentID,
		"Deadline": s.App.Core.Now().Add(48 * time.Hour).In(bulletin.Zone).Format(formTime)}
	s.render(w, http.StatusOK, "bulletins", p)
	return nil
}

func (s *Server) bulletinDraft(w http.ResponseWriter, r *http.Request, c *req) error {
	in := bulletin.Input{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Actions: r.PostFormValue("actions"),
		Contact: r.PostFormValue("contact"), Phone: r.PostFormValue("phone")}
	if v := r.PostFormValue("incident_id"); v != "" && v != "0" {
		in.IncidentID, _ = parseID(v)
	}
	back := "/bulletins"
	if in.IncidentID != 0 {
		back += "?incident=" + strconv.FormatInt(in.IncidentID, 10)
	}
	if t, err := time.ParseInLocation(formTime, r.PostFormValue("deadline"), bulletin.Zone); err == nil {
		in.Deadline = t
	}
	b, err := s.App.Bulletins.Draft(r.Context(), c.u, in)
	if err != nil {
		return done(w, r, c, back, err, "")
	}
	return done(w, r, c, "/bulletins/"+strconv.FormatInt(b.ID, 10), nil, i18n.T(c.l, "bl.drafted"))
}

// selector reads a recipient selection from a form or a query.
func selector(v url.Values) bulletin.Selector {
	sel := bulletin.Selector{Kinds: v["kind"], KeySiteOwners: v.Get("key_sites") == "1"}
	for _, f := range strings.FieldsFunc(v.Get("regions"), func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '、' }) {
		sel.Regions = append(sel.Regions, f)
	}
	if id, ok := parseID(v.Get("list")); ok {
		sel.ListID = id
	}
	for _, f := range strings.FieldsFunc(v.Get("units"), func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\r' }) {
		if id, ok := parseID(f); ok && len(sel.UnitIDs) < bulletin.MaxRecipients {
			sel.UnitIDs = append(sel.UnitIDs, id)
		}
	}
	return sel
}

func (s *Server) bulletinPage(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	q := r.URL.Query()
	f := bulletin.TableFilter{State: q.Get("state"), Kind: q.Get("kind_filter"), Region: q.Get("region"), Q: q.Get("q"), Limit: 50}
	if n, ok := parseID(q.Get("page")); ok && n > 1 && n < 10000 {
		f.Offset = int(n-1) * f.Limit
	}
	t, err := s.App.Bulletins.Table(r.Context(), c.u, id, f)
	if err != nil {
		return err
	}
	data := map[string]any{"T": t, "B": t.Bulletin, "Filter": f, "Kinds": registry.UnitKinds, "States": append(bulletin.States[:len(bulletin.States):len(bulletin.States)], "overdue"),
		"MaySign": c.u.HasRole(bulletins.SignerRoles...) && c.u.ID != t.Bulletin.AuthorID && t.Bulletin.Status == bulletin.Draft,
		"Page":    f.Offset/f.Limit + 1, "Pages": (t.Total + f.Limit - 1) / f.Limit}
	if t.Bulletin.Status == bulletin.Signed {
		lists, err := s.App.Bulletins.Lists(r.Context(), c.u)
		if err != nil {
			return err
		}
		data["Lists"] = lists
		if q.Has("preview") {
			sel := selector(q)
			data["Sel"], data["SelQuery"] = sel, q
			p, err := s.App.Bulletins.Preview(r.Context(), c.u, id, sel)
			if err != nil && errs.CodeOf(err) != errs.Invalid {
				return err
			}
			data["Preview"] = p
			if err != nil {
				data["PreviewErr"] = errText(c.l, err)
			}
		}
	}
	p := s.newPage(w, r, c, t.Bulletin.Title, "bulletins")
	p.Data = data
	s.render(w, http.StatusOK, "bulletin", p)
	return nil
}

func (s *Server) bulletinSign(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	_, err = s.App.Bulletins.Sign(r.Context(), c.u, id)
	if errs.CodeOf(err) == errs.Forbidden {
		err = &errs.Error{Code: errs.Conflict, Key: errs.As(err).Key} // shown on the page, not as a 403 page
	}
	return done(w, r, c, "/bulletins/"+strconv.FormatInt(id, 10), err, i18n.T(c.l, "bl.signed_ok"))
}

func (s *Server) bulletinSend(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	expect, _ := strconv.Atoi(r.PostFormValue("expect"))
	_, p, err := s.App.Bulletins.Send(r.Context(), c.u, id, selector(r.PostForm), bulletins.Expect{Units: expect, Set: r.PostFormValue("expect_set")})
	msg := ""
	if err == nil {
		msg = i18n.T(c.l, "bl.sent_ok", p.Units, p.Addresses)
	}
	return done(w, r, c, "/bulletins/"+strconv.FormatInt(id, 10), err, msg)
}

func (s *Server) bulletinRevoke(w http.ResponseWriter, r *http.Request, c *req) error {
	id, rid, err := idAnd(r, "recipientId")
	if err != nil {
		return err
	}
	err = s.App.Bulletins.Revoke(r.Context(), c.u, id, rid)
	return done(w, r, c, "/bulletins/"+strconv.FormatInt(id, 10), err, i18n.T(c.l, "bl.revoked_ok"))
}

func (s *Server) bulletinExport(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	q := r.URL.Query()
	f := bulletin.TableFilter{State: q.Get("state"), Kind: q.Get("kind_filter"), Region: q.Get("region"), Q: q.Get("q")}
	b, err := s.App.Bulletins.XLSX(r.Context(), c.u, id, f, c.l)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="bulletin-`+strconv.FormatInt(id, 10)+`.xlsx"`)
	w.Write(b)
	return nil
}

func (s *Server) bulletinDocument(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	format := r.URL.Query().Get("format")
	b, name, err := s.App.Bulletins.Render(r.Context(), c.u, id, format)
	if err != nil {
		return err
	}
	ct := "application/pdf"
	if format == "docx" {
		ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(b)
	return nil
}
