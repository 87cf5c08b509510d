package incident

import "time"

// Timeline kinds of corrections and instructions (批示).
const (
	EntryCorrected        EntryKind = "corrected"
	EntryInstructed       EntryKind = "instructed"
	EntryInstructionAcked EntryKind = "instruction_acked"
	EntryInstructionDone  EntryKind = "instruction_done"
)

// InstructionStatus is where an instruction stands.
type InstructionStatus string

const (
	InstructionOpen  InstructionStatus = "open"         // posted, nobody has read it
	InstructionAcked InstructionStatus = "acknowledged" // 已阅
	InstructionDone  InstructionStatus = "done"         // 落实情况 reported
)

// Instruction is a 批示: a leader's instruction on an incident, addressed to
// departments of the incident's organisation and/or named people.
type Instruction struct {
	ID          int64
	IncidentID  int64
	AuthorID    int64
	Author      string // display name, filled when read for display
	Text        string
	Status      InstructionStatus
	CreatedAt   time.Time
	Departments []string
	People      []int64
	AckedBy     int64
	AckedAt     *time.Time
	DoneBy      int64
	DoneAt      *time.Time
	Result      string // 落实情况
}

// Open reports whether the instruction still waits for its addressees.
func (i *Instruction) Open() bool { return i.Status != InstructionDone }
