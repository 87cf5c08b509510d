package user

import (
	"strings"
	"unicode"
)

// Password rules of GB/T 22239-2019 8.1.4.1 a) (身份鉴别: 口令具有复杂度要求并定期更换)
// as this bureau applies them.
const (
	PasswordMinLen  = 10
	PasswordClasses = 3 // of: lower case, upper case, digits, other characters
	PasswordHistory = 5 // a new password may not be any of the last five
)

// PasswordProblem returns the message key of the first rule pw breaks, or
// "" when it keeps them all; args go with the key.
func PasswordProblem(pw, username string) (key string, args []any) {
	if len([]rune(pw)) < PasswordMinLen {
		return "error.password_short", []any{PasswordMinLen}
	}
	var lower, upper, digit, other int
	for _, c := range pw {
		switch {
		case unicode.IsLower(c):
			lower = 1
		case unicode.IsUpper(c):
			upper = 1
		case unicode.IsDigit(c):
			digit = 1
		default:
			other = 1
		}
	}
	if lower+upper+digit+other < PasswordClasses {
		return "error.password_classes", []any{PasswordClasses}
	}
	// The username inside the password (admin → Admin2026!) is refused too,
	// for usernames long enough for that to be a pattern rather than chance.
	lpw, lu := strings.ToLower(pw), strings.ToLower(username)
	if lu != "" && (lpw == lu || len(lu) >= 4 && strings.Contains(lpw, lu)) {
		return "error.password_username", nil
	}
	return "", nil
}

func keepsRules(key string, _ []any) bool { return key == "" }
