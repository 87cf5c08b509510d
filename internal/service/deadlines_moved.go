package service

// Restructure (issue 8), helper B: deadline.go moved to the pure package
// report (internal/report/deadlines.go) so that internal/incidents can show
// deadlines without importing this package. These names keep the rest of
// the old service compiling until reports moves; delete with it.

import "yingji/internal/report"

type Deadline = report.Deadline

const EntryLateRegistration = report.EntryLateRegistration

var (
	DailyRule        = report.DailyRule
	ObligationRule   = report.ObligationRule
	LateRegistration = report.LateRegistration
	Deadlines        = report.Deadlines
)
