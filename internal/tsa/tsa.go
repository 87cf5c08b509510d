// Package tsa is an RFC 3161 time-stamp client: it asks a time-stamping
// authority (TSA) for a token over a SHA-256 digest, checks the response's
// status, that the token covers that digest and the request's nonce, and
// that the TSA's signature on it verifies under a time-stamping
// certificate that chains to the configured roots; it keeps the token's
// bytes, which a third party can check later with any RFC 3161 tool
// (e.g. `openssl ts -verify`).
package tsa

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"time"
	"yingji/internal/tsa/rfc3161"
)

// MaxResponseBytes bounds what Stamp reads of a TSA's answer.
const MaxResponseBytes = 1 << 20

// Client asks one TSA.
type Client struct {
	URL string
	// Roots the TSA's certificate must chain to; nil means the system's.
	Roots *x509.CertPool
	// HTTP is the client used; nil means one with a 30 s timeout.
	HTTP *http.Client
}

// Token is a time-stamp token the client checked.
type Token struct {
	DER     []byte // the TimeStampToken (CMS ContentInfo) as received: keep it
	GenTime time.Time
	Serial  *big.Int
	Policy  string
	Digest  []byte            // the SHA-256 digest the token covers
	Signer  *x509.Certificate // the TSA's certificate
	nonce   *big.Int
}

// StatusError is a response whose status is not granted.
type StatusError struct {
	Status   int // 2 rejection, 3 waiting, 4 revocationWarning, 5 revocationNotification
	Text     string
	FailInfo int // the first failure bit set (RFC 3161 PKIFailureInfo), -1 if none
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("tsa: request not granted: status %d, failInfo %d %s", e.Status, e.FailInfo, e.Text)
}

// Request returns the DER TimeStampReq for a SHA-256 digest, with a nonce,
// asking for the TSA's certificate in the token.
func Request(digest []byte, nonce *big.Int) ([]byte, error) {
	if len(digest) != 32 {
		return nil, errors.New("tsa: a SHA-256 digest has 32 bytes")
	}
	return asn1.Marshal(rfc3161.TimeStampReq{
		Version: 1,
		MessageImprint: rfc3161.MessageImprint{
			HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: rfc3161.OIDSHA256, Parameters: asn1.NullRawValue},
			HashedMessage: digest,
		},
		Nonce:   nonce,
		CertReq: true,
	})
}

// Stamp asks the TSA for a token over digest (a SHA-256) and checks it.
func (c *Client) Stamp(ctx context.Context, digest []byte) (*Token, error) {
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, err
	}
	req, err := Request(digest, nonce)
	if err != nil {
		return nil, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("tsa: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/timestamp-query")
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("tsa: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("tsa: %s answered HTTP %s", c.URL, resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/timestamp-reply") {
		return nil, fmt.Errorf("tsa: %s answered %q, not application/timestamp-reply", c.URL, ct)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("tsa: %w", err)
	}
	if len(body) > MaxResponseBytes {
		return nil, errors.New("tsa: response too large")
	}
	tok, err := ParseResponse(body)
	if err != nil {
		return nil, err
	}
	return tok, c.check(tok, digest, nonce)
}

// ParseResponse reads a TimeStampResp: a status that is not granted is a
// *StatusError; a granted one returns its token, parsed and its signature
// verified, but not yet checked against a digest, a nonce or roots.
func ParseResponse(der []byte) (*Token, error) {
	var resp rfc3161.TimeStampResp
	rest, err := asn1.Unmarshal(der, &resp)
	if err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("tsa: bad response: %v", err)
	}
	if s := resp.Status.Status; s != 0 && s != 1 {
		e := &StatusError{Status: s, Text: strings.Join(resp.Status.StatusString, "; "), FailInfo: -1}
		for i := range resp.Status.FailInfo.BitLength {
			if resp.Status.FailInfo.At(i) == 1 {
				e.FailInfo = i
				break
			}
		}
		return nil, e
	}
	if len(resp.TimeStampToken.FullBytes) == 0 {
		return nil, errors.New("tsa: granted without a token")
	}
	tok, _, err := parseToken(resp.TimeStampToken.FullBytes)
	return tok, err
}

