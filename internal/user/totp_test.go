package user

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// RFC 4226 appendix D: HOTP values for the secret "12345678901234567890".
func TestHOTPRFC4226(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := HOTP([]byte("12345678901234567890"), uint64(i), 6); got != w {
			t.Errorf("counter %d: %s, want %s", i, got, w)
		}
	}
}

// RFC 6238 appendix B, the SHA-1 rows: eight digits as the RFC prints them,
// and the six an authenticator app shows (the last six of the same value).
func TestTOTPRFC6238(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, c := range []struct {
		unix int64
		step string // T in hex, as the RFC prints it
		want string
	}{
		{59, "0000000000000001", "94287082"},
		{1111111109, "00000000023523EC", "07081804"},
		{1111111111, "00000000023523ED", "14050471"},
		{1234567890, "000000000273EF07", "89005924"},
		{2000000000, "0000000003F940AA", "69279037"},
		{20000000000, "0000000027BC86AA", "65353130"},
	} {
		at := time.Unix(c.unix, 0).UTC()
		if got := HOTP(key, uint64(TOTPStep(at)), 8); got != c.want {
			t.Errorf("%d: %s, want %s", c.unix, got, c.want)
		}
		if got := TOTPCode(key, at); got != c.want[2:] {
			t.Errorf("%d six digits: %s, want %s", c.unix, got, c.want[2:])
		}
		if got := fmt.Sprintf("%016X", TOTPStep(at)); got != c.step {
			t.Errorf("%d: step %s, RFC says %s", c.unix, got, c.step)
		}
	}
}

func TestCheckTOTPWindowAndReplay(t *testing.T) {
	secret := NewTOTPSecret()
	key, err := DecodeTOTPSecret(strings.ToLower(secret))
	if err != nil || len(key) != 20 {
		t.Fatalf("secret %q: %v (%d bytes)", secret, err, len(key))
	}
	now := time.Date(2026, 11, 28, 9, 0, 10, 0, time.UTC)
	cur := TOTPStep(now)
	for _, c := range []struct {
		at   time.Time
		last int64
		ok   bool
	}{
		{now, 0, true},
		{now.Add(-30 * time.Second), 0, true},  // one step late: a slow phone
		{now.Add(30 * time.Second), 0, true},   // one step early
		{now.Add(-60 * time.Second), 0, false}, // two steps: too old
		{now.Add(60 * time.Second), 0, false},
		{now, cur, false},    // this step was used: a replay
		{now, cur - 1, true}, // the previous one was
		{now.Add(-30 * time.Second), cur - 1, false},
	} {
		code := TOTPCode(key, c.at)
		step, ok := CheckTOTP(key, code, now, c.last)
		if ok != c.ok {
			t.Errorf("code of %s with last step %d: ok %v, want %v", c.at.Format(time.TimeOnly), c.last-cur, ok, c.ok)
		}
		if ok && step != TOTPStep(c.at) {
			t.Errorf("step %d, want %d", step, TOTPStep(c.at))
		}
	}
	if _, ok := CheckTOTP(key, "12345", now, 0); ok {
		t.Error("five digits accepted")
	}
	if _, ok := CheckTOTP(key, " "+TOTPCode(key, now)[:3]+" "+TOTPCode(key, now)[3:], now, 0); !ok {
		t.Error("a code typed with a space refused")
	}
}

func TestTOTPURI(t *testing.T) {
	u := TOTPURI("yingji", "chief", "JBSWY3DPEHPK3PXP")
	want := "otpauth://totp/yingji:chief?algorithm=SHA1&digits=6&issuer=yingji&period=30&secret=JBSWY3DPEHPK3PXP"
	if u != want {
		t.Fatalf("%s\nwant %s", u, want)
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := NewRecoveryCodes()
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 19 || strings.Count(c, "-") != 3 || strings.ContainsAny(c, "01ilo") {
			t.Errorf("code %q", c)
		}
		h := HashRecoveryCode(c)
		if seen[h] {
			t.Errorf("duplicate %q", c)
		}
		seen[h] = true
		if HashRecoveryCode(" "+strings.ToUpper(strings.ReplaceAll(c, "-", ""))+" ") != h {
			t.Errorf("%q typed without dashes in capitals hashes differently", c)
		}
	}
	if len(codes) != 10 {
		t.Fatalf("%d codes", len(codes))
	}
}

func TestPasswordRules(t *testing.T) {
	for _, c := range []struct {
		pw, user, want string
	}{
		{"Short1!", "duty", "error.password_short"},
		{"alllowercaseletters", "duty", "error.password_classes"},
		{"lowerand1234567", "duty", "error.password_classes"},
		{"lower-and-12345", "duty", ""},
		{"Upper-and-lower", "duty", ""},
		{"Upperlower1234", "duty", ""},
		{"Chief-2026-pass", "chief", "error.password_username"},
		{"chief", "chief", "error.password_short"},
		{"密码很长但是只有中文字符", "duty", "error.password_classes"},
		{"test-password-1", "duty", ""}, // the tests' demo password
	} {
		if got, _ := PasswordProblem(c.pw, c.user); got != c.want {
			t.Errorf("%q for %s: %q, want %q", c.pw, c.user, got, c.want)
		}
	}
	for range 200 {
		if pw := NewPassword(); !keepsRules(PasswordProblem(pw, "")) {
			t.Fatalf("generated %q breaks the rules", pw)
		}
	}
}
