// Package incident holds the incident model and the lifecycle rules the plan
// imposes on it. It is pure: no storage, no HTTP, no clock.
package incident

import (
	"fmt"
	"time"
)

// Status is where an incident stands in the plan's lifecycle.
type Status string

const (
	Reported             Status = "reported"
	ActivationRequested  Status = "activation_requested"
	Active               Status = "active"
	TerminationRequested Status = "termination_requested"
	Terminated           Status = "terminated"
	Closed               Status = "closed"
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{Reported, ActivationRequested, Active, TerminationRequested, Terminated, Closed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// Level is the incident grade of the national response plan: 1 is the most
// severe (特别重大, red), 4 the least (一般, blue).
type Level int

const (
	LevelI   Level = 1
	LevelII  Level = 2
	LevelIII Level = 3
	LevelIV  Level = 4
)

// Valid reports whether l is one of the four grades.
func (l Level) Valid() bool { return l >= LevelI && l <= LevelIV }

// Roman returns Ⅰ…Ⅳ.
func (l Level) Roman() string {
	if !l.Valid() {
		return "?"
	}
	return [...]string{"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ"}[l-1]
}

// Color is the warning colour that goes with the grade.
func (l Level) Color() string {
	if !l.Valid() {
		return ""
	}
	return [...]string{"red", "orange", "yellow", "blue"}[l-1]
}

// Incident is one internet security emergency as the record holds it.
type Incident struct {
	ID              int64
	OrgID           int64
	PlanID          int64 // the plan version it runs under; fixed at activation
	Year            int
	Seq             int
	Number          string
	Title           string
	Category        string // plan category key
	GBClass         string // GB/T 20986-2023 class key
	Level           Level
	Status          Status
	DiscoveredAt    time.Time
	DiscoveryMethod string
	Description     string
	ReporterID      int64
	ActivatedAt     *time.Time
	TerminatedAt    *time.Time
	ClosedAt        *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// FormatNumber renders the number people say aloud: the organisation's code,
// the year and the yearly sequence, e.g. QS-2026-003.
func FormatNumber(orgCode string, year, seq int) string {
	return fmt.Sprintf("%s-%d-%03d", orgCode, year, seq)
}
