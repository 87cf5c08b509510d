package channel

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// WeCom is a WeCom (企业微信) group robot: the key in the webhook URL is
// the only credential (…/cgi-bin/webhook/send?key=…). WeCom answers
// {"errcode":0,"errmsg":"ok"}, and 45009 when a robot sends more than 20
// messages a minute. Text content is at most 2048 bytes.
type WeCom struct {
	URL    string
	Client *http.Client
}

func (w *WeCom) Kind() string { return "wecom" }

// Limits: 20 messages a minute per robot, as WeCom documents.
func (w *WeCom) Limits() []Window { return []Window{{20, time.Minute}} }

func (w *WeCom) Send(ctx context.Context, m Message) error {
	body, _ := json.Marshal(map[string]any{"msgtype": "text", "text": map[string]string{"content": clipBytes(m.Text, 2048)}})
	code, resp, err := post(ctx, w.Client, http.MethodPost, w.URL, jsonHeader(), body)
	if err != nil {
		return err
	}
	if code/100 != 2 {
		return httpStatusError("wecom", code, resp)
	}
	var r struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(resp, &r); err != nil {
		return &Error{Msg: "wecom: answer is not JSON: " + clip(string(resp), 100)}
	}
	switch r.ErrCode {
	case 0:
		return nil
	case 45009: // api freq out of limit
		return &Error{Msg: fmt.Sprintf("wecom: errcode %d %s", r.ErrCode, r.ErrMsg), RetryAfter: time.Minute}
	case -1: // system busy
		return &Error{Msg: fmt.Sprintf("wecom: errcode %d %s", r.ErrCode, r.ErrMsg)}
	default: // 93000 invalid webhook key, …
		return &Error{Msg: fmt.Sprintf("wecom: errcode %d %s", r.ErrCode, r.ErrMsg), Permanent: true}
	}
}

// clipBytes cuts s to at most n bytes on a rune boundary.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}
