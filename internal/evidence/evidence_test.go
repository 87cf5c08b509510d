package evidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"yingji/internal/errs"
)

func TestNumberFor(t *testing.T) {
	if got := NumberFor("2026-0007", 3); got != "ZJ-2026-0007-003" {
		t.Fatalf("got %q", got)
	}
}

func TestNewCheck(t *testing.T) {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ok := New{Kind: File, Description: "web 日志", CollectedBy: "王警官", CollectedAt: at}
	for _, c := range []struct {
		name  string
		edit  func(n *New)
		field string
	}{
		{"ok", func(*New) {}, ""},
		{"bad kind", func(n *New) { n.Kind = "rumour" }, "kind"},
		{"no description", func(n *New) { n.Description = "  " }, "description"},
		{"no collector", func(n *New) { n.CollectedBy = "" }, "collected_by"},
		{"no time", func(n *New) { n.CollectedAt = time.Time{} }, "collected_at"},
		{"physical without seal", func(n *New) { n.Kind = Physical }, "seal_number"},
		{"physical with seal", func(n *New) { n.Kind, n.SealNumber = Physical, "FC-001" }, ""},
	} {
		n := ok
		c.edit(&n)
		err := n.Check()
		if got := fieldOf(err); got != c.field {
			t.Errorf("%s: field %q, want %q (%v)", c.name, got, c.field, err)
		}
	}
}

func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	if e := errs.As(err); e != nil {
		if e.Field == "" {
			return "<" + string(e.Code) + ">"
		}
		return e.Field
	}
	return ""
}

func TestAllow(t *testing.T) {
	held := Item{Kind: File, Status: Held, CustodianID: 1}
	sealed := Item{Kind: Physical, Status: Sealed, SealNumber: "FC-1", CustodianID: 1}
	gone := Item{Kind: File, Status: Withdrawn, CustodianID: 1, Reason: "录错"}
	capture := Item{Kind: WebPage, Status: Held, CustodianID: 1}
	for _, c := range []struct {
		name   string
		it     Item
		ch     Change
		want   string // "" allowed, else field or <code>
		status Status
	}{
		{"view held", held, Change{Action: View}, "", Held},
		{"download withdrawn", gone, Change{Action: Download}, "", Withdrawn},
		{"export withdrawn", gone, Change{Action: Export}, "", Withdrawn},
		{"add file held", held, Change{Action: AddFile}, "", Held},
		{"add file withdrawn", gone, Change{Action: AddFile}, "<conflict>", Withdrawn},
		{"add file sealed", sealed, Change{Action: AddFile}, "<conflict>", Sealed},
		{"add file to capture", capture, Change{Action: AddFile}, "<conflict>", Held},
		{"transfer names nobody", held, Change{Action: Transfer}, "to_user_id", Held},
		{"transfer to himself", held, Change{Action: Transfer, ToUserID: 1}, "to_user_id", Held},
		{"transfer", held, Change{Action: Transfer, ToUserID: 2}, "", Held},
		{"transfer sealed", sealed, Change{Action: Transfer, ToUserID: 2}, "", Sealed},
		{"transfer withdrawn", gone, Change{Action: Transfer, ToUserID: 2}, "<conflict>", Withdrawn},
		{"seal without number", held, Change{Action: Seal}, "seal_number", Held},
		{"seal with number", held, Change{Action: Seal, SealNumber: "FC-9"}, "", Sealed},
		{"seal twice", sealed, Change{Action: Seal}, "<conflict>", Sealed},
		{"unseal without reason", sealed, Change{Action: Unseal}, "reason", Sealed},
		{"unseal", sealed, Change{Action: Unseal, Reason: "送检"}, "", Held},
		{"unseal held", held, Change{Action: Unseal, Reason: "x"}, "<conflict>", Held},
		{"withdraw without reason", held, Change{Action: Withdraw}, "reason", Held},
		{"withdraw", held, Change{Action: Withdraw, Reason: "重复登记"}, "", Withdrawn},
		{"withdraw twice", gone, Change{Action: Withdraw, Reason: "x"}, "<conflict>", Withdrawn},
		{"register is not a change", held, Change{Action: Register}, "<invalid>", Held},
		{"unknown", held, Change{Action: "delete"}, "<invalid>", Held},
	} {
		got, err := Allow(c.it, c.ch)
		if f := fieldOf(err); f != c.want {
			t.Errorf("%s: %q, want %q (%v)", c.name, f, c.want, err)
			continue
		}
		if err == nil && got.Status != c.status {
			t.Errorf("%s: status %s, want %s", c.name, got.Status, c.status)
		}
		if c.ch.Action == Transfer && err == nil && got.CustodianID != c.ch.ToUserID {
			t.Errorf("%s: custodian %d", c.name, got.CustodianID)
		}
	}
}

