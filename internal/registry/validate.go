// Package registry is the base database (基础数据库) in pure Go: networked
// units, their websites and systems, contacts, the expert group and
// equipment, the validators for the identifiers Chinese offices write in
// their ledgers (台账), and the reading and writing of those ledgers as CSV
// and XLSX. It knows nothing of storage.
package registry

import (
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// creditChars are the 31 characters of a unified social credit code
// (GB 32100-2015): digits and upper-case letters without I, O, Z, S, V.
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCheckChar returns the check character for the first 17 characters of
// a unified social credit code, or false when one of them is not allowed.
func CreditCheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditChars, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditChars[c], true
}

// ValidCreditCode reports whether s is an 18-character unified social credit
// code with a correct check character. Letters must be upper case.
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	c, ok := CreditCheckChar(s[:17])
	return ok && s[17] == c
}

// NormalizeCreditCode trims and upper-cases a credit code as typed.
func NormalizeCreditCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// icpRe is an ICP filing number: province abbreviation, "ICP备", the year and
// serial digits, "号", and optionally "-N" for the site under the filing.
var icpRe = regexp.MustCompile(`^(京|津|冀|晋|蒙|辽|吉|黑|沪|苏|浙|皖|闽|赣|鲁|豫|鄂|湘|粤|桂|琼|渝|川|贵|黔|云|滇|藏|陕|秦|甘|陇|青|宁|新)ICP备\d{6,12}号(-\d{1,4})?$`)

// ValidICP reports whether s is an ICP filing number such as 川ICP备12345678号-1.
func ValidICP(s string) bool { return icpRe.MatchString(s) }

var (
	mobileRe   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landlineRe = regexp.MustCompile(`^0\d{2,3}-\d{7,8}(-\d{1,6})?$`)
)

// NormalizePhone removes the spaces and the "+86"/"86" prefix people type.
func NormalizePhone(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, " ", "")
	s = strings.TrimPrefix(s, "+86")
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		s = s[2:]
	}
	return s
}

// ValidPhone reports whether s is a mainland mobile number (1[3-9] and nine
// digits) or a landline with its area code (028-12345678, 0833-1234567,
// optionally an extension).
func ValidPhone(s string) bool { return mobileRe.MatchString(s) || landlineRe.MatchString(s) }

// ValidEmail reports whether s is a plain address (no display name).
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && ValidDomain(strings.ToLower(s[at+1:]))
}

// ParseIPs parses a list of IP addresses separated by commas, semicolons,
// Chinese commas or white space. It returns the first bad one on failure.
func ParseIPs(s string) ([]netip.Addr, string, bool) {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '，' || r == '；' || r == '、' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	out := make([]netip.Addr, 0, len(f))
	for _, p := range f {
		a, err := netip.ParseAddr(p)
		if err != nil || a.Zone() != "" {
			return nil, p, false
		}
		out = append(out, a.Unmap())
	}
	return out, "", true
}

// JoinIPs writes addresses the way ParseIPs reads them.
func JoinIPs(ips []netip.Addr) string {
	parts := make([]string, len(ips))
	for i, a := range ips {
		parts[i] = a.String()
	}
	return strings.Join(parts, ",")
}

var labelRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// NormalizeDomain lower-cases a domain and drops a trailing dot.
func NormalizeDomain(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

// ValidDomain reports whether s is a lower-case host name of at least two
// labels (internationalised names in their xn-- form), not an IP address.
func ValidDomain(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !labelRe.MatchString(l) {
			return false
		}
	}
	tld := labels[len(labels)-1]
	return strings.HasPrefix(tld, "xn--") || strings.Trim(tld, "abcdefghijklmnopqrstuvwxyz") == ""
}

// ValidURL reports whether s is an absolute http(s) URL with a host.
func ValidURL(s string) bool {
	if len(s) > 2000 || !utf8.ValidString(s) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return false
	}
	h := u.Hostname()
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	return ValidDomain(strings.ToLower(h))
}

// CreditCodeFor makes a valid credit code from a number (for examples,
// tests and benchmarks): 9151 (enterprise, Sichuan) 0000, nine digits, check.
func CreditCodeFor(n int) string {
	s := "91510000" + pad9(n)
	c, _ := CreditCheckChar(s)
	return s + string(c)
}

func pad9(n int) string {
	b := []byte("000000000")
	for i := 8; i >= 0 && n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}