// ParseToken reads a kept token and checks its signature and that it covers
// digest; roots (nil: the system's) check the TSA's certificate.
func ParseToken(der []byte, digest []byte, roots *x509.CertPool) (*Token, error) {
	tok, _, err := parseToken(der)
	if err != nil {
		return nil, err
	}
	return tok, (&Client{Roots: roots}).check(tok, digest, nil)
}

// Check reads a kept token and checks its signature under the certificate
// it carries and that it covers digest, without asking whether that
// certificate is trusted: the caller shows Token.Signer and its issuer.
func Check(der []byte, digest []byte) (*Token, error) {
	tok, _, err := parseToken(der)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(tok.Digest, digest) {
		return nil, errors.New("tsa: the token covers another digest")
	}
	return tok, nil
}

func (c *Client) check(tok *Token, digest []byte, nonce *big.Int) error {
	if !bytes.Equal(tok.Digest, digest) {
		return errors.New("tsa: the token covers another digest")
	}
	if nonce != nil && (tok.nonce == nil || tok.nonce.Cmp(nonce) != 0) {
		return errors.New("tsa: the token does not carry the request's nonce (a replayed answer?)")
	}
	_, err := tok.Signer.Verify(x509.VerifyOptions{
		Roots: c.Roots, CurrentTime: tok.GenTime, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
	})
	if err != nil {
		return fmt.Errorf("tsa: the TSA's certificate: %w", err)
	}
	return nil
}

// parseToken reads the CMS SignedData of a token, finds the signer's
// certificate among those in the token and verifies the signature over
// the signed attributes, and the message digest they carry over the TSTInfo.
func parseToken(der []byte) (*Token, *rfc3161.TstInfo, error) {
	var ci rfc3161.ContentInfo
	if rest, err := asn1.Unmarshal(der, &ci); err != nil || len(rest) > 0 || !ci.ContentType.Equal(rfc3161.OIDSignedData) {
		return nil, nil, fmt.Errorf("tsa: token is not CMS signed data: %v", err)
	}
	var sd rfc3161.SignedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, nil, fmt.Errorf("tsa: bad signed data: %w", err)
	}
	if !sd.EncapContentInfo.EContentType.Equal(rfc3161.OIDTSTInfo) || len(sd.SignerInfos) != 1 {
		return nil, nil, errors.New("tsa: token does not hold one signed TSTInfo")
	}
	content := sd.EncapContentInfo.EContent
	var info rfc3161.TstInfo
	if rest, err := asn1.Unmarshal(content, &info); err != nil || len(rest) > 0 {
		return nil, nil, fmt.Errorf("tsa: bad TSTInfo: %v", err)
	}
	if !info.MessageImprint.HashAlgorithm.Algorithm.Equal(rfc3161.OIDSHA256) {
		return nil, nil, errors.New("tsa: token's imprint is not SHA-256")
	}
	gen, err := generalizedTime(info.GenTime)
	if err != nil {
		return nil, nil, err
	}
	certs, err := x509.ParseCertificates(sd.Certificates.Bytes)
	if err != nil || len(certs) == 0 {
		return nil, nil, errors.New("tsa: token carries no TSA certificate (asked with certReq)")
	}
	si := sd.SignerInfos[0]
	signer := findSigner(certs, si.SID)
	if signer == nil {
		return nil, nil, errors.New("tsa: the signer's certificate is not in the token")
	}
	if err := verifySigner(signer, &si, content); err != nil {
		return nil, nil, err
	}
	return &Token{
		DER: bytes.Clone(der), GenTime: gen, Serial: info.SerialNumber, Policy: info.Policy.String(),
		Digest: info.MessageImprint.HashedMessage, Signer: signer, nonce: info.Nonce,
	}, &info, nil
}

func findSigner(certs []*x509.Certificate, sid asn1.RawValue) *x509.Certificate {
	if sid.Class == asn1.ClassContextSpecific && sid.Tag == 0 { // subjectKeyIdentifier
		for _, c := range certs {
			if bytes.Equal(c.SubjectKeyId, sid.Bytes) {
				return c
			}
		}
		return nil
	}
	var ias rfc3161.IssuerAndSerial
	if _, err := asn1.Unmarshal(sid.FullBytes, &ias); err != nil || ias.Serial == nil {
		return nil
	}
	for _, c := range certs {
		if bytes.Equal(c.RawIssuer, ias.Issuer.FullBytes) && c.SerialNumber.Cmp(ias.Serial) == 0 {
			return c
		}
	}
	return nil
}

