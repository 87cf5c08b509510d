// Package notices holds the use cases of notices as people meet them:
// their contact methods (set by themselves or an administrator, checked with
// a test message), their notices (unread first) and acknowledging them, the
// notices of an incident, and the delivery log. Sending is the delivery
// worker's (package delivery); the channels are package channel's.
package notices

import (
	"context"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"yingji/internal/channel"
	"yingji/internal/cleantext"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/rollcall"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Service is the notices use cases over the store.
type Service struct {
	DB       *store.DB
	Channels *channel.Set // nil: no outside channels
}

// Contacts are a person's own contact methods. Group robots belong to
// organisations and are configured with the channels (package channel).
type Contacts struct {
	Phone string `json:"phone"`
	Email string `json:"email"`
}

var mobileRe = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// Check validates contacts: a mainland mobile number (11 digits) and a
// plain e-mail address, each optional. Errors name the field.
func (c *Contacts) Check() error {
	c.Phone = strings.TrimSpace(strings.ReplaceAll(c.Phone, " ", ""))
	c.Email = strings.TrimSpace(c.Email)
	if err := cleantext.Check("phone", c.Phone); err != nil {
		return err
	}
	if err := cleantext.Check("email", c.Email); err != nil {
		return err
	}
	if c.Phone != "" && !mobileRe.MatchString(c.Phone) {
		return errs.Field("phone", "contacts.bad_phone")
	}
	if c.Email != "" {
		a, err := mail.ParseAddress(c.Email)
		if err != nil || a.Address != c.Email || len(c.Email) > 254 {
			return errs.Field("email", "contacts.bad_email")
		}
	}
	return nil
}

// mayManage checks that actor may read and set the contacts of the user
// named username ("" for himself): himself, or a system administrator of
// the user's organisation or one above it. Anyone else is refused before
// the name is looked up; a name outside the administrator's organisations
// is not found, as for other admin acts, so that names elsewhere do not leak.
func mayManage(q *store.Q, actor *user.User, username string) (*user.User, error) {
	if username == "" || username == actor.Username {
		return q.User(actor.ID)
	}
	if !actor.HasRole(user.RoleSystemAdmin) {
		return nil, errs.New(errs.Forbidden, "contacts.forbidden")
	}
	t, err := q.UserByName(username)
	if err != nil {
		return nil, err
	}
	orgs, err := q.Orgs()
	if err != nil {
		return nil, err
	}
	parent := map[int64]int64{}
	for _, o := range orgs {
		parent[o.ID] = o.ParentID
	}
	for o, hops := t.OrgID, 0; o != 0 && hops < 64; o, hops = parent[o], hops+1 {
		if o == actor.OrgID {
			return t, nil
		}
	}
	return nil, errs.New(errs.NotFound, "error.user_not_found")
}

// GetContacts returns the contacts of the user named username ("": the
// actor's own).
func (s *Service) GetContacts(ctx context.Context, actor *user.User, username string) (Contacts, error) {
	var c Contacts
	err := s.DB.Read(ctx, func(q *store.Q) error {
		t, err := mayManage(q, actor, username)
		if err != nil {
			return err
		}
		c.Phone, c.Email, err = q.Contacts(t.ID)
		return err
	})
	return c, err
}

// SetContacts replaces the contacts of the user named username ("": the
// actor's own), with an audit record that carries them masked.
func (s *Service) SetContacts(ctx context.Context, actor *user.User, username string, c Contacts) (Contacts, error) {
	if err := c.Check(); err != nil {
		return c, err
	}
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		t, err := mayManage(&tx.Q, actor, username)
		if err != nil {
			return err
		}
		if err := tx.SetContacts(t.ID, c.Phone, c.Email); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorID: actor.ID, Actor: actor.Username, Via: actor.Via, Action: "contacts.set",
			ObjectType: "user", ObjectID: t.ID, OrgID: t.OrgID,
			Detail: map[string]string{"username": t.Username, "phone": MaskPhone(c.Phone), "email": MaskEmail(c.Email)}})
	})
	return c, err
}

// TestContact sends a test message to the user's phone (channel "sms") or
// e-mail (channel "email") now, bypassing the queue, so that the person or
// the administrator sees at once whether it arrives. The attempt is
// audited; the channel's error (which never carries a secret) is returned.
func (s *Service) TestContact(ctx context.Context, actor *user.User, username, ch string) error {
	var t *user.User
	var c Contacts
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if t, err = mayManage(q, actor, username); err != nil {
			return err
		}
		c.Phone, c.Email, err = q.Contacts(t.ID)
		return err
	})
	if err != nil {
		return err
	}
	addr := map[string]string{"sms": c.Phone, "email": c.Email}[ch]
	snd, ok := s.Channels.Get(ch)
	if ch != "sms" && ch != "email" || !ok {
		return errs.Field("channel", "contacts.channel_not_configured", ch)
	}
	if addr == "" {
		return errs.Field("channel", "contacts.no_address")
	}
	text := i18n.T(i18n.ZH, "notify.prefix") + i18n.T(i18n.ZH, "notify.text.test")
	sendCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	sendErr := snd.Send(sendCtx, channel.Message{Key: "test-" + time.Now().UTC().Format("20060102150405.000000"), To: addr,
		Subject: i18n.T(i18n.ZH, "notify.subject"), Text: text})
	result := "ok"
	if sendErr != nil {
		result = sendErr.Error()
	}
	if err := s.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.Audit(store.AuditEntry{ActorID: actor.ID, Actor: actor.Username, Via: actor.Via, Action: "contacts.test",
			ObjectType: "user", ObjectID: t.ID, OrgID: t.OrgID, Detail: map[string]string{"channel": ch, "result": result}})
	}); err != nil {
		return err
	}
	if sendErr != nil {
		return errs.New(errs.Invalid, "contacts.test_failed", sendErr.Error())
	}
	return nil
}

