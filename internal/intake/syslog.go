package intake

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"time"

	"yingji/internal/errs"
	"yingji/internal/ingest"
	"yingji/internal/signal"
	"yingji/internal/store"
)

// Syslog listeners take messages for one source (a source of format
// syslog, named by id at start): the sender is known by where it sends,
// since syslog has no credentials. Bind them to addresses only the
// devices reach.
const (
	syslogBatch    = 500              // messages per submit
	syslogMaxConns = 256              // TCP connections at once
	syslogIdle     = 10 * time.Minute // a TCP sender silent this long is closed
)

// SyslogSource checks that id names a live syslog source and returns it.
func (s *Service) SyslogSource(ctx context.Context, id int64) (*ingest.Source, error) {
	var src *ingest.Source
	err := s.DB.Read(ctx, func(q *store.Q) (err error) { src, err = q.Source(id); return err })
	if err != nil {
		return nil, err
	}
	if src.Format != signal.FormatSyslog {
		return nil, errs.Field("source", "intake.format_mismatch", src.Format, signal.FormatSyslog)
	}
	if !src.Live() {
		return nil, errs.New(errs.Conflict, "intake.source_revoked")
	}
	return src, nil
}

// liveSource re-reads a listener's source at most every keyTTL, so that a
// revoked source stops being taken.
type liveSource struct {
	s   *Service
	id  int64
	mu  sync.Mutex
	src *ingest.Source
	at  time.Time

	// Refused messages have no answer to carry their reason: the log says
	// it, at most once per rejectLogEvery, with how many were refused since;
	// the last one not yet logged is kept for the line when the listener
	// stops (flushRefused).
	rmu     sync.Mutex
	logged  time.Time
	refused int
	last    refusal
}

// refusal is a refused message's protocol, sender and reason.
type refusal struct {
	proto, remote string
	why           error
}

// rejectLogEvery is the least time between two "refused" log lines of one
// listener: a device sending nothing but bad lines must not flood the log.
const rejectLogEvery = time.Minute

// refuse counts a message the listener could not read and, at most once
// per rejectLogEvery, logs why (the operator setting up a new device has
// only the log and yingji_intake_signals_rejected_total to go by).
func (l *liveSource) refuse(proto, remote string, why error) {
	l.s.stats.rejected.Add(1)
	l.rmu.Lock()
	l.refused++
	l.last = refusal{proto, remote, why}
	if !l.logged.IsZero() && time.Since(l.logged) < rejectLogEvery {
		l.rmu.Unlock()
		return
	}
	n, last := l.refused, l.last
	l.refused, l.logged = 0, time.Now()
	l.rmu.Unlock()
	l.logRefused(last, n)
}

// logRefused writes the line: the latest refusal, how many since the last
// line, and more (whether the listener stopped).
func (l *liveSource) logRefused(r refusal, n int, more ...any) {
	l.s.Log.Warn("syslog: messages refused", append([]any{"proto", r.proto, "source", l.id, "remote", r.remote, "refused", n,
		"reason", r.why.Error()}, more...)...)
}

// flushRefused logs the refusals counted since the last line, when the
// listener stops: a burst followed by silence would otherwise log only its
// first message, the rest waiting for a next refusal that may not come.
func (l *liveSource) flushRefused() {
	l.rmu.Lock()
	n, last := l.refused, l.last
	l.refused = 0
	l.rmu.Unlock()
	if n > 0 {
		l.logRefused(last, n, "stopped", true)
	}
}

func (l *liveSource) get(ctx context.Context) (*ingest.Source, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.src == nil || time.Since(l.at) > keyTTL {
		src, err := l.s.SyslogSource(ctx, l.id)
		if err != nil {
			return nil, err
		}
		l.src, l.at = src, time.Now()
	}
	return l.src, nil
}