func verifySigner(cert *x509.Certificate, si *rfc3161.SignerInfo, content []byte) error {
	h, ok := hashFor(si.DigestAlgorithm.Algorithm)
	if !ok {
		return errors.New("tsa: unknown digest algorithm in the token")
	}
	if len(si.SignedAttrs.FullBytes) == 0 {
		return errors.New("tsa: token without signed attributes")
	}
	// The signature covers the attributes encoded as a SET, not as the [0] they are stored as.
	signed := bytes.Clone(si.SignedAttrs.FullBytes)
	signed[0] = 0x31
	var attrs []rfc3161.Attribute
	if _, err := asn1.UnmarshalWithParams(signed, &attrs, "set"); err != nil {
		return fmt.Errorf("tsa: bad signed attributes: %w", err)
	}
	hh := h.New()
	hh.Write(content)
	sum := hh.Sum(nil)
	var digestOK, typeOK bool
	for _, a := range attrs {
		switch {
		case a.Type.Equal(rfc3161.OIDMsgDigest):
			var d []byte
			_, err := asn1.Unmarshal(a.Values.Bytes, &d)
			digestOK = err == nil && bytes.Equal(d, sum)
		case a.Type.Equal(rfc3161.OIDContentType):
			var t asn1.ObjectIdentifier
			_, err := asn1.Unmarshal(a.Values.Bytes, &t)
			typeOK = err == nil && t.Equal(rfc3161.OIDTSTInfo)
		}
	}
	if !digestOK || !typeOK {
		return errors.New("tsa: the signed attributes do not match the TSTInfo")
	}
	alg, err := sigAlg(si.SignatureAlgorithm.Algorithm, h)
	if err != nil {
		return err
	}
	if err := cert.CheckSignature(alg, signed, si.Signature); err != nil {
		return fmt.Errorf("tsa: the token's signature does not verify: %w", err)
	}
	return nil
}

func hashFor(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(rfc3161.OIDSHA256):
		return crypto.SHA256, true
	case oid.Equal(rfc3161.OIDSHA384):
		return crypto.SHA384, true
	case oid.Equal(rfc3161.OIDSHA512):
		return crypto.SHA512, true
	}
	return 0, false
}

func sigAlg(oid asn1.ObjectIdentifier, h crypto.Hash) (x509.SignatureAlgorithm, error) {
	byHash := func(a256, a384, a512 x509.SignatureAlgorithm) x509.SignatureAlgorithm {
		switch h {
		case crypto.SHA384:
			return a384
		case crypto.SHA512:
			return a512
		}
		return a256
	}
	switch {
	case oid.Equal(rfc3161.OIDRSA), oid.Equal(rfc3161.OIDSHA256WithRSA), oid.Equal(rfc3161.OIDSHA384WithRSA), oid.Equal(rfc3161.OIDSHA512WithRSA):
		return byHash(x509.SHA256WithRSA, x509.SHA384WithRSA, x509.SHA512WithRSA), nil
	case oid.Equal(rfc3161.OIDECDSASHA256), oid.Equal(rfc3161.OIDECDSASHA384), oid.Equal(rfc3161.OIDECDSASHA512):
		return byHash(x509.ECDSAWithSHA256, x509.ECDSAWithSHA384, x509.ECDSAWithSHA512), nil
	case oid.Equal(rfc3161.OIDEd25519):
		return x509.PureEd25519, nil
	}
	return 0, fmt.Errorf("tsa: unknown signature algorithm %s", oid)
}

// generalizedTime reads a GeneralizedTime, fractions of a second allowed
// (RFC 3161 genTime often has them).
func generalizedTime(v asn1.RawValue) (time.Time, error) {
	if v.Class != asn1.ClassUniversal || v.Tag != asn1.TagGeneralizedTime {
		return time.Time{}, errors.New("tsa: genTime is not a GeneralizedTime")
	}
	t, err := time.Parse("20060102150405Z0700", string(v.Bytes))
	if err != nil {
		return time.Time{}, fmt.Errorf("tsa: genTime %q: %w", v.Bytes, err)
	}
	return t.UTC(), nil
}
