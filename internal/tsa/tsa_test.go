package tsa

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yingji/internal/tsa/tsatest"
)

func TestStampGranted(t *testing.T) {
	a := tsatest.New(t)
	srv := httptest.NewServer(a)
	defer srv.Close()
	digest := sha256.Sum256([]byte("证据文件内容"))
	c := &Client{URL: srv.URL, Roots: a.Pool}
	tok, err := c.Stamp(t.Context(), digest[:])
	if err != nil {
		t.Fatal(err)
	}
	if !tok.GenTime.Equal(a.Now) || tok.Serial.Int64() != 1 || tok.Policy != "1.2.3.4.1" || tok.Signer.Subject.CommonName != "测试 TSA" || len(tok.DER) == 0 {
		t.Errorf("token %+v (genTime %v, want %v)", tok, tok.GenTime, a.Now)
	}
	// The kept bytes check again later, offline, for that digest only.
	if _, err := ParseToken(tok.DER, digest[:], a.Pool); err != nil {
		t.Errorf("kept token: %v", err)
	}
	other := sha256.Sum256([]byte("另一个文件"))
	if _, err := ParseToken(tok.DER, other[:], a.Pool); err == nil || !strings.Contains(err.Error(), "another digest") {
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
		fault func(*tsatest.Authority)
		want  string
	}{
		{"rejection", func(a *tsatest.Authority) { a.Reject = true }, "status 2, failInfo 5 unsupported"},
		{"other digest", func(a *tsatest.Authority) { a.OtherDigest = true }, "another digest"},
		{"no nonce", func(a *tsatest.Authority) { a.DropNonce = true }, "nonce"},
		{"bad signature", func(a *tsatest.Authority) { a.BadSig = true }, "signature does not verify"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tsatest.New(t)
			tc.fault(a)
			srv := httptest.NewServer(a)
			defer srv.Close()
			_, err := (&Client{URL: srv.URL, Roots: a.Pool}).Stamp(t.Context(), digest[:])
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
	a := tsatest.New(f)
	digest := sha256.Sum256([]byte("seed"))
	for _, fault := range []func(){func() {}, func() { a.Reject = true }} {
		fault()
		req, _ := Request(digest[:], big.NewInt(42))
		out, err := a.Respond(req)
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
// ts -reply, with ESS signing-certificate attributes, rfc3161.Accuracy, ordering,
// a TSA name and fractional seconds) answering this client's request
// parses and checks.
func TestOpenSSLTokens(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl")
	}
	a := tsatest.New(t)
	dir := t.TempDir()
	keyDER, _ := x509.MarshalECPrivateKey(a.Key())
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cert := write("tsa.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.Cert.Raw}))
	key := write("tsa.key", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	serial := write("serial", []byte("01\n"))
	cfg := write("ts.cnf", []byte("[ tsa ]\ndefault_tsa = t1\n[ t1 ]\nserial = "+serial+
		"\ncrypto_device = builtin\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\n"+
		"rfc3161.Accuracy = secs:1, millisecs:500\nordering = yes\ntsa_name = yes\ness_cert_id_alg = sha256\n"))
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
	if err := (&Client{Roots: a.Pool}).check(tok, digest[:], nonce); err != nil {
		t.Fatal(err)
	}
	if tok.Policy != "1.2.3.4.1" || time.Since(tok.GenTime).Abs() > time.Minute {
		t.Errorf("token %+v", tok)
	}
}
