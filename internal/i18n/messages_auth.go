package i18n

// Messages of authentication: second factor, password rules, idle sessions,
// API tokens (GB/T 22239-2019 三级 身份鉴别).
func init() {
	Register(map[string][2]string{
		"auth.login_refused":      {"用户名或密码错误，或账号因连续输错 5 次已临时锁定（15 分钟后自动解锁）。", "Wrong username or password, or the account is locked for 15 minutes after 5 wrong tries."},
		"auth.locked_out":         {"当前密码连续输错 5 次，账号已锁定 15 分钟，请稍后重新登录。", "5 wrong current passwords in a row: the account is locked for 15 minutes. Log in again later."},
		"auth.code_wrong":         {"验证码不正确或已使用过，请输入验证器中当前显示的 6 位数字。", "The code is wrong or already used; enter the 6 digits your authenticator shows now."},
		"auth.totp_enrolled":      {"已启用双因素认证。", "Two-factor authentication is already on."},
		"auth.totp_not_started":   {"请先打开双因素认证页面获取密钥。", "Open the two-factor page first to get a key."},
		"auth.token_lifetime":     {"令牌有效期须在 1 分钟至 %d 天之间。", "A token must be valid for 1 minute to %d days."},
		"auth.token_revoked":      {"该令牌已吊销。", "This token is already revoked."},
		"error.token_not_found":   {"令牌不存在或无权操作。", "No such token, or you may not touch it."},
		"error.password_classes":  {"密码须包含大写字母、小写字母、数字、其他字符中的至少 %d 类。", "The password needs at least %d of: upper case, lower case, digits, other characters."},
		"error.password_username": {"密码不能包含用户名。", "The password must not contain the username."},
		"error.password_reused":   {"新密码不能与最近 %d 次使用过的密码相同。", "The new password must differ from the last %d passwords."},

		"auth.password_new": {"新密码（至少 10 位，含大写字母、小写字母、数字、其他字符中的 3 类）", "New password (at least 10 characters, 3 of: upper case, lower case, digits, other)"},
		"auth.hint":         {"请使用本单位分配的账号登录。连续输错 5 次密码或验证码，账号将锁定 15 分钟；30 分钟无操作自动退出。", "Use the account your bureau gave you. After 5 wrong passwords or codes the account is locked for 15 minutes; 30 minutes without activity log you out."},

		"totp.login_title": {"双因素认证", "Two-factor authentication"},
		"totp.login_lead":  {"请输入验证器（手机应用）中显示的 6 位验证码。手机不在身边时，可输入一个恢复码。", "Enter the 6-digit code your authenticator app shows, or one of your recovery codes."},
		"totp.code":        {"验证码或恢复码", "Code or recovery code"},
		"totp.verify":      {"验证", "Verify"},
		"totp.title":       {"双因素认证", "Two-factor authentication"},
		"totp.required":    {"您的账号可以签发报告、审批或管理系统，按等级保护要求必须启用双因素认证后才能继续使用。", "Your account signs reports, decides approvals or administers the system: it must use two-factor authentication before anything else."},
		"totp.step1":       {"1. 在手机上打开验证器应用（如 FreeOTP、Google Authenticator、Microsoft Authenticator），扫描下方二维码。", "1. Open an authenticator app on your phone (FreeOTP, Google Authenticator, Microsoft Authenticator …) and scan the QR code below."},
		"totp.qr_alt":      {"双因素认证二维码", "QR code for two-factor authentication"},
		"totp.manual":      {"无法扫描时，在应用中手动输入密钥（基于时间，6 位，30 秒）：", "If you cannot scan, type this key into the app (time-based, 6 digits, 30 seconds):"},
		"totp.step2":       {"2. 输入应用中显示的 6 位验证码，完成启用。", "2. Enter the 6-digit code the app shows to finish."},
		"totp.confirm":     {"启用双因素认证", "Turn on two-factor authentication"},
		"totp.enabled":     {"双因素认证已启用。剩余恢复码 %d 个。", "Two-factor authentication is on. %d recovery codes left."},
		"totp.lost":        {"手机丢失且恢复码用尽时，请联系系统管理员重置。", "If you lose your phone and your recovery codes, ask the administrator to reset it."},
		"totp.codes_title": {"恢复码", "Recovery codes"},
		"totp.codes_lead":  {"双因素认证已启用。以下 10 个恢复码只显示这一次，每个只能使用一次：请抄写或打印后妥善保管，不要存放在手机上。", "Two-factor authentication is on. These 10 recovery codes are shown only now and each works once: write them down or print them and keep them away from your phone."},
		"totp.codes_done":  {"我已保存，继续", "Saved, continue"},
		"totp.link":        {"双因素认证", "Two-factor authentication"},
	})
}
