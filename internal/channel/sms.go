package channel

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// SMS sends through an HTTP gateway described by a request template, so
// that a bureau's own SMS platform or a cloud SMS service plugs in without
// code. Placeholders {{phone}}, {{text}} and {{key}} are replaced: escaped
// for a query in the URL, JSON-escaped (without quotes) or form-escaped in
// the body as BodyEncoding says, verbatim in headers. Success is a status
// (any 2xx when 0) and, when set, a substring of the answer.
type SMS struct {
	URL          string            `json:"url"`
	Method       string            `json:"method"` // POST when empty
	Headers      map[string]string `json:"headers"`
	Body         string            `json:"body"`
	BodyEncoding string            `json:"body_encoding"` // json (default) or form
	SuccessCode  int               `json:"success_status"`
	SuccessBody  string            `json:"success_contains"`
	Client       *http.Client      `json:"-"`
}

func (s *SMS) Kind() string { return "sms" }

// Expand fills a template for one message.
func Expand(tmpl string, esc func(string) string, m Message) string {
	if esc == nil {
		esc = func(s string) string { return s }
	}
	return strings.NewReplacer("{{phone}}", esc(m.To), "{{text}}", esc(m.Text), "{{key}}", esc(m.Key)).Replace(tmpl)
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func (s *SMS) Send(ctx context.Context, m Message) error {
	if m.To == "" {
		return &Error{Msg: "sms: no phone number", Permanent: true}
	}
	esc := jsonEscape
	ctype := "application/json; charset=utf-8"
	if s.BodyEncoding == "form" {
		esc, ctype = url.QueryEscape, "application/x-www-form-urlencoded"
	}
	method := s.Method
	if method == "" {
		method = http.MethodPost
	}
	h := http.Header{}
	if s.Body != "" {
		h.Set("Content-Type", ctype)
	}
	for k, v := range s.Headers {
		h.Set(k, Expand(v, nil, m))
	}
	code, resp, err := post(ctx, s.Client, method, Expand(s.URL, url.QueryEscape, m), h, []byte(Expand(s.Body, esc, m)))
	if err != nil {
		return err
	}
	ok := code/100 == 2
	if s.SuccessCode != 0 {
		ok = code == s.SuccessCode
	}
	if !ok {
		return httpStatusError("sms gateway", code, resp)
	}
	if s.SuccessBody != "" && !strings.Contains(string(resp), s.SuccessBody) {
		// The gateway took the request and refused the message (a bad
		// number, no balance): a retry would be refused the same way.
		return &Error{Msg: "sms gateway refused: " + clip(string(resp), 200), Permanent: true}
	}
	return nil
}
