package capture

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// Answer is one DNS answer record as the resolver gave it.
type Answer struct {
	Name  string `json:"name"`
	Type  string `json:"type"` // A, AAAA or CNAME
	TTL   uint32 `json:"ttl"`
	Value string `json:"value"` // the address, or the CNAME target
}

// DNSResult is what dns.json holds: the questions asked, of which server,
// when, and what came back. Asked by yingji itself (not the system's
// resolver) so that the answers are recorded as given, TTLs included.
type DNSResult struct {
	Host     string    `json:"host"`
	Resolver string    `json:"resolver,omitempty"`
	At       time.Time `json:"at"`
	// Literal: the URL names an address, so nothing was asked.
	Literal bool     `json:"address_literal,omitempty"`
	Answers []Answer `json:"answers"`
	// Rcode per question type, e.g. {"A":"RCodeSuccess","AAAA":"RCodeSuccess"}.
	Rcodes map[string]string `json:"rcodes,omitempty"`
}

// addrs returns the A then AAAA addresses of the answers.
func (r *DNSResult) addrs() []netip.Addr {
	var v4, v6 []netip.Addr
	for _, a := range r.Answers {
		ip, err := netip.ParseAddr(a.Value)
		if err != nil {
			continue
		}
		switch a.Type {
		case "A":
			v4 = append(v4, ip)
		case "AAAA":
			v6 = append(v6, ip)
		}
	}
	return append(v4, v6...)
}

// lookup asks server (host:port) for the A and AAAA records of host, over
// UDP, and over TCP when the UDP answer is truncated.
func lookup(ctx context.Context, server, host string, timeout time.Duration) (*DNSResult, error) {
	res := &DNSResult{Host: host, Resolver: server, Rcodes: map[string]string{}}
	name, err := dnsmessage.NewName(strings.TrimSuffix(host, ".") + ".")
	if err != nil {
		return nil, fmt.Errorf("dns: host %q: %w", host, err)
	}
	seen := map[Answer]bool{}
	for _, qt := range []dnsmessage.Type{dnsmessage.TypeA, dnsmessage.TypeAAAA} {
		c, cancel := context.WithTimeout(ctx, timeout)
		raw, err := exchange(c, server, name, qt)
		cancel()
		if err != nil {
			return nil, err
		}
		rcode, answers, err := parseAnswers(raw)
		if err != nil {
			return nil, err
		}
		res.Rcodes[typeName(qt)] = rcode.String()
		for _, a := range answers {
			if !seen[a] {
				seen[a] = true
				res.Answers = append(res.Answers, a)
			}
		}
	}
	res.At = time.Now().UTC()
	if len(res.addrs()) == 0 {
		return res, fmt.Errorf("dns: %s has no A or AAAA record at %s (%s/%s)", host, server, res.Rcodes["A"], res.Rcodes["AAAA"])
	}
	return res, nil
}

func typeName(t dnsmessage.Type) string {
	switch t {
	case dnsmessage.TypeA:
		return "A"
	case dnsmessage.TypeAAAA:
		return "AAAA"
	case dnsmessage.TypeCNAME:
		return "CNAME"
	}
	return t.String()
}

// exchange sends one query and returns the raw response.
func exchange(ctx context.Context, server string, name dnsmessage.Name, qt dnsmessage.Type) ([]byte, error) {
	id := uint16(rand.Uint32())
	q := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: id, RecursionDesired: true})
	err := q.StartQuestions()
	if err == nil {
		err = q.Question(dnsmessage.Question{Name: name, Type: qt, Class: dnsmessage.ClassINET})
	}
	msg, err := q.Finish()
	if err != nil {
		return nil, fmt.Errorf("dns: build query: %w", err)
	}
	raw, err := exchangeOn(ctx, "udp", server, msg, id)
	if err != nil {
		return nil, err
	}
	var p dnsmessage.Parser
	if h, err := p.Start(raw); err == nil && h.Truncated {
		return exchangeOn(ctx, "tcp", server, msg, id)
	}
	return raw, nil
}

