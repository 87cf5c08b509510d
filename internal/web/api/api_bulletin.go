package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"yingji/internal/bulletin"
	"yingji/internal/bulletins"
	"yingji/internal/errs"
	"yingji/internal/user"
)

// 通报 to units (issue 14).

type bulletinJSON struct {
	ID         int64   `json:"id"`
	OrgID      int64   `json:"org_id"`
	IncidentID *int64  `json:"incident_id"`
	DocNumber  string  `json:"doc_number"`
	Title      string  `json:"title"`
	Body       string  `json:"body"`
	Actions    string  `json:"actions"`
	Deadline   string  `json:"deadline"`
	Contact    string  `json:"contact"`
	Phone      string  `json:"phone"`
	Status     string  `json:"status"`
	AuthorID   int64   `json:"author_id"`
	SignerName string  `json:"signer_name"`
	SignedAt   *string `json:"signed_at"`
	SentAt     *string `json:"sent_at"`
	Recipients int     `json:"recipients"`
	CreatedAt  string  `json:"created_at"`
}

func toBulletinJSON(b *bulletin.Bulletin) bulletinJSON {
	loc := bulletin.Zone
	out := bulletinJSON{ID: b.ID, OrgID: b.OrgID, DocNumber: b.DocNumber, Title: b.Title, Body: b.Body, Actions: b.Actions,
		Deadline: ts(b.Deadline, loc), Contact: b.Contact, Phone: b.Phone, Status: string(b.Status), AuthorID: b.AuthorID,
		SignerName: b.SignerName, SignedAt: tsPtr(b.SignedAt, loc), SentAt: tsPtr(b.SentAt, loc), Recipients: b.Recipients, CreatedAt: ts(b.CreatedAt, loc)}
	if b.IncidentID != 0 {
		out.IncidentID = &b.IncidentID
	}
	return out
}

func (s *Server) apiListBulletins(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var incidentID int64
	if v := r.URL.Query().Get("incident_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return errs.Field("incident_id", "error.bad_id", v)
		}
		incidentID = id
	}
	bs, err := s.App.Bulletins.List(r.Context(), u, incidentID)
	if err != nil {
		return err
	}
	writeItems(w, bs, toBulletinJSON)
	return nil
}

func (s *Server) apiDraftBulletin(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var in bulletin.Input
	if err := decode(r, &in); err != nil {
		return err
	}
	b, err := s.App.Bulletins.Draft(r.Context(), u, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toBulletinJSON(b))
	return nil
}

func (s *Server) apiGetBulletin(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.answerBulletin(w, r, u, s.App.Bulletins.Get)
}

func (s *Server) apiSignBulletin(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.answerBulletin(w, r, u, s.App.Bulletins.Sign)
}

// answerBulletin serves the routes that take the 通报's id alone and answer
// the 通报: reading it and signing it.
func (s *Server) answerBulletin(w http.ResponseWriter, r *http.Request, u *user.User, call func(context.Context, *user.User, int64) (*bulletin.Bulletin, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := call(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toBulletinJSON(b))
	return nil
}

type sendBody struct {
	bulletin.Selector
	Expect    int    `json:"expect"`     // the count the preview showed
	ExpectSet string `json:"expect_set"` // and its set
}

func (s *Server) apiPreviewBulletin(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, sel, err := idBody[bulletin.Selector](r)
	if err != nil {
		return err
	}
	p, err := s.App.Bulletins.Preview(r.Context(), u, id, sel)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiSendBulletin(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, body, err := idBody[sendBody](r)
	if err != nil {
		return err
	}
	b, p, err := s.App.Bulletins.Send(r.Context(), u, id, body.Selector, bulletins.Expect{Units: body.Expect, Set: body.ExpectSet})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"bulletin": toBulletinJSON(b), "sent": p})
	return nil
}

type recipientJSON struct {
	ID          int64                 `json:"id"`
	UnitID      int64                 `json:"unit_id"`
	Unit        string                `json:"unit"`
	Kind        string                `json:"kind"`
	Region      string                `json:"region"`
	Contacts    int                   `json:"contacts"`
	State       string                `json:"state"`
	Overdue     bool                  `json:"overdue"`
	ReceivedAt  *string               `json:"received_at"`
	AnsweredAt  *string               `json:"answered_at"`
	Answer      string                `json:"answer"`
	Notes       string                `json:"notes"`
	Attachments []bulletin.Attachment `json:"attachments"`
	RemindedAt  *string               `json:"reminded_at"`
}