// submitSyslog commits a batch; over TCP a full queue is waited out (the
// sender is held back, nothing is dropped).
func (s *Service) submitSyslog(ctx context.Context, ls *liveSource, batch []signal.Signal, wait bool) error {
	for {
		src, err := ls.get(ctx)
		if err != nil {
			return err
		}
		_, err = s.Submit(ctx, src, batch)
		var busy *Busy
		if !errors.As(err, &busy) || !wait {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ServeSyslogTCP takes RFC 6587 framed messages (octet counting or
// newline) on ln until ctx ends.
func (s *Service) ServeSyslogTCP(ctx context.Context, ln net.Listener, sourceID int64) error {
	ls := &liveSource{s: s, id: sourceID}
	if _, err := ls.get(ctx); err != nil {
		return err
	}
	go func() { <-ctx.Done(); ln.Close() }()
	sem := make(chan struct{}, syslogMaxConns)
	var conns sync.WaitGroup
	defer ls.flushRefused()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				// Stopped: the connections end at once (their read
				// deadline), and their refusals are in the last line.
				conns.Wait()
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		select {
		case sem <- struct{}{}:
		default:
			c.Close() // over the cap: the sender reconnects later
			continue
		}
		conns.Add(1)
		go func() {
			defer func() { <-sem; conns.Done() }()
			s.syslogConn(ctx, c, ls)
		}()
	}
}

func (s *Service) syslogConn(ctx context.Context, c net.Conn, ls *liveSource) {
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Now()) })
	defer stop()
	r := bufio.NewReaderSize(c, 64<<10)
	var batch []signal.Signal
	flush := func() bool {
		if len(batch) == 0 {
			return true
		}
		err := s.submitSyslog(ctx, ls, batch, true)
		batch = batch[:0]
		if err != nil {
			s.Log.Warn("syslog tcp: not taken", "remote", c.RemoteAddr().String(), "err", err)
			return false
		}
		return true
	}
	for {
		c.SetReadDeadline(time.Now().Add(syslogIdle))
		if ctx.Err() != nil {
			// Stopping: the deadline just set must not outlast the one
			// the stop set, or the listener would wait for this sender.
			flush()
			return
		}
		frame, err := ingest.ReadFrame(r, ingest.MaxSyslogMessage)
		if err != nil {
			flush()
			if errors.Is(err, ingest.ErrFrameTooLong) {
				ls.refuse("tcp", c.RemoteAddr().String(), err)
			}
			return
		}
		sig, err := ingest.SyslogMessage(frame, s.Core.Now().UTC(), s.loc)
		if err != nil {
			ls.refuse("tcp", c.RemoteAddr().String(), err)
		} else {
			batch = append(batch, sig)
		}
		// Commit what has arrived when the sender pauses or a batch is full.
		if len(batch) >= syslogBatch || r.Buffered() == 0 {
			if !flush() {
				return
			}
		}
	}
}

// ServeSyslogUDP takes one message per datagram on pc until ctx ends. UDP
// cannot be told to retry: when the queue is full a batch is dropped and
// counted (yingji_intake_syslog_dropped_total); prefer TCP.
func (s *Service) ServeSyslogUDP(ctx context.Context, pc net.PacketConn, sourceID int64) error {
	ls := &liveSource{s: s, id: sourceID}
	if _, err := ls.get(ctx); err != nil {
		return err
	}
	go func() { <-ctx.Done(); pc.Close() }()
	defer ls.flushRefused()
	buf := make([]byte, ingest.MaxSyslogMessage+1)
	var batch []signal.Signal
	for {
		if len(batch) > 0 {
			pc.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		} else {
			pc.SetReadDeadline(time.Time{})
		}
		n, from, err := pc.ReadFrom(buf)
		if err == nil {
			if sig, perr := ingest.SyslogMessage(buf[:n], s.Core.Now().UTC(), s.loc); perr != nil {
				ls.refuse("udp", from.String(), perr)
			} else {
				batch = append(batch, sig)
			}
		}
		timeout := errors.Is(err, os.ErrDeadlineExceeded)
		if len(batch) > 0 && (len(batch) >= syslogBatch || timeout) {
			if err := s.submitSyslog(ctx, ls, batch, false); err != nil {
				s.stats.syslogDropped.Add(int64(len(batch)))
				s.Log.Warn("syslog udp: dropped", "messages", len(batch), "err", err)
			}
			batch = batch[:0]
		}
		if err != nil && !timeout {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}
