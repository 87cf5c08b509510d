package monitor

import (
	"strconv"
	"strings"

	"yingji/internal/i18n"
)

// Why a check got no usable answer, as a stable code. The check history
// keeps Go's English error text (a technician's detail); the duty officer
// reads the code's sentence from the catalogue (monitor.reason.<code>).
// The code is derived from the stored text whenever it is shown, so rows
// kept by earlier versions read the same way and nothing is migrated.
const (
	ReasonTimeout      = "timeout"                // no answer in time: connect, TLS handshake, headers or body
	ReasonRefused      = "refused"                // nothing listens on the port
	ReasonDNS          = "dns"                    // the name did not resolve (no such name, or the resolver failed)
	ReasonCertExpired  = "cert_expired"           // the certificate's validity ended
	ReasonCertNotYet   = "cert_not_yet_valid"     // the certificate's validity has not begun (often a wrong clock)
	ReasonCertName     = "cert_name"              // the certificate is for other names
	ReasonCertUnknown  = "cert_unknown_authority" // issued by an authority the server does not trust (self-signed, private CA)
	ReasonCertInvalid  = "cert_invalid"           // any other certificate fault
	ReasonTLS          = "tls"                    // the TLS handshake failed (or the port does not speak TLS)
	ReasonReset        = "reset"                  // the connection was reset
	ReasonClosed       = "closed"                 // the server closed the connection without an answer
	ReasonUnreachable  = "unreachable"            // no route to the host or network
	ReasonRedirects    = "redirects"              // more redirects than a check follows
	ReasonBadResponse  = "bad_response"           // not an HTTP answer, or headers too large
	ReasonOther        = "other"                  // anything else: the raw text says what
	reasonCatalogueKey = "monitor.reason."
)

// Reasons lists every code Reason returns for a non-empty text, in the
// order the docs' table shows them.
var Reasons = []string{ReasonTimeout, ReasonRefused, ReasonDNS, ReasonCertExpired, ReasonCertNotYet, ReasonCertName,
	ReasonCertUnknown, ReasonCertInvalid, ReasonTLS, ReasonReset, ReasonClosed, ReasonUnreachable, ReasonRedirects,
	ReasonBadResponse, ReasonOther}

// ReasonKey is the catalogue key of a reason code's sentence.
func ReasonKey(code string) string { return reasonCatalogueKey + code }

// ReasonText is why a check failed, in words of the reader's language,
// from its stored error text ("" when there was none).
func ReasonText(l i18n.Lang, errText string) string {
	code := Reason(errText)
	if code == "" {
		return ""
	}
	return i18n.T(l, ReasonKey(code))
}

// Reason classifies a check's stored error text ("" for no error). It reads
// the text as Go's net/http, net, crypto/tls and crypto/x509 write it,
// after the checked URL is cut off (a path such as /timeout must not
// decide), and looks for the most specific cause first: a failed lookup
// is a DNS fault even when the resolver's socket was refused, a
// certificate fault outranks the TLS failure that carried it, and a
// timeout outranks the handshake it interrupted.
func Reason(errText string) string {
	s := strings.TrimSpace(errText)
	if s == "" {
		return ""
	}
	s = strings.ToLower(stripURL(s))
	has := func(subs ...string) bool {
		for _, sub := range subs {
			if strings.Contains(s, sub) {
				return true
			}
		}
		return false
	}
	switch {
	case has("too many redirects", "stopped after 10 redirects"):
		return ReasonRedirects
	case has("no such host", "server misbehaving", "lookup "):
		return ReasonDNS
	case has("remote error"):
		// The server's TLS alert ("remote error: tls: bad certificate" is
		// about a client certificate it wants, not the site's own).
		return ReasonTLS
	case has("certificate has expired or is not yet valid"):
		if has("is before") {
			return ReasonCertNotYet
		}
		return ReasonCertExpired
	case has("certificate is valid for", "certificate is not valid for any names", "certificate relies on legacy common name",
		"doesn't contain any ip sans"):
		return ReasonCertName
	case has("unknown authority", "unknown certificate authority", "unknown ca"):
		return ReasonCertUnknown
	case has("x509:", "certificate", "no certificate"):
		return ReasonCertInvalid
	case has("timeout", "timed out", "deadline exceeded"):
		return ReasonTimeout
	case has("connection refused"):
		return ReasonRefused
	case has("connection reset", "broken pipe", "forcibly closed"):
		return ReasonReset
	case has("no route to host", "network is unreachable", "host is down", "host is unreachable", "network unreachable"):
		return ReasonUnreachable
	case has("tls:", "tls handshake", "https client", "handshake failure"):
		return ReasonTLS
	case has("malformed http", "malformed mime", "response headers exceeded", "bad status", "transport connection broken",
		"malformed chunked", "invalid header", "http2:"):
		return ReasonBadResponse
	case has("eof", "server closed", "connection closed", "closed network connection"):
		return ReasonClosed
	}
	return ReasonOther
}

// stripURL drops what comes up to the end of the `Get "URL": ` of a
// *url.Error (its URL written with %q), leaving the cause; other texts are
// returned as they are.
func stripURL(s string) string {
	for _, op := range []string{"Get ", "Head ", "Post "} {
		i := strings.Index(s, op+`"`)
		if i < 0 {
			continue
		}
		q, err := strconv.QuotedPrefix(s[i+len(op):])
		if err != nil {
			return s
		}
		return strings.TrimPrefix(strings.TrimPrefix(s[i+len(op)+len(q):], ":"), " ")
	}
	return s
}

// ChangeError is Go's text a down change kept ("" for other changes and
// for a down by status code): its detail's "error", or, for a change kept
// before that was stored apart, the text inside the Chinese sentence
// "访问URL失败：text" of mon.detail.unreachable.
func ChangeError(c *Change, url string) string {
	if c.Kind != string(EvDown) {
		return ""
	}
	if raw, _ := c.Detail["error"].(string); raw != "" {
		return raw
	}
	stored, _ := c.Detail["detail"].(string)
	if raw, ok := strings.CutPrefix(stored, "访问"+url+"失败："); ok {
		return raw
	}
	return ""
}