// MaskPhone keeps the first three and last four digits (138****0001).
func MaskPhone(p string) string {
	if len(p) < 8 {
		return strings.Repeat("*", len(p))
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}

// rollCallLink finds a roll-call link's signature in a message's text.
var rollCallLink = regexp.MustCompile(`/r/([0-9a-z]+)\.[A-Za-z0-9_-]+`)

// MaskLinks hides the signature of every roll-call link in a message's text.
// The link is its holder's credential (it confirms him 到位 without a login),
// so the delivery log and an incident's notices, read by others, must not
// carry it whole.
func MaskLinks(text string) string {
	return rollCallLink.ReplaceAllString(text, "/r/$1.****")
}

// MaskEmail keeps the first letter and the domain (z***@gaj.example).
func MaskEmail(e string) string {
	at := strings.LastIndexByte(e, '@')
	if at < 1 {
		return strings.Repeat("*", len(e))
	}
	return e[:1] + "***" + e[at:]
}

// Inbox is a person's notices and how many are unread.
type Inbox struct {
	Items  []*store.InboxNotice
	Unread int
}

// Mine lists the actor's notices, unread first.
func (s *Service) Mine(ctx context.Context, actor *user.User, limit int) (*Inbox, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var in Inbox
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if in.Items, err = q.Notices(actor.ID, limit); err != nil {
			return err
		}
		in.Unread, err = q.UnreadNotices(actor.ID)
		return err
	})
	return &in, err
}

// Ack marks one of the actor's notices read. Another's notice is not found.
func (s *Service) Ack(ctx context.Context, actor *user.User, id int64) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		ok, err := tx.AckNotice(actor.ID, id)
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.NotFound, "notices.not_found")
		}
		return tx.Audit(store.AuditEntry{ActorID: actor.ID, Actor: actor.Username, Via: actor.Via, Action: "notice.ack",
			ObjectType: "notice", ObjectID: id, OrgID: actor.OrgID})
	})
}

// IncidentNotice is a notice of an incident with its deliveries.
type IncidentNotice struct {
	*store.IncidentNotice
	Deliveries []*store.Delivery
}

// ForIncident lists the notices of an incident and their deliveries. The
// caller has checked that the actor may know the incident (need-to-know):
// mayKnow is that check, run first, whose error (not found for an
// outsider) is returned as is.
func (s *Service) ForIncident(ctx context.Context, actor *user.User, incidentID int64, mayKnow func() error) ([]*IncidentNotice, error) {
	if err := mayKnow(); err != nil {
		return nil, err
	}
	var out []*IncidentNotice
	err := s.DB.Read(ctx, func(q *store.Q) error {
		ns, err := q.NoticesOfIncident(incidentID)
		if err != nil {
			return err
		}
		ds, err := q.Deliveries(store.DeliveryFilter{IncidentID: incidentID, Limit: 5000})
		if err != nil {
			return err
		}
		byNotice := map[int64][]*store.Delivery{}
		for _, d := range ds {
			byNotice[d.OutboxID] = append(byNotice[d.OutboxID], d)
		}
		for _, n := range ns {
			out = append(out, &IncidentNotice{IncidentNotice: n, Deliveries: byNotice[n.ID]})
		}
		return nil
	})
	return out, err
}

// LogReaders may read the delivery log: the office's duty staff, the
// leading group and the system administrator.
var LogReaders = []string{user.RoleDutyOfficer, user.RoleLeader, user.RoleDeputy, user.RoleSystemAdmin}

// Log lists deliveries to people of the actor's organisation and those
// below it, newest first, with the filter's status and channel.
func (s *Service) Log(ctx context.Context, actor *user.User, f store.DeliveryFilter) ([]*store.Delivery, error) {
	if !actor.HasRole(LogReaders...) {
		return nil, errs.New(errs.Forbidden, "notices.log_forbidden")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	var out []*store.Delivery
	err := s.DB.Read(ctx, func(q *store.Q) error {
		orgs, err := q.Orgs()
		if err != nil {
			return err
		}
		parent := map[int64]int64{}
		for _, o := range orgs {
			parent[o.ID] = o.ParentID
		}
		users, err := q.Users(0)
		if err != nil {
			return err
		}
		in := map[int64]bool{}
		for _, u := range users {
			for o, hops := u.OrgID, 0; o != 0 && hops < 64; o, hops = parent[o], hops+1 {
				if o == actor.OrgID {
					in[u.ID] = true
					break
				}
			}
		}
		f.UsersOnly = true
		ds, err := q.Deliveries(f)
		for _, d := range ds {
			if in[d.RecipientID] {
				out = append(out, d)
			}
		}
		return err
	})
	return out, err
}

// RollCall is the roll-call use cases, with the links' key from the
// channel configuration.
func (s *Service) RollCall() *rollcall.Service {
	r := &rollcall.Service{DB: s.DB}
	if s.Channels != nil {
		r.Key = s.Channels.LinkKey
	}
	return r
}

// UnreadCount is the actor's unread notices, for the console's bell; 0 when
// it cannot be read (a page does not fail for its bell).
func (s *Service) UnreadCount(ctx context.Context, actor *user.User) int {
	n := 0
	s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		n, err = q.UnreadNotices(actor.ID)
		return err
	})
	return n
}

// The rows the notice pages show, named here so that the web reaches them
// through this package (the store defines them).
type (
	Delivery       = store.Delivery
	DeliveryFilter = store.DeliveryFilter
	InboxNotice    = store.InboxNotice
	NoticeRow      = store.IncidentNotice
)
