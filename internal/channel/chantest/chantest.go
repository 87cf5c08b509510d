// Package chantest runs real receivers for the outside channels in tests:
// an SMTP server (emersion/go-smtp) and HTTP servers that stand for the
// DingTalk, WeCom and Feishu robots, an SMS gateway and a webhook. Each
// checks the credentials and signatures as the real service does, enforces
// its documented rate limits with its documented error answers, and can be
// taken down and brought back.
package chantest

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
	"yingji/internal/channel"
)

// Receiver is a running HTTP receiver.
type Receiver struct {
	*httptest.Server
	Now func() time.Time // the receiver's clock (rate limits, timestamps)

	mu       sync.Mutex
	down     bool
	got      []string // accepted texts, in order of arrival
	keys     map[string]int
	refused  map[string]int // answers other than success, by error code
	sentAt   []time.Time
	verify   func(r *http.Request, body []byte) (text, key string, errAnswer any)
	limitErr any
	windows  []window
}

type window struct {
	n   int
	per time.Duration
}

// Down makes the receiver drop every connection until Up.
func (r *Receiver) Down() { r.mu.Lock(); r.down = true; r.mu.Unlock() }

// Up brings it back.
func (r *Receiver) Up() { r.mu.Lock(); r.down = false; r.mu.Unlock() }

// Texts returns the texts accepted so far.
func (r *Receiver) Texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

// Keys counts accepted messages by idempotency key (webhook and SMS).
func (r *Receiver) Keys() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.keys {
		out[k] = v
	}
	return out
}

// Refused counts refusals by the code answered ("130101", "sign", …).
func (r *Receiver) Refused() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.refused {
		out[k] = v
	}
	return out
}

func (r *Receiver) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Receiver) handle(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	down := r.down
	r.mu.Unlock()
	if down {
		// As a host that is down: the connection closes without an answer.
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	body, _ := io.ReadAll(req.Body)
	text, key, errAnswer := r.verify(req, body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refused == nil {
		r.refused, r.keys = map[string]int{}, map[string]int{}
	}
	if errAnswer != nil {
		r.refused[codeOf(errAnswer)]++
		writeJSON(w, errAnswer)
		return
	}
	now := r.now()
	for _, win := range r.windows {
		n := 0
		for _, t := range r.sentAt {
			if now.Sub(t) < win.per {
				n++
			}
		}
		if n >= win.n {
			r.refused[codeOf(r.limitErr)]++
			writeJSON(w, r.limitErr)
			return
		}
	}
	r.sentAt = append(r.sentAt, now)
	r.got = append(r.got, text)
	if key != "" {
		r.keys[key]++
	}
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "code": 0, "msg": "success"})
}

