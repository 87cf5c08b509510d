package channel

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// DingTalk is a DingTalk custom group robot (自定义机器人) with 加签:
// the URL carries timestamp (ms) and sign = urlencode(base64(HMAC-SHA256(
// key = secret, message = timestamp + "\n" + secret))). DingTalk answers
// {"errcode":0} on success and 130101 when a robot sends more than 20
// messages a minute.
type DingTalk struct {
	URL    string // https://oapi.dingtalk.com/robot/send?access_token=…
	Secret string // SEC…; empty when the robot uses keywords or an IP list instead
	Now    func() time.Time
	Client *http.Client
}

// DingTalkSign computes the documented signature (before URL encoding).
func DingTalkSign(secret string, timestampMs int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d\n%s", timestampMs, secret)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (d *DingTalk) Kind() string { return "dingtalk" }

// Limits: 20 messages a minute per robot, as DingTalk documents.
func (d *DingTalk) Limits() []Window { return []Window{{20, time.Minute}} }

func (d *DingTalk) Send(ctx context.Context, m Message) error {
	u, err := url.Parse(d.URL)
	if err != nil {
		return &Error{Msg: "dingtalk: bad robot URL", Permanent: true}
	}
	if d.Secret != "" {
		ts := now(d.Now).UnixMilli()
		q := u.Query()
		q.Set("timestamp", strconv.FormatInt(ts, 10))
		q.Set("sign", DingTalkSign(d.Secret, ts)) // Encode URL-encodes it
		u.RawQuery = q.Encode()
	}
	body, _ := json.Marshal(map[string]any{"msgtype": "text", "text": map[string]string{"content": m.Text}})
	code, resp, err := post(ctx, d.Client, http.MethodPost, u.String(), jsonHeader(), body)
	if err != nil {
		return err
	}
	if code/100 != 2 {
		return httpStatusError("dingtalk", code, resp)
	}
	var r struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(resp, &r); err != nil {
		return &Error{Msg: "dingtalk: answer is not JSON: " + clip(string(resp), 100)}
	}
	switch r.ErrCode {
	case 0:
		return nil
	case 130101: // send too fast, exceed 20 times per minute
		return &Error{Msg: fmt.Sprintf("dingtalk: errcode %d %s", r.ErrCode, r.ErrMsg), RetryAfter: time.Minute}
	default: // 310000 sign/keyword/IP refused, 300001 bad token, …: a configuration matter
		return &Error{Msg: fmt.Sprintf("dingtalk: errcode %d %s", r.ErrCode, r.ErrMsg), Permanent: true}
	}
}

func jsonHeader() http.Header {
	return http.Header{"Content-Type": {"application/json; charset=utf-8"}}
}

func now(f func() time.Time) time.Time {
	if f == nil {
		return time.Now()
	}
	return f()
}
