package httpx

import (
	"net/http"
	"net/url"
	"strings"
)

// Attachment sets the headers of a download that must never render in the
// console's origin (evidence: HTML captured from a defaced site, mail,
// anything): an attachment named per RFC 6266 with an ASCII fallback and
// the UTF-8 name (filename*), a neutral content type, no sniffing, and a
// sandbox should a browser render it anyway.
func Attachment(w http.ResponseWriter, name string) {
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", ContentDisposition(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "no-store")
}

// ContentDisposition is the attachment header with a quoted ASCII
// fallback name and the UTF-8 name as filename* (RFC 6266 §4.3, RFC 8187,
// two apostrophes after the charset): the fallback keeps printable ASCII but quotes
// and backslashes; the UTF-8 form keeps the name as given.
func ContentDisposition(name string) string {
	var fb strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			fb.WriteByte('_')
			continue
		}
		fb.WriteRune(r)
	}
	// url.PathEscape leaves some characters RFC 8187's attr-char does not
	// allow; QueryEscape turns space into "+", so fix that instead.
	enc := strings.ReplaceAll(url.QueryEscape(name), "+", "%20")
	return `attachment; filename="` + fb.String() + `"; filename*=UTF-8''` + enc
}

// WriteLedger answers a ledger export (XLSX or CSV, content type ct) as a
// download named name (RFC 8187 filename*). The API and the console's
// registry pages send it alike.
func WriteLedger(w http.ResponseWriter, b []byte, name, ct string) {
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Write(b)
}
