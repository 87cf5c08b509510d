package httpx

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"yingji/internal/errs"
)

// EvidenceWindow is how long an authenticated upload or download of
// evidence may take: a disk image over a county's link takes its time.
const EvidenceWindow = 4 * time.Hour

// SendChecked sends body, size bytes, as the attachment name. body
// re-hashes what it reads and fails with corrupt, holding its end back,
// when the bytes no longer match their recorded hash: content found bad in
// the first chunk is refused before any byte is sent (409), later the
// connection is aborted, so that the client sees a broken transfer, never
// a complete one. header, when not nil, adds the caller's own headers.
// The API and the console both send evidence through it.
func SendChecked(w http.ResponseWriter, name string, size int64, body io.Reader, corrupt error, header func(http.Header)) error {
	buf := make([]byte, 256<<10)
	n, err := body.Read(buf)
	if errors.Is(err, corrupt) {
		return errs.New(errs.Conflict, "evidence.corrupt")
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(EvidenceWindow))
	Attachment(w, name)
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	if header != nil {
		header(w.Header())
	}
	w.WriteHeader(http.StatusOK)
	w.Write(buf[:n])
	if err == nil {
		if _, err := io.CopyBuffer(w, body, buf); errors.Is(err, corrupt) {
			panic(http.ErrAbortHandler)
		}
	}
	return nil
}

// LazyAttachment sets the attachment headers at the first byte written,
// so that an error before it is still answered as an error page or
// problem. Type, when set, replaces the neutral content type.
type LazyAttachment struct {
	W       http.ResponseWriter
	Name    string
	Type    string
	Started bool
}

func (z *LazyAttachment) Write(p []byte) (int, error) {
	if !z.Started {
		z.Started = true
		Attachment(z.W, z.Name)
		if z.Type != "" {
			z.W.Header().Set("Content-Type", z.Type)
		}
		z.W.WriteHeader(http.StatusOK)
	}
	return z.W.Write(p)
}
