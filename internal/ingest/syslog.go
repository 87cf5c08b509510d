package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"yingji/internal/signal"
)

// MaxSyslogMessage bounds one syslog message (RFC 5424 asks receivers to
// take at least 480 bytes and should take 2048; WAFs send long URLs).
const MaxSyslogMessage = 8192

// ParseSyslog reads newline-separated syslog messages (RFC 5424 or RFC
// 3164, told apart per line); a bad line is a reject naming its number.
// loc is where an RFC 3164 time, which has no zone, was written.
func ParseSyslog(body []byte, now time.Time, loc *time.Location) Result {
	var res Result
	eachLine(body, func(n int, line []byte) {
		s, why := syslogMessage(line, now, loc)
		if why != nil {
			res.reject(n, why)
			return
		}
		res.Signals = append(res.Signals, s)
	})
	return res
}

// syslogSeverity maps the PRI severity (0 emergency … 7 debug).
var syslogSeverity = [8]signal.Severity{signal.Critical, signal.Critical, signal.Critical, signal.High, signal.Medium, signal.Low, signal.Info, signal.Info}

// SyslogMessage reads one message: "<PRI>1 TIMESTAMP HOST APP PROCID MSGID
// SD MSG" (RFC 5424) or "<PRI>Mmm dd hh:mm:ss HOST TAG: MSG" (RFC 3164).
// Repeats of one message text from one host and program count on one alert.
// The error is a *Reason.
func SyslogMessage(line []byte, now time.Time, loc *time.Location) (signal.Signal, error) {
	s, why := syslogMessage(line, now, loc)
	if why != nil {
		return s, why
	}
	return s, nil
}

func syslogMessage(line []byte, now time.Time, loc *time.Location) (signal.Signal, *Reason) {
	s := signal.Signal{Format: signal.FormatSyslog, Status: signal.Firing, At: now}
	if len(line) > MaxSyslogMessage {
		return s, reason("syslog_too_long", MaxSyslogMessage)
	}
	line = bytes.TrimRight(line, "\r\n\x00")
	if len(line) < 3 || line[0] != '<' {
		return s, reason("syslog_no_pri")
	}
	end := bytes.IndexByte(line[:min(len(line), 5)], '>')
	if end < 2 {
		return s, reason("syslog_bad_pri")
	}
	pri, err := strconv.Atoi(string(line[1:end]))
	if err != nil || pri < 0 || pri > 191 || (end > 2 && line[1] == '0') {
		return s, reason("syslog_bad_pri")
	}
	s.Severity = syslogSeverity[pri%8]
	facility := pri / 8
	rest := string(line[end+1:])
	var host, app, msgid, msg string
	var why *Reason
	if strings.HasPrefix(rest, "1 ") {
		host, app, msgid, msg, why = rfc5424(rest[2:], &s)
	} else {
		host, app, msg, why = rfc3164(rest, now, loc, &s)
	}
	if why != nil {
		return s, why
	}
	msg = clean(msg, MaxDetail, false)
	if msg == "" {
		return s, reason("syslog_empty")
	}
	s.Rule = firstNonEmpty(clean(app, MaxRule, false), "syslog")
	s.Title = clean(msg, MaxTitle, false)
	s.Detail = msg
	s.Labels = cleanLabels(map[string]string{"host": host, "app": app, "msgid": msgid, "facility": strconv.Itoa(facility)})
	if a := addr(host); a.IsValid() {
		s.SrcIP = a
	}
	s.Key = clean(host+"\x1f"+app+"\x1f"+msgid+"\x1f"+msg, MaxKey, false)
	return s, nil
}

func nilDash(v string) string {
	if v == "-" {
		return ""
	}
	return v
}

func rfc5424(rest string, s *signal.Signal) (host, app, msgid, msg string, why *Reason) {
	f := strings.SplitN(rest, " ", 6)
	if len(f) < 6 {
		if len(f) == 5 { // no SD and no MSG is not allowed; SD "-" is
			return "", "", "", "", reason("rfc5424_sd_missing")
		}
		return "", "", "", "", reason("rfc5424_fields")
	}
	if ts := nilDash(f[0]); ts != "" {
		t, err := parseTime(ts)
		if err != nil {
			return "", "", "", "", timeReason("TIMESTAMP", ts)
		}
		s.At = t
	}
	host, app, msgid = nilDash(f[1]), nilDash(f[2]), nilDash(f[4])
	sdmsg := f[5]
	switch {
	case strings.HasPrefix(sdmsg, "-"):
		msg = sdmsg[1:]
	case strings.HasPrefix(sdmsg, "["):
		i, ok := sdEnd(sdmsg)
		if !ok {
			return "", "", "", "", reason("rfc5424_sd_open")
		}
		msg = sdmsg[i:]
	default:
		return "", "", "", "", reason("rfc5424_sd_bad")
	}
	msg = strings.TrimPrefix(strings.TrimPrefix(msg, " "), "\ufeff") // BOM before a UTF-8 MSG
	return host, app, msgid, msg, nil
}

