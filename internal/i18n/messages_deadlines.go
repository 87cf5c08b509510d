package i18n

// Messages of the report deadlines of issue 11: 首报, 终报, late registration.
func init() {
	Register(map[string][2]string{
		"deadline.initial_report":      {"首报", "First report"},
		"deadline.final_report":        {"终报", "Final report"},
		"timeline.late_registration":   {"迟登记：事件于%s发现，登记时已过%s，超过首报时限（%s），首报已无法按时报送。", "Late registration: discovered %s, registered %s later, past the first-report window (%s); the first report cannot be on time."},
		"incident.late_registration":   {"迟登记", "Registered late"},
		"incident.late_registration_t": {"发现后%s才登记，超过首报时限", "Registered %s after discovery, past the first-report window"},
	})
}
