package tsa

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// authority is a minimal RFC 3161 responder run in the test: it reads the
// request with encoding/asn1 and answers a CMS SignedData over a TSTInfo,
// signed with ECDSA P-256 by a time-stamping certificate of its own CA.
// Its fault fields make it misbehave in the ways a client must catch.
type authority struct {
	ca, cert *x509.Certificate
	key      *ecdsa.PrivateKey
	pool     *x509.CertPool
	serial   int64
	now      time.Time

	reject      bool // answer status 2 (rejection), failInfo badDataFormat
	otherDigest bool // stamp another digest than asked
	dropNonce   bool // leave the nonce out (a replayed answer)
	badSig      bool // flip a bit of the signature
}

func newAuthority(t testing.TB) *authority {
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
	return &authority{ca: ca, cert: cert, key: key, pool: pool, now: time.Now().UTC().Truncate(time.Millisecond)}
}

var ekuTimeStamping, _ = asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})

func (a *authority) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	var req timeStampReq
	if _, err := asn1.Unmarshal(body, &req); err != nil || r.Header.Get("Content-Type") != "application/timestamp-query" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/timestamp-reply")
	out, err := a.respond(&req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(out)
}

func (a *authority) respond(req *timeStampReq) ([]byte, error) {
	if a.reject {
		return asn1.Marshal(timeStampResp{Status: pkiStatusInfo{
			Status: 2, StatusString: []string{"unsupported"}, FailInfo: asn1.BitString{Bytes: []byte{0x04}, BitLength: 6},
		}})
	}
	a.serial++
	imprint := req.MessageImprint
	if a.otherDigest {
		imprint.HashedMessage = make([]byte, 32)
	}
	info := tstInfo{
		Version: 1, Policy: asn1.ObjectIdentifier{1, 2, 3, 4, 1}, MessageImprint: imprint,
		SerialNumber: big.NewInt(a.serial),
		GenTime:      asn1.RawValue{Tag: asn1.TagGeneralizedTime, Bytes: []byte(a.now.Format("20060102150405.000Z"))},
	}
	if !a.dropNonce {
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
	if a.badSig {
		sig[len(sig)-3] ^= 0x01
	}
	sid, _ := asn1.Marshal(issuerAndSerial{Issuer: asn1.RawValue{FullBytes: a.cert.RawIssuer}, Serial: a.cert.SerialNumber})
	implicit := append([]byte{0xa0}, signed[1:]...)
	sd, err := asn1.Marshal(signedData{
		Version:          3,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{{Algorithm: oidSHA256}},
		EncapContentInfo: encapContentInfo{EContentType: oidTSTInfo, EContent: content},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: a.cert.Raw},
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

func TestStampGranted(t *testing.T) {
	a := newAuthority(t)
	srv := httptest.NewServer(a)
	defer srv.Close()
	digest := sha256.Sum256([]byte("证据文件内容"))
	c := &Client{URL: srv.URL, Roots: a.pool}
	tok, err := c.Stamp(t.Context(), digest[:])
	if err != nil {
		t.Fatal(err)
	}
	if !tok.GenTime.Equal(a.now) || tok.Serial.Int64() != 1 || tok.Policy != "1.2.3.4.1" || tok.Signer.Subject.CommonName != "测试 TSA" || len(tok.DER) == 0 {
		t.Errorf("token %+v (genTime %v, want %v)", tok, tok.GenTime, a.now)
	}
	// The kept bytes check again later, offline, for that digest only.
	if _, err := ParseToken(tok.DER, digest[:], a.pool); err != nil {
		t.Errorf("kept token: %v", err)
	}
	other := sha256.Sum256([]byte("另一个文件"))
	if _, err := ParseToken(tok.DER, other[:], a.pool); err == nil || !strings.Contains(err.Error(), "another digest") {
		t.Errorf("kept token for another digest: %v", err)
	}
	if _, err := ParseToken(tok.DER, digest[:], x509.NewCertPool()); err == nil {
		t.Error("a TSA outside the roots was trusted")
	}
}

func TestStampRefusals(t *testing.T) {
	digest := sha256.Sum256([]byte("x"))
	for _, tc := range []struct {
		name  string
		fault func(*authority)
		want  string
	}{
		{"rejection", func(a *authority) { a.reject = true }, "status 2, failInfo 5 unsupported"},
		{"other digest", func(a *authority) { a.otherDigest = true }, "another digest"},
		{"no nonce", func(a *authority) { a.dropNonce = true }, "nonce"},
		{"bad signature", func(a *authority) { a.badSig = true }, "signature does not verify"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAuthority(t)
			tc.fault(a)
			srv := httptest.NewServer(a)
			defer srv.Close()
			_, err := (&Client{URL: srv.URL, Roots: a.pool}).Stamp(t.Context(), digest[:])
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			var se *StatusError
			if tc.name == "rejection" && (!errors.As(err, &se) || se.Status != 2) {
				t.Errorf("not a StatusError: %v", err)
			}
		})
	}
	// Not a TSA at all.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>")) }))
	defer srv.Close()
	if _, err := (&Client{URL: srv.URL}).Stamp(t.Context(), digest[:]); err == nil {
		t.Error("an HTML answer was taken")
	}
	if _, err := (&Client{URL: srv.URL}).Stamp(t.Context(), digest[:5]); err == nil {
		t.Error("a short digest was sent")
	}
}

// FuzzParseResponse: a TSA's answer is read from the network; any bytes
// give an error or a token, never a panic.
func FuzzParseResponse(f *testing.F) {
	a := newAuthority(f)
	digest := sha256.Sum256([]byte("seed"))
	for _, fault := range []func(){func() {}, func() { a.reject = true }} {
		fault()
		req, _ := Request(digest[:], big.NewInt(42))
		var r timeStampReq
		asn1.Unmarshal(req, &r)
		out, err := a.respond(&r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(out)
	}
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := ParseResponse(data)
		if err == nil && (tok == nil || tok.Signer == nil) {
			t.Fatal("a token without its signer")
		}
	})
}

// TestOpenSSLTokens: a token from a real RFC 3161 implementation (openssl
// ts -reply, with ESS signing-certificate attributes, accuracy, ordering,
// a TSA name and fractional seconds) answering this client's request
// parses and checks.
func TestOpenSSLTokens(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl")
	}
	a := newAuthority(t)
	dir := t.TempDir()
	keyDER, _ := x509.MarshalECPrivateKey(a.key)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cert := write("tsa.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.cert.Raw}))
	key := write("tsa.key", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	serial := write("serial", []byte("01\n"))
	cfg := write("ts.cnf", []byte("[ tsa ]\ndefault_tsa = t1\n[ t1 ]\nserial = "+serial+
		"\ncrypto_device = builtin\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\n"+
		"accuracy = secs:1, millisecs:500\nordering = yes\ntsa_name = yes\ness_cert_id_alg = sha256\n"))
	digest := sha256.Sum256([]byte("证据"))
	nonce := big.NewInt(987654321)
	req, err := Request(digest[:], nonce)
	if err != nil {
		t.Fatal(err)
	}
	query := write("req.tsq", req)
	resp := filepath.Join(dir, "resp.tsr")
	if out, err := exec.Command("openssl", "ts", "-reply", "-config", cfg, "-queryfile", query, "-signer", cert, "-inkey", key, "-out", resp).CombinedOutput(); err != nil {
		t.Fatalf("openssl ts -reply: %v\n%s", err, out)
	}
	data, _ := os.ReadFile(resp)
	tok, err := ParseResponse(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := (&Client{Roots: a.pool}).check(tok, digest[:], nonce); err != nil {
		t.Fatal(err)
	}
	if tok.Policy != "1.2.3.4.1" || time.Since(tok.GenTime).Abs() > time.Minute {
		t.Errorf("token %+v", tok)
	}
}
