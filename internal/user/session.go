package user

import "time"

// Session stages: what a console session may do before it is a full one
// ("" is a full session).
const (
	StageTOTP  = "totp"  // the password was right; the second factor is awaited
	StageEnrol = "enrol" // the user must enrol a second factor before anything else
)

// Token is an API token as listed: never the token, only its metadata.
type Token struct {
	ID         int64
	UserID     int64
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}