func TestHasher(t *testing.T) {
	h := NewHasher()
	h.Write([]byte("abc"))
	d := h.Digest()
	// GB/T 32905-2016 appendix A, example 1.
	if d.SM3 != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" {
		t.Errorf("sm3 %s", d.SM3)
	}
	s := sha256.Sum256([]byte("abc"))
	if d.SHA256 != hex.EncodeToString(s[:]) || d.Size != 3 {
		t.Errorf("sha256 %s size %d", d.SHA256, d.Size)
	}
	if !ValidSHA256(d.SHA256) || ValidSHA256("../"+d.SHA256[3:]) || ValidSHA256(strings.ToUpper(d.SHA256)) {
		t.Error("ValidSHA256")
	}
}

const sampleEML = "Received: from mx.example.cn (mx.example.cn [192.0.2.1])\r\n\tby mail.gov.cn; Mon, 30 Nov 2026 09:00:00 +0800\r\n" +
	"Received: from [198.51.100.7] by mx.example.cn; Mon, 30 Nov 2026 08:59:58 +0800\r\n" +
	"Date: Mon, 30 Nov 2026 08:59:57 +0800\r\nFrom: =?UTF-8?B?5byg5LiJ?= <a@example.cn>\r\nTo: b@gov.cn\r\n" +
	"Subject: =?UTF-8?B?5Lit5aWW6YCa55+l?=\r\nMessage-ID: <x1@example.cn>\r\n\r\nbody\r\n"

func TestReadEmailHeaders(t *testing.T) {
	h, err := ReadEmailHeaders(strings.NewReader(sampleEML))
	if err != nil {
		t.Fatal(err)
	}
	if h.Subject != "中奖通知" || h.From != "张三 <a@example.cn>" || h.MessageID != "<x1@example.cn>" || h.Date != "Mon, 30 Nov 2026 08:59:57 +0800" {
		t.Errorf("%+v", h)
	}
	if len(h.Received) != 2 || !strings.HasPrefix(h.Received[0], "from mx.example.cn (mx.example.cn [192.0.2.1]) by mail.gov.cn") {
		t.Errorf("received %q", h.Received)
	}
}

func FuzzReadEmailHeaders(f *testing.F) {
	f.Add([]byte(sampleEML))
	f.Add([]byte("Subject: =?GB2312?B?1tC5+g==?=\n\n"))
	f.Add([]byte("no headers"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ReadEmailHeaders(bytes.NewReader(b))
		if err == nil && h == nil {
			t.Fatal("nil headers without error")
		}
	})
}

// BenchmarkHash is SHA-256 and SM3 in one pass on one core (-cpu 1):
// the figure the upload path can reach at best.
func BenchmarkHash(b *testing.B) {
	buf := make([]byte, 1<<20)
	for _, c := range []struct {
		name string
		w    func() interface{ Write([]byte) (int, error) }
	}{
		{"sha256+sm3", func() interface{ Write([]byte) (int, error) } { return NewHasher() }},
		{"sha256", func() interface{ Write([]byte) (int, error) } { return sha256.New() }},
		{"sm3", func() interface{ Write([]byte) (int, error) } { return NewHasher().sm }},
	} {
		b.Run(c.name, func(b *testing.B) {
			w := c.w()
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				w.Write(buf)
			}
		})
	}
}