// sdEnd finds where the SD-ELEMENTs end ("[id k=\"v\"][…]"), honouring the
// escapes \" \] \\ inside values.
func sdEnd(s string) (int, bool) {
	i := 0
	for i < len(s) && s[i] == '[' {
		quoted := false
		j := i + 1
		for ; j < len(s); j++ {
			c := s[j]
			if quoted && c == '\\' {
				j++
				continue
			}
			if c == '"' {
				quoted = !quoted
			}
			if c == ']' && !quoted {
				break
			}
		}
		if j >= len(s) {
			return 0, false
		}
		i = j + 1
	}
	return i, true
}

func rfc3164(rest string, now time.Time, loc *time.Location, s *signal.Signal) (host, app, msg string, why *Reason) {
	if len(rest) < 16 || rest[15] != ' ' {
		return "", "", "", reason("rfc3164_fields")
	}
	t, err := time.ParseInLocation(time.Stamp, rest[:15], loc)
	if err != nil {
		return "", "", "", reason("rfc3164_time")
	}
	// The year is not sent: this year, unless that puts the time more than
	// a day ahead of now (a December message read in January is last year's).
	nowIn := now.In(loc)
	t = t.AddDate(nowIn.Year(), 0, 0)
	if t.Sub(nowIn) > 24*time.Hour {
		t = t.AddDate(-1, 0, 0)
	}
	s.At = t.UTC()
	rest = rest[16:]
	host, rest, _ = strings.Cut(rest, " ")
	// TAG is up to 32 alphanumerics, often "prog[pid]:"; what follows the
	// colon is the message. Without a colon the whole is the message.
	if i := strings.Index(rest, ":"); i > 0 && i <= 48 && !strings.ContainsAny(rest[:i], " ") {
		app, msg = rest[:i], rest[i+1:]
		if j := strings.IndexByte(app, '['); j > 0 {
			app = app[:j]
		}
	} else {
		msg = rest
	}
	return host, app, strings.TrimSpace(msg), nil
}

// ErrFrameTooLong is a syslog frame over the listener's bound; the
// connection is closed, since its framing can no longer be trusted.
var ErrFrameTooLong = errors.New("syslog frame too long")

// ReadFrame reads one syslog message from a TCP stream, in either framing
// of RFC 6587: octet counting ("LEN SP MSG") when the frame starts with a
// digit, else non-transparent framing ended by a newline (or NUL).
func ReadFrame(r *bufio.Reader, max int) ([]byte, error) {
	for {
		c, err := r.ReadByte()
		if err != nil {
			return nil, err
		}
		if c == '\n' || c == '\r' || c == 0 || c == ' ' {
			continue // blank lines between frames
		}
		if c >= '1' && c <= '9' {
			n := int(c - '0')
			for {
				c, err = r.ReadByte()
				if err != nil {
					return nil, io.ErrUnexpectedEOF
				}
				if c == ' ' {
					break
				}
				if c < '0' || c > '9' {
					return nil, errors.New("octet count: not a number")
				}
				n = n*10 + int(c-'0')
				if n > max {
					return nil, ErrFrameTooLong
				}
			}
			buf := make([]byte, n)
			if _, err := io.ReadFull(r, buf); err != nil {
				return nil, io.ErrUnexpectedEOF
			}
			return buf, nil
		}
		buf := []byte{c}
		for {
			c, err = r.ReadByte()
			if err != nil {
				if err == io.EOF && len(buf) > 0 {
					return buf, nil
				}
				return nil, err
			}
			if c == '\n' || c == 0 {
				return buf, nil
			}
			if len(buf) >= max {
				return nil, ErrFrameTooLong
			}
			buf = append(buf, c)
		}
	}
}
