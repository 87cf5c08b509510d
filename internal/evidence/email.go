package evidence

import (
	"bufio"
	"io"
	"mime"
	"net/mail"
	"strings"
)

// EmailHeaders are an .eml file's recorded headers as written in it. They
// are read, never looked up: a Received line names what the servers said,
// which is itself evidence, true or forged.
type EmailHeaders struct {
	Date      string
	From      string
	To        string
	Cc        string
	Subject   string // decoded (RFC 2047) for reading; Raw keeps the text
	MessageID string
	Received  []string // top (last hop) first, as in the file
	Raw       map[string][]string
}

// maxHeaderBytes bounds the header block read: a mail's headers are a few
// kilobytes; a file that is not a mail must not be read whole.
const maxHeaderBytes = 256 << 10

// ReadEmailHeaders reads the header block of an RFC 5322 message.
func ReadEmailHeaders(r io.Reader) (*EmailHeaders, error) {
	msg, err := mail.ReadMessage(bufio.NewReader(io.LimitReader(r, maxHeaderBytes)))
	if err != nil && msg == nil {
		return nil, err
	}
	h := msg.Header
	dec := new(mime.WordDecoder)
	decode := func(s string) string {
		if d, err := dec.DecodeHeader(s); err == nil {
			return d
		}
		return s
	}
	out := &EmailHeaders{
		Date: h.Get("Date"), From: decode(h.Get("From")), To: decode(h.Get("To")), Cc: decode(h.Get("Cc")),
		Subject: decode(h.Get("Subject")), MessageID: h.Get("Message-Id"), Raw: map[string][]string(h),
	}
	for _, v := range h["Received"] {
		out.Received = append(out.Received, strings.Join(strings.Fields(v), " "))
	}
	return out, nil
}
