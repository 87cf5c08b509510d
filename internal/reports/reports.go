// Package reports holds the use cases of the report flow: drafting a report
// from an incident's record, editing, sign-off (签发), submission and
// correction, the summary after termination, the scheduler that reminds and
// escalates before and after each deadline, and the timeliness view. The
// rules (obligations, deadlines, drafting, the document) are the pure
// package report's.
package reports

import (
	"yingji/internal/core"
	"yingji/internal/plan"
	"yingji/internal/report"
	"yingji/internal/store"
)

// Instructions gives the drafter an incident's 批示 as a report states
// them. The incidents' command use cases own instructions.
type Instructions interface {
	ReportInstructions(q *store.Q, p *plan.Plan, incidentID int64) ([]report.Instruction, error)
}

// Service is the report use cases.
type Service struct {
	*core.Core
	instructions Instructions
	Bulletins    BulletinLines // issue 14: 通报 in the daily report and summary drafts
}

// New returns the report use cases over c; instructions reads an incident's
// 批示 for drafting.
func New(c *core.Core, instructions Instructions) *Service {
	return &Service{Core: c, instructions: instructions}
}
