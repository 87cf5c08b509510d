package unitreport

import (
	"strings"
	"testing"
	"time"

	"yingji/internal/errs"
)

func TestReportCheck(t *testing.T) {
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	good := func() Report {
		return Report{What: " 门户网站首页被篡改 ", System: "门户网站", HappenedAt: now.Add(-time.Hour), ContactName: "李四", ContactPhone: "13800000001",
			Attachments: []Attachment{{Name: "截图.png", Size: 1024, SHA256: strings.Repeat("AB", 32)}}}
	}
	r := good()
	if err := r.Check(now); err != nil {
		t.Fatal(err)
	}
	if r.What != "门户网站首页被篡改" || r.Attachments[0].SHA256 != strings.Repeat("ab", 32) {
		t.Errorf("not normalised: %+v", r)
	}
	for _, c := range []struct {
		field string
		edit  func(*Report)
	}{
		{"what", func(r *Report) { r.What = "" }},
		{"what", func(r *Report) { r.What = strings.Repeat("字", MaxWhat+1) }},
		{"what", func(r *Report) { r.What = "a\x00b" }},
		{"system", func(r *Report) { r.System = "" }},
		{"happened_at", func(r *Report) { r.HappenedAt = time.Time{} }},
		{"happened_at", func(r *Report) { r.HappenedAt = now.Add(2 * time.Hour) }},
		{"contact_name", func(r *Report) { r.ContactName = " " }},
		{"contact_phone", func(r *Report) { r.ContactPhone = "12" }},
		{"attachments", func(r *Report) { r.Attachments[0].SHA256 = "xyz" }},
		{"attachments", func(r *Report) { r.Attachments[0].Size = -1 }},
		{"attachments", func(r *Report) { r.Attachments = make([]Attachment, MaxAttachments+1) }},
	} {
		r := good()
		c.edit(&r)
		if e := errs.As(r.Check(now)); e == nil || e.Field != c.field {
			t.Errorf("want a problem with %s, got %v", c.field, e)
		}
	}
}

// TestReportCheckNamesEveryField: the newcomer's form (system filled, a
// 2020 time, phone "abc", what and contact empty) is refused with every
// field's error at once, not only the first.
func TestReportCheckNamesEveryField(t *testing.T) {
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	r := Report{System: "门户网站", HappenedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), ContactPhone: "abc"}
	err := r.Check(now)
	var got []string
	for _, e := range errs.FieldErrors(err) {
		got = append(got, e.Field+":"+e.Key)
	}
	want := []string{"what:error.required", "happened_at:unitrep.bad_time", "contact_name:error.required", "contact_phone:registry.bad_phone"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %v, want %v", got, want)
	}
	if e := errs.As(err); e.Code != errs.Invalid || e.Field != "what" {
		t.Errorf("the first error: %v", e)
	}
}

func TestLinkState(t *testing.T) {
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	past := now.Add(-time.Minute)
	for _, c := range []struct {
		l    Link
		want LinkState
	}{
		{Link{ExpiresAt: now.Add(time.Hour)}, LinkOpen},
		{Link{ExpiresAt: now}, LinkExpired},
		{Link{ExpiresAt: now.Add(time.Hour), UsedAt: &past}, LinkUsed},
		{Link{ExpiresAt: now.Add(time.Hour), UsedAt: &past, RevokedAt: &past}, LinkRevoked},
	} {
		if got := c.l.State(now); got != c.want {
			t.Errorf("%+v: %s, want %s", c.l, got, c.want)
		}
	}
}

func TestTokenAndReceipt(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || !WellFormed(a) || WellFormed(a[1:]) || WellFormed(strings.Repeat("!", 43)) {
		t.Errorf("tokens %q %q", a, b)
	}
	if TokenHash(a) == TokenHash(b) || len(TokenHash(a)) != 64 {
		t.Error("token hash")
	}
	if got := Receipt(time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC), 7); got != "2026-11-30-0007" {
		t.Error(got)
	}
}

func TestParseAttachments(t *testing.T) {
	h := strings.Repeat("ab", 32)
	got, err := ParseAttachments(h + " 10 a b.png\r\n\n" + h + " 0 空.txt\n")
	if err != nil || len(got) != 2 || got[0].Name != "a b.png" || got[0].Size != 10 || got[1].Name != "空.txt" {
		t.Fatalf("%v %+v", err, got)
	}
	for _, bad := range []string{"x", h + " ten a", h + " 1"} {
		if _, err := ParseAttachments(bad); errs.As(err) == nil || errs.As(err).Field != "attachments" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := ParseAttachments(strings.Repeat(h+" 1 f\n", MaxAttachments+1)); err == nil {
		t.Error("too many")
	}
}

func FuzzParseAttachments(f *testing.F) {
	f.Add(strings.Repeat("ab", 32) + " 10 a b.png\n")
	f.Add("\n\n x 1 y")
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		as, err := ParseAttachments(text)
		if err != nil {
			return
		}
		if len(as) > MaxAttachments {
			t.Fatalf("%d attachments", len(as))
		}
		r := Report{What: "x", System: "y", HappenedAt: now, ContactName: "z", ContactPhone: "13800000001", Attachments: as}
		if r.Check(now) == nil {
			for _, a := range r.Attachments {
				if len(a.SHA256) != 64 || a.Size < 0 {
					t.Fatalf("checked attachment %+v", a)
				}
			}
		}
	})
}
