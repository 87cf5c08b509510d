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
	var req timeStampReq
	if _, err := asn1.Unmarshal(query, &req); err != nil {
		return nil, err
	}
	if a.Reject {
		return asn1.Marshal(timeStampResp{Status: pkiStatusInfo{
			Status: 2, StatusString: []string{"unsupported"}, FailInfo: asn1.BitString{Bytes: []byte{0x04}, BitLength: 6},
		}})
	}
	a.serial++
	imprint := req.MessageImprint
	if a.OtherDigest {
		imprint.HashedMessage = make([]byte, 32)
	}
	info := tstInfo{
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
	attr := func(oid asn1.ObjectIdentifier, v any) attribute {
		b, _ := asn1.Marshal(v)
		return attribute{Type: oid, Values: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: b}}
	}
	signed, err := asn1.MarshalWithParams([]attribute{attr(oidContentType, oidTSTInfo), attr(oidMsgDigest, sum[:])}, "set")
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
	sid, _ := asn1.Marshal(issuerAndSerial{Issuer: asn1.RawValue{FullBytes: a.Cert.RawIssuer}, Serial: a.Cert.SerialNumber})
	implicit := append([]byte{0xa0}, signed[1:]...)
	sd, err := asn1.Marshal(signedData{
		Version:          3,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{{Algorithm: oidSHA256}},
		EncapContentInfo: encapContentInfo{EContentType: oidTSTInfo, EContent: content},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: a.Cert.Raw},
		SignerInfos: []signerInfo{{
			Version: 1, SID: asn1.RawValue{FullBytes: sid}, DigestAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256},
			SignedAttrs:        asn1.RawValue{FullBytes: implicit},
			SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA256}, Signature: sig,
		}},
	})
	if err != nil {
		return nil, err
	}
	token, err := asn1.Marshal(contentInfo{ContentType: oidSignedData, Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd}})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(timeStampResp{Status: pkiStatusInfo{Status: 0}, TimeStampToken: asn1.RawValue{FullBytes: token}})
}

var (
	oidSHA256      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidSignedData  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidTSTInfo     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidContentType = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMsgDigest   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}

	oidRSA           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA256WithRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384WithRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512WithRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidECDSASHA256   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSASHA384   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSASHA512   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidEd25519       = asn1.ObjectIdentifier{1, 3, 101, 112}
)

type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

type timeStampReq struct {
	Version        int
	MessageImprint messageImprint
	ReqPolicy      asn1.ObjectIdentifier `asn1:"optional"`
	Nonce          *big.Int              `asn1:"optional"`
	CertReq        bool                  `asn1:"optional"`
}

type pkiStatusInfo struct {
	Status       int
	StatusString []string       `asn1:"optional"`
	FailInfo     asn1.BitString `asn1:"optional"`
}

type timeStampResp struct {
	Status         pkiStatusInfo
	TimeStampToken asn1.RawValue `asn1:"optional"`
}

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     []byte `asn1:"explicit,optional,tag:0"`
}

type signerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint messageImprint
	SerialNumber   *big.Int
	GenTime        asn1.RawValue // GeneralizedTime, often with fractions Go's asn1 does not take
	Accuracy       accuracy      `asn1:"optional"`
	Ordering       bool          `asn1:"optional"`
	Nonce          *big.Int      `asn1:"optional"`
	TSA            asn1.RawValue `asn1:"optional,tag:0"`
	Extensions     asn1.RawValue `asn1:"optional,tag:1"`
}

// accuracy is typed, not raw: an optional raw value would take any field
// that follows (the nonce).
type accuracy struct {
	Seconds int `asn1:"optional"`
	Millis  int `asn1:"optional,tag:0"`
	Micros  int `asn1:"optional,tag:1"`
}

// Key is the TSA certificate's private key (to drive another responder, e.g. openssl ts).
func (a *Authority) Key() *ecdsa.PrivateKey { return a.key }