func exchangeOn(ctx context.Context, network, server string, msg []byte, id uint16) ([]byte, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, server)
	if err != nil {
		return nil, fmt.Errorf("dns: %w", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if network == "tcp" {
		out := binary.BigEndian.AppendUint16(nil, uint16(len(msg)))
		if _, err := conn.Write(append(out, msg...)); err != nil {
			return nil, fmt.Errorf("dns: %w", err)
		}
		var n [2]byte
		if _, err := io.ReadFull(conn, n[:]); err != nil {
			return nil, fmt.Errorf("dns: %w", err)
		}
		buf := make([]byte, binary.BigEndian.Uint16(n[:]))
		if _, err := io.ReadFull(conn, buf); err != nil {
			return nil, fmt.Errorf("dns: %w", err)
		}
		return buf, nil
	}
	if _, err := conn.Write(msg); err != nil {
		return nil, fmt.Errorf("dns: %w", err)
	}
	buf := make([]byte, 65535)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return nil, fmt.Errorf("dns: %s did not answer: %w", server, err)
		}
		// A datagram with another id is not ours (a late or forged one): wait on.
		if n >= 2 && binary.BigEndian.Uint16(buf) == id {
			return buf[:n], nil
		}
	}
}

// parseAnswers reads a DNS response and returns its code and its A, AAAA
// and CNAME answers; other record types are skipped.
func parseAnswers(raw []byte) (dnsmessage.RCode, []Answer, error) {
	var p dnsmessage.Parser
	h, err := p.Start(raw)
	if err != nil {
		return 0, nil, fmt.Errorf("dns: bad response: %w", err)
	}
	if !h.Response {
		return 0, nil, errors.New("dns: bad response: not a response")
	}
	if err := p.SkipAllQuestions(); err != nil {
		return 0, nil, fmt.Errorf("dns: bad response: %w", err)
	}
	var out []Answer
	for {
		rh, err := p.AnswerHeader()
		if errors.Is(err, dnsmessage.ErrSectionDone) {
			break
		}
		if err != nil {
			return 0, nil, fmt.Errorf("dns: bad response: %w", err)
		}
		a := Answer{Name: rh.Name.String(), Type: typeName(rh.Type), TTL: rh.TTL}
		switch rh.Type {
		case dnsmessage.TypeA:
			r, err := p.AResource()
			if err != nil {
				return 0, nil, fmt.Errorf("dns: bad A record: %w", err)
			}
			a.Value = netip.AddrFrom4(r.A).String()
		case dnsmessage.TypeAAAA:
			r, err := p.AAAAResource()
			if err != nil {
				return 0, nil, fmt.Errorf("dns: bad AAAA record: %w", err)
			}
			a.Value = netip.AddrFrom16(r.AAAA).String()
		case dnsmessage.TypeCNAME:
			r, err := p.CNAMEResource()
			if err != nil {
				return 0, nil, fmt.Errorf("dns: bad CNAME record: %w", err)
			}
			a.Value = r.CNAME.String()
		default:
			if err := p.SkipAnswer(); err != nil {
				return 0, nil, fmt.Errorf("dns: bad response: %w", err)
			}
			continue
		}
		out = append(out, a)
	}
	return h.RCode, out, nil
}

// systemResolver returns the first nameserver of /etc/resolv.conf.
func systemResolver() (string, error) {
	f, err := os.Open("/etc/resolv.conf")
	if err != nil {
		return "", fmt.Errorf("dns: no resolver configured and %w", err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) >= 2 && fields[0] == "nameserver" {
			if ip, err := netip.ParseAddr(fields[1]); err == nil {
				return netip.AddrPortFrom(ip, 53).String(), nil
			}
		}
	}
	return "", errors.New("dns: no nameserver in /etc/resolv.conf; set the capture resolver")
}