func codeOf(v any) string {
	m, _ := v.(map[string]any)
	for _, k := range []string{"errcode", "code"} {
		if c, ok := m[k]; ok {
			return fmt.Sprint(c)
		}
	}
	return "?"
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func start(r *Receiver) *Receiver {
	r.Server = httptest.NewServer(http.HandlerFunc(r.handle))
	return r
}

type textBody struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

// DingTalk is a DingTalk robot with 加签 secret: it checks that timestamp
// (ms) is within an hour of its clock and that sign is
// base64(HMAC-SHA256(secret, timestamp+"\n"+secret)), and allows 20
// messages a minute (errcode 130101 beyond).
func DingTalk(token, secret string, now func() time.Time) *Receiver {
	r := &Receiver{Now: now, windows: []window{{20, time.Minute}},
		limitErr: map[string]any{"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}}
	r.verify = func(req *http.Request, body []byte) (string, string, any) {
		q := req.URL.Query()
		if q.Get("access_token") != token {
			return "", "", map[string]any{"errcode": 300001, "errmsg": "token is not exist"}
		}
		ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
		if err != nil || r.now().Sub(time.UnixMilli(ts)).Abs() > time.Hour {
			return "", "", map[string]any{"errcode": 310000, "errmsg": "invalid timestamp"}
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(strconv.FormatInt(ts, 10) + "\n" + secret))
		want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if subtle.ConstantTimeCompare([]byte(q.Get("sign")), []byte(want)) != 1 {
			return "", "", map[string]any{"errcode": 310000, "errmsg": "sign not match"}
		}
		var b textBody
		if json.Unmarshal(body, &b) != nil || b.MsgType != "text" || b.Text.Content == "" {
			return "", "", map[string]any{"errcode": 40035, "errmsg": "缺少参数 json"}
		}
		return b.Text.Content, "", nil
	}
	return start(r)
}

// WeCom is a WeCom group robot: the key in the URL, 20 messages a minute
// (errcode 45009 beyond), text content at most 2048 bytes.
func WeCom(key string, now func() time.Time) *Receiver {
	r := &Receiver{Now: now, windows: []window{{20, time.Minute}},
		limitErr: map[string]any{"errcode": 45009, "errmsg": "api freq out of limit"}}
	r.verify = func(req *http.Request, body []byte) (string, string, any) {
		if req.URL.Query().Get("key") != key {
			return "", "", map[string]any{"errcode": 93000, "errmsg": "invalid webhook url"}
		}
		var b textBody
		if json.Unmarshal(body, &b) != nil || b.MsgType != "text" || b.Text.Content == "" || len(b.Text.Content) > 2048 {
			return "", "", map[string]any{"errcode": 40008, "errmsg": "invalid message type"}
		}
		return b.Text.Content, "", nil
	}
	return start(r)
}

// Feishu is a Feishu custom bot with 签名校验: timestamp (seconds) within
// an hour, sign = base64(HMAC-SHA256(key = timestamp+"\n"+secret, empty
// message)); 5 messages a second and 100 a minute (code 11232 beyond).
func Feishu(secret string, now func() time.Time) *Receiver {
	r := &Receiver{Now: now, windows: []window{{5, time.Second}, {100, time.Minute}},
		limitErr: map[string]any{"code": 11232, "msg": "frequency limited psm[lark.oapi.app_platform_runtime]appID[1]"}}
	r.verify = func(req *http.Request, body []byte) (string, string, any) {
		var b struct {
			Timestamp string `json:"timestamp"`
			Sign      string `json:"sign"`
			MsgType   string `json:"msg_type"`
			Content   struct {
				Text string `json:"text"`
			} `json:"content"`
		}
		if json.Unmarshal(body, &b) != nil || b.MsgType != "text" || b.Content.Text == "" {
			return "", "", map[string]any{"code": 9499, "msg": "Bad Request"}
		}
		ts, err := strconv.ParseInt(b.Timestamp, 10, 64)
		mac := hmac.New(sha256.New, []byte(b.Timestamp+"\n"+secret))
		want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if err != nil || r.now().Sub(time.Unix(ts, 0)).Abs() > time.Hour || subtle.ConstantTimeCompare([]byte(b.Sign), []byte(want)) != 1 {
			return "", "", map[string]any{"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}
		}
		return b.Content.Text, "", nil
	}
	return start(r)
}

// Webhook checks X-Yingji-Signature over the body.
func Webhook(secret string) *Receiver {
	r := &Receiver{limitErr: map[string]any{"code": 429}}
	r.verify = func(req *http.Request, body []byte) (string, string, any) {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		if req.Header.Get("X-Yingji-Signature") != "sha256="+hex.EncodeToString(mac.Sum(nil)) {
			return "", "", map[string]any{"code": "bad-signature"}
		}
		var b struct{ Text, Key string }
		json.Unmarshal(body, &b)
		return b.Text, req.Header.Get("Idempotency-Key"), nil
	}
	return start(r)
}

// SMSGateway is a gateway that wants a bearer token and a JSON body
// {"mobile":…,"content":…,"ref":…}, and answers {"code":0} (or
// {"code":1,"msg":…} for a number that is not 11 digits).
func SMSGateway(token string) *Receiver {
	r := &Receiver{limitErr: map[string]any{"code": 429}}
	r.verify = func(req *http.Request, body []byte) (string, string, any) {
		if req.Header.Get("Authorization") != "Bearer "+token {
			return "", "", map[string]any{"code": 401, "msg": "unauthorised"}
		}
		var b struct{ Mobile, Content, Ref string }
		if err := json.Unmarshal(body, &b); err != nil {
			return "", "", map[string]any{"code": 400, "msg": "bad json"}
		}
		if len(b.Mobile) != 11 {
			return "", "", map[string]any{"code": 1, "msg": "bad number"}
		}
		return b.Mobile + ":" + b.Content, b.Ref, nil
	}
	return start(r)
}

// LinkKey signs roll-call links in tests.
var LinkKey = []byte("0123456789abcdef0123456789abcdef")

// SMSSet is a channel set whose "sms" channel posts to the gateway gw, which
// expects token as its bearer; key signs roll-call links (nil: none).
func SMSSet(gw *Receiver, token string, key []byte) *channel.Set {
	set := &channel.Set{BaseURL: "http://10.51.1.5", LinkKey: key}
	set.Add("sms", &channel.SMS{URL: gw.URL, Headers: map[string]string{"Authorization": "Bearer " + token},
		Body: `{"mobile":"{{phone}}","content":"{{text}}","ref":"{{key}}"}`, SuccessBody: `"code":0`}, nil, true)
	return set
}