// tableFilter reads the 通报's id from the path and the table's filter
// from the query (the table and its XLSX).
func tableFilter(r *http.Request) (int64, bulletin.TableFilter, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, bulletin.TableFilter{}, err
	}
	f, err := queryFilter(r)
	return id, f, err
}

func queryFilter(r *http.Request) (bulletin.TableFilter, error) {
	q := r.URL.Query()
	f := bulletin.TableFilter{State: q.Get("state"), Kind: q.Get("kind"), Region: q.Get("region"), Q: q.Get("q")}
	if f.State != "" && f.State != "overdue" && !validState(f.State) {
		return f, errs.Field("state", "bulletin.bad_filter")
	}
	for _, p := range []struct {
		name string
		v    *int
	}{{"offset", &f.Offset}, {"limit", &f.Limit}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 1_000_000 {
				return f, errs.Field(p.name, "bulletin.bad_filter")
			}
			*p.v = n
		}
	}
	if len([]rune(f.Q)) > 100 {
		return f, errs.Field("q", "error.too_long", 100)
	}
	return f, nil
}

func validState(s string) bool {
	for _, st := range bulletin.States {
		if string(st) == s {
			return true
		}
	}
	return false
}

func (s *Server) apiBulletinRecipients(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, f, err := tableFilter(r)
	if err != nil {
		return err
	}
	t, err := s.App.Bulletins.Table(r.Context(), u, id, f)
	if err != nil {
		return err
	}
	loc := bulletin.Zone
	items := make([]recipientJSON, 0, len(t.Rows))
	for _, x := range t.Rows {
		items = append(items, recipientJSON{ID: x.ID, UnitID: x.UnitID, Unit: x.UnitName, Kind: x.Kind, Region: x.Region, Contacts: x.Contacts,
			State: string(x.State()), Overdue: x.Overdue(t.Bulletin.Deadline, t.Now), ReceivedAt: tsPtr(x.ReceivedAt, loc), AnsweredAt: tsPtr(x.AnsweredAt, loc),
			Answer: string(x.Answer), Notes: x.Notes, Attachments: x.Attachments, RemindedAt: tsPtr(x.RemindedAt, loc)})
	}
	c := t.Counts
	writeJSON(w, http.StatusOK, map[string]any{
		"counts": map[string]int{"units": c.Units, "sent": c.Sent, "delivered": c.Delivered, "received": c.Received, "done": c.Done, "overdue": c.Overdue, "revoked": c.Revoked},
		"total":  t.Total, "items": items, "deadline": ts(t.Bulletin.Deadline, loc),
	})
	return nil
}

func (s *Server) apiBulletinExport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, f, err := tableFilter(r)
	if err != nil {
		return err
	}
	b, err := s.App.Bulletins.XLSX(r.Context(), u, id, f, lang(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="bulletin-`+strconv.FormatInt(id, 10)+`-`+time.Now().In(bulletin.Zone).Format("20060102")+`.xlsx"`)
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	return nil
}

func (s *Server) apiRevokeRecipient(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rid, err := pathID(r, "recipientId")
	if err != nil {
		return err
	}
	if err := s.App.Bulletins.Revoke(r.Context(), u, id, rid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiBulletinDocument(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return serveDocument(w, r, u, s.App.Bulletins.Render)
}

type listJSON struct {
	ID      int64   `json:"id"`
	Name    string  `json:"name"`
	UnitIDs []int64 `json:"unit_ids"`
}

func (s *Server) apiBulletinLists(w http.ResponseWriter, r *http.Request, u *user.User) error {
	ls, err := s.App.Bulletins.Lists(r.Context(), u)
	if err != nil {
		return err
	}
	writeItems(w, ls, func(l *bulletin.List) listJSON { return listJSON{l.ID, l.Name, l.UnitIDs} })
	return nil
}

func (s *Server) apiSaveBulletinList(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var body struct {
		Name    string  `json:"name"`
		UnitIDs []int64 `json:"unit_ids"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	l, err := s.App.Bulletins.SaveList(r.Context(), u, body.Name, body.UnitIDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, listJSON{l.ID, l.Name, l.UnitIDs})
	return nil
}
