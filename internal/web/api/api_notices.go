package api

import (
	"encoding/json"
	"net/http"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/notices"
	"yingji/internal/rollcall"
	"yingji/internal/user"
)

// Notices (issue 10): contacts, my notices, an incident's notices, the
// delivery log. Registered by noticeRoutes from routes (server.go).
func (s *Server) apiMyContacts(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.getContacts(w, r, u, "")
}

func (s *Server) apiUserContacts(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.getContacts(w, r, u, r.PathValue("username"))
}

func (s *Server) getContacts(w http.ResponseWriter, r *http.Request, u *user.User, username string) error {
	c, err := s.App.Notices.GetContacts(r.Context(), u, username)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiSetMyContacts(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.setContacts(w, r, u, "")
}

func (s *Server) apiSetUserContacts(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.setContacts(w, r, u, r.PathValue("username"))
}

func (s *Server) setContacts(w http.ResponseWriter, r *http.Request, u *user.User, username string) error {
	var c notices.Contacts
	if err := decode(r, &c); err != nil {
		return err
	}
	c, err := s.App.Notices.SetContacts(r.Context(), u, username, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

type contactTestBody struct {
	Channel string `json:"channel"` // sms or email
}

func (s *Server) apiTestMyContact(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.testContact(w, r, u, "")
}

func (s *Server) apiTestUserContact(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.testContact(w, r, u, r.PathValue("username"))
}

func (s *Server) testContact(w http.ResponseWriter, r *http.Request, u *user.User, username string) error {
	var b contactTestBody
	if err := decode(r, &b); err != nil {
		return err
	}
	if err := s.App.Notices.TestContact(r.Context(), u, username, b.Channel); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"sent": true, "channel": b.Channel})
	return nil
}

type noticeJSON struct {
	ID         int64           `json:"id"`
	Kind       string          `json:"kind"`
	IncidentID *int64          `json:"incident_id"`
	Number     string          `json:"incident_number,omitempty"`
	Args       json.RawMessage `json:"args"`
	CreatedAt  string          `json:"created_at"`
	ReadAt     *string         `json:"read_at"`
	Routed     bool            `json:"routed"`
	Note       string          `json:"note,omitempty"`
}

func (s *Server) toNoticeJSON(n *notices.InboxNotice) noticeJSON {
	args := json.RawMessage(n.Body)
	if !json.Valid(args) {
		args = json.RawMessage("{}")
	}
	return noticeJSON{ID: n.ID, Kind: n.Kind, IncidentID: idPtr(n.IncidentID), Number: n.Number, Args: args,
		CreatedAt: ts(n.CreatedAt, s.Loc), ReadAt: tsPtr(n.ReadAt, s.Loc), Routed: n.Status == "routed", Note: n.Note}
}

func (s *Server) apiNotices(w http.ResponseWriter, r *http.Request, u *user.User) error {
	in, err := s.App.Notices.Mine(r.Context(), u, 100)
	if err != nil {
		return err
	}
	items := convert(in.Items, s.toNoticeJSON)
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "unread": in.Unread})
	return nil
}

