package channel

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Webhook posts the notice as JSON to any receiver. The body is signed:
// X-Yingji-Signature: sha256=<hex HMAC-SHA256(secret, body)>; the body
// carries sent_at so that a receiver may refuse replays, and
// Idempotency-Key repeats the message key so that it may drop a resend.
type Webhook struct {
	URL    string
	Secret string
	Now    func() time.Time
	Client *http.Client
}

// WebhookSignature is the header value for body.
func WebhookSignature(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func (w *Webhook) Kind() string { return "webhook" }

func (w *Webhook) Send(ctx context.Context, m Message) error {
	body, _ := json.Marshal(map[string]any{
		"key": m.Key, "to": m.To, "subject": m.Subject, "text": m.Text,
		"sent_at": strconv.FormatInt(now(w.Now).Unix(), 10),
	})
	h := jsonHeader()
	h.Set("Idempotency-Key", m.Key)
	if w.Secret != "" {
		h.Set("X-Yingji-Signature", WebhookSignature(w.Secret, body))
	}
	code, resp, err := post(ctx, w.Client, http.MethodPost, w.URL, h, body)
	if err != nil {
		return err
	}
	if code/100 != 2 {
		return httpStatusError("webhook", code, resp)
	}
	return nil
}
