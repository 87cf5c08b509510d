package channel

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Feishu is a Feishu (飞书) custom bot with 签名校验: the body carries
// timestamp (seconds) and sign = base64(HMAC-SHA256(key = timestamp + "\n"
// + secret, message = empty)) — note the string is the key, not the
// message, unlike DingTalk. Feishu answers {"code":0}, 11232 when a bot
// sends more than 5 a second or 100 a minute, 19021 for a bad signature.
type Feishu struct {
	URL    string // https://open.feishu.cn/open-apis/bot/v2/hook/…
	Secret string
	Now    func() time.Time
	Client *http.Client
}

// FeishuSign computes the documented signature.
func FeishuSign(secret string, timestampSec int64) string {
	mac := hmac.New(sha256.New, []byte(strconv.FormatInt(timestampSec, 10)+"\n"+secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (f *Feishu) Kind() string { return "feishu" }

// Limits: 5 a second and 100 a minute per bot, as Feishu documents.
func (f *Feishu) Limits() []Window { return []Window{{5, time.Second}, {100, time.Minute}} }

func (f *Feishu) Send(ctx context.Context, m Message) error {
	msg := map[string]any{"msg_type": "text", "content": map[string]string{"text": m.Text}}
	if f.Secret != "" {
		ts := now(f.Now).Unix()
		msg["timestamp"] = strconv.FormatInt(ts, 10)
		msg["sign"] = FeishuSign(f.Secret, ts)
	}
	body, _ := json.Marshal(msg)
	code, resp, err := post(ctx, f.Client, http.MethodPost, f.URL, jsonHeader(), body)
	if err != nil {
		return err
	}
	var r struct {
		Code int    `json:"code"`
		Msg  string `json:"msg"`
	}
	if jerr := json.Unmarshal(resp, &r); jerr != nil {
		if code/100 != 2 {
			return httpStatusError("feishu", code, resp)
		}
		return &Error{Msg: "feishu: answer is not JSON: " + clip(string(resp), 100)}
	}
	switch {
	case r.Code == 0 && code/100 == 2:
		return nil
	case r.Code == 11232 || code == http.StatusTooManyRequests: // frequency limited
		return &Error{Msg: fmt.Sprintf("feishu: code %d %s", r.Code, r.Msg), RetryAfter: time.Second}
	case code >= 500:
		return &Error{Msg: fmt.Sprintf("feishu: HTTP %d code %d %s", code, r.Code, r.Msg)}
	default: // 19021 bad sign, 19024 keyword, 9499 bad request
		return &Error{Msg: fmt.Sprintf("feishu: code %d %s", r.Code, r.Msg), Permanent: true}
	}
}
