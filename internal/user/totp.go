package user

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP (RFC 6238) as authenticator apps implement it: HMAC-SHA1, six
// digits, a 30-second step. A code is accepted one step early or late, for
// phones whose clocks drift; a step once used is never accepted again.
const (
	TOTPDigits = 6
	TOTPPeriod = 30 // seconds
	TOTPSkew   = 1  // steps accepted either side of now
)

// b32 is the secret encoding apps expect: RFC 4648 base32 without padding.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns 160 random bits (the HMAC-SHA1 key length RFC 4226
// recommends) in base32.
func NewTOTPSecret() string {
	b := make([]byte, 20)
	rand.Read(b)
	return b32.EncodeToString(b)
}

// DecodeTOTPSecret reads a base32 secret, tolerating lower case and spaces
// as people type them.
func DecodeTOTPSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimRight(s, "="), " ", ""))
	return b32.DecodeString(s)
}

// HOTP is RFC 4226 section 5.3: HMAC-SHA1 of the counter, dynamically
// truncated to digits decimal digits.
func HOTP(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPStep is the RFC 6238 time counter T = floor(unix time / period).
func TOTPStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// TOTPCode is the code for the step containing t.
func TOTPCode(key []byte, t time.Time) string {
	return HOTP(key, uint64(TOTPStep(t)), TOTPDigits)
}

// CheckTOTP looks for code among the steps around now that are later than
// lastStep (the last step accepted for this secret), so that a code cannot
// be used twice. It returns the matching step.
func CheckTOTP(key []byte, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != TOTPDigits {
		return 0, false
	}
	cur := TOTPStep(now)
	var found int64
	ok := 0
	for st := cur - TOTPSkew; st <= cur+TOTPSkew; st++ {
		// Compare every candidate in constant time, whatever matched before.
		if subtle.ConstantTimeCompare([]byte(HOTP(key, uint64(st), TOTPDigits)), []byte(code)) == 1 && st > lastStep && ok == 0 {
			found, ok = st, 1
		}
	}
	return found, ok == 1
}

// TOTPURI is the otpauth:// URI authenticator apps read from a QR code
// (the Key Uri Format of Google Authenticator, which the others follow).
func TOTPURI(issuer, account, secret string) string {
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", fmt.Sprint(TOTPDigits))
	v.Set("period", fmt.Sprint(TOTPPeriod))
	return "otpauth://totp/" + label + "?" + v.Encode()
}

// RecoveryCodeCount is how many single-use recovery codes an enrolment gives.
const RecoveryCodeCount = 10

// recoveryAlphabet leaves out 0/o, 1/l/i so that codes copied from paper
// are read back right.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewRecoveryCodes returns fresh codes like "k7mq-3xwa-p9tf-2hcn": 16
// characters of a 31-letter alphabet are 79 bits, so a fast hash is enough
// to store them, as for API tokens.
func NewRecoveryCodes() []string {
	out := make([]string, RecoveryCodeCount)
	buf := make([]byte, 16)
	for i := range out {
		var b strings.Builder
		for j := 0; j < 16; j++ {
			if j > 0 && j%4 == 0 {
				b.WriteByte('-')
			}
			// Rejection sampling keeps every letter equally likely.
			for {
				rand.Read(buf[:1])
				if int(buf[0]) < 256-256%len(recoveryAlphabet) {
					b.WriteByte(recoveryAlphabet[int(buf[0])%len(recoveryAlphabet)])
					break
				}
			}
		}
		out[i] = b.String()
	}
	return out
}

// HashRecoveryCode normalises what was typed (case, dashes, spaces) and
// hashes it.
func HashRecoveryCode(code string) string {
	code = strings.ToLower(code)
	code = strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code))
	return HashToken("recovery:" + code)
}

// LooksLikeTOTP tells a six-digit code from a recovery code in one field.
func LooksLikeTOTP(s string) bool {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if len(s) != TOTPDigits {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
