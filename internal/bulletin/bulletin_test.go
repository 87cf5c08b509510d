package bulletin

import (
	"slices"
	"strings"
	"testing"
	"time"

	"yingji/internal/errs"
)

var t0 = time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)

func TestInputCheck(t *testing.T) {
	ok := Input{Title: "通报", Body: "正文", Actions: "排查", Deadline: t0.Add(time.Hour), Contact: "张三", Phone: "028-1"}
	for _, c := range []struct {
		name  string
		edit  func(*Input)
		field string
	}{
		{"ok", func(*Input) {}, ""},
		{"no title", func(in *Input) { in.Title = "  " }, "title"},
		{"long title", func(in *Input) { in.Title = strings.Repeat("字", MaxTitle+1) }, "title"},
		{"control", func(in *Input) { in.Body = "a\x00b" }, "body"},
		{"no actions", func(in *Input) { in.Actions = "" }, "actions"},
		{"no deadline", func(in *Input) { in.Deadline = time.Time{} }, "deadline"},
		{"past", func(in *Input) { in.Deadline = t0 }, "deadline"},
		{"far", func(in *Input) { in.Deadline = t0.AddDate(1, 0, 1) }, "deadline"},
		{"no phone", func(in *Input) { in.Phone = "" }, "phone"},
	} {
		in := ok
		c.edit(&in)
		err := in.Check(t0)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if e := errs.As(err); err == nil || e.Field != c.field {
			t.Errorf("%s: %v, want field %s", c.name, err, c.field)
		}
	}
}

func TestSignAndSendRules(t *testing.T) {
	b := &Bulletin{OrgID: 1, AuthorID: 7, Status: Draft}
	for _, c := range []struct {
		id, org int64
		signer  bool
		code    errs.Code
	}{
		{8, 1, true, ""},
		{7, 1, true, errs.Forbidden}, // the author
		{8, 2, true, errs.Forbidden}, // another organisation
		{8, 1, false, errs.Forbidden},
	} {
		if got := errs.CodeOf(MaySign(b, c.id, c.org, c.signer)); c.code != "" && got != c.code || c.code == "" && MaySign(b, c.id, c.org, c.signer) != nil {
			t.Errorf("%+v: %v", c, got)
		}
	}
	if MaySign(&Bulletin{Status: Signed}, 8, 0, true) == nil {
		t.Error("signed twice")
	}
	if errs.As(MaySend(b, 3)).Key != "bulletin.unsigned" {
		t.Error("unsigned sent")
	}
	s := &Bulletin{Status: Signed}
	if MaySend(s, 3) != nil || errs.As(MaySend(s, 0)).Field != "recipients" || MaySend(s, MaxRecipients+1) == nil {
		t.Error("send counts")
	}
	if errs.As(MaySend(&Bulletin{Status: Sent}, 3)).Key != "bulletin.sent_already" {
		t.Error("sent twice")
	}
}

func TestRecipientStates(t *testing.T) {
	deadline := t0.Add(time.Hour)
	at := t0
	r := &Recipient{ExpiresAt: ExpiresAt(deadline)}
	steps := []struct {
		edit  func()
		state State
	}{
		{func() {}, StateSent},
		{func() { r.Delivered = true }, StateDelivered},
		{func() { r.ReceivedAt = &at }, StateReceived},
		{func() { r.AnsweredAt = &at }, StateDone},
	}
	for _, s := range steps {
		s.edit()
		if r.State() != s.state {
			t.Errorf("state %s, want %s", r.State(), s.state)
		}
	}
	open := &Recipient{ExpiresAt: ExpiresAt(deadline)}
	if open.Overdue(deadline, t0) || !open.Overdue(deadline, deadline) || !open.NeedsReminder(deadline, deadline.Add(time.Minute)) {
		t.Error("overdue")
	}
	if r.Overdue(deadline, deadline.Add(time.Hour)) {
		t.Error("an answered unit is overdue")
	}
	open.RemindedAt = &at
	if open.NeedsReminder(deadline, deadline.Add(time.Minute)) {
		t.Error("reminded twice")
	}
	var c Counts
	c.Count(r, deadline, deadline.Add(time.Hour))
	c.Count(open, deadline, deadline.Add(time.Hour))
	if c != (Counts{Units: 2, Sent: 2, Delivered: 1, Received: 1, Done: 1, Overdue: 1}) {
		t.Errorf("counts %+v", c)
	}
	// The link: used once answered, dead when revoked or expired.
	if errs.As(MayReceive(r, t0)).Key != "bulletin.link_used" || MayReceive(open, t0) != nil ||
		errs.As(MayReceive(open, open.ExpiresAt)).Key != "bulletin.link_expired" {
		t.Error("link states")
	}
	open.RevokedAt = &at
	if errs.As(MayReceive(open, t0)).Key != "bulletin.link_revoked" || open.State() != StateRevoked {
		t.Error("revoked")
	}
}

