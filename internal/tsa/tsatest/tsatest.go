// Package tsatest is a minimal RFC 3161 time-stamping authority for tests:
// it reads a request with encoding/asn1 and answers a CMS SignedData over a
// TSTInfo, signed with ECDSA P-256 by a time-stamping certificate of its
// own CA. Its fault fields make it misbehave in the ways a client must
// catch. Test-only: never wired into the server.
package tsatest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"math/big"
	"net/http"
	"testing"
	"time"
	"yingji/internal/tsa/rfc3161"
)

// Authority is a minimal RFC 3161 responder for tests: it reads the
// request with encoding/asn1 and answers a CMS SignedData over a TSTInfo,
// signed with ECDSA P-256 by a time-stamping certificate of its own CA.
// Its fault fields make it misbehave in the ways a client must catch.
type Authority struct {
	CA, Cert *x509.Certificate
	key      *ecdsa.PrivateKey
	Pool     *x509.CertPool // holds CA: the roots a client trusts
	serial   int64
	Now      time.Time // the genTime it stamps

	Reject      bool // answer status 2 (rejection), failInfo badDataFormat
	OtherDigest bool // stamp another digest than asked
	DropNonce   bool // leave the nonce out (a replayed answer)
	BadSig      bool // flip a bit of the signature
}

func New(t testing.TB) *Authority {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "测试时间戳根 CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, _ := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "测试 TSA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature,
		// Time-stamping only, marked critical, as RFC 3161 2.3 asks (and openssl ts insists).
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: ekuTimeStamping}},
	}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &Authority{CA: ca, Cert: cert, key: key, Pool: pool, Now: time.Now().UTC().Truncate(time.Millisecond)}
}

var ekuTimeStamping, _ = asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})

func (a *Authority) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if r.Header.Get("Content-Type") != "application/timestamp-query" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	out, err := a.Respond(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/timestamp-reply")
	w.Write(out)
}

// Respond answers a DER TimeStampReq with a DER TimeStampResp.
func (a *Authority) Respond(query []byte) ([]byte, error) {
	var req rfc3161.TimeStampReq
	if _, err := asn1.Unmarshal(query, &req); err != nil {
		return nil, err
	}
	if a.Reject {
		return asn1.Marshal(rfc3161.TimeStampResp{Status: rfc3161.PkiStatusInfo{
			Status: 2, StatusString: []string{"unsupported"}, FailInfo: asn1.BitString{Bytes: []byte{0x04}, BitLength: 6},
		}})
	}
	a.serial++
	imprint := req.MessageImprint
	if a.OtherDigest {
		imprint.HashedMessage = make([]byte, 32)
	}
	info := rfc3161.TstInfo{
		Version: 1, Policy: asn1.ObjectIdentifier{1, 2, 3, 4, 1}, MessageImprint: imprint,
		SerialNumber: big.NewInt(a.serial),
		GenTime:      asn1.RawValue{Tag: asn1.TagGeneralizedTime, Bytes: []byte(a.Now.Format("20060102150405.000Z"))},
	}
	if !a.DropNonce {
		info.Nonce = req.Nonce
	}
	content, err := asn1.Marshal(info)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(content)
	attr := func(oid asn1.ObjectIdentifier, v any) rfc3161.Attribute {
		b, _ := asn1.Marshal(v)
		return rfc3161.Attribute{Type: oid, Values: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: b}}
	}
	signed, err := asn1.MarshalWithParams([]rfc3161.Attribute{attr(rfc3161.OIDContentType, rfc3161.OIDTSTInfo), attr(rfc3161.OIDMsgDigest, sum[:])}, "set")
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(signed)
	sig, err := a.key.Sign(rand.Reader, h[:], crypto.SHA256)
	if err != nil {
		return nil, err
	}
	if a.BadSig {
		sig[len(sig)-3] ^= 0x01
	}
	sid, _ := asn1.Marshal(rfc3161.IssuerAndSerial{Issuer: asn1.RawValue{FullBytes: a.Cert.RawIssuer}, Serial: a.Cert.SerialNumber})
	implicit := append([]byte{0xa0}, signed[1:]...)
	sd, err := asn1.Marshal(rfc3161.SignedData{
		Version:          3,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{{Algorithm: rfc3161.OIDSHA256}},
		EncapContentInfo: rfc3161.EncapContentInfo{EContentType: rfc3161.OIDTSTInfo, EContent: content},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: a.Cert.Raw},
		SignerInfos: []rfc3161.SignerInfo{{
			Version: 1, SID: asn1.RawValue{FullBytes: sid}, DigestAlgorithm: pkix.AlgorithmIdentifier{Algorithm: rfc3161.OIDSHA256},
			SignedAttrs:        asn1.RawValue{FullBytes: implicit},
			SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: rfc3161.OIDECDSASHA256}, Signature: sig,
		}},
	})
	if err != nil {
		return nil, err
	}
	token, err := asn1.Marshal(rfc3161.ContentInfo{ContentType: rfc3161.OIDSignedData, Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd}})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(rfc3161.TimeStampResp{Status: rfc3161.PkiStatusInfo{Status: 0}, TimeStampToken: asn1.RawValue{FullBytes: token}})
}

// Key is the TSA certificate's private key (to drive another responder, e.g. openssl ts).
func (a *Authority) Key() *ecdsa.PrivateKey { return a.key }
