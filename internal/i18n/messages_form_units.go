package i18n

// Messages of the console's forms in the units the form asks for, and of a
// certificate's days left where a day is not yet or no longer left.
func init() {
	Register(map[string][2]string{
		"mon.bad_interval_minutes": {"检测间隔须为%d至%d之间的整数（分钟）。", "The interval must be a whole number of minutes from %d to %d."},
	})
}
