package i18n

// Messages of the console's forms in the units the form asks for, and of a
// certificate's days left where a day is not yet or no longer left.
func init() {
	Register(map[string][2]string{
		"mon.detail.expired":           {"证书已过期", "The certificate has expired"},
		"mon.detail.expired_days":      {"证书已过期%d天", "The certificate expired %d days ago"},
		"mon.detail.expiry_within_day": {"证书将在1天内到期", "The certificate expires within a day"},
		"mon.bad_interval_minutes":     {"检测间隔须为%d至%d之间的整数（分钟）。", "The interval must be a whole number of minutes from %d to %d."},
	})
}
