package warning

import (
	"testing"
	"time"

	"yingji/internal/errs"
)

var (
	cst = time.FixedZone("CST", 8*3600)
	t0  = time.Date(2026, 11, 30, 10, 0, 0, 0, cst)
)

func msg(t Type, st Status) *Message {
	return &Message{ID: 1, UUID: "u1", ThreadUUID: "u1", Type: t, Status: st, Level: Yellow, Event: "计算机病毒疫情",
		Headline: "勒索病毒传播预警", Description: "本县发现勒索病毒传播。", Instruction: "及时更新补丁。", Area: "青神县",
		Effective: t0, Expires: t0.Add(72 * time.Hour), DraftedBy: 10}
}

func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	if key == "" {
		if err != nil {
			t.Fatalf("want nil, got %v", err)
		}
		return
	}
	e := errs.As(err)
	if e == nil || e.Key != key {
		t.Fatalf("want %s, got %v", key, err)
	}
}

func TestLevels(t *testing.T) {
	for _, tt := range []struct {
		l                 Level
		name, grade       string
		urg, sev, certain string
	}{
		{Red, "红色预警", "一级", "Immediate", "Extreme", "Likely"},
		{Orange, "橙色预警", "二级", "Immediate", "Severe", "Likely"},
		{Yellow, "黄色预警", "三级", "Expected", "Moderate", "Likely"},
		{Blue, "蓝色预警", "四级", "Future", "Minor", "Possible"},
	} {
		c := tt.l.CAP()
		if !tt.l.Valid() || tt.l.Name() != tt.name || tt.l.Grade() != tt.grade || c != (CAPCodes{tt.urg, tt.sev, tt.certain}) {
			t.Errorf("%s: %v %s %s %+v", tt.l, tt.l.Valid(), tt.l.Name(), tt.l.Grade(), c)
		}
	}
	if Level("green").Valid() || Level("").Name() != "" {
		t.Error("unknown level accepted")
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(m *Message)
		field string
	}{
		{"complete", func(m *Message) {}, ""},
		{"unknown level", func(m *Message) { m.Level = "green" }, "level"},
		{"no headline", func(m *Message) { m.Headline = "  " }, "headline"},
		{"headline too long", func(m *Message) { m.Headline = string(make([]rune, MaxHeadline+1)) }, "headline"},
		{"control character", func(m *Message) { m.Description = "a\x07b" }, "description"},
		{"no instruction", func(m *Message) { m.Instruction = "" }, "instruction"},
		{"a cancellation needs no instruction", func(m *Message) { m.Type, m.Instruction = Cancel, "" }, ""},
		{"no area", func(m *Message) { m.Area = "" }, "area"},
		{"no event", func(m *Message) { m.Event = "" }, "event"},
		{"no effective", func(m *Message) { m.Effective = time.Time{} }, "effective"},
		{"expires before effective", func(m *Message) { m.Expires = m.Effective }, "expires"},
		{"expired already", func(m *Message) { m.Effective, m.Expires = t0.Add(-48*time.Hour), t0.Add(-time.Hour) }, "expires"},
		{"in force too long", func(m *Message) { m.Expires = m.Effective.Add(MaxSpan + time.Hour) }, "expires"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := msg(Alert, Draft)
			tt.edit(m)
			err := Check(m, t0)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if e := errs.As(err); e == nil || e.Field != tt.field {
				t.Fatalf("want field %s, got %v", tt.field, err)
			}
		})
	}
}

func TestApprove(t *testing.T) {
	tests := []struct {
		name     string
		st       Status
		approver int64
		key      string
	}{
		{"another person approves a draft", Draft, 20, ""},
		{"never the drafter", Draft, 10, "error.warning_own_draft"},
		{"not twice", Approved, 20, "error.warning_approved_already"},
		{"not once released", Released, 20, "error.warning_released_already"},
		{"not once cancelled", Cancelled, 20, "error.warning_cancelled"},
	}
	for _, tt := range tests {
		m := msg(Alert, tt.st)
		err := Approve(m, tt.approver, "同意", t0)
		wantKey(t, err, tt.key)
		if tt.key == "" && (m.Status != Approved || m.ApprovedBy != 20 || m.ApprovedAt == nil) {
			t.Errorf("%s: %+v", tt.name, m)
		}
	}
}

func TestRelease(t *testing.T) {
	later := t0.Add(time.Hour)
	tests := []struct {
		name     string
		m        *Message
		replaced *Message
		now      time.Time
		key      string
		after    Status // the replaced message's status after
	}{
		{"approved alert", msg(Alert, Approved), nil, later, "", ""},
		{"unapproved", msg(Alert, Draft), nil, later, "error.warning_not_approved", ""},
		{"twice", msg(Alert, Released), nil, later, "error.warning_released_already", ""},
		{"superseded", msg(Alert, Superseded), nil, later, "error.warning_released_already", ""},
		{"after cancellation", msg(Alert, Cancelled), nil, later, "error.warning_cancelled", ""},
		{"expired", msg(Alert, Approved), nil, t0.Add(72 * time.Hour), "error.warning_expired", ""},
		{"update replaces the released", msg(Update, Approved), msg(Alert, Released), later, "", Superseded},
		{"cancellation cancels the released", msg(Cancel, Approved), msg(Alert, Released), later, "", Cancelled},
		{"update of a cancelled warning", msg(Update, Approved), msg(Alert, Cancelled), later, "error.warning_cancelled", Cancelled},
		{"update of a superseded message", msg(Update, Approved), msg(Alert, Superseded), later, "error.warning_superseded", Superseded},
		{"update with no original", msg(Update, Approved), nil, later, "error.warning_no_original", ""},
		{"cancellation of an expired warning", msg(Cancel, Approved), func() *Message { m := msg(Alert, Released); m.Expires = later; return m }(), later, "error.warning_expired", Released},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Release(tt.m, tt.replaced, 30, tt.now)
			wantKey(t, err, tt.key)
			if tt.key == "" && (tt.m.Status != Released || tt.m.ReleasedAt == nil || tt.m.ReleasedBy != 30) {
				t.Fatalf("%+v", tt.m)
			}
			if tt.replaced != nil && tt.after != "" && tt.replaced.Status != tt.after {
				t.Fatalf("replaced is %s, want %s", tt.replaced.Status, tt.after)
			}
		})
	}
}

func TestReviseAndPublic(t *testing.T) {
	cur := msg(Alert, Released)
	rel := t0
	cur.ReleasedAt = &rel
	if !cur.Public(t0) || cur.Public(cur.Expires) {
		t.Fatal("public window")
	}
	up, err := Revise(cur, Update, t0)
	if err != nil || up.ThreadUUID != cur.ThreadUUID || up.ReplacesID != 1 || up.OriginalID != 1 || up.Status != Draft || up.Headline != cur.Headline {
		t.Fatalf("%v %+v", err, up)
	}
	c, err := Revise(cur, Cancel, t0)
	if err != nil || c.Headline != "解除：勒索病毒传播预警" || c.Instruction != "" {
		t.Fatalf("%v %+v", err, c)
	}
	c.Status = Released
	if c.Public(t0) {
		t.Fatal("a cancellation is not shown as a warning")
	}
	_, err = Revise(cur, Alert, t0)
	wantKey(t, err, "error.warning_type")
	cur.Status = Cancelled
	_, err = Revise(cur, Update, t0)
	wantKey(t, err, "error.warning_cancelled")
	if CancelHeadline("解除：x") != "解除：x" {
		t.Fatal("double 解除")
	}
}
