package console

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/notices"
	"yingji/internal/rollcall"
)

// Console pages of notices (issue 10): my notices and contacts, the
// office's delivery log, and an incident's notices. Registered from
// noticeRoutes (api_notices.go).
func (s *Server) rollCallLink(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	c := &req{l: consoleLang(r)}
	rc := s.App.Notices.RollCall()
	tok := r.PathValue("token")
	var err error
	var roll *rollcall.Row
	var in *incident.Incident
	if r.Method == http.MethodPost {
		if roll, err = rc.ConfirmByToken(r.Context(), tok); err == nil {
			http.Redirect(w, r, "/r/"+url.PathEscape(tok), http.StatusSeeOther)
			return
		}
	} else {
		roll, in, err = rc.ByToken(r.Context(), tok)
	}
	if err != nil {
		s.renderError(w, r, c, err)
		return
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "rollcall.title"), "")
	p.Data = map[string]any{"RollCall": roll, "Incident": in, "Name": roll.Name, "Token": tok}
	s.render(w, http.StatusOK, "rollcall", p)
}

func (s *Server) rollCallConfirm(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, err = s.App.Notices.RollCall().Confirm(r.Context(), c.u, id)
	return done(w, r, c, "/incidents/"+strconv.FormatInt(id, 10)+"/notices", err, i18n.T(c.l, "rollcall.confirm"))
}

// maskDeliveries masks the addresses and roll-call links of deliveries for the page.
func maskDeliveries(ds []*notices.Delivery) []*notices.Delivery {
	out := make([]*notices.Delivery, 0, len(ds))
	for _, d := range ds {
		c := *d
		c.Text = notices.MaskLinks(c.Text)
		if c.Channel == "email" {
			c.Address = notices.MaskEmail(c.Address)
		} else {
			c.Address = notices.MaskPhone(c.Address)
		}
		out = append(out, &c)
	}
	return out
}

func (s *Server) noticesPage(w http.ResponseWriter, r *http.Request, c *req) error {
	inbox, err := s.App.Notices.Mine(r.Context(), c.u, 100)
	if err != nil {
		return err
	}
	contacts, err := s.App.Notices.GetContacts(r.Context(), c.u, "")
	if err != nil {
		return err
	}
	statuses := []string{"pending", "sending", "sent", "failed"}
	status := r.URL.Query().Get("status")
	if !slices.Contains(statuses, status) {
		status = ""
	}
	data := map[string]any{"Inbox": inbox, "Contacts": contacts, "Statuses": statuses, "Status": status, "Paged": pagedAlerts(inbox.Items), "Lines": inboxLines(inbox.Items)}
	if c.u.HasRole(notices.LogReaders...) {
		log, err := s.App.Notices.Log(r.Context(), c.u, notices.DeliveryFilter{Status: status, Limit: 200})
		if err != nil {
			return err
		}
		data["MayLog"], data["Log"] = true, maskDeliveries(log)
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "nc.title"), "notices")
	p.Data = data
	s.render(w, http.StatusOK, "notices", p)
	return nil
}

func (s *Server) noticeAck(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return done(w, r, c, "/notices", s.App.Notices.Ack(r.Context(), c.u, id), i18n.T(c.l, "nc.acked"))
}

func (s *Server) contactsSave(w http.ResponseWriter, r *http.Request, c *req) error {
	_, err := s.App.Notices.SetContacts(r.Context(), c.u, "", notices.Contacts{Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email")})
	return done(w, r, c, "/notices", err, i18n.T(c.l, "nc.saved"))
}

func (s *Server) contactsTest(w http.ResponseWriter, r *http.Request, c *req) error {
	err := s.App.Notices.TestContact(r.Context(), c.u, "", r.PostFormValue("channel"))
	return done(w, r, c, "/notices", err, i18n.T(c.l, "nc.test_sent"))
}

func (s *Server) incidentNoticesPage(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in *incident.Incident
	items, err := s.App.Notices.ForIncident(r.Context(), c.u, id, func() error {
		// Need-to-know: the incident as this actor may see it (404 for an
		// outsider). PORT: becomes core's load-for-actor when issue 8 lands.
		v, err := s.App.Incidents.GetIncident(r.Context(), c.u, id)
		if err == nil {
			in = v.Incident
		}
		return err
	})
	if err != nil {
		return err
	}
	type row struct {
		*notices.NoticeRow
		Deliveries []*notices.Delivery
	}
	rows := make([]row, 0, len(items))
	for _, it := range items {
		rows = append(rows, row{it.IncidentNotice, maskDeliveries(it.Deliveries)})
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "nc.incident_title", in.Number), "incidents")
	roll, err := s.App.Notices.RollCall().List(r.Context(), id, func() error { return nil }) // checked above
	if err != nil {
		return err
	}
	confirmed, mine := 0, false
	for _, x := range roll {
		if x.ConfirmedAt != nil {
			confirmed++
		} else if x.UserID == c.u.ID {
			mine = true
		}
	}
	p.Data = map[string]any{"Incident": in, "Items": rows, "Roll": roll, "Confirmed": confirmed, "MayConfirm": mine}
	s.render(w, http.StatusOK, "notices", p)
	return nil
}

// unreadCount is the bell's count for the page's poll (issue 10, app.js
// ring): {"unread": n, "label": "..."}.
func (s *Server) unreadCount(w http.ResponseWriter, r *http.Request, c *req) error {
	n := s.App.Notices.UnreadCount(r.Context(), c.u)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(map[string]any{"unread": n, "label": i18n.T(c.l, "nc.unread_count", n)})
}