func TestReplyCheck(t *testing.T) {
	sum := strings.Repeat("AB", 32)
	for _, c := range []struct {
		r     Reply
		field string
	}{
		{Reply{Answer: Checked}, ""},
		{Reply{Answer: NotAffected, Notes: strings.Repeat("字", MaxNotes)}, ""},
		{Reply{Answer: Mitigated, Attachments: []Attachment{{"a.log", sum}}}, ""},
		{Reply{Answer: "done"}, "answer"},
		{Reply{Answer: Checked, Notes: strings.Repeat("字", MaxNotes+1)}, "notes"},
		{Reply{Answer: Checked, Notes: "a\x07"}, "notes"},
		{Reply{Answer: Checked, Attachments: make([]Attachment, MaxAttachments+1)}, "attachments"},
		{Reply{Answer: Checked, Attachments: []Attachment{{"", sum}}}, "attachments"},
		{Reply{Answer: Checked, Attachments: []Attachment{{"a", sum[:62]}}}, "attachments"},
	} {
		err := c.r.Check()
		if c.field == "" && err != nil || c.field != "" && (err == nil || errs.As(err).Field != c.field) {
			t.Errorf("%+v: %v, want %q", c.r.Answer, err, c.field)
		}
	}
	r := Reply{Answer: Mitigated, Attachments: []Attachment{{" a ", sum}}}
	if r.Check() != nil || r.Attachments[0].SHA256 != strings.ToLower(sum) || r.Attachments[0].Name != "a" {
		t.Errorf("normalised: %+v", r.Attachments)
	}
}

func TestSelect(t *testing.T) {
	units := []Candidate{
		{1, "企业", "青城镇", true}, {2, "医院", "青城镇", false}, {3, "企业", "汉阳镇", false}, {4, "学校", "汉阳镇", true},
	}
	for _, c := range []struct {
		s      Selector
		listed []int64
		want   []int64
	}{
		{Selector{}, nil, nil},
		{Selector{Kinds: []string{"企业"}}, nil, []int64{1, 3}},
		{Selector{Kinds: []string{"企业"}, Regions: []string{"汉阳镇"}}, nil, []int64{3}},
		{Selector{KeySiteOwners: true}, nil, []int64{1, 4}},
		{Selector{Regions: []string{"汉阳镇"}, UnitIDs: []int64{2, 99}}, nil, []int64{2, 3, 4}},
		{Selector{ListID: 5}, []int64{4, 1}, []int64{1, 4}},
		{Selector{UnitIDs: []int64{2, 2}}, nil, []int64{2}},
	} {
		if got := Select(units, c.s, c.listed); !slices.Equal(got, c.want) {
			t.Errorf("%+v: %v, want %v", c.s, got, c.want)
		}
	}
}

func TestToken(t *testing.T) {
	key := []byte("k")
	r := &Recipient{ID: 12345, BulletinID: 2, UnitID: 3, ExpiresAt: t0}
	tok := Token(key, r)
	id, sig, ok := ParseToken(tok)
	if !ok || id != r.ID || !Verify(key, r, sig) {
		t.Fatalf("%s: %d %v", tok, id, ok)
	}
	other := *r
	other.UnitID = 4
	if Verify(key, &other, sig) || Verify([]byte("x"), r, sig) || Verify(nil, r, sig) {
		t.Error("a token verified for another row or key")
	}
	for _, bad := range []string{"", ".", "abc", "1.short", "zzzzzzzzzzzzz.0123456789abcdef", "-1.0123456789abcdef", "0.0123456789abcdef"} {
		if _, _, ok := ParseToken(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

// FuzzReplyCheck: a reply either passes with every field in bounds or is
// refused naming a field.
func FuzzReplyCheck(f *testing.F) {
	f.Add("checked", "已排查", "a.log", strings.Repeat("ab", 32))
	f.Add("x", "\x00", "", "")
	f.Fuzz(func(t *testing.T, answer, notes, name, sum string) {
		r := Reply{Answer: Answer(answer), Notes: notes, Attachments: []Attachment{{name, sum}}}
		err := r.Check()
		if err != nil {
			if errs.As(err).Field == "" {
				t.Fatalf("no field: %v", err)
			}
			return
		}
		if len([]rune(r.Notes)) > MaxNotes || len(r.Attachments[0].SHA256) != 64 {
			t.Fatalf("passed out of bounds: %+v", r)
		}
	})
}