func (s *Server) apiAckNotice(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.App.Notices.Ack(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type deliveryJSON struct {
	ID         int64   `json:"id"`
	NoticeID   int64   `json:"notice_id"`
	Kind       string  `json:"kind"`
	Channel    string  `json:"channel"`
	Address    string  `json:"address"` // masked
	Status     string  `json:"status"`
	StatusName string  `json:"status_name"`
	Attempts   int     `json:"attempts"`
	Resends    int     `json:"resends"`
	NextAt     *string `json:"next_at"`
	SentAt     *string `json:"sent_at"`
	Error      string  `json:"error,omitempty"`
	Text       string  `json:"text"`
}

func (s *Server) toDeliveryJSON(d *notices.Delivery, l i18n.Lang) deliveryJSON {
	addr := d.Address
	if addr != "" {
		if d.Channel == "email" {
			addr = notices.MaskEmail(addr)
		} else {
			addr = notices.MaskPhone(addr)
		}
	}
	var next *string
	if d.Status == "pending" {
		next = tsPtr(&d.NextAt, s.Loc)
	}
	return deliveryJSON{ID: d.ID, NoticeID: d.OutboxID, Kind: d.Kind, Channel: d.Channel, Address: addr, Status: d.Status,
		StatusName: i18n.T(l, "notify.status."+d.Status), Attempts: d.Attempts, Resends: d.Resends, NextAt: next,
		SentAt: tsPtr(d.SentAt, s.Loc), Error: d.LastError, Text: notices.MaskLinks(d.Text)}
}

func (s *Server) apiIncidentNotices(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ns, err := s.App.Notices.ForIncident(r.Context(), u, id, func() error {
		// Need-to-know: the incident as this actor may see it (404 for an
		// outsider). PORT: becomes core's load-for-actor when issue 8 lands.
		_, err := s.App.Incidents.GetIncident(r.Context(), u, id)
		return err
	})
	if err != nil {
		return err
	}
	type item struct {
		noticeJSON
		Recipient  string         `json:"recipient"`
		Deliveries []deliveryJSON `json:"deliveries"`
	}
	items := make([]item, 0, len(ns))
	for _, n := range ns {
		it := item{noticeJSON: s.toNoticeJSON(&n.InboxNotice), Recipient: n.RecipientName, Deliveries: []deliveryJSON{}}
		for _, d := range n.Deliveries {
			it.Deliveries = append(it.Deliveries, s.toDeliveryJSON(d, lang(r)))
		}
		items = append(items, it)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) apiDeliveries(w http.ResponseWriter, r *http.Request, u *user.User) error {
	q := r.URL.Query()
	f := notices.DeliveryFilter{Status: q.Get("status"), Channel: q.Get("channel")}
	switch f.Status {
	case "", "pending", "sending", "sent", "failed":
	default:
		return errs.Field("status", "error.unknown_status", f.Status)
	}
	ds, err := s.App.Notices.Log(r.Context(), u, f)
	if err != nil {
		return err
	}
	l := lang(r)
	writeItems(w, ds, func(d *notices.Delivery) deliveryJSON { return s.toDeliveryJSON(d, l) })
	return nil
}

type rollCallJSON struct {
	UserID      int64   `json:"user_id"`
	Name        string  `json:"name"`
	Role        string  `json:"role"`
	OpenedAt    string  `json:"opened_at"`
	ConfirmedAt *string `json:"confirmed_at"`
	Via         string  `json:"via,omitempty"`
}

func (s *Server) apiRollCall(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	roll, err := s.App.Notices.RollCall().List(r.Context(), id, func() error {
		// Need-to-know, as for the incident. PORT: core's load-for-actor.
		_, err := s.App.Incidents.GetIncident(r.Context(), u, id)
		return err
	})
	if err != nil {
		return err
	}
	items := make([]rollCallJSON, 0, len(roll))
	confirmed := 0
	for _, x := range roll {
		if x.ConfirmedAt != nil {
			confirmed++
		}
		items = append(items, rollCallJSON{x.UserID, x.Name, x.Role, ts(x.OpenedAt, s.Loc), tsPtr(x.ConfirmedAt, s.Loc), x.Via})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "confirmed": confirmed, "total": len(items)})
	return nil
}

func (s *Server) apiConfirmRollCall(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.App.Notices.RollCall().Confirm(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rollCallJSON{x.UserID, x.Name, x.Role, ts(x.OpenedAt, s.Loc), tsPtr(x.ConfirmedAt, s.Loc), x.Via})
	return nil
}

// taskRollCallJSON is the roll-call on its task: who confirmed and when
// (items), who has not (missing, their names).
type taskRollCallJSON struct {
	Confirmed int            `json:"confirmed"`
	Total     int            `json:"total"`
	Items     []rollCallJSON `json:"items"`
	Missing   []string       `json:"missing"`
}

// addTaskRollCall puts the roll-call on the task 通知领导小组成员到位 of an
// incident body; the caller has read the incident (need-to-know checked).
func (s *Server) addTaskRollCall(r *http.Request, id int64, body map[string]any) error {
	tasks, ok := body["tasks"].([]taskJSON)
	if !ok {
		return nil
	}
	roll, err := s.App.Notices.RollCall().List(r.Context(), id, func() error { return nil })
	if err != nil || len(roll) == 0 {
		return err
	}
	sum := rollcall.Summarise(roll)
	j := &taskRollCallJSON{Confirmed: sum.Confirmed, Total: len(roll), Items: []rollCallJSON{}, Missing: []string{}}
	for _, x := range roll {
		j.Items = append(j.Items, rollCallJSON{x.UserID, x.Name, x.Role, ts(x.OpenedAt, s.Loc), tsPtr(x.ConfirmedAt, s.Loc), x.Via})
	}
	for _, x := range sum.Missing {
		j.Missing = append(j.Missing, x.Name)
	}
	for i := range tasks {
		if tasks[i].templateKey == rollcall.TaskKey {
			tasks[i].RollCall = j
		}
	}
	return nil
}
