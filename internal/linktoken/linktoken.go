// Package linktoken makes and checks the credentials of the links yingji
// sends people who have no account or are not logged in (a roll-call's
// 已到位, a unit's 通报): the row's id and an HMAC over the id and the
// row's facts, keyed by the installation's link secret, so that a link
// names one row and dies with it. Short, for an SMS: base36 id, a dot, 16
// characters of signature (96 bits).
package linktoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// Make returns the token for row id: purpose names the kind of link, facts
// are what the link must still match (the person, the expiry, ...).
func Make(key []byte, purpose string, id int64, facts ...int64) string {
	return strconv.FormatInt(id, 36) + "." + sign(key, purpose, id, facts)
}

func sign(key []byte, purpose string, id int64, facts []int64) string {
	mac := hmac.New(sha256.New, key)
	msg := purpose + "|" + strconv.FormatInt(id, 10)
	for _, f := range facts {
		msg += "|" + strconv.FormatInt(f, 10)
	}
	mac.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))[:16]
}

// Parse splits a token into the row id and the signature; it checks only
// the form. The caller loads the row and then calls Check.
func Parse(tok string) (id int64, sig string, ok bool) {
	id36, sig, found := strings.Cut(tok, ".")
	if !found || len(sig) != 16 || len(id36) > 12 || id36 == "" {
		return 0, "", false
	}
	id, err := strconv.ParseInt(id36, 36, 64)
	return id, sig, err == nil && id > 0
}

// Check reports whether sig signs the row (constant time); no key, no link.
func Check(key []byte, sig, purpose string, id int64, facts ...int64) bool {
	return len(key) > 0 && hmac.Equal([]byte(sign(key, purpose, id, facts)), []byte(sig))
}
